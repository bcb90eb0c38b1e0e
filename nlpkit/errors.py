"""Errors that reach the user: each message says what was wrong, where, and what to do."""

from __future__ import annotations

import re


class NlpkitError(Exception):
    """Base class: the CLI prints the message on one line and exits with `exit_code`."""

    exit_code = 1


class UsageError(NlpkitError):
    """The command was called wrongly (bad option value, unknown name)."""

    exit_code = 2


class InputError(NlpkitError):
    """An input file or record cannot be read as an article."""


class DataError(NlpkitError):
    """Training or evaluation data cannot be used as given."""


class ModelError(NlpkitError):
    """A model folder is missing, not a model, tampered with, or unusable."""


class OutputError(NlpkitError):
    """An output cannot be written (exists without --force, or not writable)."""


class UnknownNameError(UsageError):
    """A registry lookup failed; the message lists the known names."""


class MissingExtra(NlpkitError):
    """A feature needs libraries a plain install leaves out; the message names the extra to install."""


#: Which optional extra brings each library nlpkit imports only for some features.
_EXTRAS = {"torch": "neural", "transformers": "neural", "tokenizers": "neural", "datasets": "datasets", "ray": "ray"}
_WHAT = {"neural": "PyTorch and transformers", "datasets": "Hugging Face datasets", "ray": "Ray"}


def missing_extra(error: ModuleNotFoundError, feature: str = "this") -> MissingExtra | None:
    """The one-line error for a library an extra provides (None when `error` is about another module).

    Example:
        >>> print(missing_extra(ModuleNotFoundError(name="torch"), "--method abstractive"))
        --method abstractive needs PyTorch and transformers: pip install 'nlpkit-news[neural]' (in a checkout: pip install '.[neural]'; for the CPU build of torch see the README)
    """
    extra = _EXTRAS.get((error.name or "").split(".")[0])
    if extra is None:
        return None
    cpu = "; for the CPU build of torch see the README" if extra == "neural" else ""
    return MissingExtra(
        f"{feature} needs {_WHAT[extra]}: pip install 'nlpkit-news[{extra}]' (in a checkout: pip install '.[{extra}]'{cpu})"
    )


def require(feature: str, *modules: str) -> None:
    """Raise `MissingExtra` naming the extra to install when one of `modules` is not installed."""
    from importlib.util import find_spec

    for module in modules:
        if find_spec(module) is None:
            error = missing_extra(ModuleNotFoundError(name=module), feature)
            raise error or NlpkitError(f"{feature} needs {module}, which is not installed")


class Interrupted(NlpkitError):
    """A job stopped by Ctrl-C or SIGTERM; what was written is kept and can be resumed."""

    def __init__(self, message: str, signum: int = 2) -> None:
        super().__init__(message)
        self.exit_code = 128 + signum  # 130 for Ctrl-C, 143 for SIGTERM, as a shell reports them


#: Longest message text taken from an exception or a record (the rest is cut with "...").
MAX_MESSAGE = 240


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """Text fit for a one-line message: control characters escaped, runs of blanks collapsed, capped.

    Example:
        >>> one_line("bad\\x00byte\\n  here " + "x" * 300, limit=20)
        'bad\\\\x00byte here ...'
    """
    out = []
    for ch in " ".join(str(text).split()):
        out.append(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii"))
    flat = "".join(out)
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


# Characters that would act on a terminal rather than show: C0/C1 controls (escape sequences, BEL,
# line breaks), bidirectional overrides and isolates, zero-width and other format characters.
_INVISIBLE = "\\x7f-\\x9f\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb"
_UNSAFE = re.compile(f"[\\x00-\\x1f{_INVISIBLE}]")
#: The same, but for whole outputs whose line breaks and tabs nlpkit lays out itself.
_UNSAFE_LINES = re.compile(f"[\\x00-\\x08\\x0b-\\x1f{_INVISIBLE}]")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"  # also a valid JSON escape for the same character


def printable(text: str) -> str:
    r"""Text safe to print on one terminal line: control, bidi and invisible characters shown as `\uXXXX`.

    Example:
        >>> printable("sport\x1b[31m\u202e")
        'sport\\u001b[31m\\u202e'
    """
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def terminal_safe(text: str) -> str:
    """`printable`, but line breaks and tabs are kept: for whole outputs whose lines nlpkit lays out."""
    return _UNSAFE_LINES.sub(_escape, text) if _UNSAFE_LINES.search(text) else text


def describe(error: BaseException, limit: int = MAX_MESSAGE) -> str:
    """An exception as one short line: its message, or its type when it has none."""
    return one_line(str(error) or type(error).__name__, limit)
