"""Start Rasa (`rasa run ...`, same arguments) with three per-message costs made cheap.

Rasa checks every answer of the action server with `jsonschema.validate(answer,
schema)`. That function validates the *schema itself* against the JSON Schema
meta-schema before it validates the answer, on every call: 3 ms each time with
jsonschema 3.2 (30 ms with 4.17), for a schema that never changes. Our
assistant calls the action server at least once per message (the slot-mapping
validation action), so this was the largest single cost of a message
(py-spy under 20 concurrent conversations: 18 % of Rasa's CPU; figures in
docs/performance.md).

Rasa Open Source 3.6.21 is the last open-source release, so the fixes cannot go
upstream. Here each distinct schema is checked once, then answers are
validated exactly as before: same validator class, same errors (best_match),
raised the same way.

Two more costs showed in py-spy once that one was gone (docs/performance.md):
- Every call to the action server opened a new HTTP connection (Rasa makes a
  new aiohttp ClientSession per request): 9 % of Rasa's CPU. The action
  endpoint's session is now kept and its connections reused.
- Reading a conversation back from the tracker store looks up each event's
  class by walking every subclass of Event, for every event of the
  conversation: 6 %. The lookup is now remembered by type name.
Nothing else of Rasa is touched.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Dict, Optional

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


# An idle kept connection is dropped before the action server (Sanic, whose
# keep-alive is 5 s) would close it, so a request never races that close.
KEEPALIVE_SECONDS = 3.0


class _KeptSession:
    """Stands where Rasa expects a fresh ClientSession: `async with` gives the
    endpoint's long-lived session and leaves it open on exit."""

    def __init__(self, session: Any):
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc: Any) -> None:
        return None


def reuse_http_connections() -> None:
    """One aiohttp session per endpoint and event loop, instead of one per request."""
    import asyncio

    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    kept: Dict[Any, Any] = {}

    def session(self: EndpointConfig) -> _KeptSession:
        key = (id(self), id(asyncio.get_running_loop()))
        current = kept.get(key)
        if current is None or current.closed:
            # As EndpointConfig.session builds it (same headers, auth and
            # timeout); only the connector differs: connections are kept,
            # and dropped when idle before the server would close them.
            auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                    if self.basic_auth else None)
            current = kept[key] = aiohttp.ClientSession(
                headers=self.headers, auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            )
        return _KeptSession(current)

    EndpointConfig.session = session


def cache_event_types() -> None:
    """Event.resolve_by_type, remembered per type name once found."""
    from rasa.shared.core.events import Event

    resolve = Event.resolve_by_type
    found: Dict[str, Any] = {}

    def resolve_by_type(type_name: str, default: Optional[Any] = None) -> Optional[Any]:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        cls = resolve(type_name, default)
        # Only real matches are kept: an unknown name still gets the default
        # or the ValueError, as before.
        if cls is not None and cls is not default and getattr(cls, "type_name", None) == type_name:
            found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)


def install() -> None:
    # Rasa imports `validate` from jsonschema inside the function that checks
    # an action's answer, so replacing the module attribute is enough.
    jsonschema.validate = validate
    reuse_http_connections()
    cache_event_types()


if __name__ == "__main__":
    install()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    sys.exit(main())
