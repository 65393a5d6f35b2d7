"""The keychain and the desktop notifications import jeepney one at a time.

Both import it lazily on their own threads: the notifications' bus thread after the
first paint, a worker when it first reads the keychain (keyring -> secretstorage ->
jeepney.bus_messages). Imported at the same moment, Python's per-module import locks
can deadlock and it raises `_DeadlockError` in one thread: at start-up of 0.4.4 the
notifications' thread died of it and no desktop notification showed that session.
Each case runs in a fresh interpreter, where nothing has imported jeepney yet.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

WAIT_AT_THE_LOCK = textwrap.dedent(
    """
    import linecache, sys, threading, time
    from app.core.shared_imports import SHARED_IMPORTS

    def waits_at_the_lock(thread):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            frame = sys._current_frames().get(thread.ident)
            while frame is not None:
                if "SHARED_IMPORTS" in linecache.getline(frame.f_code.co_filename, frame.f_lineno):
                    return True
                frame = frame.f_back
            time.sleep(0.005)
        return False

    SHARED_IMPORTS.acquire()  # another thread is importing jeepney now
    thread = start()
    assert waits_at_the_lock(thread), "it did not wait for the other import"
    assert "jeepney" not in sys.modules, "it imported jeepney beside the other thread"
    SHARED_IMPORTS.release()
    thread.join(30)
    assert "jeepney" in sys.modules
    print("one at a time")
    """
)


def _run(start: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", start + WAIT_AT_THE_LOCK],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"},
    )


def test_the_notifications_thread_waits_while_another_thread_imports_jeepney():
    done = _run(
        textwrap.dedent(
            """
            from app.ui.desktop_notifications import DesktopNotifications
            notifications = DesktopNotifications()
            def start():
                notifications.start()
                return notifications._thread
            """
        )
    )
    assert done.returncode == 0 and "one at a time" in done.stdout, done.stderr


def test_the_keychain_waits_while_another_thread_imports_jeepney():
    done = _run(
        textwrap.dedent(
            """
            import threading
            from app.storage import credentials
            def start():
                thread = threading.Thread(target=credentials.backend_name)
                thread.start()
                return thread
            """
        )
    )
    assert done.returncode == 0 and "one at a time" in done.stdout, done.stderr
