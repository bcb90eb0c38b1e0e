"""`nlpkit models`: list the bundled models, or show a model folder's card."""

from __future__ import annotations

from typing import Annotated

import typer

from nlpkit.cli import handle_errors


@handle_errors
def models_command(
    folders: Annotated[list[str] | None, typer.Argument(help="Model folders (or bundled names) to describe.")] = None,
) -> None:
    """List the bundled models (task, labels, metrics, data), or show the card of each model given."""
    from pathlib import Path

    from nlpkit.persistence import bundled_model_names, read_meta, resolve_model_path, verify_files

    if folders:
        for i, name in enumerate(folders):
            folder = resolve_model_path(name)
            verify_files(folder, read_meta(folder))
            if i:
                print()
            print((Path(folder) / "README.md").read_text(encoding="utf-8").rstrip())
        return
    from nlpkit import config

    names = bundled_model_names()
    print(f"bundled models in {config.bundled_models_dir()}:")
    for name in names:
        meta = read_meta(resolve_model_path(name))
        m = meta.get("metrics") or {}
        figures = ", ".join(
            f"{k} {m[k]:.3f}" for k in ("accuracy", "macro_f1", "fnc_score", "rouge1", "rouge2") if k in m
        )
        print(
            f"  {name:<12} {meta['task']:<10} {meta.get('backend', ''):<10} labels: {', '.join(meta.get('labels', [])) or '-'}"
        )
        print(f"  {'':<12} {figures} on {m.get('evaluated_on', '?')}; data: {meta.get('data', {}).get('source', '?')}")
    from nlpkit.summarizers.base import SUMMARIZERS

    print(f"\nsummarization methods (no training): {', '.join(SUMMARIZERS.names())}")
    print("details: nlpkit models NAME_OR_FOLDER")


def register(app: typer.Typer) -> None:
    app.command("models")(models_command)
