"""Loads the photos the owner asks for, off the GUI thread, into the conversation view.

The bytes come from `PhotoSource` (disk cache, else the post's server, https
only, capped); Qt decodes them on the pool thread with an allocation limit,
so a corrupt or hostile file is a calm "could not be shown", never a freeze.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt
from PySide6.QtGui import QImage, QImageReader

from app.core.errors import PhotoRefused, ShopkeepError
from app.core.models import ThreadRow
from app.core.photos import PhotoSource
from app.ui.conversation_view import THUMB_WIDTH, ConversationPane
from app.ui.task_runner import TaskRunner

if TYPE_CHECKING:  # the viewer and the message box load with the first full-size photo
    from PySide6.QtWidgets import QMessageBox

    from app.ui.photo_viewer import PhotoViewer

MAX_DECODED_MB = 256  # a 8000 x 8000 photo fits; a "decompression bomb" does not


def decode(data: bytes, fit_width: int | None = None) -> QImage:
    """Qt's decoder on the given bytes (PNG, JPEG, WebP); refuses what it cannot read."""
    QImageReader.setAllocationLimit(MAX_DECODED_MB)
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
    image = reader.read()
    if image.isNull():
        raise PhotoRefused(
            f"photo not decoded: {reader.errorString()}",
            user_message="This photo could not be read (the file is damaged "
            "or in a format Shopkeep does not show).",
        )
    if fit_width and image.width() > fit_width * 2:  # keep a sharp thumbnail, not a 12 MP one
        image = image.scaledToWidth(fit_width * 2, Qt.TransformationMode.SmoothTransformation)
    return image


class PhotoLoader(QObject):
    """Connects the view's "Show photo" / full-size clicks to background fetches.

    `always` holds the accounts whose photos load without a click; `save_always`
    keeps that choice (settings.json), called on a pool thread.
    """

    def __init__(
        self,
        pane: ConversationPane,
        runner: TaskRunner,
        source: PhotoSource,
        always: set[int] | None = None,
        save_always: Callable[[list[int]], None] | None = None,
    ) -> None:
        super().__init__(pane)
        self.pane = pane
        self.view = pane.view
        self.runner = runner
        self.source = source
        self.always = set(always or ())
        self._save_always = save_always
        self.viewer: PhotoViewer | None = None
        self.problem: QMessageBox | None = None  # why the full size did not open
        pane.load_photos_for = self._loads_photos
        self.view.photo_wanted.connect(self.load_thumbnail)
        self.view.photo_opened.connect(self.open_full)
        self.view.photos_always.connect(self.set_always)

    def _loads_photos(self, thread: ThreadRow) -> bool:
        return thread.account_id in self.always

    def load_thumbnail(self, url: str) -> None:
        self.runner.run(
            lambda: self._decoded(url, THUMB_WIDTH),
            lambda image: self.view.set_photo(url, image),
            lambda exc: self.view.set_photo_failed(url, _words(exc)),
            name="photo thumbnail",
        )

    def _decoded(self, url: str, fit_width: int | None) -> QImage:
        """Runs on a pool thread; bytes that do not decode leave the cache."""
        data = self.source.photo(url)
        try:
            return decode(data, fit_width)
        except PhotoRefused:
            self.source.forget(url)
            raise

    def open_full(self, url: str, alt: str) -> None:
        self.runner.run(
            lambda: self._decoded(url, None),
            lambda image: self._show(image, alt),
            self._full_failed,
            name="photo full size",
        )

    def _show(self, image: QImage, alt: str) -> None:
        if self.viewer is not None:
            self.viewer.close()
        from app.ui.photo_viewer import PhotoViewer

        self.viewer = PhotoViewer(image, alt, self.view.window())
        self.viewer.destroyed.connect(self._viewer_gone)
        self.viewer.show()

    def _full_failed(self, exc: BaseException) -> None:
        """Said in a small window that does not block: the thumbnail stays as it was."""
        if self.problem is not None:
            self.problem.close()
        from PySide6.QtWidgets import QMessageBox

        self.problem = QMessageBox(
            QMessageBox.Icon.Information,
            "Photo",
            f"The full-size photo could not be opened. {_words(exc)}",
            QMessageBox.StandardButton.Ok,
            self.view.window(),
        )
        self.problem.setModal(False)
        self.problem.show()

    def _viewer_gone(self) -> None:
        self.viewer = None

    def set_always(self, on: bool) -> None:
        """Photos from the open thread's account load without a click (or stop doing so)."""
        thread = self.pane.current_thread
        if thread is None:
            return
        (self.always.add if on else self.always.discard)(thread.account_id)
        if self._save_always is not None:
            chosen, save = sorted(self.always), self._save_always
            self.runner.run(lambda: save(chosen), name="save photo setting")
        self.pane.show_thread(thread, self.pane.posts, self.pane.pending)


def _words(exc: BaseException) -> str:
    if isinstance(exc, ShopkeepError):
        return exc.user_message
    return "This photo could not be shown."
