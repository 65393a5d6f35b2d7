"""A photo at full size in its own window, with its alt text underneath."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget


class PhotoViewer(QDialog):
    """Not modal: the owner can keep it open beside the conversation while answering."""

    def __init__(self, image: QImage, alt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoViewer")
        self.setWindowTitle("Photo")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.picture = QLabel(self)
        self.picture.setPixmap(QPixmap.fromImage(image))
        self.picture.setAccessibleName(alt or "Photo without a description")
        scroll = QScrollArea(self)
        scroll.setWidget(self.picture)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(scroll, 1)
        self.alt = QLabel(alt or "The poster gave no description of this photo.", self)
        self.alt.setWordWrap(True)
        self.alt.setTextFormat(Qt.TextFormat.PlainText)  # the poster's words, never markup
        layout.addWidget(self.alt)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        width = min(image.width() + 60, screen.width() * 9 // 10 if screen else 1200)
        height = min(image.height() + 140, screen.height() * 9 // 10 if screen else 900)
        self.resize(max(width, 320), max(height, 240))
