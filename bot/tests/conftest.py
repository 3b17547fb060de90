"""Fixtures for the action tests: a real local HTTP server playing the site."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COMMUNES = [
    {"insee": "90010", "name": "Belfort", "postcodes": ["90000"]},
    {"insee": "90099", "name": "Valdoie", "postcodes": ["90300"]},
    {"insee": "90075", "name": "Offemont", "postcodes": ["90300"]},
    {"insee": "90033", "name": "Delle", "postcodes": ["90100"]},
]


class FakeSite:
    """Records what the bot sent; answers with canned JSON set by the test."""

    def __init__(self):
        self.requests = []
        self.triage_status = 200
        self.triage_body = {"urgency": "normal", "orientations": [], "deadlines": [], "next_steps": []}


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
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("WEBAPP_API_URL", f"http://127.0.0.1:{port}")
    return f"http://127.0.0.1:{port}"
