#!/usr/bin/env bash
# Rebuild the bundled default models from the reference data in ../shared/data (or $NLPKIT_DATA).
# Usage: bash models/build.sh [topic|stance|one-sentence|all]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${NLPKIT_DATA:-../shared/data}"
what="${1:-all}"

if [[ "$what" == topic || "$what" == all ]]; then
  # Six news sources' training parts, their labels mapped to nlpkit's (models/topic-data/labels.csv).
  # Grouped by source: settings and calibration are chosen on sources held out whole, and the figures
  # in the card are leave-one-source-out (six folds, one per source), before a refit on all of them.
  mkdir -p build && union=build/topic-union.jsonl
  python models/topic-data/union.py "$union" --data "$DATA"
  # shellcheck disable=SC2046  # the recipe's --param options, word-split on purpose
  nlpkit train topic "$union" --out models/topic --group-field source --cv 6 --seed 0 --force \
    --label-definitions models/topic-data/definitions.csv --card-notes models/topic-data/card.md \
    $(python models/topic-data/union.py --recipe)
fi
if [[ "$what" == stance || "$what" == all ]]; then
  # FNC-1's training pairs, and claims made from news articles (their highlights, and the same claims
  # negated, with an opposite word, a wrong number or names swapped): models/stance-data. The dev split
  # keeps targets and articles apart (--split-by pair); the saved model is refit on all of it.
  mkdir -p build && union=build/stance-union.jsonl
  python models/stance-data/union.py "$union" --data "$DATA"
  nlpkit train stance "$union" --group-field group --split-by pair --dev-split 0.2 --seed 0 --force \
    --out models/stance --card-notes models/stance-data/card.md
fi
if [[ "$what" == one-sentence || "$what" == all ]]; then
  # CNN/DailyMail article and highlights pairs (models/one-sentence-data): the training part of the cased
  # pairs and the lower-cased ones, never the articles the benches score. The trees learn each sentence's
  # own overlap with the highlights; a one-sentence default brief adds their scores to auto's.
  mkdir -p build && union=build/one-sentence-union.jsonl
  python models/one-sentence-data/union.py "$union" --data "$DATA"
  # shellcheck disable=SC2046  # the recipe's --param options, word-split on purpose
  nlpkit train summarizer "$union" --out models/one-sentence --seed 0 --force \
    --card-notes models/one-sentence-data/card.md $(python models/one-sentence-data/union.py --recipe)
fi
