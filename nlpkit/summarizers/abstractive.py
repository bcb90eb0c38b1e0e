"""Abstractive briefs from any Hugging Face seq2seq model (BART, T5, PEGASUS, ...), with a guard.

An article longer than the model's input is split on sentence boundaries into chunks that
fit; each chunk is summarized, and the chunk summaries are merged: near-repeats dropped,
then sentences taken in turn from each chunk (first sentences first) until the length is
met, shown in article order. Every generated sentence goes through the faithfulness guard
(`nlpkit.summarizers.faithfulness`); `strict=True` drops the sentences it flags.

`nlpkit train summarizer --backend seq2seq` fine-tunes such a model (`fine_tune_seq2seq`) and
saves it as an nlpkit model folder (`seq2seq/` in safetensors, checksummed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlpkit.errors import ModelError, UsageError
from nlpkit.neural import (
    Schedule,
    amp_dtype,
    autocast,
    fine_tune,
    load_pretrained,
    quiet_transformers,
    resolve_device,
    save_pretrained,
)
from nlpkit.persistence import ModelMeta, model_ident, open_model_folder, peek_meta
from nlpkit.summarizers.faithfulness import unsupported_spans
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.segment import segment
from nlpkit.text.tokens import word_count
from nlpkit.types import Document, ScoredSentence, Summary

WEIGHTS_DIR = "seq2seq"
#: Input limit when neither the tokenizer nor the config gives one (T5's relative positions).
DEFAULT_INPUT_TOKENS = 512


class AbstractiveSummarizer:
    """Generate a brief with a seq2seq model from a folder, an nlpkit seq2seq model or a Hub id.

    Args:
        model: Model folder, nlpkit model folder (from `nlpkit train summarizer --backend
            seq2seq`), or Hub id (needs a network).
        num_beams, min_tokens, max_tokens, no_repeat_ngram_size, length_penalty: Generation
            options, per chunk.
        max_input_tokens: Cap on a chunk's tokens (default: the model's own limit).
        max_chunks: Chunks summarized per article (from its start); the rest is not read.
        prefix: Text put before each chunk (default: the model's summarization prefix, e.g.
            "summarize: " for T5).
        strict: Drop generated sentences whose numbers, quotes or names the article lacks.
        device: `auto`, `cpu` or `cuda`.
    """

    name = "abstractive"

    def __init__(
        self,
        model: str | Path = "",
        *,
        num_beams: int = 4,
        min_tokens: int = 10,
        max_tokens: int = 128,
        no_repeat_ngram_size: int = 3,
        length_penalty: float = 1.0,
        max_input_tokens: int | None = None,
        max_chunks: int = 8,
        prefix: str | None = None,
        strict: bool = False,
        device: str = "auto",
        batch_size: int = 4,
    ) -> None:
        if not str(model):
            raise UsageError("the abstractive method needs a model: --model FOLDER (a seq2seq model) or a Hub id")
        self.model = str(model)
        self.num_beams = num_beams
        self.min_tokens = min_tokens
        self.max_tokens = max_tokens
        self.no_repeat_ngram_size = no_repeat_ngram_size
        self.length_penalty = length_penalty
        self.max_input_tokens = max_input_tokens
        self.max_chunks = max_chunks
        self.prefix = prefix
        self.strict = strict
        self.device = device
        self.batch_size = batch_size
        self.meta = ModelMeta(task="summarizer", backend="seq2seq", name="abstractive")
        self.path = ""
        self._net: Any = None

    def set_params(self, **params: Any) -> AbstractiveSummarizer:
        for key, value in params.items():
            if key.startswith("_") or key in ("meta", "path", "name") or not hasattr(self, key):
                raise UsageError(f"the abstractive summarizer has no option {key!r}")
            setattr(self, key, value)
        return self

    # -- loading -------------------------------------------------------------------------

    @classmethod
    def from_folder(cls, folder: Path, meta: ModelMeta, *, device: str | None = None) -> AbstractiveSummarizer:
        """A saved seq2seq summarizer (folder already checked by `load_model`), with its generation options."""
        if meta.task != "summarizer" or meta.backend != "seq2seq":
            raise ModelError(f"{folder}: not a seq2seq summarizer ({meta.task}, {meta.backend})")
        try:
            summarizer = cls(folder / WEIGHTS_DIR, **{**meta.generation, "device": device or "auto"})
        except TypeError as e:
            raise ModelError(f"{folder}: unknown generation settings in the model description ({e})") from e
        summarizer.meta, summarizer.path = meta, str(folder)
        summarizer.name = meta.name  # briefs say which trained model wrote them
        return summarizer

    def _weights(self) -> Path | str:
        """The transformers folder to load: an nlpkit model folder's (checked), or the path/Hub id itself."""
        meta = peek_meta(self.model)
        if meta is None:
            return self.model
        if meta.get("task") != "summarizer" or meta.get("backend") != "seq2seq":
            raise ModelError(f"{self.model}: not a seq2seq summarizer ({meta.get('task')}, {meta.get('backend')})")
        folder, _ = open_model_folder(self.model)  # checksums verified, then its `seq2seq/` folder
        return folder / WEIGHTS_DIR

    def load(self) -> AbstractiveSummarizer:
        """Load the model now (otherwise: on first use), so a bad model is one error up front."""
        self._load()
        return self

    def _load(self) -> Any:
        if self._net is not None:
            return self._net
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        path = self._weights()
        self.tokenizer_ = load_pretrained(AutoTokenizer.from_pretrained, path, "a tokenizer")
        self._net = load_pretrained(AutoModelForSeq2SeqLM.from_pretrained, path, "a seq2seq model")
        self.device_ = resolve_device(self.device)
        self._net.to(self.device_).eval()
        self.amp_ = amp_dtype("auto", self.device_)
        config = self._net.config
        limits = [self.max_input_tokens, getattr(config, "max_position_embeddings", None)]
        model_max = getattr(self.tokenizer_, "model_max_length", None)
        limits.append(model_max if model_max and model_max < 1_000_000 else None)
        known = [n for n in limits if n]
        self.input_tokens_ = min(known) if known else DEFAULT_INPUT_TOKENS
        # A decoder with learned positions cannot write past them (the start token takes one).
        self.positions_ = getattr(config, "max_position_embeddings", None)
        if self.prefix is None:
            task = (getattr(config, "task_specific_params", None) or {}).get("summarization", {})
            self.prefix_ = task.get("prefix") or ("summarize: " if config.model_type == "t5" else "")
        else:
            self.prefix_ = self.prefix
        return self._net

    # -- chunks and generation -----------------------------------------------------------

    def chunks(self, doc: Document) -> list[str]:
        """The article as texts that each fit the model's input, cut between sentences."""
        self._load()
        tok = self.tokenizer_
        budget = self.input_tokens_ - len(tok(self.prefix_, add_special_tokens=False)["input_ids"]) - 2
        texts = [s.text for s in doc.sentences]
        if doc.title:
            texts = [doc.title, *texts]
        with quiet_transformers():  # lengths only: "longer than the maximum" is the point here
            sizes = [len(ids) for ids in tok(texts, add_special_tokens=False)["input_ids"]] if texts else []
        out: list[list[str]] = [[]]
        used = 0
        for text, size in zip(texts, sizes, strict=True):
            if out[-1] and used + size > budget:
                if len(out) == self.max_chunks:
                    break
                out.append([])
                used = 0
            out[-1].append(text)
            used += size  # a sentence longer than the budget is cut by the tokenizer
        return [" ".join(c) for c in out if c]

    def generate(self, texts: Sequence[str]) -> list[str]:
        """One generated summary per input text."""
        import torch

        net = self._load()
        most = min(self.max_tokens, self.positions_ - 2) if self.positions_ else self.max_tokens
        outputs: list[str] = []
        with torch.inference_mode(), autocast(self.device_, self.amp_), quiet_transformers():
            for i in range(0, len(texts), self.batch_size):
                batch = self.tokenizer_(
                    [self.prefix_ + t for t in texts[i : i + self.batch_size]],
                    truncation=True,
                    max_length=self.input_tokens_,
                    padding=True,
                    return_tensors="pt",
                ).to(self.device_)
                ids = net.generate(
                    **batch,
                    num_beams=self.num_beams,
                    min_new_tokens=min(self.min_tokens, most),
                    max_new_tokens=most,
                    no_repeat_ngram_size=self.no_repeat_ngram_size,
                    length_penalty=self.length_penalty,
                    early_stopping=self.num_beams > 1,
                    do_sample=False,
                )
                outputs += self.tokenizer_.batch_decode(
                    ids, skip_special_tokens=True, clean_up_tokenization_spaces=True
                )
        return [" ".join(o.split()) for o in outputs]

    # -- the summary ---------------------------------------------------------------------

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        if not doc.sentences:
            return Summary(sentences=(), method=self.name, length=str(length), abstractive=True)
        per_chunk = [[s.text for s in segment(g).sentences] for g in self.generate(self.chunks(doc))]
        picked = _merge(per_chunk, length, len(doc.sentences))
        source = f"{doc.title}\n{doc.text}" if doc.title else doc.text
        spans = unsupported_spans(picked, source)
        dropped = 0
        if self.strict and spans:
            bad = {s.sentence for s in spans}
            dropped = len(bad)
            picked = [s for i, s in enumerate(picked) if i not in bad]
            spans = []
        sentences = []
        for i, text in enumerate(picked):
            start = doc.text.find(text)
            end = start + len(text) if start >= 0 else -1
            sentences.append(ScoredSentence(text=text, start=start, end=end, index=i, score=0.0))
        return Summary(
            sentences=tuple(sentences),
            method=self.name,
            length=str(length),
            abstractive=True,
            unsupported=tuple(spans),
            dropped=dropped,
        )

    # -- saving (see nlpkit.persistence.save_model; the weights are safetensors) ---------------

    def generation_options(self) -> dict[str, Any]:
        keys = ("num_beams", "min_tokens", "max_tokens", "no_repeat_ngram_size", "length_penalty", "max_input_tokens")
        return {k: getattr(self, k) for k in keys} | {"max_chunks": self.max_chunks, "prefix": self.prefix}

    @property
    def task(self) -> str:
        return "summarizer"

    @property
    def ident(self) -> str:
        return model_ident(self.meta)

    def save_files(self, folder: Path) -> list[str]:
        return save_pretrained(self._load(), self.tokenizer_, folder / WEIGHTS_DIR, folder)

    def __repr__(self) -> str:
        return f"AbstractiveSummarizer(model={self.model!r}, num_beams={self.num_beams}, strict={self.strict})"


