#!/usr/bin/env bash
# The whole suite: the webapp's tests (unit, API, browser, chat integration with
# the real Rasa server), then the bot's own checks in its environment.
# Exits non-zero if any part fails; every part runs even when an earlier one failed.
set -u
cd "$(dirname "$0")/.."
status=0

echo "== webapp suite (pytest) =="
.venv/bin/python -m pytest ${PYTEST_ARGS:-} || status=1

if [ -d bot/tests ]; then
  echo "== bot: rasa data validate =="
  (cd bot && .venv/bin/rasa data validate --fail-on-warnings --quiet) || status=1
  if ls bot/tests/test_*.yml >/dev/null 2>&1; then
    echo "== bot: test stories =="
    (cd bot && .venv/bin/rasa test core --stories tests --model models --fail-on-prediction-errors \
       --out results --quiet) || status=1
  fi
  if ls bot/tests/test_*.py >/dev/null 2>&1; then
    echo "== bot: action unit tests (pytest in the bot environment) =="
    (cd bot && .venv/bin/python -m pytest -q tests) || status=1
  fi
fi
exit $status
