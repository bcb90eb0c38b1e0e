"""One small registry class; one registry per component family."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from nlpkit.errors import UnknownNameError, missing_extra

T = TypeVar("T")


class Registry(Generic[T]):
    """Maps stable kebab-case names to components.

    Example:
        >>> r: Registry[int] = Registry("numbers")
        >>> r.add("one", 1)
        >>> r.get("one")
        1
    """

    def __init__(self, family: str) -> None:
        self.family = family
        self._items: dict[str, T] = {}
        self._lazy: dict[str, str] = {}

    def add(self, name: str, item: T) -> None:
        if name in self._items or name in self._lazy:
            raise ValueError(f"{self.family} {name!r} is already registered")
        self._items[name] = item

    def add_lazy(self, name: str, target: str) -> None:
        """Register `"package.module:attribute"`, imported on first `get` (keeps start-up light)."""
        if name in self._items or name in self._lazy:
            raise ValueError(f"{self.family} {name!r} is already registered")
        self._lazy[name] = target

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator form of `add`."""

        def deco(item: T) -> T:
            self.add(name, item)
            return item

        return deco

    def _known(self, name: str) -> str:
        """`name` as registered: the names are lower case, and `TextRank` is `textrank`."""
        if name in self._items or name in self._lazy:
            return name
        lower = name.lower()
        return lower if lower in self._items or lower in self._lazy else name

    def get(self, name: str) -> T:
        name = self._known(name)
        if name in self._lazy:
            import importlib

            module, _, attr = self._lazy[name].partition(":")
            try:
                self._items[name] = getattr(importlib.import_module(module), attr)
            except ModuleNotFoundError as e:
                extra = missing_extra(e, f"{self.family} {name!r}")
                if extra is None:
                    raise
                raise extra from None
            del self._lazy[name]
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise UnknownNameError(f"unknown {self.family} {name!r}; known: {known}") from None

    def names(self) -> list[str]:
        return sorted([*self._items, *self._lazy])

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        known = self._known(name)
        return known in self._items or known in self._lazy

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())
