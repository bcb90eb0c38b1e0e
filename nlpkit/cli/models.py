"""`nlpkit models`: list the bundled models, or check a model folder and show its card."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from nlpkit.cli import PlainUsage, handle_errors
from nlpkit.errors import ModelError, one_line


def warn_refused(message: str) -> None:

    print(f"nlpkit: error: {one_line(message, 2000)}", file=sys.stderr)


@handle_errors
def models_command(
    folders: Annotated[
        list[str] | None,
        typer.Argument(metavar="[MODELS]...", help="Model folders (or bundled names) to check and describe."),
    ] = None,
) -> None:
    """List the bundled models (task, labels, metrics, data), or check each model given and show its card.

    A folder is checked as loading would check it (description, format, every file's checksum),
    without loading any weights: a folder that would be refused is reported, with the reason.
    """
    from nlpkit.catalog import check_model_folder
    from nlpkit.persistence import bundled_model_names, read_meta, resolve_model_path

    if folders:
        refused = 0
        for i, name in enumerate(folders):
            if i:
                print()
            try:
                folder, _ = check_model_folder(name)
            except ModelError as e:
                refused += 1
                warn_refused(f"{e} (nlpkit would refuse to load {name})")
                continue
            print((folder / "README.md").read_text(encoding="utf-8").rstrip())
        if refused:
            raise typer.Exit(1)
        return
    from nlpkit import config
    from nlpkit.summarizers import SUMMARIZERS

    print(f"bundled models in {config.bundled_models_dir()}:")
    for name in bundled_model_names():
        meta = read_meta(resolve_model_path(name))
        m = meta.metrics
        figures = ", ".join(f"{k} {m[k]:.3f}" for k in ("accuracy", "macro_f1", "fnc_score") if k in m)
        if "lead3" in m:  # a summarizer: ROUGE-1 beside the lead baseline, at three sentences and at one
            one = m.get("one_sentence") or {}
            figures = f"ROUGE-1 {m['rouge1']:.3f} at 3 sentences (Lead-3 {m['lead3']['rouge1']:.3f})" + (
                f", {one['model']['rouge1']:.3f} at 1 (Lead-1 {one['lead1']['rouge1']:.3f})" if one else ""
            )
        print(f"  {name:<12} {meta.task:<10} {meta.backend:<10} labels: {', '.join(meta.labels) or '-'}")
        print(f"  {'':<12} {figures} on {m.get('evaluated_on', '?')}; data: {meta.data.get('source', '?')}")
    print(f"\nsummarization methods (no training): {', '.join(SUMMARIZERS.names())}")
    print("details: nlpkit models NAME_OR_FOLDER")


def register(app: typer.Typer) -> None:
    app.command("models", cls=PlainUsage)(models_command)
