"""A complaint reaches the desktop's notification service; a click opens that conversation.

The service is a real one: dunst on the test's private session bus (tests/run.sh
runs pytest under dbus-run-session and Xvfb). `dunstctl action 0` is what a
click on the notification does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from jeepney import message_bus
from jeepney.io.blocking import open_dbus_connection

from app.ui.desktop_notifications import SERVICE, DesktopNotifications
from app.ui.task_runner import TaskRunner
from app.ui.tray_notifier import TrayNotifier

needs_bus_and_dunst = pytest.mark.skipif(
    not os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    or not shutil.which("dunst")
    or not os.environ.get("DISPLAY"),
    reason="needs a session bus, a display and dunst: run through tests/run.sh",
)


def _dunstctl(*args: str) -> str:
    return subprocess.run(
        ["dunstctl", *args], capture_output=True, text=True, timeout=10, check=True
    ).stdout.strip()


@pytest.fixture
def dunst(tmp_path, qtbot) -> Iterator[subprocess.Popen[bytes]]:
    """A running notification daemon that owns org.freedesktop.Notifications."""
    config = tmp_path / "dunstrc"
    config.write_text("[global]\n    follow = none\n")
    daemon = subprocess.Popen(
        ["dunst", "-conf", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def owned() -> bool:  # asked without starting anything by D-Bus activation
        with open_dbus_connection(bus="SESSION") as bus:
            reply = bus.send_and_get_reply(message_bus.NameHasOwner(SERVICE), timeout=5)
        return bool(reply.body[0])

    qtbot.waitUntil(owned, timeout=10_000)
    yield daemon
    daemon.terminate()
    daemon.wait(timeout=10)


@pytest.fixture
def complaint(store, shop_account, make_post, keyword_score):
    result = store.ingest(
        shop_account.id, [make_post("9", "the cake was awful", author="ann")], keyword_score
    )
    post_id = result.new_negative_post_ids[0]
    return post_id, store.post(post_id).thread_id


@needs_bus_and_dunst
def test_a_complaint_shows_on_the_desktop_and_a_click_opens_its_conversation(
    qtbot, dunst, store, complaint
):
    post_id, thread_id = complaint
    desktop = DesktopNotifications()
    with qtbot.waitSignal(desktop.ready, timeout=10_000) as ready:
        desktop.start()
    assert ready.args == [True]
    window = _window(qtbot)
    notifier = TrayNotifier(store, TaskRunner(synchronous=True), window, desktop=desktop)
    try:
        with qtbot.waitSignal(desktop.posted, timeout=10_000):
            notifier.add_negatives([post_id])
        assert _dunstctl("count", "displayed") == "1"
        assert notifier.last_message == ("New complaint from Ann", "the cake was awful")

        with qtbot.waitSignal(notifier.open_thread, timeout=10_000) as opened:
            _dunstctl("action", "0")  # the owner clicks the notification
        assert opened.args == [thread_id]
    finally:
        desktop.close()


def test_without_a_session_bus_the_tray_is_used_and_nothing_hangs(
    qtbot, monkeypatch, tmp_path, store, complaint
):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus-here")
    desktop = DesktopNotifications()
    with qtbot.waitSignal(desktop.ready, timeout=10_000) as ready:
        desktop.start()
    assert ready.args == [False] and not desktop.is_ready
    window = _window(qtbot)
    notifier = TrayNotifier(store, TaskRunner(synchronous=True), window, desktop=desktop)
    try:
        notifier.add_negatives([complaint[0]])
        assert notifier.last_message == ("New complaint from Ann", "the cake was awful")
    finally:
        desktop.close()


def _window(qtbot):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@needs_bus_and_dunst
def test_a_customers_markup_is_shown_as_text_not_rendered(
    qtbot, dunst, store, shop_account, make_post, keyword_score
):
    import json

    words = 'awful <b>cake</b> & <a href="https://evil.example">refund here</a>'
    result = store.ingest(shop_account.id, [make_post("7", words, author="eve")], keyword_score)
    desktop = DesktopNotifications()
    with qtbot.waitSignal(desktop.ready, timeout=10_000):
        desktop.start()
    window = _window(qtbot)
    notifier = TrayNotifier(store, TaskRunner(synchronous=True), window, desktop=desktop)
    try:
        with qtbot.waitSignal(desktop.posted, timeout=10_000):
            notifier.add_negatives(list(result.new_negative_post_ids))
        _dunstctl("close-all")
        qtbot.waitUntil(lambda: bool(json.loads(_dunstctl("history"))["data"][0]), timeout=10_000)
        shown = json.loads(_dunstctl("history"))["data"][0][0]["body"]["data"]
        assert "&lt;b&gt;cake&lt;/b&gt; &amp; &lt;a href" in shown
        assert "<b>" not in shown
    finally:
        desktop.close()


needs_bus = pytest.mark.skipif(
    not os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
    reason="needs a session bus: run through tests/run.sh",
)


@needs_bus
def test_closing_while_the_service_does_not_answer_says_the_bus_thread_is_still_busy(qtbot):
    """A notification service that takes its time (one being started by the bus on a busy
    machine) holds the bus thread in a call for up to five seconds. Closing then says so,
    and the window leaves without tearing Qt down under that thread (app.main.leave_gui)."""
    from jeepney import HeaderFields

    name = "org.shopkeep.test.SilentNotifications"
    with open_dbus_connection(bus="SESSION") as service:
        owned = service.send_and_get_reply(message_bus.RequestName(name, 4), timeout=5)
        assert owned.body[0] == 1  # the primary owner: calls to `name` come here
        desktop = DesktopNotifications(bus_name=name)
        desktop.start()

        def asked_for_capabilities() -> bool:  # and never answered
            message = service.receive(timeout=10)
            return message.header.fields.get(HeaderFields.member) == "GetCapabilities"

        while not asked_for_capabilities():
            pass
        assert desktop.close() is False  # still inside the call after two seconds
        with qtbot.waitSignal(desktop.ready, timeout=15_000):
            pass  # the call times out, the thread says so and ends
    assert desktop.close() is True  # nothing left to stop
