"""The site's small HTTP client to Rasa (webapp/chat/kept_http.py), against a raw socket server."""
from __future__ import annotations

import socket
import threading

import pytest

from webapp.chat.kept_http import KeptConnection, ProtocolError


class RawServer:
    """Answers each request on a connection with the next scripted bytes; counts connections."""

    def __init__(self, answers: list[bytes], close_after: bool = False):
        self.answers = list(answers)
        self.close_after = close_after
        self.connections = 0
        self.requests: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        with conn:
            buffer = b""
            while self.answers:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                while len(buffer) < length:
                    buffer += conn.recv(65536)
                self.requests.append(head + b"\r\n\r\n" + buffer[:length])
                buffer = buffer[length:]
                conn.sendall(self.answers.pop(0))
                if self.close_after:
                    return

    def close(self):
        self.listener.close()


def _ok(body: bytes, *headers: str, version: str = "1.1") -> bytes:
    lines = [f"HTTP/{version} 200 OK", "Content-Type: application/json", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@pytest.fixture
def serve():
    servers = []

    def start(answers, **kwargs):
        server = RawServer(answers, **kwargs)
        servers.append(server)
        return server, KeptConnection("http", "127.0.0.1", server.port, timeout=2.0)

    yield start
    for server in servers:
        server.close()


def test_answers_by_length_share_one_connection(serve):
    server, client = serve([_ok(b'[{"text": "%d"}]' % n, "Content-Length: 15") for n in range(3)])
    for n in range(3):
        assert client.post_json("/webhooks/rest/webhook", b'{"message": "m"}') == (200, b'[{"text": "%d"}]' % n)
    assert server.connections == 1
    first = server.requests[0]
    assert first.startswith(b"POST /webhooks/rest/webhook HTTP/1.1\r\n")
    assert b"\r\nContent-Length: 16\r\n" in first and first.endswith(b'{"message": "m"}')
    assert f"Host: 127.0.0.1:{server.port}".encode() in first


def test_a_chunked_answer_is_joined(serve):
    body = b"5\r\n[{\"a\"\r\n6\r\n: 1}]\n\r\n0\r\n\r\n"
    _, client = serve([_ok(body, "Transfer-Encoding: chunked")])
    assert client.post_json("/x", b"{}") == (200, b'[{"a": 1}]\n')


def test_http_1_0_and_connection_close_end_the_connection(serve):
    server, client = serve([_ok(b"[]", "Content-Length: 2", version="1.0"),
                            _ok(b"[1]", "Content-Length: 3", "Connection: close")], close_after=True)
    assert client.post_json("/x", b"{}") == (200, b"[]")
    assert client.sock is None
    assert client.post_json("/x", b"{}") == (200, b"[1]")
    assert client.sock is None and server.connections == 2


def test_an_answer_without_length_ends_with_the_connection(serve):
    _, client = serve([_ok(b'[{"text": "fin"}]')], close_after=True)
    assert client.post_json("/x", b"{}") == (200, b'[{"text": "fin"}]')
    assert client.sock is None


def test_an_error_status_is_returned_as_is(serve):
    _, client = serve([b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\nerror"])
    assert client.post_json("/x", b"{}") == (500, b"error")


@pytest.mark.parametrize("answer", [
    b"SSH-2.0-OpenSSH_9.2\r\n",                                  # not HTTP at all
    b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n[]",            # cut short
    b"HTTP/1.1 200 OK\r\nContent-Length: deux\r\n\r\n[]",          # bad length
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  # bad chunk
])
def test_a_broken_answer_raises_and_closes(serve, answer):
    _, client = serve([answer], close_after=True)
    with pytest.raises(ProtocolError):
        client.post_json("/x", b"{}")
    assert client.sock is None


def test_a_silent_server_times_out():
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        client = KeptConnection("http", "127.0.0.1", listener.getsockname()[1], timeout=0.3)
        with pytest.raises(OSError):
            client.post_json("/x", b"{}")
        assert client.sock is None
    finally:
        listener.close()


def test_an_idle_connection_closed_by_the_server_is_seen(serve):
    server, client = serve([_ok(b"[]", "Content-Length: 2")], close_after=True)
    assert client.post_json("/x", b"{}") == (200, b"[]")
    # HTTP/1.1 without "Connection: close": the client keeps it, the server has closed it.
    for _ in range(100):
        if client.closed_by_server():
            break
        threading.Event().wait(0.01)
    assert client.closed_by_server()
