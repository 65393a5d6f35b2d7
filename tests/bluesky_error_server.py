"""A tiny XRPC server on 127.0.0.1 that answers what a test scripts.

The real devnet never sends 429s, 5xx, HTML error pages or broken JSON on
demand; this does. Each NSID gets a queue of canned answers (the last one
repeats) and every request is recorded so tests can check what was sent.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Canned:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class Recorded:
    method: str
    nsid: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class ErrorServer:
    """Scripted answers per XRPC method; unknown methods get 501 MethodNotImplemented."""

    def __init__(self) -> None:
        self._routes: dict[str, list[Canned]] = {}
        self._lock = threading.Lock()
        self.requests: list[Recorded] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def route(
        self,
        nsid: str,
        status: int = 200,
        json_body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        """Queue one answer for `nsid` (JSON body, or raw bytes for broken/HTML answers)."""
        body = (
            raw if raw is not None else json.dumps({} if json_body is None else json_body).encode()
        )
        with self._lock:
            self._routes.setdefault(nsid, []).append(
                Canned(status, body, dict(headers or {}), content_type)
            )

    def forget(self, nsid: str) -> None:
        """Drop the answers still queued for `nsid` (the next `route` starts afresh)."""
        with self._lock:
            self._routes.pop(nsid, None)

    def calls(self, nsid: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.nsid == nsid]

    def _answer(self, nsid: str) -> Canned:
        with self._lock:
            queue = self._routes.get(nsid)
            if not queue:
                return Canned(
                    501, json.dumps({"error": "MethodNotImplemented", "message": nsid}).encode()
                )
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                parts = urlsplit(self.path)
                nsid = parts.path.removeprefix("/xrpc/")
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with server._lock:
                    server.requests.append(
                        Recorded(
                            self.command,
                            nsid,
                            parse_qs(parts.query),
                            dict(self.headers.items()),
                            body,
                        )
                    )
                canned = server._answer(nsid)
                self.send_response(canned.status)
                self.send_header("Content-Type", canned.content_type)
                self.send_header("Content-Length", str(len(canned.body)))
                for key, value in canned.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(canned.body)

            do_GET = _handle
            do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass  # requests carry tokens: keep them out of the test output

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
