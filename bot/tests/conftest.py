"""Fixtures for the action tests: a real local HTTP server playing the site."""
import copy
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The tests' shared helpers (action_helpers.py): pytest imports test files by
# path (--import-mode=importlib), so their folder is not on the path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parent))

COMMUNES = [
    {"insee": "90010", "name": "Belfort", "postcodes": ["90000"]},
    {"insee": "90099", "name": "Valdoie", "postcodes": ["90300"]},
    {"insee": "90075", "name": "Offemont", "postcodes": ["90300"]},
    {"insee": "90033", "name": "Delle", "postcodes": ["90100"]},
]

# The national helplines as the site's directory serves them. Test values: the
# bot must print whatever the API says, so a test may change any of them.
HELPLINE_STRUCTURES = {
    "allo-prevention-expulsion": {
        "phone": "0 805 299 049", "free_call": True,
        "opening_hours": {"fr": "Du lundi au vendredi, de 14 h à 17 h.", "en": "Monday to Friday, 2 pm to 5 pm."},
    },
    "sos-loyers-impayes": {
        "phone": "0 805 160 075", "free_call": True,
        "opening_hours": {"fr": "Du lundi au vendredi.", "en": "Monday to Friday."},
    },
    "point-justice-3039": {"phone": "3039", "free_call": True, "opening_hours": None},
    "banque-de-france-3414": {
        "phone": "34 14", "free_call": False,
        "opening_hours": {"fr": "Du lundi au vendredi, de 8 h à 18 h.", "en": "Monday to Friday, 8 am to 6 pm."},
    },
}


class FakeSite:
    """Records what the bot sent; answers with canned JSON set by the test."""

    def __init__(self):
        self.requests = []
        self.triage_status = 200
        self.triage_body = {"urgency": "normal", "orientations": [], "deadlines": [], "next_steps": []}
        # id -> {"phone": str | None, "free_call": bool, "opening_hours": {lang: str} | None}; absent: 404.
        self.structures = copy.deepcopy(HELPLINE_STRUCTURES)
        self.structures_status = 200

    def structure_answer(self, structure_id, lang):
        entry = self.structures.get(structure_id)
        if entry is None:
            return 404, {"errors": [{"field": "id", "message": "Aucune structure ne porte cet identifiant."}]}
        hours = entry.get("opening_hours")
        return self.structures_status, {"structure": {
            "id": structure_id, "type": "helpline", "name": structure_id, "address": None,
            "phone": entry.get("phone"), "free_call": bool(entry.get("free_call")), "email": None, "url": None,
            "opening_hours": hours.get(lang) if hours else None,
        }}


def _handler(site: FakeSite):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body):
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):
            url = urlparse(self.path)
            if url.path.startswith("/api/structures/"):
                lang = parse_qs(url.query).get("lang", [""])[0]
                site.requests.append(("GET", url.path, lang))
                return self._send(*site.structure_answer(url.path.rsplit("/", 1)[1], lang))
            query = parse_qs(url.query).get("q", [""])[0]
            site.requests.append(("GET", url.path, query))
            if url.path != "/api/communes":
                return self._send(404, {})
            folded = query.lower().replace("é", "e").strip()
            found = [c for c in COMMUNES
                     if folded and (folded in c["name"].lower() or folded in c["postcodes"])]
            self._send(200, {"communes": found})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            site.requests.append(("POST", self.path, body))
            self._send(site.triage_status, site.triage_body)

    return Handler


def _closed_port() -> int:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture(autouse=True)
def isolated_site(monkeypatch):
    """No test reaches a real site by accident, nor sees another test's cached directory."""
    from actions import helplines

    monkeypatch.setenv("WEBAPP_API_URL", f"http://127.0.0.1:{_closed_port()}")
    helplines.CACHE.clear()
    yield
    helplines.CACHE.clear()


@pytest.fixture
def fake_site(monkeypatch):
    site = FakeSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("WEBAPP_API_URL", f"http://127.0.0.1:{server.server_address[1]}")
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url(monkeypatch):
    """A URL where nothing listens: the site is down."""
    port = _closed_port()
    monkeypatch.setenv("WEBAPP_API_URL", f"http://127.0.0.1:{port}")
    return f"http://127.0.0.1:{port}"
