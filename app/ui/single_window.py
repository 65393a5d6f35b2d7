"""A second start of Shopkeep on the same data folder brings the open window forward.

The open window listens on a local socket named for its data folder; a second
start (which could not take the folder's lock) connects, asks once, and exits.
The lock decides who owns the folder; the socket only carries the request.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

REQUEST = b"raise\n"
ANSWER = b"ok\n"


class WindowBeacon(QObject):
    """Listens for "raise" from a second start and brings `window` to the front."""

    def __init__(self, name: str, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._server = QLocalServer(self)
        # We hold the folder's lock, so a socket left by a crashed window is stale.
        QLocalServer.removeServer(name)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if self._server.listen(name):
            log.info("listening for a second start of Shopkeep")
        else:
            log.warning("cannot listen for a second start: %s", self._server.errorString())
        self._server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._on_request(s))
            sock.disconnected.connect(sock.deleteLater)

    def _on_request(self, sock: QLocalSocket) -> None:
        if not bytes(sock.readAll().data()).startswith(REQUEST.strip()):
            sock.disconnectFromServer()
            return
        window = self._window
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
        log.info("a second start of Shopkeep asked for this window")
        sock.write(ANSWER)
        sock.flush()


def ask_first_to_raise(name: str, timeout_ms: int = 3000) -> bool:
    """From a second start: ask the open window to come forward; True if it answered."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(REQUEST)
    sock.flush()
    answered = sock.waitForReadyRead(timeout_ms) and bytes(
        sock.readAll().data()).startswith(ANSWER.strip())
    sock.disconnectFromServer()
    return bool(answered)
