"""Help → About (issue 22): the version, the data folder with an Open button, the log
folder and the licence, so the owner can answer "where are your files?" on the phone."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from app.ui.about_box import AboutBox
from app.ui.application import make_application
from tests.ui_sync_support import open_window

ROOT = Path(__file__).resolve().parent.parent


class FileManager(QObject):
    """Stands in for the desktop's file manager: Qt hands it every file:// URL opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


@pytest.fixture
def file_manager():
    manager = FileManager()
    QDesktopServices.setUrlHandler("file", manager, "show")
    yield manager
    QDesktopServices.unsetUrlHandler("file")


def test_about_shows_version_folders_and_licence_and_opens_the_data_folder(
    qtbot, ui_paths, app_store, keychain, file_manager
):
    make_application([])
    window = open_window(qtbot, ui_paths, app_store, keychain, demo=True)
    about = next(a for a in window.menus["help"].actions() if a.text() == "About Shopkeep")
    about.trigger()
    box = window.findChild(AboutBox, "aboutBox")
    assert box is not None and box.isVisible()
    assert box.text() == f"Shopkeep {importlib.metadata.version('shopkeep')}"
    assert box.folder_labels["Your data"].text() == str(ui_paths.data_dir)
    assert box.folder_labels["Logs"].text() == str(ui_paths.log_dir)
    assert "GPL-3.0-or-later" in box.licence.text()
    assert "GNU GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text()[:200]
    assert "Version 3" in (ROOT / "LICENSE").read_text()[:200]

    box.open_buttons["Your data"].click()
    assert file_manager.opened == [ui_paths.data_dir]
    box.open_buttons["Logs"].click()
    assert file_manager.opened[-1] == ui_paths.log_dir
    assert box.isVisible()  # Open does not close the box
    box.close()
