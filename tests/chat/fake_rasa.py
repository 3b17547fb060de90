"""A tiny real HTTP server standing in for Rasa where the real one cannot show a case:
an empty answer (Rasa's behaviour when its action server is down), or a bot that
comes back on a port that was closed."""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeRasa:
    def __init__(self, port: int = 0, reply: list | None = None, keep_alive: bool = False,
                 delay: float = 0.0):
        """keep_alive: HTTP/1.1 with kept connections, as Rasa's server (Sanic)
        does; otherwise HTTP/1.0, one connection per message. delay: seconds
        before answering."""
        self.reply = reply if reply is not None else [{"recipient_id": "x", "text": "Bonjour."}]
        self.received: list[dict] = []
        # The client's (host, port) of each message: one per TCP connection.
        self.peers: list[tuple] = []
        self.delay = delay
        self.connections: list = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"
            # The head and the body are two writes: with Nagle's algorithm the
            # body waited for the client's delayed ACK, 40 ms per kept message.
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                fake.connections.append(self.connection)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                fake.received.append(body)
                fake.peers.append(self.client_address)
                if fake.delay:
                    time.sleep(fake.delay)
                payload = json.dumps(fake.reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        # Kept connections are served by their own threads: cut them too, as a
        # stopped Rasa would.
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.server.server_close()
