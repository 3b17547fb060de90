"""The launcher's changes to Rasa's graph runner and intent classifier give the same
answers as Rasa itself, on the trained model: same intents and confidences to the
last bit, same entities, same next actions."""
import asyncio
import sys
from pathlib import Path

import numpy
import pytest

BOT = Path(__file__).resolve().parent.parent
MODEL = BOT / "models" / "rester-chez-soi.tar.gz"
sys.path.insert(0, str(BOT / "scripts"))
import rasa_server  # noqa: E402

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="no trained model (bot/scripts/train.sh)")


def _texts() -> list:
    texts = []
    for name in ("heldout_fr.tsv", "heldout_en.tsv"):
        for line in (BOT / "tests" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                texts.append(line.split("\t", 1)[1])
    return texts


STORIES = [
    ["bonjour", "je suis locataire", "j'ai recu un commandement de payer", "belfort"],
    ["hello", "my landlord changed the locks while I was out"],
    ["jai recu un papier de lhuissier je dois 2000e", "c'est quand la treve hivernale", "merci"],
    ["blablabla xyz", "qsdfghjk", "je veux parler a quelqu un"],
]


def _answers(agent) -> dict:
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    async def collect():
        parsed = [await agent.parse_message(text) for text in _texts()]
        predicted = []
        for number, story in enumerate(STORIES):
            events = [ActionExecuted("action_listen")]
            for text in story:
                events.append(UserUttered(text, (await agent.parse_message(text))["intent"]))
                tracker = DialogueStateTracker.from_events(f"story-{number}", events,
                                                           slots=agent.domain.slots)
                prediction = agent.processor._predict_next_with_tracker(tracker)
                predicted.append((prediction.max_confidence_index, prediction.policy_name,
                                  list(prediction.probabilities)))
                events.append(ActionExecuted("action_listen"))
        return parsed, predicted

    return asyncio.run(collect())


def _load():
    from rasa.core.agent import Agent

    return Agent.load(str(MODEL))


@pytest.fixture(scope="module")
def rasa_answers():
    return _answers(_load())


@pytest.fixture(scope="module")
def launcher_answers():
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    saved = (DaskGraphRunner.run, LogisticRegressionClassifier._create_X,
             LogisticRegressionClassifier.__dict__["load"])
    rasa_server.lean_intent_features()
    rasa_server.run_graph_in_order()
    try:
        agent = _load()
        yield _answers(agent), agent
    finally:
        (DaskGraphRunner.run, LogisticRegressionClassifier._create_X,
         LogisticRegressionClassifier.load) = saved


def test_same_intents_confidences_and_entities(rasa_answers, launcher_answers):
    parsed, _ = rasa_answers
    parsed_here = launcher_answers[0][0]
    assert len(parsed) > 140
    for theirs, ours in zip(parsed, parsed_here):
        assert ours["intent"] == theirs["intent"], theirs["text"]
        assert ours["intent_ranking"] == theirs["intent_ranking"], theirs["text"]
        assert ours["entities"] == theirs["entities"], theirs["text"]


def test_same_next_actions(rasa_answers, launcher_answers):
    _, predicted = rasa_answers
    assert len(predicted) == sum(map(len, STORIES))
    assert launcher_answers[0][1] == predicted


def test_the_classifier_is_the_one_changed(launcher_answers):
    """The patched parts ran: the coefficients are in Fortran order in the loaded model."""
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    agent = launcher_answers[1]
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    classifiers = [node._component for node in nodes
                   if isinstance(getattr(node, "_component", None), LogisticRegressionClassifier)]
    assert classifiers and all(numpy.isfortran(c.clf.coef_) for c in classifiers)
    assert agent.processor.graph_runner.__dict__.get("_plans_in_order")
