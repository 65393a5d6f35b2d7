"""A server that sends its answer's head one byte at a time cannot hold a sync forever.

Each byte arrives well within the per-read timeout, so only a deadline over
the whole request (connect, status line, headers, body) stops it. The server
here is a real socket on 127.0.0.1 that would take ten seconds to finish its
headers and then answer 200 OK: a client without the deadline gets that answer.
"""

from __future__ import annotations

import contextlib
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest

from app.core.errors import ServerUnreachable
from app.net.http import HttpSession
from app.net.mastodon import MastodonClient
from tests.loopback_tcp import LoopbackTcpServer

HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    + b"".join(b"X-Pad-%d: %s\r\n" % (i, b"x" * 20) for i in range(16))
    + b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
)
BYTE_EVERY = 0.02  # len(HEAD) * BYTE_EVERY is about ten seconds


class SlowHeadServer(LoopbackTcpServer):
    """Reads a request, then drips HEAD byte by byte; records whether the client hung up."""

    def __init__(self) -> None:
        self.requests = 0
        self.sent = 0  # bytes of HEAD sent before the client hung up (or all of them)
        self.hung_up = threading.Event()
        self.finished = threading.Event()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                outer.requests += 1
                try:
                    for i in range(len(HEAD)):
                        self.request.sendall(HEAD[i : i + 1])
                        outer.sent = i + 1
                        time.sleep(BYTE_EVERY)  # the server's pace, not a wait in the test
                except OSError:
                    outer.hung_up.set()
                    return
                outer.finished.set()

        super().__init__(Handler)


@pytest.fixture
def slow_server() -> Iterator[SlowHeadServer]:
    server = SlowHeadServer()
    yield server
    server.close()


def test_headers_sent_one_byte_at_a_time_are_cut_off_by_the_whole_request_deadline(
    slow_server: SlowHeadServer,
) -> None:
    session = HttpSession(slow_server.url, timeout=(1.0, 0.5), max_seconds=1.0)
    with session, pytest.raises(ServerUnreachable) as caught:
        session.request("GET", "/api/v1/instance")
    assert "took too long" in str(caught.value)
    # Shopkeep hung up: the server's next byte found the connection closed
    assert slow_server.hung_up.wait(5), "the client was still listening"
    assert slow_server.sent < len(HEAD) // 2  # hung up mid-headers, not after them


def test_a_sync_against_a_dripping_server_ends_with_a_calm_message(
    slow_server: SlowHeadServer,
) -> None:
    client = MastodonClient(
        slow_server.url, "dripping-token", page_pause=0.0, timeout=(1.0, 0.5), max_seconds=1.0
    )
    with contextlib.closing(client), pytest.raises(ServerUnreachable) as caught:
        client.verify()
    assert caught.value.user_message.endswith(".")
    assert "could not be reached" in caught.value.user_message
    assert slow_server.hung_up.wait(5)
    assert slow_server.sent < len(HEAD) // 2


def test_the_deadline_hangs_up_a_kept_alive_connection_too(slow_server: SlowHeadServer) -> None:
    """A second request on a reused socket is watched as closely as the first."""
    fast = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _KeepAliveThenDrip)
    fast.daemon_threads = True
    threading.Thread(target=fast.serve_forever, args=(0.05,), daemon=True).start()
    try:
        session = HttpSession(
            f"http://127.0.0.1:{fast.server_address[1]}", timeout=(1.0, 0.5), max_seconds=1.0
        )
        with session:
            assert session.request("GET", "/first").body == b"{}"
            with pytest.raises(ServerUnreachable) as caught:
                session.request("GET", "/second")
        assert "took too long" in str(caught.value)
        assert _KeepAliveThenDrip.requests == 2  # the same socket carried both
        assert _KeepAliveThenDrip.sent < len(HEAD) // 2
    finally:
        fast.shutdown()
        fast.server_close()


class _KeepAliveThenDrip(socketserver.BaseRequestHandler):
    """Answers the first request at once (keep-alive), drips the second one's head."""

    requests = 0
    sent = 0

    def handle(self) -> None:
        buffer = b""
        served = 0
        while True:
            while b"\r\n\r\n" not in buffer:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                buffer += chunk
            buffer = buffer.split(b"\r\n\r\n", 1)[1]
            served += 1
            type(self).requests += 1
            with contextlib.suppress(OSError):
                if served == 1:
                    self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                    continue
                for i in range(len(HEAD)):
                    self.request.sendall(HEAD[i : i + 1])
                    type(self).sent = i + 1
                    time.sleep(BYTE_EVERY)
            return


class _DrippingHandshake(socketserver.BaseRequestHandler):
    """Takes the client's TLS hello, then drips a server hello that announces 16 KB."""

    sent = 0
    hung_up = threading.Event()

    def handle(self) -> None:
        if not self.request.recv(4096):
            return
        record = b"\x16\x03\x03\x40\x00" + b"\x02" * 16_384  # handshake record, 16 KB long
        try:
            for i in range(len(record)):
                self.request.sendall(record[i : i + 1])
                type(self).sent = i + 1
                time.sleep(BYTE_EVERY)
        except OSError:
            type(self).hung_up.set()


def test_a_tls_handshake_dripped_byte_by_byte_is_cut_off_too() -> None:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _DrippingHandshake)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        # Python bounds a handshake by the connect timeout; the deadline comes first here
        session = HttpSession(
            f"https://127.0.0.1:{server.server_address[1]}", timeout=(3.0, 0.5), max_seconds=1.0
        )
        with session, pytest.raises(ServerUnreachable) as caught:
            session.request("GET", "/api/v1/instance")
        assert "took too long" in str(caught.value)
        assert _DrippingHandshake.hung_up.wait(5), "the client was still listening"
        assert _DrippingHandshake.sent < 100  # of 16 KB: hung up at the deadline
    finally:
        server.shutdown()
        server.server_close()
