"""`python -m nlpkit`, and the `nlpkit` command (`run`)."""

from __future__ import annotations

import sys


def run() -> None:
    """The console script: Ctrl-C while nlpkit is still importing ends it quietly too."""
    try:
        from nlpkit.cli import main
    except KeyboardInterrupt:
        print("nlpkit: error: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    main()


if __name__ == "__main__":
    run()
