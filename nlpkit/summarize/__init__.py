"""Summarizers: extractive methods registered by name, plus trained and abstractive ones.

`nlpkit.summarize` is both this package and the flat API's `summarize()` function: once the
package is imported it shadows the function on `nlpkit`, so calling the package calls it.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from nlpkit.summarize.base import summarize

        return summarize(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
