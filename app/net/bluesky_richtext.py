"""Bluesky rich text: facets in UTF-8 byte offsets, both directions.

Bluesky posts are plain `text` plus `facets` that mark mentions, links and tags
by UTF-8 *byte* ranges (`byteStart` inclusive, `byteEnd` exclusive). Python
strings index code points, so every offset here goes through `str.encode`;
getting this wrong puts the mention highlight on the wrong word as soon as an
emoji or an accent comes before it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

try:  # written by another engineer; the fallback keeps this module usable alone
    from app.core.char_count import bluesky_bytes, bluesky_length
except ImportError:  # pragma: no cover - only before char_count.py lands

    def bluesky_length(text: str) -> int:
        """Rough grapheme count: code points that are not combining marks or joiners."""
        return sum(
            1
            for i, ch in enumerate(text)
            if unicodedata.category(ch) not in ("Mn", "Me", "Mc")
            and ch != "\u200d"
            and not ("\ufe00" <= ch <= "\ufe0f")
            and not ("\U0001f3fb" <= ch <= "\U0001f3ff")
            and not (i and text[i - 1] == "\u200d")
        )

    def bluesky_bytes(text: str) -> int:
        return len(text.encode("utf-8"))


MAX_GRAPHEMES = 300
MAX_BYTES = 3000

MENTION = "app.bsky.richtext.facet#mention"
LINK = "app.bsky.richtext.facet#link"
TAG = "app.bsky.richtext.facet#tag"

# Same shape as the official client's detector: "@" after start/space/"(",
# a dotted handle, and a word boundary after it.
_MENTION_RE = re.compile(r"(?:^|(?<=[\s(]))@([a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9])\b")
_LINK_RE = re.compile(r"(?:^|(?<=[\s(]))((?:https?://|www\.)[^\s]+)", re.IGNORECASE)
_TAG_RE = re.compile(r"(?:^|(?<=\s))[#＃]((?:\w|-)*[^\W\d_](?:\w|-)*)")
_TRAILING = ".,;:!?\"'"


@dataclass(frozen=True, slots=True)
class RichText:
    """A post's display text with what its facets pointed at."""

    text: str
    links: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # handles, without "@"
    mention_dids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def grapheme_count(text: str) -> int:
    """What Bluesky's 300 limit counts (user-perceived characters)."""
    return bluesky_length(text)


def byte_count(text: str) -> int:
    """What Bluesky's hidden 3000 limit counts."""
    return bluesky_bytes(text)


def _byte_index(text: str, char_index: int) -> int:
    return len(text[:char_index].encode("utf-8"))


def _facet(text: str, start: int, end: int, feature: dict[str, Any]) -> dict[str, Any]:
    return {
        "$type": "app.bsky.richtext.facet",
        "index": {"byteStart": _byte_index(text, start), "byteEnd": _byte_index(text, end)},
        "features": [feature],
    }


def _trim_link(url: str) -> str:
    url = url.rstrip(_TRAILING)
    if url.endswith(")") and "(" not in url:
        url = url[:-1]
    return url.rstrip(_TRAILING)


def detect_facets(
    text: str, resolve_handle: Callable[[str], str | None] | None = None
) -> list[dict[str, Any]]:
    """Facets for @mentions (resolved to DIDs; unresolvable ones stay plain text), links, tags."""
    facets: list[tuple[int, dict[str, Any]]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for m in _LINK_RE.finditer(text):
        url = _trim_link(m.group(1))
        if "." not in url.split("://", 1)[-1]:
            continue
        start, end = m.start(1), m.start(1) + len(url)
        uri = url if "://" in url else "https://" + url
        facets.append((start, _facet(text, start, end, {"$type": LINK, "uri": uri})))
        taken.append((start, end))
    for m in _MENTION_RE.finditer(text):
        handle = m.group(1).rstrip(".")
        start, end = m.start(), m.start(1) + len(handle)
        if "." not in handle or not free(start, end) or resolve_handle is None:
            continue
        did = resolve_handle(handle.lower())
        if did:
            facets.append((start, _facet(text, start, end, {"$type": MENTION, "did": did})))
            taken.append((start, end))
    for m in _TAG_RE.finditer(text):
        tag = m.group(1)
        start, end = m.start(), m.end()
        if len(tag) > 64 or not free(start, end):
            continue
        facets.append((start, _facet(text, start, end, {"$type": TAG, "tag": tag})))
        taken.append((start, end))
    return [f for _, f in sorted(facets, key=lambda item: item[0])]


def _is_char_boundary(data: bytes, index: int) -> bool:
    return index == len(data) or (0 <= index < len(data) and (data[index] & 0xC0) != 0x80)


def _valid_facets(data: bytes, facets: Iterable[Any]) -> list[tuple[int, int, list[Any]]]:
    """In-range, non-overlapping facets on character boundaries, in order."""
    spans: list[tuple[int, int, list[Any]]] = []
    for facet in facets:
        if not isinstance(facet, Mapping):
            continue
        index = facet.get("index")
        features = facet.get("features")
        if not isinstance(index, Mapping) or not isinstance(features, list):
            continue
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
            continue
        if end > len(data) or not (_is_char_boundary(data, start) and _is_char_boundary(data, end)):
            continue
        spans.append((start, end, features))
    spans.sort(key=lambda s: s[0])
    kept: list[tuple[int, int, list[Any]]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _link_display(shown: str, uri: str) -> str:
    """Show where a link really goes: the full URL, with any custom anchor text kept beside it."""
    bare = uri.split("://", 1)[-1]
    stub = shown.strip().rstrip(".…").removeprefix("https://").removeprefix("http://")
    if shown.strip() in (uri, bare) or (stub and bare.startswith(stub)):
        return uri
    return f"{shown} ({uri})"


def decode(text: str, facets: Iterable[Any] | None) -> RichText:
    """Plain display text plus the links, mentions and tags the facets mark."""
    data = text.encode("utf-8")
    out: list[str] = []
    links: list[str] = []
    handles: list[str] = []
    dids: list[str] = []
    tags: list[str] = []
    pos = 0
    for start, end, features in _valid_facets(data, facets or ()):
        out.append(data[pos:start].decode("utf-8"))
        shown = data[start:end].decode("utf-8")
        piece = shown
        for feature in features:
            if not isinstance(feature, Mapping):
                continue
            kind = feature.get("$type")
            if kind == LINK and isinstance(feature.get("uri"), str):
                uri = feature["uri"]
                if uri.lower().startswith(("https://", "http://")):
                    links.append(uri)
                    piece = _link_display(shown, uri)
            elif kind == MENTION and isinstance(feature.get("did"), str):
                dids.append(feature["did"])
                if shown.startswith("@"):
                    handles.append(shown[1:])
            elif kind == TAG and isinstance(feature.get("tag"), str):
                tags.append(feature["tag"])
        out.append(piece)
        pos = end
    out.append(data[pos:].decode("utf-8"))
    return RichText(
        text="".join(out),
        links=tuple(dict.fromkeys(links)),
        mentions=tuple(dict.fromkeys(handles)),
        mention_dids=tuple(dict.fromkeys(dids)),
        tags=tuple(dict.fromkeys(tags)),
    )


def facet_text(text: str, facet: Mapping[str, Any]) -> str:
    """The substring a facet covers (handy in tests and logs)."""
    index = facet["index"]
    return text.encode("utf-8")[index["byteStart"] : index["byteEnd"]].decode("utf-8")
