"""Real image bytes for the photo tests, encoded by Qt's own image writers."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage


def image_bytes(fmt: str, width: int = 64, height: int = 48, colour: str = "#d55e00") -> bytes:
    """A solid `colour` picture of `width` x `height` in `fmt` ("PNG", "JPEG", "WEBP")."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt), f"Qt cannot write {fmt}"
    buffer.close()
    return bytes(data.data())


def corrupt_png() -> bytes:
    """A PNG signature and header followed by garbage: passes the magic check, fails to decode."""
    return image_bytes("PNG")[:40] + b"\x00garbage" * 50
