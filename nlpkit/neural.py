"""What every torch/transformers path shares: device and precision, quiet loads, the fine-tuning loop."""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from nlpkit import config
from nlpkit.errors import ModelError, UsageError, printable


def resolve_device(device: str) -> str:
    """`auto` is the GPU when one is present, else the CPU; `cuda` without a GPU is an error."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError("--device cuda: no CUDA GPU is available; use --device cpu or auto")
    if device != "cpu" and not device.startswith("cuda"):
        raise ModelError(f"--device {device}: use auto, cpu or cuda")
    return device


def load_device(requested: str | None, trained: str) -> str:
    """Where a saved model goes: the device asked for, else where it was trained (a GPU only if one is here)."""
    if requested:
        return requested
    return "auto" if trained.startswith("cuda") else trained


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' load reports and weight-loading bars for the duration."""
    from transformers.utils import logging

    level = logging.get_verbosity()
    bars = logging.is_progress_bar_enabled()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.set_verbosity(level)
        if bars:
            logging.enable_progress_bar()


def load_pretrained(load: Callable[..., Any], name_or_path: str | Path, what: str) -> Any:
    """`load(str(name_or_path), trust_remote_code=False)` quietly; a missing or wrong folder is a `ModelError`.

    Code shipped with a model (`auto_map` in its config) is never run: such a folder is refused.
    """
    name = str(name_or_path)
    local = Path(name).expanduser()
    path_like = isinstance(name_or_path, Path) or local.is_absolute() or name.startswith((".", "~"))
    if not local.exists() and (path_like or name.count("/") > 1):
        raise ModelError(f"{name}: no such folder (give a model folder, or a Hugging Face Hub id with a network)")
    if not local.exists():
        reason = config.hub_unavailable()
        if reason:
            raise ModelError(f"{name}: not a folder here, and {reason}; give a local model folder")
    try:
        with quiet_transformers():
            return load(str(local) if local.exists() else name, trust_remote_code=False)
    except (OSError, ValueError, KeyError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        kind = _model_type(local) if "Unrecognized configuration class" in first else None
        if kind:  # transformers names its config class and lists every model type it knows: say what it is
            raise ModelError(f"{name}: cannot load {what} from it: it holds a {kind} model") from e
        hint = "" if local.exists() else "; as a Hub id it needs a network and the exact name"
        raise ModelError(f"{name}: cannot load {what} from it ({first}{hint})") from e


def _model_type(folder: Path) -> str | None:
    """The `model_type` a model folder's config.json names, or None."""
    try:
        kind = json.loads((folder / "config.json").read_text(encoding="utf-8")).get("model_type")
    except (OSError, ValueError, AttributeError):
        return None
    return printable(kind) if isinstance(kind, str) and kind else None


def save_pretrained(model: Any, tokenizer: Any, out: Path, root: Path) -> list[str]:
    """Model (safetensors) and tokenizer into `out`; the files written, relative to `root`."""
    out.mkdir(parents=True, exist_ok=True)
    with quiet_transformers():
        model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    return sorted(str(p.relative_to(root)) for p in out.rglob("*") if p.is_file())


PRECISIONS = ("auto", "fp32", "fp16", "bf16")


def amp_dtype(precision: str, device: str) -> Any:
    """The autocast dtype for a precision setting on a device; None for plain fp32."""
    import torch

    if precision not in PRECISIONS:
        raise UsageError(f"precision={precision!r}: use one of {', '.join(PRECISIONS)}")
    gpu = device.startswith("cuda")
    if precision == "fp32" or (precision == "auto" and not gpu):
        return None
    if precision == "fp16":
        if not gpu:
            raise UsageError("precision=fp16 needs a CUDA GPU; use bf16 or fp32 on CPU")
        return torch.float16
    if precision == "bf16" or torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float16


def autocast(device: str, dtype: Any) -> Any:
    import torch

    kind = device.split(":")[0]
    if dtype is None:
        return torch.autocast(device_type=kind, enabled=False)
    return torch.autocast(device_type=kind, dtype=dtype)


@dataclass(frozen=True)
class Schedule:
    """How a plain PyTorch fine-tuning loop runs (shared by every neural trainer)."""

    learning_rate: float = 5e-5
    epochs: int = 3
    batch_size: int = 16
    gradient_accumulation_steps: int = 1
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    n_iter_no_change: int = 2
    random_state: int = 0
    verbose: int = 0

    @classmethod
    def of(cls, source: Any) -> Schedule:
        """The schedule fields of an estimator's attributes, or of a dict (others are ignored)."""
        get = source.get if isinstance(source, dict) else lambda k, d: getattr(source, k, d)
        return cls(**{f.name: get(f.name, f.default) for f in fields(cls)})


def fine_tune(
    model: Any,
    train_idx: np.ndarray,
    batch_loss: Callable[[np.ndarray], Any],
    schedule: Schedule,
    *,
    validate: Callable[[], dict[str, float]] | None = None,
    amp: Any = None,
) -> tuple[list[dict[str, float]], int]:
    """Fine-tune `model` on batches of `train_idx`; return the per-epoch history and the epoch kept.

    `batch_loss(indices)` returns the mean loss of a batch (computed under autocast by the
    caller when `amp` is set). AdamW with linear warm-up and decay, gradient accumulation,
    clipping at norm 1, and a loss scaler for fp16. With `validate` (returning at least
    `val_loss`), the weights of the epoch with the lowest validation loss are restored at the
    end and training stops after `n_iter_no_change` epochs without improvement.
    """
    import torch
    from transformers import get_linear_schedule_with_warmup

    s = schedule
    no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups: list[dict[str, Any]] = [
        {"params": [p for n, p in named if not n.endswith(no_decay)]},
        {"params": [p for n, p in named if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=s.learning_rate, weight_decay=s.weight_decay)
    steps = math.ceil(math.ceil(len(train_idx) / s.batch_size) / s.gradient_accumulation_steps) * s.epochs
    lr_schedule = get_linear_schedule_with_warmup(optimizer, int(s.warmup_ratio * steps), steps)
    scaler = torch.amp.GradScaler(enabled=amp is torch.float16)
    rng = np.random.default_rng(s.random_state)
    history: list[dict[str, float]] = []
    best: tuple[float, int, dict[str, Any]] | None = None
    t0 = time.perf_counter()
    for epoch in range(1, s.epochs + 1):
        model.train()
        order = rng.permutation(train_idx)
        batches = [order[i : i + s.batch_size] for i in range(0, len(order), s.batch_size)]
        total = 0.0
        bar = progress(len(batches), f"epoch {epoch}/{s.epochs}", s.verbose)
        for b, idx in enumerate(batches, start=1):
            loss = batch_loss(idx)
            scaler.scale(loss / s.gradient_accumulation_steps).backward()
            total += float(loss.detach()) * len(idx)
            if b % s.gradient_accumulation_steps == 0 or b == len(batches):
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                scaler.step(optimizer)
                scaler.update()
                lr_schedule.step()
                optimizer.zero_grad(set_to_none=True)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{total / min(b * s.batch_size, len(order)):.4f}")
        if bar is not None:
            bar.close()
        row = {"epoch": epoch, "train_loss": total / max(1, len(order)), "seconds": time.perf_counter() - t0}
        if validate is not None:
            model.eval()
            row.update(validate())
        history.append(row)
        if s.verbose:
            print("nlpkit: " + ", ".join(f"{k} {v:.4g}" for k, v in row.items()), file=sys.stderr, flush=True)
        if validate is not None:
            if best is None or row["val_loss"] < best[0]:
                state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
                best = (row["val_loss"], epoch, state)
            elif epoch - best[1] >= s.n_iter_no_change:
                break
    if best is not None:
        model.load_state_dict(best[2])
    model.eval()
    return history, best[1] if best is not None else len(history)


def progress(total: int, desc: str, verbose: int) -> Any:
    """A tqdm bar on stderr when `verbose` (and stderr is a terminal); None otherwise."""
    if not verbose:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="batch", file=sys.stderr, leave=False, disable=None)


ENCODER_DIR = "encoder"


class SentenceEncoder:
    """Mean-pooled, L2-normalised sentence vectors from a Hugging Face encoder (folder or Hub id)."""

    def __init__(
        self, name_or_path: str | Path, *, max_length: int = 256, batch_size: int = 32, device: str = "auto"
    ) -> None:
        from transformers import AutoModel, AutoTokenizer

        self.tokenizer = load_pretrained(AutoTokenizer.from_pretrained, name_or_path, "an encoder")
        self.model = load_pretrained(AutoModel.from_pretrained, name_or_path, "an encoder")
        self.device = resolve_device(device)
        self.model.to(self.device).eval()
        self.max_length = max_length
        self.batch_size = batch_size
        # never past the positions the model learned (a short-position encoder would fail on long texts)
        limits = [getattr(self.model.config, "max_position_embeddings", None)]
        limits.append(getattr(self.tokenizer, "model_max_length", None))  # RoBERTa-style offsets: 512, not 514
        self.tokens = min([max_length, *(n for n in limits if isinstance(n, int) and 0 < n < 1_000_000)])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        uniq = list(dict.fromkeys(texts))  # pairs repeat texts (one body, many headlines)
        out = []
        with torch.inference_mode():
            for i in range(0, len(uniq), self.batch_size):
                batch = self.tokenizer(
                    uniq[i : i + self.batch_size],
                    padding=True,
                    truncation=True,
                    max_length=self.tokens,
                    return_tensors="pt",
                ).to(self.device)
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, dim=-1).float().cpu().numpy())
        vectors = np.vstack(out) if out else np.zeros((0, self.model.config.hidden_size), dtype=np.float32)
        row = {t: i for i, t in enumerate(uniq)}
        return vectors[[row[t] for t in texts]]

    def save(self, folder: Path) -> list[str]:
        return save_pretrained(self.model, self.tokenizer, folder, folder.parent)


class EncoderMixin:
    """An estimator that encodes its inputs with a sentence encoder named by `base_model`."""

    base_model: str
    max_length: int
    batch_size: int
    device: str
    encoder_: SentenceEncoder | None

    def _load_encoder(self, path: str | Path | None = None, device: str | None = None) -> SentenceEncoder:
        return SentenceEncoder(
            path or self.base_model,
            max_length=self.max_length,
            batch_size=self.batch_size,
            device=device or self.device,
        )

    def _fit_encoder(self) -> SentenceEncoder:
        if not self.base_model:
            raise ModelError("the embedding backend needs --base-model (an encoder folder or Hub id)")
        self.encoder_ = self._load_encoder()
        return self.encoder_

    def _encoder(self) -> SentenceEncoder:
        if getattr(self, "encoder_", None) is None:
            raise ModelError("the encoder is not loaded; fit the model, or load it with nlpkit.load_model")
        assert self.encoder_ is not None
        return self.encoder_

    def encoder_settings(self) -> dict[str, Any]:
        """How the saved encoder reads text (kept in the model description)."""
        return {"max_length": self.max_length, "batch_size": self.batch_size, "device": self.device}
