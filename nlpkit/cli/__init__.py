"""The `nlpkit` command: one module per command, each a thin layer over library functions."""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any, TextIO, TypeVar, cast

import typer

from nlpkit.errors import NlpkitError, missing_extra, one_line, terminal_safe

F = TypeVar("F", bound=Callable[..., Any])
#: The click exceptions typer raises itself (usage errors and the like): click's own, or the copy of click
#: that typer 0.28 and later carry inside them. Found from typer's public class, so `click` (30 ms to
#: import, and a separate package that typer 0.28 no longer needs) is never imported.
_CLICK_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")

_app = typer.Typer(
    name="nlpkit",
    help="Brief, classify and score news articles, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class PlainUsage(typer.core.TyperCommand):
    """A command whose usage line names its arguments plainly (`PATHS...`, not typer's `{PATHS...}`)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


def _version(value: bool) -> None:
    if value:
        from nlpkit import __version__

        print(f"nlpkit {__version__}")
        raise typer.Exit()


@_app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Brief, classify and score news articles, offline."""
    from nlpkit import config

    for problem in config.PROBLEMS:  # a bad environment value: one line each, before any work
        report(problem)
    if config.PROBLEMS:
        raise typer.Exit(2)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error to stderr and exit with `code`."""

    report(message)
    raise typer.Exit(code)


def report(message: str) -> None:
    """Print a one-line error to stderr (for one record; the command goes on)."""

    print(f"nlpkit: error: {one_line(message, 2000)}", file=sys.stderr)


def warn(message: str) -> None:

    print(f"nlpkit: warning: {one_line(message, 2000)}", file=sys.stderr)


def _show_warning(message: Warning | str, *_args: Any, **_kwargs: Any) -> None:
    """A library warning as one `nlpkit: warning:` line (not Python's file:line and source)."""
    warn(str(message))


def handle_errors(func: F) -> F:
    """Turn nlpkit's errors (and the OS's) into one-line messages and exit codes; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        warnings.showwarning = _show_warning
        stdout: Any = sys.stdout  # None under pythonw
        if stdout is not None and not isinstance(stdout, _NamedStdout):
            sys.stdout = cast(TextIO, _NamedStdout(stdout))
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not as a traceback at exit
            return result
        except NlpkitError as e:
            fail(str(e), e.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            _silence_stdout()
            sys.stderr.close()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort, _CLICK_ERROR):
            raise
        except (MemoryError, Exception) as e:
            _fail_for(e)

    return wrapper  # type: ignore[return-value]


def _fail_for(e: BaseException) -> None:
    """One line for what is not nlpkit's own error: a missing extra, memory, the OS, or a bug (exit 70)."""
    extra = missing_extra(e) if isinstance(e, ModuleNotFoundError) else None
    if extra is not None:  # a library of an extra that is not installed
        fail(str(extra), 1)
    if isinstance(e, MemoryError):
        fail("out of memory; give smaller inputs (or a smaller --batch-size)", 1)
    if isinstance(e, OSError):
        where = f"{e.filename}: " if e.filename else ""
        _silence_stdout()
        fail(f"{where}{e.strerror or e} (errno {e.errno})", 1)
    from nlpkit import config

    if config.DEBUG:
        raise e
    fail(f"internal error: {type(e).__name__}: {e} (rerun with NLPKIT_DEBUG=1 for the traceback)", 70)


class _NamedStdout:
    """sys.stdout whose write errors name it ("standard output: No space left on device"), and which shows
    control, bidi and invisible characters from articles, labels or models as escapes instead of obeying them."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(terminal_safe(text)))
        except OSError as e:
            e.filename = e.filename or "standard output"
            raise

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as e:
            e.filename = e.filename or "standard output"
            raise


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail again at exit."""

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


#: The commands, in the order `nlpkit --help` lists them; each is the module of the same name.
COMMANDS = ("summarize", "classify", "train", "evaluate", "score", "models")
_registered: set[str] = set()


def _register(names: tuple[str, ...] = COMMANDS) -> typer.Typer:
    """Add these commands to the app (each once) and return it."""
    import importlib

    for name in names:
        if name not in _registered:
            importlib.import_module(f"nlpkit.cli.{name}").register(_app)
            _registered.add(name)
    return _app


def __getattr__(name: str) -> Any:
    """`nlpkit.cli.app`: the app with every command (for tests and embedding)."""
    if name == "app":
        return _register()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> None:
    """Run the command line. A named command imports only its own module (start-up is what a
    one-article `nlpkit summarize` spends most on); help, --version and typos see every command."""
    args = sys.argv[1:] if argv is None else argv
    _register((args[0],) if args and args[0] in COMMANDS else COMMANDS)
    _app(args, prog_name="nlpkit")
