"""Start Rasa (`rasa run ...`, same arguments) with its action-answer check made cheap.

Rasa checks every answer of the action server with `jsonschema.validate(answer,
schema)`. That function validates the *schema itself* against the JSON Schema
meta-schema before it validates the answer, on every call: 3 ms each time with
jsonschema 3.2 (30 ms with 4.17), for a schema that never changes. Our
assistant calls the action server at least once per message (the slot-mapping
validation action), so this was the largest single cost of a message
(py-spy under 20 concurrent conversations: 18 % of Rasa's CPU; figures in
docs/performance.md).

Rasa Open Source 3.6.21 is the last open-source release, so the fix cannot go
upstream. Here each distinct schema is checked once, then answers are
validated exactly as before: same validator class, same errors (best_match),
raised the same way. Nothing else of Rasa is touched.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Dict

import jsonschema
from jsonschema.exceptions import best_match

_checked: Dict[str, Any] = {}


def validate(instance: Any, schema: Dict[str, Any], cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """jsonschema.validate, with the check of the schema itself done once per schema."""
    key = json.dumps(schema, sort_keys=True, default=repr)
    validator = _checked.get(key)
    if validator is None:
        if cls is None:
            cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validator = _checked[key] = cls(schema, *args, **kwargs)
    error = best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def install() -> None:
    # Rasa imports `validate` from jsonschema inside the function that checks
    # an action's answer, so replacing the module attribute is enough.
    jsonschema.validate = validate


if __name__ == "__main__":
    install()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    sys.exit(main())
