"""Fixtures for the chat tests: the real site served over HTTP, the real bot."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.chat import bot_processes
from tests.helpers import make_test_app


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """The site over real HTTP, for the action server's calls to /api/triage."""
    app = make_test_app(tmp_path_factory.mktemp("live-site"))
    server = make_server("127.0.0.1", bot_processes.free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def real_bot(live_site):
    """Rasa and the action server with the trained model, started once per run."""
    reason = bot_processes.bot_available()
    if reason:
        pytest.skip(reason)
    bot = bot_processes.start(live_site)
    yield bot
    bot.stop()


@pytest.fixture
def chat_app(tmp_path, real_bot):
    return make_test_app(tmp_path, RASA_URL=real_bot.rasa_url, RASA_TIMEOUT=30.0)
