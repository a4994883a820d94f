"""A small TCP proxy in front of a live Tellus that can lose requests, lose answers, or answer 503.

The client speaks HTTP/1.1 with ``Connection: close`` (urllib), so one connection carries one request: the
proxy reads it whole, records it, and then does what its plan says for that request.
"""
import socket
import struct
import threading
from typing import List, Optional, Tuple

PASS = "pass"
RESET = "reset"  # close the connection before the request reaches the server (RST): nothing happened
LOSE_ANSWER = "lose-answer"  # forward the request, let the server answer, close without passing the answer on
UNAVAILABLE = "503"  # answer 503 problem+json without asking the server
RATE_LIMITED = "429"  # answer 429 problem+json with Retry-After: 0 without asking the server

_503 = (b'{"type":"https://tellus.dev/problems/unavailable","title":"Service unavailable","status":503,'
        b'"detail":"the proxy says so"}')


class Proxy:
    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.requests: List[Tuple[str, bytes]] = []  # (what the proxy did, the request's bytes)
        self._plan: List[Tuple[Optional[str], str]] = []  # (path fragment or None, action), used once each
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._serve, daemon=True).start()

    def plan(self, action: str, times: int = 1, path: Optional[str] = None) -> None:
        """The next ``times`` requests whose request line contains ``path`` (any request if None) get ``action``."""
        with self._lock:
            self._plan.extend([(path, action)] * times)

    def done(self, action: str) -> List[bytes]:
        """The requests the proxy treated with ``action``."""
        with self._lock:
            return [r for a, r in self.requests if a == action]

    def close(self) -> None:
        self._closed = True
        self.listener.close()

    def _serve(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _action(self, request: bytes) -> str:
        line = request.split(b"\r\n", 1)[0].decode("latin-1")
        with self._lock:
            for i, (path, action) in enumerate(self._plan):
                if path is None or path in line:
                    del self._plan[i]
                    self.requests.append((action, request))
                    return action
            self.requests.append((PASS, request))
            return PASS

    def _handle(self, client: socket.socket) -> None:
        with client:
            request = _read_request(client)
            if request is None:
                return
            action = self._action(request)
            if action == RESET:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if action in (UNAVAILABLE, RATE_LIMITED):
                line = b"503 Service Unavailable" if action == UNAVAILABLE else b"429 Too Many Requests"
                client.sendall(b"HTTP/1.1 " + line + b"\r\nContent-Type: application/problem+json\r\n"
                               b"Retry-After: 0\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(_503) + _503)
                return
            with socket.create_connection(self.target, timeout=30) as upstream:
                upstream.sendall(request)
                answer = b""
                while True:
                    chunk = upstream.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            if action == LOSE_ANSWER:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            client.sendall(answer)


def _read_request(sock: socket.socket) -> Optional[bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body
