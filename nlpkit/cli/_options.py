"""Options shared by several commands."""

from __future__ import annotations

from typing import Annotated

import typer

TextField = Annotated[str, typer.Option("--text-field", help="Field with the article text (JSON/JSONL/CSV/Parquet).")]
TitleField = Annotated[str, typer.Option("--title-field", help="Field with the headline.")]
IdField = Annotated[str, typer.Option("--id-field", help="Field with the article id.")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite outputs that already exist.")]
Bodies = Annotated[str | None, typer.Option("--bodies", help="Stance: table of article bodies to join (FNC-1 style).")]
BodyIdField = Annotated[str, typer.Option("--body-id-field", help="Join key between the data and --bodies.")]
Device = Annotated[str | None, typer.Option("--device", help="Neural models: auto (GPU when present), cpu or cuda.")]
Paths = Annotated[
    list[str],
    typer.Argument(
        metavar="PATHS...",
        help="Article files (.txt .md .html .json .jsonl .csv .parquet ...), folders, archives, or - for stdin.",
    ),
]
FollowLinks = Annotated[
    bool, typer.Option("--follow-links", help="Read files that links in an input folder point to outside it.")
]
