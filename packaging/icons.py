"""The hicolor icons: the SVG as it is, and PNGs rendered from it for docks that want pixels."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PNG_SIZES = (48, 128, 256)


def install_icons(svg: Path, hicolor: Path, icon_name: str) -> list[Path]:
    """Put `icon_name`.svg under scalable/apps and a PNG per size under NxN/apps."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window, no display needed
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    scalable = hicolor / "scalable" / "apps" / f"{icon_name}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written = [scalable]
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        png = hicolor / f"{size}x{size}" / "apps" / f"{icon_name}.png"
        png.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(png), "PNG"):
            raise OSError(f"could not write {png}")
        written.append(png)
    return written
