"""Text from a server, made safe to show in a terminal, a tooltip, a log or the database.

A server (or a customer) controls every string it sends: an ESC or OSC
sequence in an error body retitles the terminal, clears it or writes the
clipboard; a right-to-left override in a handle reverses the line around it;
a newline forges a second line of output; a 300 KB error fills the screen.
These functions drop terminal escape sequences, C0/C1 control characters
and bidi overrides, and cut a one-line string to a sane length.
"""

from __future__ import annotations

import re

from app.core.known_secrets import redact_known

MAX_LINE = 500  # a server's sentence (an error, a handle, a name): more is never useful
ELLIPSIS = "…"

# A whole escape sequence goes, not only its ESC: CSI (colours, cursor moves, clear
# screen), OSC (window title, clipboard, hyperlinks) ended by BEL or ST, and the
# 8-bit forms (U+009B CSI, U+009D OSC) some terminals still obey.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC ... BEL / ST
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-_ -/]?[0-~]?"  # any other ESC sequence (or a lone ESC)
)
# Bidi embeddings, overrides and isolates, and the Arabic letter mark: they reorder
# the text around them. The plain LRM/RLM marks have no reach and stay in text.
_BIDI = "\u061c\u202a-\u202e\u2066-\u2069"
_OTHER_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# For text that keeps its lines (a post): other C0, DEL, C1, and bidi controls.
_BLOCK_JUNK = re.compile(f"[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f{_BIDI}]")
# For a single line: bidi controls (LRM/RLM too) go; every control or break is a space.
_LINE_BIDI = re.compile(f"[{_BIDI}\u200e\u200f]+")
_LINE_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r"[ \t]{2,}")
_LINE_NEEDS = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u200e\u200f\u2028\u2029]")
_BLOCK_NEEDS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")


def clean_line(text: object, limit: int = MAX_LINE) -> str:
    """One safe line: escapes and controls gone, breaks become spaces, at most `limit`."""
    value = text if isinstance(text, str) else str(text)
    if len(value) <= limit and not _LINE_NEEDS.search(value):
        return value  # the common case: nothing to clean
    value = _ESCAPES.sub("", value[: limit * 4])  # never scan megabytes for one line
    value = _LINE_JUNK.sub(" ", _LINE_BIDI.sub("", value))
    value = _SPACES.sub(" ", value).strip()
    return cut(value, limit)


def clean_error(text: object, limit: int = MAX_LINE) -> str:
    """An error sentence fit to store or show: one clean line, no credential of ours in it.

    Secrets go before the cut, so a cut can never leave the first half of one behind.
    """
    return clean_line(redact_known(text if isinstance(text, str) else str(text)), limit)


def clean_block(text: str) -> str:
    """Multi-line text (a post) with escapes, controls and bidi overrides removed.

    Newlines and tabs stay; CR, form feeds and Unicode line separators become newlines.
    """
    if not _BLOCK_NEEDS.search(text):
        return text
    value = _OTHER_BREAKS.sub("\n", _ESCAPES.sub("", text))
    return _BLOCK_JUNK.sub("", value)


def cut(text: str, limit: int) -> str:
    """`text` at most `limit` characters, an ellipsis marking the cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def for_log(message: str) -> str:
    """A log message that cannot forge a log line or drive the terminal that shows it.

    Escapes and controls go; each line after the first is indented, so a message can
    never start a line of its own that looks like another entry.
    """
    if message.isascii() and message.isprintable():
        return message
    value = clean_block(message)
    return value.replace("\n", "\n    ") if "\n" in value else value
