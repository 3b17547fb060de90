"""`make nlu-eval DATA=<file>`: the trained model scored on a TSV file, a JSON report as the last line."""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.chat import bot_processes

ROOT = bot_processes.BOT_DIR.parent


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    reason = bot_processes.bot_available()
    if reason:
        pytest.skip(reason)
    data = tmp_path_factory.mktemp("nlu") / "eval.tsv"
    data.write_text("# comment lines and blank lines are ignored\n\n"
                    "saluer\tbonjour\n"
                    "saluer\tslt\n"
                    "question_treve_hivernale\tc quand la treve hivernale\n"
                    "jugement_expulsion\tle juge a dit que je dois partir\n"
                    "remercier\tbonjour\n", encoding="utf-8")
    # Both streams in one pipe, as a terminal shows them: Rasa's warnings
    # must not spoil the report's line.
    done = subprocess.run(["make", "--no-print-directory", "nlu-eval", f"DATA={data}"], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_last_line_is_the_json_report(evaluation):
    assert evaluation["examples"] == 5
    for key in ("accuracy", "macro_f1", "per_intent", "confusions"):
        assert key in evaluation
    assert set(evaluation["per_intent"]["saluer"]) == {"precision", "recall", "f1", "support"}
    assert evaluation["per_intent"]["saluer"]["support"] == 2


def test_a_wrong_label_shows_as_a_confusion(evaluation):
    """"bonjour" labelled remercier: the model's saluer is counted as a miss and a confusion."""
    assert evaluation["per_intent"]["remercier"]["recall"] == 0.0
    assert ["remercier", "saluer", 1] in evaluation["confusions"]
    assert evaluation["accuracy"] < 1.0
