"""Child process for tests/test_leave_with_work_running.py: open the real window over a
demo inbox, optionally start a job that is still running when the owner quits (a
request waiting on a slow server), quit as the window's close does, then leave as
`python -m app` leaves."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from app.core.paths import resolve_paths
from app.main import (
    build_window,
    configure_logging,
    leave_gui,
    load_plain_layers,
    quit_quickly,
    show_window,
)

QUIT_CODE = 3


def main(data_dir: Path, busy: bool) -> None:
    load_plain_layers()
    from PySide6.QtCore import QTimer

    from app.ui.application import make_application

    app = make_application([])
    paths = resolve_paths(str(data_dir))
    paths.ensure()
    configure_logging(paths)
    window = build_window(paths, demo=True)
    answered = threading.Event()  # never set: the server does not answer before the quit
    if busy:
        window.runner.run(answered.wait, name="a request to a slow server")
    app.aboutToQuit.connect(lambda: quit_quickly(window, 200))
    show_window(window)
    if busy:
        QTimer.singleShot(0, lambda: app.exit(QUIT_CODE))
    else:  # quit once start-up's own work (demo inbox, scoring, learning) is done

        def quit_when_idle() -> None:
            if not window.runner.is_busy() and window.runner.wait_idle(0):
                app.quit()
            else:
                QTimer.singleShot(20, quit_when_idle)

        quit_when_idle()
    code = leave_gui(window, int(app.exec()))
    print(f"left the event loop with {code}", flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] == "busy")
