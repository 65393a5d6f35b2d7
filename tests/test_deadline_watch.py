"""Every request's whole-request deadline is kept by one watcher thread, not a thread each.

A sync of 5,000 mentions makes some 400 requests; each used to start a timer
thread of its own to hang up a server that trickles its answer. Here the real
servers on 127.0.0.1 answer at once (kept alive) or drip their answer a byte at
a time, and the owner's requests run one after another, overlapping, from
several threads at once, and from a forked process.
"""

from __future__ import annotations

import contextlib
import os
import socket
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest

from app.core.errors import ServerUnreachable
from app.net.http import HttpSession
from tests.loopback_tcp import LoopbackTcpServer
from tests.waiting import wait_until

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
HEAD = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Pad-%d: %s\r\n" % (i, b"x" * 20) for i in range(16))
BYTE_EVERY = 0.02  # the dripping server's pace: its head would take about eight seconds


def _read_head(sock: socket.socket, buffer: bytes) -> bytes | None:
    """What follows the next request head in `buffer` (None: the client closed)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        buffer += chunk
    return buffer.split(b"\r\n\r\n", 1)[1]


class KeptAliveServer(LoopbackTcpServer):
    """Answers every request at once on a kept-alive connection. Records its connections,
    its requests, and every thread of this process alive while a request was served."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0
        self.threads_seen: set[threading.Thread] = set()
        self.own_threads: set[threading.Thread] = set()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer.connections += 1
                outer.own_threads.add(threading.current_thread())
                buffer: bytes | None = b""
                while True:
                    buffer = _read_head(self.request, buffer or b"")
                    if buffer is None:
                        return
                    outer.requests += 1
                    outer.threads_seen.update(threading.enumerate())
                    with contextlib.suppress(OSError):
                        self.request.sendall(ANSWER)

        super().__init__(Handler)


class DrippingServer(LoopbackTcpServer):
    """Reads a request, then drips HEAD a byte at a time; records when the client hung up."""

    def __init__(self) -> None:
        self.requests = 0
        self.sent: list[int] = []  # per request: bytes of HEAD sent so far
        self.hung_up: list[threading.Event] = []  # per request, in arrival order
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                if _read_head(self.request, b"") is None:
                    return
                index = outer.requests
                outer.sent.append(0)
                outer.hung_up.append(threading.Event())
                outer.requests += 1
                try:
                    for i in range(len(HEAD)):
                        self.request.sendall(HEAD[i : i + 1])
                        outer.sent[index] = i + 1
                        time.sleep(BYTE_EVERY)  # the server's pace, not a wait in the test
                except OSError:
                    outer.hung_up[index].set()

        super().__init__(Handler)


@pytest.fixture
def kept_alive() -> Iterator[KeptAliveServer]:
    server = KeptAliveServer()
    yield server
    server.close()


@pytest.fixture
def dripping() -> Iterator[DrippingServer]:
    server = DrippingServer()
    yield server
    server.close()


def too_long(session: HttpSession) -> str:
    """The error of a request the dripping server holds until the deadline hangs it up."""
    with pytest.raises(ServerUnreachable) as caught:
        session.request("GET", "/api/v1/instance")
    return str(caught.value)


def test_fifty_requests_in_a_row_start_no_thread_of_their_own(
    kept_alive: KeptAliveServer,
) -> None:
    before = set(threading.enumerate())
    with HttpSession(kept_alive.url, max_seconds=30.0) as session:
        for _ in range(50):
            assert session.request("GET", "/api/v1/notifications").body == b"{}"
    assert kept_alive.requests == 50
    started = kept_alive.threads_seen - before - kept_alive.own_threads
    # at most the one watcher (none if an earlier request of this process started it)
    assert len(started) <= 1, f"{len(started)} threads started for 50 requests"
    assert all(thread.daemon and thread.is_alive() for thread in started)


