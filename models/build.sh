#!/usr/bin/env bash
# Rebuild the bundled default models from the reference data in ../shared/data (or $NLPKIT_DATA).
# Usage: bash models/build.sh [topic|stance|all]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${NLPKIT_DATA:-../shared/data}"
what="${1:-all}"

if [[ "$what" == topic || "$what" == all ]]; then
  # BBC News (Greene & Cunningham 2006): duplicates are dropped by nlpkit train; headline (title) + body (text).
  nlpkit train topic "$DATA/bbc/bbc.jsonl" --out models/topic --dev-split 0.2 --seed 0 --force
fi
if [[ "$what" == stance || "$what" == all ]]; then
  # FNC-1 training part: headline/body pairs; the dev split keeps headlines and bodies apart.
  nlpkit train stance "$DATA/fnc1/train_stances.csv" --bodies "$DATA/fnc1/train_bodies.csv" \
    --body-id-field "Body ID" --text-field articleBody --target-field Headline --label-field Stance \
    --out models/stance --dev-split 0.2 --seed 0 --force
fi
