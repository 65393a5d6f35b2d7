"""The scripted walkthrough: the main screens at the sizes people use, to PNGs, checked.

`python -m tests.walkthrough OUTDIR` renders the demo shop at 1024×700, 1440×900 and
1920×1080 (offscreen, or under Xvfb with QT_QPA_PLATFORM=xcb) and prints what it
found wrong; `tests/test_ui_walkthrough.py` runs the same and fails on any finding.
Checks, by the widgets' geometry: no pane moves when the selection changes, no label,
button or combo is clipped (elided text only where meant), and every Tab stop is a
visible widget inside the window. The README's pictures are this walkthrough's
inbox and composer at 1440×900 (`--readme` copies them into resources/screenshots).
`--scheme dark` walks the dark scheme (pictures named `*-dark.png`; with `--readme` the
inbox becomes resources/screenshots/inbox-dark.png); `--size 1440x900` walks one size.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QModelIndex, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui_layout_support import clipped_widgets, pane_rects

SIZES = ((1024, 700), (1440, 900), (1920, 1080))
ROWS_TO_VISIT = 12
README_SIZE = (1440, 900)


@dataclass
class Walk:
    size: tuple[int, int]
    pictures: dict[str, Path] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def settle(window: Any, rounds: int = 2) -> None:
    """Let background reads deliver and layouts settle."""
    loop = QEventLoop()
    for _ in range(rounds):
        window.runner.wait_idle(3000)
        QTimer.singleShot(30, loop.quit)
        loop.exec()
        QApplication.processEvents()


def grab(widget: QWidget, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def tab_stops(window: QWidget, limit: int = 60) -> list[QWidget]:
    """The widgets Tab visits, in order, starting from the thread list."""
    start = window.thread_view  # type: ignore[attr-defined]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    widget: QWidget | None = start
    for _ in range(limit):
        widget = widget.nextInFocusChain() if widget is not None else None
        while widget is not None and not (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isEnabled()
            and widget.isVisibleTo(window)
        ):
            widget = widget.nextInFocusChain()
            if widget is start:
                break
        if widget is None or widget is start or widget in seen:
            break
        seen.append(widget)
    return seen


def check_tab_stops(window: QWidget, walk: Walk) -> None:
    frame = window.rect()
    for widget in tab_stops(window):
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        name = widget.accessibleName() or widget.objectName() or type(widget).__name__
        if rect.width() < 4 or rect.height() < 4 or not frame.contains(rect.center()):
            walk.problems.append(f"{walk.size}: Tab stop {name!r} is not visible ({rect})")


def check_clipping(window: Any, walk: Walk, where: str, root: QWidget | None = None) -> None:
    elide = (window.filter_bar.account,)
    for found in clipped_widgets(root or window, meant_to_elide=elide):
        walk.problems.append(f"{walk.size} {where}: {found}")


def walk_window(window: Any, size: tuple[int, int], out: Path, suffix: str = "") -> Walk:
    """The main screens at one size: inbox, every row opened, composer, folders, dialogs."""
    walk = Walk(size)
    w, h = size
    tag = f"{w}x{h}{suffix}"
    window.resize(w, h)
    window.show()
    settle(window)
    if (window.width(), window.height()) != size:
        walk.problems.append(f"{size}: the window is {window.width()}x{window.height()}")
    model = window.thread_model
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    window.select_row(0)
    settle(window)
    walk.pictures["inbox"] = grab(window, out / f"inbox-{tag}.png")
    before = pane_rects(window)
    for row in range(min(model.rowCount(), ROWS_TO_VISIT)):
        window.select_row(row)
        settle(window, 1)
        if pane_rects(window) != before:
            walk.problems.append(
                f"{size}: a pane moved when row {row} opened: {before} -> {pane_rects(window)}"
            )
        check_clipping(window, walk, f"row {row}")
    window.select_row(0)
    settle(window)
    composer = window.answer_pane.composer
    composer.use_suggestion()
    composer.focus_editor()
    settle(window)
    walk.pictures["composer"] = grab(window, out / f"composer-{tag}.png")
    check_clipping(window, walk, "composer")
    check_tab_stops(window, walk)
    composer.editor.clear()

    folders = window.folder_model
    from app.core.models import Folder

    window.folder_view.setCurrentIndex(folders.index(folders.row_of_folder(Folder.NEGATIVE)))
    settle(window)
    walk.pictures["complaints"] = grab(window, out / f"complaints-{tag}.png")
    check_clipping(window, walk, "complaints folder")
    window.folder_view.setCurrentIndex(folders.index(folders.row_of_folder(Folder.ALL)))
    settle(window)

    for name, open_dialog in (
        ("templates", window.answer_pane.open_templates),
        ("words", window.corrections.edit_words),
        ("export", _open_export(window)),
    ):
        dialog = open_dialog()
        settle(window)
        walk.pictures[name] = grab(dialog, out / f"{name}-{tag}.png")
        check_clipping(window, walk, f"{name} dialog", dialog)
        dialog.close()
        settle(window, 1)

    reports = _open_reports(window)
    reports.resize(w, h)
    reports.show()
    settle(window)  # the window's runner counts the report too
    walk.pictures["reports"] = grab(reports, out / f"reports-{tag}.png")
    check_clipping(window, walk, "reports", reports)
    reports.close()
    settle(window, 1)
    return walk


def _open_reports(window: Any) -> Any:
    """File → Reports…, as the owner opens it."""
    from app.ui.reports_window import ReportsWindow

    action = next(a for a in window.menus["file"].actions() if a.text() == "Reports…")
    action.trigger()
    return window.findChild(ReportsWindow)


def _open_export(window: Any) -> Any:
    def open_it() -> Any:
        window.export_action.trigger()
        return window.export_dialog

    return open_it


def run(out: Path, sizes: tuple[tuple[int, int], ...] = SIZES, scheme: str = "light") -> list[Walk]:
    """Build the app's own window over a fresh demo shop per size and walk it."""
    from app.core.paths import resolve_paths
    from app.main import build_window
    from app.ui.app_style import use_scheme
    from app.ui.application import make_application

    make_application([])
    walks = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as data:
            paths = resolve_paths(Path(data) / "data")
            window = build_window(paths, demo=True, synchronous=True)
            use_scheme(scheme)
            try:
                walks.append(
                    walk_window(window, size, out, "" if scheme == "light" else f"-{scheme}")
                )
            finally:
                window.runner.shutdown()
                window.close()
                window.deleteLater()
                QApplication.processEvents()
    return walks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.walkthrough")
    parser.add_argument("out", type=Path, help="folder for the PNGs")
    parser.add_argument(
        "--readme",
        action="store_true",
        help="also copy the 1440x900 inbox, composer and reports to resources/screenshots",
    )
    parser.add_argument("--scheme", choices=("light", "dark"), default="light")
    parser.add_argument("--size", help="one size only, e.g. 1440x900")
    args = parser.parse_args(argv)
    sizes = (tuple(int(n) for n in args.size.split("x")),) if args.size else SIZES
    walks = run(args.out, sizes, args.scheme)  # type: ignore[arg-type]
    for walk in walks:
        for problem in walk.problems:
            print(problem)
        print(
            f"{walk.size[0]}x{walk.size[1]}: {len(walk.pictures)} pictures, "
            f"{len(walk.problems)} problems"
        )
    if args.readme:
        readme = next(w for w in walks if w.size == README_SIZE)
        shots = Path(__file__).resolve().parent.parent / "resources" / "screenshots"
        targets = (
            (("inbox", "inbox.png"), ("composer", "composer.png"), ("reports", "reports.png"))
            if args.scheme == "light"
            else (("inbox", f"inbox-{args.scheme}.png"),)
        )
        for name, target in targets:
            shutil.copyfile(readme.pictures[name], shots / target)
    return 1 if any(w.problems for w in walks) else 0


if __name__ == "__main__":
    sys.exit(main())