def _merge(per_chunk: list[list[str]], length: LengthSpec, n_article: int) -> list[str]:
    """Chunk summaries into one: near-repeats dropped, then round-robin over chunks up to the length."""
    seen: list[set[str]] = []
    ranked: list[tuple[int, int, str]] = []  # (rank in chunk, chunk, sentence)
    for c, sentences in enumerate(per_chunk):
        for r, sent in enumerate(sentences):
            words = set(sent.lower().split())
            if not words or any(len(words & s) / len(words | s) >= 0.6 for s in seen):
                continue
            seen.append(words)
            ranked.append((r, c, sent))
    ranked.sort(key=lambda x: (x[0], x[1]))
    if length.words is not None:
        chosen: list[tuple[int, int, str]] = []
        used = 0
        for item in ranked:
            w = word_count(item[2])
            if chosen and used + w > length.words:
                break
            chosen.append(item)
            used += w
    else:
        k = length.sentence_count(n_article) if length.ratio is not None else (length.sentences or len(ranked))
        chosen = ranked[: max(1, k)]
    return [s for _, _, s in sorted(chosen, key=lambda x: (x[1], x[0]))]


def fine_tune_seq2seq(
    base_model: str | Path,
    docs: Sequence[Document],
    summaries: Sequence[str],
    *,
    max_source_tokens: int = 512,
    max_target_tokens: int = 128,
    validation_fraction: float = 0.1,
    precision: str = "auto",
    device: str = "auto",
    **params: Any,
) -> tuple[AbstractiveSummarizer, list[dict[str, float]], int]:
    """Fine-tune a seq2seq model on (article, reference) pairs; return the summarizer, history, epoch kept.

    The source of each pair is the article's first chunk, exactly as `summarize` feeds it;
    `validation_fraction` of the pairs is held out for early stopping on the loss. `params`
    are the loop's `Schedule` fields (`learning_rate`, `epochs`, `batch_size` (4), ...) and
    `AbstractiveSummarizer`'s generation options, saved with the model.
    """
    from dataclasses import fields

    import numpy as np
    import torch

    if not base_model:
        raise ModelError("the seq2seq backend needs --base-model (a seq2seq model folder or Hub id)")
    schedule = Schedule.of({"batch_size": 4, **params})
    generation = {k: v for k, v in params.items() if k not in {f.name for f in fields(Schedule)}}
    torch.manual_seed(schedule.random_state)
    try:
        summarizer = AbstractiveSummarizer(base_model, device=device, max_input_tokens=max_source_tokens, **generation)
    except TypeError as e:
        raise UsageError(f"seq2seq training: unknown parameter ({e})") from e
    net = summarizer._load()
    tok = summarizer.tokenizer_
    amp = amp_dtype(precision, summarizer.device_)
    sources = [summarizer.prefix_ + (summarizer.chunks(d) or [""])[0] for d in docs]
    enc = tok(sources, truncation=True, max_length=summarizer.input_tokens_)
    if summarizer.positions_:  # a decoder with learned positions cannot read longer targets
        max_target_tokens = min(max_target_tokens, summarizer.positions_ - 2)
    labels = tok(text_target=list(summaries), truncation=True, max_length=max_target_tokens)["input_ids"]
    order = np.random.default_rng(schedule.random_state).permutation(len(docs))
    n_val = round(validation_fraction * len(docs)) if len(docs) >= 10 else 0
    val_idx, fit_idx = np.sort(order[:n_val]), np.sort(order[n_val:])

    def batch(idx: np.ndarray) -> dict[str, Any]:
        feats = tok.pad([{k: enc[k][i] for k in ("input_ids", "attention_mask")} for i in idx], return_tensors="pt")
        width = max(len(labels[i]) for i in idx)
        lab = torch.full((len(idx), width), -100, dtype=torch.long)
        for row, i in enumerate(idx):
            lab[row, : len(labels[i])] = torch.tensor(labels[i])
        return {**feats, "labels": lab}

    def batch_loss(idx: np.ndarray) -> Any:
        with autocast(summarizer.device_, amp):
            return net(**{k: v.to(summarizer.device_) for k, v in batch(idx).items()}).loss

    def validate() -> dict[str, float]:
        total = 0.0
        with torch.inference_mode():
            for i in range(0, len(val_idx), schedule.batch_size):
                idx = val_idx[i : i + schedule.batch_size]
                total += float(batch_loss(idx)) * len(idx)
        return {"val_loss": total / len(val_idx)}

    history, best = fine_tune(net, fit_idx, batch_loss, schedule, validate=validate if n_val else None, amp=amp)
    return summarizer, history, best


def load_seq2seq(folder: Path, meta: ModelMeta, device: str | None = None) -> AbstractiveSummarizer:
    """A seq2seq summarizer's folder (already checked against its checksums)."""
    return AbstractiveSummarizer.from_folder(folder, meta, device=device)
