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


# ------------------------------------------------ event classes, remembered
@pytest.fixture
def cached_event_types(monkeypatch):
    from rasa.shared.core.events import Event

    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    rasa_server.cache_event_types()
    return Event


def test_event_types_resolve_as_before(cached_event_types):
    from rasa.shared.core.events import SlotSet, UserUttered

    Event = cached_event_types
    for _ in range(2):
        assert Event.resolve_by_type("slot") is SlotSet
        assert Event.resolve_by_type("user") is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None


def test_event_types_are_looked_up_once(cached_event_types, monkeypatch):
    import rasa.shared.utils.common as common

    walks = []
    real = common.all_subclasses
    monkeypatch.setattr(common, "all_subclasses", lambda cls: walks.append(cls) or real(cls))
    Event = cached_event_types
    Event.resolve_by_type("action")
    first_lookup = len(walks)
    for _ in range(10):
        Event.resolve_by_type("action")
    assert first_lookup > 0 and len(walks) == first_lookup


def test_events_read_back_from_json(cached_event_types):
    """A whole tracker goes through the patched lookup when Rasa reads it back."""
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered, deserialise_events

    events = [UserUttered("bonjour", {"name": "saluer"}).as_dict(),
              ActionExecuted("utter_saluer").as_dict(), SlotSet("lang", "fr").as_dict()]
    assert [type(e) for e in deserialise_events(events)] == [UserUttered, ActionExecuted, SlotSet]


# ------------------------------------------- kept connections to the actions
class _CountingServer:
    """A real local HTTP server that counts the TCP connections it accepts."""

    def __init__(self, close_after_each: bool = False):
        self.peers: set = set()
        self.requests = 0
        self.close_after_each = close_after_each

    async def __aenter__(self):
        from aiohttp import web

        async def handle(request):
            self.peers.add(request.transport.get_extra_info("peername"))
            self.requests += 1
            body = await request.json()
            headers = {"Connection": "close"} if self.close_after_each else {}
            return web.json_response({"echo": body}, headers=headers)

        app = web.Application()
        app.router.add_post("/webhook", handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/webhook"
        return self

    async def __aexit__(self, *exc):
        await self.runner.cleanup()


@pytest.fixture
def kept_connections(monkeypatch):
    from rasa.utils.endpoints import EndpointConfig

    monkeypatch.setattr(EndpointConfig, "session", EndpointConfig.__dict__["session"])
    rasa_server.reuse_http_connections()
    return EndpointConfig


def test_action_calls_share_one_connection(kept_connections):
    import asyncio

    async def scenario():
        async with _CountingServer() as server:
            endpoint = kept_connections(server.url)
            answers = [await endpoint.request(json={"n": n}, method="post") for n in range(5)]
            return server, answers

    server, answers = asyncio.run(scenario())
    assert answers == [{"echo": {"n": n}} for n in range(5)]
    assert server.requests == 5 and len(server.peers) == 1


def test_a_connection_closed_by_the_server_is_replaced(kept_connections, monkeypatch):
    """The server closing after each answer, or an idle kept connection dropped: no error."""
    import asyncio

    monkeypatch.setattr(rasa_server, "KEEPALIVE_SECONDS", 0.2)

    async def scenario():
        async with _CountingServer(close_after_each=True) as closing:
            endpoint = kept_connections(closing.url)
            first = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
        async with _CountingServer() as idle:
            endpoint = kept_connections(idle.url)
            await endpoint.request(json={"n": 0}, method="post")
            await asyncio.sleep(0.5)
            second = await endpoint.request(json={"n": 1}, method="post")
        return closing, first, idle, second

    closing, first, idle, second = asyncio.run(scenario())
    assert first == [{"echo": {"n": n}} for n in range(3)] and len(closing.peers) == 3
    assert second == {"echo": {"n": 1}} and len(idle.peers) == 2


def test_errors_still_reach_rasa_as_before(kept_connections):
    """A 4xx/5xx answer raises Rasa's ClientResponseError, as with a fresh session."""
    import asyncio

    from rasa.utils.endpoints import ClientResponseError

    async def scenario():
        async with _CountingServer() as server:
            endpoint = kept_connections(server.url.replace("/webhook", "/missing"))
            with pytest.raises(ClientResponseError):
                await endpoint.request(json={}, method="post")

    asyncio.run(scenario())


def test_what_is_alive_once_the_model_is_loaded_is_frozen(monkeypatch):
    import asyncio
    import gc
    import inspect

    import rasa.core.run

    async def load(*args, **kwargs):
        return "agent"

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", load)
    rasa_server.freeze_after_model_load()
    rasa_server.freeze_after_model_load()  # installed once only
    listener = rasa.core.run.load_agent_on_start
    assert listener is not load and getattr(listener, "freezes_after_load", False)
    gc.unfreeze()
    try:
        assert asyncio.run(listener("model", None, None, None, None)) == "agent"
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
    # Rasa 3.6.21 registers the listener it finds in its module when it starts serving.
    assert "partial(load_agent_on_start," in inspect.getsource(rasa.core.run.serve_application)
