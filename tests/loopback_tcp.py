"""A TCP server on 127.0.0.1 for tests that play a server at the socket level.

The tests of slow, trickling and hostile servers each need one: a handler class
of their own, served on its own threads, and a URL to point the client at.
"""

from __future__ import annotations

import socketserver
import threading


class LoopbackTcpServer:
    """Serves `handler` on a free port of 127.0.0.1 until `close`."""

    def __init__(self, handler: type[socketserver.BaseRequestHandler]) -> None:
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
