#!/usr/bin/env bash
# The bot's own checks, as its CI runs them: data validation, test stories
# with --fail-on-prediction-errors, action unit tests. Trains first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3

.venv/bin/rasa data validate --quiet
scripts/train.sh
.venv/bin/rasa test core --model models/rester-chez-soi.tar.gz \
  --stories tests/test_stories.yml --fail-on-prediction-errors --out /tmp/rcs-bot-core-results --quiet
.venv/bin/python -m pytest tests -q -p no:cacheprovider
