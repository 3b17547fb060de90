#!/usr/bin/env bash
# Train the assistant into bot/models/ only when its data, config or domain
# changed: training costs minutes on the shared machine, the hash costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL_NAME="rester-chez-soi"
MODEL="models/${MODEL_NAME}.tar.gz"
STAMP="models/.${MODEL_NAME}.sha256"

# The commune lookup follows the site's commune data when it is there.
if [[ -f ../content/communes/communes-90.json ]]; then
  .venv/bin/python scripts/build_commune_lookup.py
fi

# The Rasa version is part of the stamp: a new Rasa cannot load an old model.
current_hash=$(
  { find data -type f -name '*.yml' | LC_ALL=C sort | xargs cat; cat config.yml domain.yml requirements.txt; } \
    | sha256sum | cut -d' ' -f1
)

if [[ -f "$MODEL" && -f "$STAMP" && "$(cat "$STAMP")" == "$current_hash" && "${FORCE:-0}" != "1" ]]; then
  echo "model up to date: $MODEL"
  exit 0
fi

mkdir -p models
start=$(date +%s)
.venv/bin/rasa train --config config.yml --domain domain.yml --data data \
  --out models --fixed-model-name "$MODEL_NAME" --quiet
echo "$current_hash" > "$STAMP"
echo "trained $MODEL in $(( $(date +%s) - start )) s"
