"""What the screen shows from the first painted inbox on: every distinct frame, as PNGs.

`xvfb-run -a -s "-screen 0 1100x760x24" python -m bench.first_frames DATA_DIR OUT_DIR TAG`
starts the real window (as the cold start child builds it) at 1024x700 on a real X
display, and from its first painted inbox on grabs the screen under the window every
20 ms for 1.5 s, keeping each frame that differs from the one before
(`TAG-NN-MSms.png`). Run it for two checkouts and compare: the first and the last
frames should be the same, and nothing should move in between (the start-up work
moved after the first paint must not show). Not offscreen: it reads the X server's
framebuffer, what a user would see.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from bench.measure_gui import _app_window, _paint_spy

SIZE = (1024, 700)
EVERY_MS, FRAMES = 20, 75


def main(data_dir: str, out: Path, tag: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{tag}-*.png"):
        old.unlink()
    app, window = _app_window(data_dir)
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    from app.main import leave_gui, quit_quickly, show_window

    window.move(0, 0)
    window.resize(*SIZE)
    state: dict[str, Any] = {"last": None, "n": 0, "t": 0.0}

    def grab() -> None:
        g = window.geometry()
        screen = QGuiApplication.primaryScreen()
        picture = screen.grabWindow(0, g.x(), g.y(), g.width(), g.height())
        image = picture.toImage()
        ms = (time.perf_counter() - state["t"]) * 1000
        if state["last"] is None or image != state["last"]:
            picture.save(str(out / f"{tag}-{state['n']:02d}-{ms:05.0f}ms.png"), "PNG")
            state["last"] = image
        state["n"] += 1
        if state["n"] < FRAMES:
            QTimer.singleShot(EVERY_MS, grab)
        else:
            app.quit()

    def painted() -> None:
        state["t"] = time.perf_counter()
        QTimer.singleShot(0, grab)  # once this paint is on the screen

    _paint_spy(window.thread_view.viewport(), lambda: window.thread_model.rowCount() > 0, painted)
    app.aboutToQuit.connect(lambda: quit_quickly(window))
    show_window(window)
    leave_gui(window, int(app.exec()))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), sys.argv[3])
