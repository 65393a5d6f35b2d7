"""Tooltips that show their words, never HTML.

Qt renders a tooltip as rich text whenever it *looks* like HTML, so an error
a server wrote ("<b style=color:red>ACCOUNT SUSPENDED</b>", an <img> from
disk, a fake link) would be drawn as markup. Every tooltip that can hold text
from outside goes through `plain_tip`: escaped and wrapped, shown as typed.
"""

from __future__ import annotations

from PySide6.QtGui import Qt


def plain_tip(text: str | None) -> str:
    """`text` as a tooltip Qt shows literally (line breaks kept); "" stays "" (no tip)."""
    if not text:
        return ""
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
