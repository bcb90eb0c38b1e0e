"""The `transformer` backend: fine-tune a Hugging Face encoder end to end.

`AutoModelForSequenceClassification` is trained on texts (topic) or on (target, text) pairs
(stance) with a plain PyTorch loop: AdamW with linear warm-up and decay, gradient
accumulation, optional class weights, mixed precision on a GPU, and early stopping on a
validation share carved out of the training data (so the caller's own dev split stays
unseen). Long texts are cut into overlapping windows of `max_length` tokens (`stride`
tokens shared by neighbours, at most `max_windows` per text); a text's window logits are
combined by `aggregate` (`mean` of logits by default, `max`, or `first` window only) in
training and prediction alike, and the strategy is saved with the model. Weights are saved
with `save_pretrained` (safetensors) in the model folder's `transformer/`, settings in `nlpkit.json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from nlpkit.classifiers.base import Estimator
from nlpkit.classifiers.encoded import AGGREGATES, WindowedTransformer
from nlpkit.errors import ModelError, UsageError
from nlpkit.neural import PRECISIONS, Schedule, fine_tune
from nlpkit.splits import Keep, holdout


class TransformerClassifier(WindowedTransformer, ClassifierMixin, BaseEstimator):
    """A fine-tuned Hugging Face sequence classifier over overlapping token windows.

    Args:
        base_model: Encoder folder or Hub id (any `AutoModelForSequenceClassification` base).
        max_length: Tokens per window, special tokens and (for pairs) the target included.
        stride: Tokens shared by neighbouring windows (default: an eighth of `max_length`).
        max_windows: Windows kept per text (from its start); the rest is not read.
        aggregate: How window logits become a text's logits: `mean`, `max` or `first`.
        learning_rate, epochs, batch_size, gradient_accumulation_steps, weight_decay,
        warmup_ratio: The optimiser schedule; `batch_size` counts texts, not windows.
        class_weight: `"balanced"` weighs the loss by inverse label frequency; None does not.
        early_stopping: Hold out `validation_fraction` of the training texts and keep the
            epoch with the lowest validation loss, stopping after `n_iter_no_change` epochs
            without improvement.
        precision: `auto` (bf16 or fp16 autocast on a GPU, fp32 on CPU), `fp32`, `fp16`, `bf16`.
        device: `auto`, `cpu` or `cuda`.
        verbose: 1 shows a progress bar and one line per epoch on stderr while fitting.
    """

    #: The task a model saved from this estimator has (`nlpkit.save_model`; the backend is `WindowedTransformer`'s).
    task = "topic"  # the fitted `task_` says "stance" when it was fitted on (target, text) pairs

    def __init__(
        self,
        *,
        base_model: str = "",
        max_length: int = 256,
        stride: int | None = None,
        max_windows: int = 4,
        aggregate: str = "mean",
        learning_rate: float = 5e-5,
        epochs: int = 3,
        batch_size: int = 16,
        gradient_accumulation_steps: int = 1,
        weight_decay: float = 0.01,
        warmup_ratio: float = 0.1,
        class_weight: str | None = None,
        early_stopping: bool = True,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 2,
        precision: str = "auto",
        device: str = "auto",
        random_state: int = 0,
        verbose: int = 0,
    ) -> None:
        self.base_model = base_model
        self.max_length = max_length
        self.stride = stride
        self.max_windows = max_windows
        self.aggregate = aggregate
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.weight_decay = weight_decay
        self.warmup_ratio = warmup_ratio
        self.class_weight = class_weight
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.precision = precision
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- parameters ----------------------------------------------------------------------

    def _check_params(self) -> None:
        if not self.base_model:
            raise ModelError("the transformer backend needs --base-model (a model folder or Hub id)")
        if self.aggregate not in AGGREGATES:
            raise UsageError(f"aggregate={self.aggregate!r}: use one of {', '.join(AGGREGATES)}")
        if self.precision not in PRECISIONS:
            raise UsageError(f"precision={self.precision!r}: use one of {', '.join(PRECISIONS)}")
        if self.max_length < 16 or not 0 <= self._stride() < self.max_length // 2:
            raise UsageError("max_length must be at least 16 and stride below max_length / 2")
        if self.max_windows < 1 or self.epochs < 1 or self.batch_size < 1 or self.gradient_accumulation_steps < 1:
            raise UsageError("max_windows, epochs, batch_size and gradient_accumulation_steps must be at least 1")

    # -- fit -----------------------------------------------------------------------------

    def fit(self, X: Sequence[Any], y: Sequence[str]) -> TransformerClassifier:
        import torch

        self._check_params()
        X = list(X)
        self.classes_ = np.unique(np.asarray(y, dtype=object))
        self.task_ = "stance" if X and isinstance(X[0], tuple | list) else "topic"
        if len(self.classes_) < 2:
            raise ModelError("the transformer backend needs at least two labels in the training data")
        index = {c: i for i, c in enumerate(self.classes_)}
        target = np.array([index[v] for v in y])
        torch.manual_seed(self.random_state)
        labels = [str(c) for c in self.classes_]
        self._load(
            self.base_model,
            self.device,
            num_labels=len(labels),
            id2label=dict(enumerate(labels)),
            label2id={lab: i for i, lab in enumerate(labels)},
            ignore_mismatched_sizes=True,
        )
        fit_idx, val_idx = self._validation_split(X, target)
        docs = self._windows(X)
        weight = None
        if self.class_weight == "balanced":
            counts = np.bincount(target[fit_idx], minlength=len(labels)).clip(min=1)
            weight = torch.tensor(len(fit_idx) / (len(labels) * counts), dtype=torch.float32, device=self.device_)
        elif self.class_weight is not None:
            raise UsageError(f"class_weight={self.class_weight!r}: use 'balanced' or leave it unset")
        loss_fn = torch.nn.CrossEntropyLoss(weight=weight)

        def batch_loss(idx: np.ndarray) -> Any:
            return loss_fn(self._logits([docs[i] for i in idx]), torch.as_tensor(target[idx], device=self.device_))

        def validate() -> dict[str, float]:
            logits = self._predict_logits([docs[i] for i in val_idx])
            gold = torch.as_tensor(target[val_idx], device=self.device_)
            return {
                "val_loss": float(loss_fn(logits, gold)),
                "val_accuracy": float((logits.argmax(1) == gold).float().mean()),
            }

        schedule = Schedule.of(self)
        self.history_, self.best_epoch_ = fine_tune(
            self.model_, fit_idx, batch_loss, schedule, validate=validate if len(val_idx) else None, amp=self.amp_dtype_
        )
        self.n_iter_ = len(self.history_)
        self.model_.eval()
        return self

    def _validation_split(self, X: list[Any], target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Indices to train on and to early-stop on; pairs sharing a target or a text stay on one side."""
        everything = np.arange(len(X))
        n_val = round(self.validation_fraction * len(X))
        if not self.early_stopping or n_val < 2 * len(self.classes_) or len(X) - n_val < len(self.classes_):
            return everything, everything[:0]
        labels = [str(t) for t in target.tolist()]
        pairs = isinstance(X[0], tuple | list)
        keep = Keep(targets=[str(t) for t, _ in X], texts=[str(b) for _, b in X]) if pairs else None
        fit, val = holdout(labels, self.validation_fraction, self.random_state, keep).first()
        return np.asarray(fit), np.asarray(val)

    # -- predict and save: `WindowedTransformer`'s methods, behind the fitted check ---------

    def _model(self) -> Any:
        check_is_fitted(self, "classes_")
        return super()._model()

    def predictor(self) -> TransformerClassifier:
        """What a model folder keeps: this estimator (its weights through `save_pretrained`)."""
        return self

    def settings(self) -> dict[str, Any]:
        return {k: v for k, v in self.get_params().items() if k != "verbose"}


def make_transformer(task: str, **params: Any) -> Estimator:
    if task == "stance":
        params.setdefault("class_weight", "balanced")
    return TransformerClassifier(**params)
