"""`python -m nlpkit`, and the `nlpkit` command (`run`)."""

from __future__ import annotations

import os
import sys

#: Every command but `train` multiplies small matrices (one article's sentences, a batch of predictions;
#: `score` workers hold one thread each anyway): a BLAS thread pool would only add to its start-up (about
#: 20 ms of `nlpkit summarize FILE`'s, and CPU time on a busy machine). A value the user set wins.
_MANY_BLAS_THREADS = ("train",)


def run() -> None:
    """The console script. A command turns Ctrl-C into its own message; Ctrl-C before one runs
    (while nlpkit imports, or typer builds the commands) is one line and the shell's exit code too."""
    if len(sys.argv) > 1 and sys.argv[1] not in _MANY_BLAS_THREADS:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        from nlpkit.cli import main

        main()
    except KeyboardInterrupt:
        print("nlpkit: error: interrupted", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    run()
