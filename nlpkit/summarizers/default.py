"""The default brief (`auto`): `AutoSummarizer`'s lead-aware centrality; a one-sentence brief also hears
the bundled one-sentence scorer.

The scorer (`models/one-sentence`, built by `bash models/build.sh one-sentence`) is boosted trees trained
on CNN/DailyMail pairs to find the sentence whose own overlap with the highlights is highest
(`nlpkit.summarizers.supervised`, target `overlap`). A one-sentence brief takes the sentence best by
`auto`'s one-sentence score plus `one_sentence_blend` times the trees' (scaled to the article's range):
the weight `bench/one_sentence_scorer.py` chose, the largest gain in cross-validation among the weights
that lose to `auto` alone on none of the benches' sets. The trees learnt English news, so an article in
another language gets `auto`'s pick. The trees, and the module that reads them, are loaded on the first
one-sentence brief, so briefs of other lengths (and start-up) never pay for them.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np

from nlpkit import config
from nlpkit.persistence import META_FILE, open_model_folder
from nlpkit.summarizers.extractive import AutoSummarizer
from nlpkit.summarizers.length import LengthSpec
from nlpkit.summarizers.standalone import join_quotes
from nlpkit.summarizers.vectors import first_sentences
from nlpkit.text.language import english_share
from nlpkit.types import Document, Summary

if TYPE_CHECKING:  # imported on the first one-sentence brief: about 4 ms of imports (python -X importtime) off start-up
    from nlpkit.summarizers.supervised import SentenceScorer

#: The bundled model a one-sentence default brief hears.
ONE_SENTENCE_MODEL = "one-sentence"
#: Fewest English function words (`english_share`, over an article's first `ENGLISH_SAMPLE` characters) in an
#: article the bundled trees read: the least of any article of `bbc`, `cnndm_writer`, `cnndm_train/pairs.jsonl` and
#: 5,000 of `pairs_more.jsonl` was 0.16 (over 2,000 characters too); a French, German, Spanish and Portuguese news
#: sentence scored 0 to 0.06, Chinese and Japanese 0.
ENGLISH_SHARE = 0.12
#: Characters `english_share` reads: 44 us an article, against 85 us for the 2,000 language detection reads (a
#: one-sentence brief takes about 2.6 ms).
ENGLISH_SAMPLE = 1000
#: The trees' weight beside `auto`'s one-sentence score (`bench/one_sentence_scorer.py`).
ONE_SENTENCE_BLEND = 1.0


@functools.cache
def one_sentence_scorer() -> SentenceScorer | None:
    """The bundled one-sentence scorer, checked and loaded once per process (None where a source tree lacks it)."""
    from nlpkit.summarizers.supervised import load_supervised

    folder = config.bundled_models_dir() / ONE_SENTENCE_MODEL
    if not (folder / META_FILE).is_file():
        return None
    folder, meta = open_model_folder(folder)
    return load_supervised(folder, meta).scorer


class DefaultSummarizer:
    """`auto`: lead-aware centrality (`AutoSummarizer`), and for one sentence the bundled scorer beside it.

    Options (`position_weight`, ...) set `AutoSummarizer`'s weights. `scorer` and `one_sentence_blend`
    replace the bundled scorer and its weight (the bench that chooses them passes its own); a weight of 0,
    or `AutoSummarizer` options with no scorer given, leave one-sentence briefs to `auto` alone.
    """

    name = "auto"

    def __init__(
        self,
        *,
        scorer: SentenceScorer | None = None,
        one_sentence_blend: float | None = None,
        **options: Any,
    ) -> None:
        self.auto = AutoSummarizer(**options)
        self.scorer = scorer
        self.bundled = scorer is None and not options
        self.one_sentence_blend = ONE_SENTENCE_BLEND if one_sentence_blend is None else one_sentence_blend

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        if length.sentences != 1 or length.words is not None or not self.one_sentence_blend:
            return self.auto.summarize(doc, length)
        scorer = one_sentence_scorer() if self.bundled else self.scorer
        if scorer is None or (self.bundled and english_share(doc.text, sample=ENGLISH_SAMPLE) < ENGLISH_SHARE):
            return self.auto.summarize(doc, length)
        from nlpkit.summarizers.supervised import FEATURES

        doc = join_quotes(first_sentences(doc))
        feats, v = scorer.features(doc)
        if len(feats) == 0:
            return self.auto.summarize(doc, length)
        central = feats[:, FEATURES.index("centrality")]
        score, _ = self.auto.scores(doc, one_sentence=True, vectors=v, centrality=central)
        trees = scorer.score(feats)
        span = float(trees.max() - trees.min())
        scaled = (trees - trees.min()) / span if span > 0 else np.zeros(len(trees))
        return self.auto.select(doc, score + self.one_sentence_blend * float(score.max()) * scaled, v, length)
