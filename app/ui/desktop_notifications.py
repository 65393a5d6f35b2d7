"""Desktop notifications through the freedesktop Notifications service on D-Bus.

Stock GNOME has no tray, so a tray balloon alone never reaches most Linux owners;
the notification service does (GNOME Shell, KDE Plasma, dunst, …). Clicking a
notification sends `ActionInvoked` back to the connection that posted it, so the
same connection must post and listen: one background thread owns it (jeepney's
thread-safe router; jeepney is already here as keyring's Secret Service client),
and the GUI thread only puts messages on a queue and receives Qt signals.

Where there is no session bus or no such service (Windows, macOS, a bare X
session), `ready` reports False and the caller falls back to the tray icon.
"""

from __future__ import annotations

import html
import logging
import queue
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.shared_imports import SHARED_IMPORTS

if TYPE_CHECKING:  # jeepney is imported by the bus thread, which starts after the first paint
    from jeepney import DBusAddress, HeaderFields  # type: ignore[import-untyped]  # no hints
    from jeepney.io.threading import DBusRouter  # type: ignore[import-untyped]  # no hints

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
DESKTOP_ENTRY = "shopkeep"  # the .desktop file's name: the desktop shows our icon and name
APP_NAME = "Shopkeep"
POLL_S = 0.1  # how often the thread looks for something to post between signals
CALL_TIMEOUT_S = 5.0
MARKUP_CAPABILITIES = {"body-markup", "body-hyperlinks", "body-images"}


@dataclass(frozen=True)
class _Outgoing:
    title: str
    body: str
    key: int  # handed back by `activated`: a thread id, or 0 for "the inbox"


class DesktopNotifications(QObject):
    """Posts notifications and reports clicks: `activated(key)` on the GUI thread."""

    ready = Signal(bool)  # once, after the first connection attempt
    posted = Signal(int, int)  # (notification id, key): the service accepted one
    activated = Signal(int)

    def __init__(self, parent: QObject | None = None, *, bus_name: str = SERVICE) -> None:
        super().__init__(parent)
        self._bus_name = bus_name  # the service's name on the bus (tests run their own)
        self._outgoing: queue.Queue[_Outgoing] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.is_ready = False
        self._markup = False
        self.ready.connect(self._set_ready)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="desktop notifications", daemon=True
            )
            self._thread.start()

    def close(self) -> bool:
        """Stop the bus thread; False if it is still inside a call (up to CALL_TIMEOUT_S)
        after two seconds, so the caller leaves without tearing Qt down under it."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout=2)
        return not thread.is_alive()

    def show(self, title: str, body: str, key: int = 0) -> None:
        """Queue one notification; never blocks the caller."""
        self._outgoing.put(_Outgoing(title, body, key))

    def _set_ready(self, ok: bool) -> None:
        self.is_ready = ok

    # ------------------------------------------------------------ the bus thread

    def _run(self) -> None:
        with SHARED_IMPORTS:  # a worker may be importing jeepney for the keychain
            from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
            from jeepney.io.threading import open_dbus_router

        with ExitStack() as stack:
            try:
                router = stack.enter_context(open_dbus_router(bus="SESSION"))
            except Exception as exc:  # no session bus: a normal case off Linux desktops
                log.info("no desktop notifications: %s", type(exc).__name__)
                self.ready.emit(False)
                return
            address = DBusAddress(PATH, bus_name=self._bus_name, interface=SERVICE)
            rule = MatchRule(type="signal", interface=SERVICE, path=PATH)
            try:
                owner = router.send_and_get_reply(
                    message_bus.NameHasOwner(self._bus_name), timeout=CALL_TIMEOUT_S
                ).body[0]
                activatable = (
                    self._bus_name
                    in router.send_and_get_reply(
                        message_bus.ListActivatableNames(), timeout=CALL_TIMEOUT_S
                    ).body[0]
                )
                router.send_and_get_reply(message_bus.AddMatch(rule), timeout=CALL_TIMEOUT_S)
            except Exception as exc:
                log.info("no desktop notifications: %s", type(exc).__name__)
                self.ready.emit(False)
                return
            if not (owner or activatable):
                log.info("no desktop notifications: nothing owns %s", self._bus_name)
                self.ready.emit(False)
                return
            try:  # servers that read <b>, <a href> or <img> in the body say one of these
                capabilities = router.send_and_get_reply(
                    new_method_call(address, "GetCapabilities"), timeout=CALL_TIMEOUT_S
                ).body[0]
            except Exception:
                capabilities = ["body-markup"]  # unknown: escaping is the safe side
            # dunst renders markup while it lists only "body-hyperlinks": any of them counts.
            self._markup = bool(MARKUP_CAPABILITIES & set(capabilities))
            self.ready.emit(True)
            keys: dict[int, int] = {}
            with router.filter(rule) as signals:
                while not self._stop.is_set():
                    self._post_waiting(router, address, keys)
                    try:
                        message = signals.get(timeout=POLL_S)
                    except queue.Empty:
                        continue
                    self._handle_signal(message.header.fields, message.body, keys)

    def _post_waiting(self, router: DBusRouter, address: DBusAddress, keys: dict[int, int]) -> None:
        from jeepney import new_method_call

        while True:
            try:
                item = self._outgoing.get_nowait()
            except queue.Empty:
                return
            # A customer's words are text, never markup: escaped where the server reads it.
            body = html.escape(item.body, quote=False) if self._markup else item.body
            hints = {"desktop-entry": ("s", DESKTOP_ENTRY), "category": ("s", "im.received")}
            call = new_method_call(
                address,
                "Notify",
                "susssasa{sv}i",
                (APP_NAME, 0, DESKTOP_ENTRY, item.title, body, ["default", "Open"], hints, -1),
            )
            try:
                reply = router.send_and_get_reply(call, timeout=CALL_TIMEOUT_S)
                notification_id = int(reply.body[0])
            except Exception as exc:
                log.warning("a desktop notification was not shown: %s", type(exc).__name__)
                continue
            keys[notification_id] = item.key
            self.posted.emit(notification_id, item.key)

    def _handle_signal(
        self, fields: dict[HeaderFields, object], body: tuple[object, ...], keys: dict[int, int]
    ) -> None:
        from jeepney import HeaderFields

        member = fields.get(HeaderFields.member)
        if member == "ActionInvoked" and len(body) == 2:
            notification_id, _action = body
            if isinstance(notification_id, int) and notification_id in keys:
                self.activated.emit(keys[notification_id])
        elif member == "NotificationClosed" and body and isinstance(body[0], int):
            keys.pop(body[0], None)
