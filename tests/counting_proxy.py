"""A loopback HTTP relay in front of a real server: it numbers every request it passes on.

The fault tests need a named point at each network call of a Bluesky sync, but the
devnet PDS is a real server we cannot hook. This relay sits between the client
and the PDS: each request gets a number, `on_request(number)` runs before it is
passed on (a test kills the syncing child there; returning True drops the
request unanswered), from `fail_from` on every request gets a 503 as the PDS
sends it, and otherwise the answer goes back as the PDS gave it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

#: Headers the relay passes on; hop-by-hop ones (Connection, Transfer-Encoding) are not.
FORWARD = (
    "authorization",
    "content-type",
    "atproto-proxy",
    "atproto-accept-labelers",
    "accept",
    "accept-language",
)


class CountingProxy:
    """Relays to `upstream`; `count` says how many requests it has seen."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.count = 0
        self.on_request: Callable[[int], bool] | None = None
        self.fail_from: int | None = None
        self._lock = threading.Lock()
        self._http = requests.Session()
        self._http.trust_env = False
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> CountingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._http.close()

    def _number(self) -> tuple[int, Callable[[int], bool] | None]:
        with self._lock:
            self.count += 1
            return self.count, self.on_request

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Relay(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: URLs here may carry handles, never print them

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                number, hook = proxy._number()
                if hook is not None and hook(number):
                    self.close_connection = True
                    return
                if proxy.fail_from is not None and number >= proxy.fail_from:
                    self._answer(
                        503, "application/json", b'{"error":"InternalServerError","message":"down"}'
                    )
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() in FORWARD}
                answer = proxy._http.request(
                    self.command, proxy.upstream + self.path, data=body, headers=headers, timeout=30
                )
                passed = {
                    name: answer.headers[name]
                    for name in ("RateLimit-Remaining", "RateLimit-Reset", "Retry-After")
                    if name in answer.headers
                }
                self._answer(
                    answer.status_code,
                    answer.headers.get("Content-Type", ""),
                    answer.content,
                    passed,
                )

            def _answer(
                self, status: int, kind: str, body: bytes, extra: dict[str, str] | None = None
            ) -> None:
                try:
                    self.send_response(status)
                    if kind:
                        self.send_header("Content-Type", kind)
                    for name, value in (extra or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    self.close_connection = True  # the client died meanwhile (kill -9)

            do_GET = do_POST = _relay

        return Relay
