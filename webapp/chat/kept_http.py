"""One kept HTTP/1.1 connection for POSTing JSON to a local server (Rasa's REST channel).

The site sends one request to Rasa per chat message. http.client parsed
each answer's headers with the e-mail package, which was two fifths of the
call's CPU in the site's profile; here the status line and the few headers
that matter (length, chunking, closing) are read directly. Only what a JSON
answer from a local server needs: no redirects, no proxies, no compression.
"""
from __future__ import annotations

import select
import socket
import ssl

# A header line longer than this is not an answer from Rasa.
_MAX_LINE = 65536


class ProtocolError(OSError):
    """The server's answer is not HTTP as expected; the connection is closed."""


class KeptConnection:
    def __init__(self, scheme: str, host: str, port: int | None, timeout: float):
        self.scheme = scheme
        self.host = host
        self.port = port or (443 if scheme == "https" else 80)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self._file = None
        self._host_header = host if port is None else f"{host}:{port}"

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        if self.sock is not None:
            self.sock.close()
        self.sock = self._file = None

    def closed_by_server(self) -> bool:
        """True when the kept, idle connection was closed by the other side."""
        if self.sock is None:
            return False
        # Nothing is due on an idle connection: readable means closed (or
        # broken). poll rather than a peek: it works under TLS too.
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        return bool(poller.poll(0))

    def _open(self) -> None:
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        # The request is written in one piece; nothing to gain from Nagle's delay.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.sock = sock
        self._file = sock.makefile("rb")

    def post_json(self, path: str, body: bytes) -> tuple[int, bytes]:
        """(status, body) of one POST; OSError (timeouts included) when it fails, the connection closed."""
        if self.sock is None:
            self._open()
        else:
            self.sock.settimeout(self.timeout)
        head = (f"POST {path} HTTP/1.1\r\nHost: {self._host_header}\r\n"
                f"Content-Type: application/json\r\nAccept: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        try:
            self.sock.sendall(head.encode("latin-1") + body)
            return self._read_answer()
        except BaseException:
            self.close()
            raise

    def _line(self) -> bytes:
        line = self._file.readline(_MAX_LINE + 1)
        if not line:
            raise ProtocolError("connection closed by the server")
        if len(line) > _MAX_LINE:
            raise ProtocolError("header line too long")
        return line

    def _read_answer(self) -> tuple[int, bytes]:
        status_line = self._line()
        version, _, rest = status_line.partition(b" ")
        try:
            status = int(rest[:3])
        except ValueError:
            raise ProtocolError(f"not an HTTP status line: {status_line[:80]!r}") from None
        if not version.startswith(b"HTTP/1."):
            raise ProtocolError(f"not HTTP/1.x: {version[:20]!r}")
        length, chunked = None, False
        # HTTP/1.0 closes after the answer unless it says otherwise; 1.1 keeps it open.
        keep = version == b"HTTP/1.1"
        while True:
            line = self._line()
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    raise ProtocolError("bad Content-Length") from None
            elif name == b"transfer-encoding":
                chunked = value.endswith(b"chunked")
            elif name == b"connection":
                keep = value == b"keep-alive" or (keep and value != b"close")
        if chunked:
            data = self._read_chunks()
        elif length is not None:
            data = self._file.read(length)
            if len(data) < length:
                raise ProtocolError("answer cut short")
        else:
            # Neither length nor chunks: the answer ends when the server closes.
            data, keep = self._file.read(), False
        if not keep:
            self.close()
        return status, data

    def _read_chunks(self) -> bytes:
        parts = []
        while True:
            size_line = self._line()
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise ProtocolError("bad chunk size") from None
            if size == 0:
                # Trailers, then the blank line.
                while self._line() not in (b"\r\n", b"\n"):
                    pass
                return b"".join(parts)
            chunk = self._file.read(size)
            if len(chunk) < size or self._file.read(2) != b"\r\n":
                raise ProtocolError("chunk cut short")
            parts.append(chunk)
