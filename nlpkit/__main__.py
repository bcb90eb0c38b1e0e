"""`python -m nlpkit`, and the `nlpkit` command (`run`)."""

from __future__ import annotations

import sys


def run() -> None:
    """The console script. A command turns Ctrl-C into its own message; Ctrl-C before one runs
    (while nlpkit imports, or typer builds the commands) is one line and the shell's exit code too."""
    try:
        from nlpkit.cli import main

        main()
    except KeyboardInterrupt:
        print("nlpkit: error: interrupted", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    run()
