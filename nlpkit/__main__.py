"""`python -m nlpkit`."""

from __future__ import annotations

from nlpkit.cli import main

if __name__ == "__main__":
    main()