def test_a_later_request_with_an_earlier_deadline_is_hung_up_at_its_own_time(
    dripping: DrippingServer,
) -> None:
    """The watcher, asleep until the first request's deadline, wakes for the second's."""
    slow_seconds = 6.0
    first_error: list[str] = []
    slow = HttpSession(dripping.url, timeout=(1.0, 0.5), max_seconds=slow_seconds)
    quick = HttpSession(dripping.url, timeout=(1.0, 0.5), max_seconds=0.5)
    before_first = time.monotonic()
    first = threading.Thread(target=lambda: first_error.append(too_long(slow)), daemon=True)
    first.start()
    wait_until(lambda: dripping.requests == 1, "the first request to reach the server")

    assert "took too long; hung up" in too_long(quick)
    # hung up while the first request still waits for its later deadline
    assert first.is_alive() and not dripping.hung_up[0].is_set()
    assert time.monotonic() < before_first + slow_seconds
    assert dripping.hung_up[1].wait(5), "the client was still listening"
    assert dripping.sent[1] < len(HEAD) // 2

    first.join(timeout=slow_seconds + 10)
    assert first_error and "took too long; hung up" in first_error[0]
    assert dripping.hung_up[0].wait(5)
    assert dripping.sent[0] < len(HEAD)  # hung up before the server finished its head
    slow.close()
    quick.close()


def test_a_request_that_ended_in_time_keeps_its_connection_past_its_deadline(
    kept_alive: KeptAliveServer, dripping: DrippingServer
) -> None:
    with HttpSession(kept_alive.url, max_seconds=0.5) as session:
        assert session.request("GET", "/first").body == b"{}"
        # a request that starts later, with as long, is hung up at its deadline: by
        # then the watcher has come past the first request's deadline too
        with HttpSession(dripping.url, timeout=(1.0, 0.5), max_seconds=0.5) as dripped:
            assert "took too long; hung up" in too_long(dripped)
        assert dripping.hung_up[0].wait(5)
        assert session.request("GET", "/second").body == b"{}"
    assert kept_alive.requests == 2
    assert kept_alive.connections == 1, "the first request's connection was hung up after it"


def test_four_threads_fetching_at_once_share_the_watcher_while_one_request_is_hung_up(
    kept_alive: KeptAliveServer, dripping: DrippingServer
) -> None:
    bodies: list[bytes] = []
    errors: list[BaseException] = []

    def fetch(session: HttpSession) -> None:
        try:
            for _ in range(25):
                bodies.append(session.request("GET", "/api/v1/notifications").body)
        except BaseException as exc:  # the test reports it
            errors.append(exc)

    with HttpSession(kept_alive.url, max_seconds=30.0, connections=4) as session:
        fetchers = [threading.Thread(target=fetch, args=(session,)) for _ in range(4)]
        for fetcher in fetchers:
            fetcher.start()
        with HttpSession(dripping.url, timeout=(1.0, 0.5), max_seconds=0.5) as dripped:
            assert "took too long; hung up" in too_long(dripped)
        for fetcher in fetchers:
            fetcher.join(timeout=60)
    assert not errors
    assert bodies == [b"{}"] * 100
    assert dripping.hung_up[0].wait(5)
    assert dripping.sent[0] < len(HEAD) // 2


def test_a_forked_process_gets_a_watcher_of_its_own(
    kept_alive: KeptAliveServer, dripping: DrippingServer
) -> None:
    """The watcher thread of this process does not exist in a fork of it."""
    with HttpSession(kept_alive.url) as session:
        assert session.request("GET", "/before-the-fork").body == b"{}"  # watcher running
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only when its deadline hung the request up
        code = 1
        try:
            with HttpSession(dripping.url, timeout=(1.0, 0.5), max_seconds=0.5) as dripped:
                dripped.request("GET", "/api/v1/instance")
        except ServerUnreachable as exc:
            code = 0 if "hung up" in str(exc) else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child's request was not hung up"
    assert dripping.hung_up[0].wait(5)
    assert dripping.sent[0] < len(HEAD) // 2
