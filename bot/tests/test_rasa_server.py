"""The launcher's cheaper jsonschema.validate behaves exactly like jsonschema's own."""
import sys
from pathlib import Path

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import rasa_server  # noqa: E402

SPEC = RemoteAction.action_response_format_spec()
GOOD = {"events": [{"event": "slot", "name": "lang", "value": "en", "timestamp": None}],
        "responses": [{"text": "Hello"}]}
BAD = [
    {"events": [{"name": "lang"}], "responses": []},        # an event without its type
    {"events": "slot", "responses": []},                    # events is not a list
    {"events": [{"event": 3}], "responses": [{"text": 1}]},  # wrong types
]


def test_valid_answer_passes():
    rasa_server.validate(GOOD, SPEC)


@pytest.mark.parametrize("answer", BAD)
def test_invalid_answer_raises_the_same_error_as_jsonschema(answer):
    with pytest.raises(jsonschema.ValidationError) as original:
        jsonschema.validators.validate(answer, SPEC)
    with pytest.raises(jsonschema.ValidationError) as ours:
        rasa_server.validate(answer, SPEC)
    assert ours.value.message == original.value.message
    assert list(ours.value.absolute_path) == list(original.value.absolute_path)


def test_the_schema_itself_is_checked_once(monkeypatch):
    rasa_server._checked.clear()
    calls = []
    validator_class = jsonschema.validators.validator_for(SPEC)
    real_check = validator_class.check_schema
    monkeypatch.setattr(validator_class, "check_schema",
                        classmethod(lambda cls, schema: calls.append(1) or real_check(schema)))
    for _ in range(5):
        rasa_server.validate(GOOD, RemoteAction.action_response_format_spec())
    assert len(calls) == 1


def test_an_invalid_schema_is_still_refused():
    rasa_server._checked.clear()
    with pytest.raises(jsonschema.SchemaError):
        rasa_server.validate({}, {"type": "no-such-type"})


def test_rasa_uses_it_once_installed(monkeypatch):
    monkeypatch.setattr(jsonschema, "validate", jsonschema.validate)  # restored after the test
    rasa_server.install()
    assert jsonschema.validate is rasa_server.validate
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(GOOD) is True
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(BAD[0])
