"""Held-out splits and cross-validation folds that never let one example leak across.

Topic data is split stratified by label (or by a group column). Stance pairs are split so
that no target (headline, claim) and no text (article body) is on both sides — the way a
model meets news it has not seen:

- targets and texts are nodes of a graph, every pair an edge, and whole connected components
  go to one fold;
- when one component covers most pairs because the most frequent label pairs everything with
  everything (FNC-1's "unrelated" pairs are random headline/body pairings), components are
  formed from the other pairs, and a pair of the frequent label is kept only when both its
  ends fall in the same fold (the others are left out of that split, and counted);
- when a handful of targets covers most pairs even so (tweets about three politicians),
  holding out targets would hold out a third of the task, so pairs are grouped by text only.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

#: A component holding more than this share of the pairs is "most pairs".
MAX_COMPONENT_SHARE = 0.25
#: Targets are a closed set when there are at most this many, each with this many examples (median).
MAX_TARGETS, PER_TARGET = 50, 30
#: How stance pairs may be split (`auto`: closed targets by text, open ones by pair).
SPLIT_MODES = ("auto", "target", "text", "pair")


def target_kind(targets: Sequence[str]) -> str:
    """`closed` when a few targets each have many examples (known at prediction), else `open`.

    Example:
        >>> target_kind(["Trump", "Biden"] * 40), target_kind([f"headline {i}" for i in range(80)])
        ('closed', 'open')
    """
    counts = Counter(targets)
    few = 1 <= len(counts) <= MAX_TARGETS
    return "closed" if few and float(np.median(list(counts.values()))) >= PER_TARGET else "open"


Folds = list[tuple[list[int], list[int]]]


@dataclass(frozen=True)
class Split:
    """Cross-validation folds (train, held-out indices) and how they were made."""

    folds: Folds
    how: str
    left_out: int = 0  # pairs in no fold of the split (their ends fall in two folds)

    def first(self) -> tuple[list[int], list[int]]:
        return self.folds[0]


@dataclass(frozen=True)
class Keep:
    """What a split keeps apart: a group per example (topic: a source, a story), or stance pairs' targets and
    texts (`groups`, e.g. a body id, then stands for the text's identity), split `by` one of `SPLIT_MODES`."""

    groups: Sequence[str] | None = None
    targets: Sequence[str] | None = None
    texts: Sequence[str] | None = None
    by: str = "auto"


def split_folds(labels: Sequence[str], k: int, seed: int, keep: Keep | None = None) -> Split:
    """`k` folds for topic data or stance pairs, with nothing `keep` names on both sides of any fold.

    Example:
        >>> s = split_folds(["a", "b"] * 6, 3, 0)
        >>> len(s.folds), sorted(len(dv) for _, dv in s.folds), s.how
        (3, [4, 4, 4], 'stratified by label')
    """
    keep = keep or Keep()
    groups, targets = keep.groups, keep.targets
    if targets is not None:
        sides = list(groups) if groups is not None else list(keep.texts or [])
        mode = keep.by if keep.by != "auto" else ("text" if target_kind(targets) == "closed" else "pair")
        if mode == "text":
            return _within_targets(labels, list(targets), sides, k, seed)
        if mode == "target":
            split = _plain_folds(labels, list(targets), k, seed)
            return Split(folds=split.folds, how="by target (whole targets held out)")
        return _pair_folds(labels, list(targets), sides, k, seed)
    return _plain_folds(labels, groups, k, seed)


def _within_targets(labels: Sequence[str], targets: list[str], texts: list[str], k: int, seed: int) -> Split:
    """Folds by text, stratified by target and label: every target on both sides, no text on both."""
    strata = [f"{t}\x00{y}" for t, y in zip(targets, labels, strict=True)]
    split = _plain_folds(strata, texts, k, seed)
    return Split(folds=split.folds, how="by text within targets (a closed set of targets: every target on both sides)")


def holdout(labels: Sequence[str], share: float, seed: int, keep: Keep | None = None) -> Split:
    """One (train, held-out) split with about `share` held out; the same rules as `split_folds`.

    Example:
        >>> tr, dv = holdout(["a", "b"] * 10, 0.2, 0).first()
        >>> len(tr), len(dv), sorted(set(dv) & set(tr))
        (16, 4, [])
    """
    k = max(2, round(1 / share))
    split = split_folds(labels, k, seed, keep)
    return Split(folds=split.folds[:1], how=split.how, left_out=_left_out(split.folds[0], len(labels)))


def _left_out(fold: tuple[list[int], list[int]], n: int) -> int:
    return n - len(fold[0]) - len(fold[1])


def _plain_folds(labels: Sequence[str], groups: Sequence[str] | None, k: int, seed: int) -> Split:
    from sklearn.model_selection import GroupKFold, KFold, LeaveOneGroupOut, StratifiedGroupKFold, StratifiedKFold

    idx = np.arange(len(labels))
    rare = min(Counter(labels).values()) < k
    if groups is not None:
        if len(set(groups)) < k:
            raise ValueError(f"{len(set(groups))} groups cannot make {k} folds")
        if len(set(groups)) == k:  # as many folds as groups: each group (a source, say) held out in turn
            folds, how = LeaveOneGroupOut().split(idx, labels, groups), "one group held out per fold"
        else:
            splitter = (
                GroupKFold(n_splits=k) if rare else StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
            )
            folds, how = splitter.split(idx, labels, groups), "grouped"
    elif rare:
        folds, how = (
            KFold(n_splits=k, shuffle=True, random_state=seed).split(idx),
            "random (a label is too rare to stratify)",
        )
    else:
        folds, how = (
            StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(idx, labels),
            "stratified by label",
        )
    return Split(folds=[(sorted(a.tolist()), sorted(b.tolist())) for a, b in folds], how=how)


class _Components:
    """Union-find over string nodes."""

    def __init__(self, edges: Iterable[tuple[str, str]]) -> None:
        self.parent: dict[str, str] = {}
        for a, b in edges:
            ra, rb = self.find(a), self.find(b)
            if ra != rb:
                self.parent[ra] = rb

    def find(self, x: str) -> str:
        root = x
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root


def _pair_folds(labels: Sequence[str], targets: list[str], texts: list[str], k: int, seed: int) -> Split:
    n = len(labels)
    t_nodes = ["t\x00" + t for t in targets]
    b_nodes = ["b\x00" + b for b in texts]
    comps = _Components(zip(t_nodes, b_nodes, strict=True))
    sizes = Counter(comps.find(b) for b in b_nodes)
    how = "by headline and body (no target and no text on both sides)"
    if max(sizes.values()) > MAX_COMPONENT_SHARE * n and n >= 8:
        frequent = Counter(labels).most_common(1)[0][0]
        kept = [i for i in range(n) if labels[i] != frequent]
        comps = _Components((t_nodes[i], b_nodes[i]) for i in kept)
        sizes = Counter(comps.find(b_nodes[i]) for i in kept)
        how = (
            f"by headline and body (no target and no text on both sides; {frequent!r} pairs, which link "
            f"everything, follow the other pairs and are left out when their ends fall on two sides)"
        )
        if not sizes or max(sizes.values()) > MAX_COMPONENT_SHARE * len(kept) or len(sizes) < k:
            text_split = _plain_folds(labels, texts, k, seed)
            return Split(folds=text_split.folds, how="by text (a few targets cover most pairs, so targets are shared)")
    rng = random.Random(seed)
    load = [0] * k
    fold_of: dict[str, int] = {}
    for root in sorted(sizes, key=lambda r: (-sizes[r], rng.random())):  # largest first, to the lightest fold
        f = min(range(k), key=lambda j: (load[j], j))
        fold_of[root] = f
        load[f] += sizes[root]

    def fold(node: str) -> int:
        root = comps.find(node)
        if root not in fold_of:  # a node seen only in pairs of the frequent label
            fold_of[root] = rng.randrange(k)
        return fold_of[root]

    ft = np.array([fold(t) for t in t_nodes])
    fb = np.array([fold(b) for b in b_nodes])
    folds = []
    for f in range(k):
        held = np.flatnonzero((ft == f) & (fb == f)).tolist()
        train = np.flatnonzero((ft != f) & (fb != f)).tolist()
        folds.append((train, held))
    return Split(folds=folds, how=how, left_out=n - sum(len(h) for _, h in folds))
