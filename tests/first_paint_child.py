"""Child process for tests/test_first_paint.py: start the real window over a data folder
and say, at the first painted inbox and later, whether the sentiment scorer is loaded,
and which of the modules nothing on the first screen needs were loaded before it."""

from __future__ import annotations

import enum
import gc
import sys

SCORER = "app.core.sentiment.scorer"
# Not on the first painted inbox: each is loaded when its window, dialog or job needs it.
NOT_ON_SCREEN = (
    SCORER,
    "vaderSentiment",
    "requests",  # the network clients and the photo fetcher
    "keyring",
    "multiprocessing",  # the scoring workers
    "jeepney",  # the desktop notifications' D-Bus connection
    "PySide6.QtCharts",
    "app.core.reports",
    "app.ui.reports_window",
    "app.ui.export_dialog",
    "app.ui.accounts_dialog",
    "app.ui.add_account_dialog",
    "app.ui.templates_dialog",
    # one laptop's inbox: team mode's dialog, services and banner wait for File → Team…
    "app.ui.team_dialog",
    "app.services.team_mode",
    "app.storage.inbox_copy",
    "app.ui.team_banner",
    # answering: no conversation is open at the first paint; built right after it
    "app.ui.answer_pane",
    "app.ui.answer_services",
    "app.ui.composer",
    "app.ui.composer_parts",
    "app.ui.draft_saver",
    "app.ui.reply_sender",
    "app.ui.history_panel",
    "app.ui.thread_actions",
    "app.ui.row_menu",
    "app.core.templates",  # the composer's canned replies and their suggestion
    "app.core.suggestion",
    "app.core.reply_rules",
    "difflib",  # the scripted-replies check
    "app.ui.settings_dialog",  # its widgets: the window reads the settings alone
    "app.ui.about_box",
    "app.ui.dialogs",  # message boxes
    "app.ui.label_menu",  # a sentiment chip's menu
    "app.ui.word_list_dialog",
    "app.ui.photo_viewer",  # a customer's photo at full size
    "psycopg2",  # PostgreSQL's driver: a team database loads it when opened
    "ssl",  # (psycopg2 brought it)
)

# Qt widget classes no part of the first screen is: PySide sets a class up (and creates
# its enum classes) when first asked for it, and it asks for all of these when it looks
# for the Python type of a QWidget Qt made by itself (~10 ms before the first paint).
UNUSED_QT_CLASSES = ("QCalendarWidget", "QMdiArea", "QWizard", "QFileDialog", "QLCDNumber")


def qt_classes_set_up(names: tuple[str, ...]) -> list[str]:
    """Which of these Qt classes have their enum classes created by now."""
    gc.unfreeze()  # show_window froze what start-up made: gc.get_objects() leaves that out
    found = {
        obj.__qualname__.split(".")[0]
        for obj in gc.get_objects()
        if isinstance(obj, enum.EnumType) and obj.__module__.startswith("PySide6")
    }
    gc.freeze()
    return sorted(found & set(names))


def main(data_dir: str) -> None:
    from PySide6.QtCore import QTimer

    from app.main import show_window
    from bench.measure_gui import _app_window, _paint_spy

    app, window = _app_window(data_dir)

    def later(tries: int = 0) -> None:
        if SCORER in sys.modules or tries > 600:
            print(f"later: {SCORER in sys.modules}", flush=True)
            window.runner.shutdown()
            app.quit()
            return
        QTimer.singleShot(50, lambda: later(tries + 1))

    def painted() -> None:
        print(
            f"at first paint: {SCORER in sys.modules}, {window.thread_model.rowCount()} rows",
            flush=True,
        )
        early = [name for name in NOT_ON_SCREEN if name in sys.modules]
        print(f"loaded before the first paint: {early}", flush=True)
        print(f"Qt classes set up before it: {qt_classes_set_up(UNUSED_QT_CLASSES)}", flush=True)
        QTimer.singleShot(0, later)

    _paint_spy(window.thread_view.viewport(), lambda: window.thread_model.rowCount() > 0, painted)
    show_window(window)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1])
