"""Character counts the way each network counts them, for the composer's live counter.

A reply that the server rejects for length is a reply the owner has to rewrite
on the spot, so the counter has to agree with the server:

* Mastodon counts user-perceived characters, every http(s) link as 23 and a
  remote mention ``@user@domain`` as just ``@user``.
* Bluesky allows 300 graphemes *and* 3000 UTF-8 bytes.

No third-party segmenter is shipped, so `graphemes` approximates Unicode
extended grapheme clusters (UAX #29) with `unicodedata`: combining marks,
zero-width-joiner sequences, variation selectors, emoji modifiers, flag pairs,
tag sequences and Hangul jamo. That covers what people actually type.
"""

from __future__ import annotations

import re
import unicodedata

MASTODON_URL_WEIGHT = 23
BLUESKY_MAX_GRAPHEMES = 300
BLUESKY_MAX_BYTES = 3000

_ZWJ = "\u200d"
_CR, _LF = "\r", "\n"

# Mastodon's own patterns, simplified: a URL runs to the next whitespace, minus
# trailing punctuation; a mention starts at a word boundary that is not part of a URL.
_URL_RE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_URL_TRAILING = ".,:;!?'\")]}"
_MENTION_RE = re.compile(
    r"(?<![\w/@])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[a-z0-9.-]+[a-z0-9]", re.IGNORECASE
)


def _is_regional_indicator(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _extends(ch: str) -> bool:
    """True for code points that never start a cluster of their own."""
    if ch == _ZWJ:
        return True
    if "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef":  # variation selectors
        return True
    if "\U0001f3fb" <= ch <= "\U0001f3ff":  # skin-tone modifiers
        return True
    if "\U000e0020" <= ch <= "\U000e007f":  # tag characters (England, Scotland flags)
        return True
    if "\u1160" <= ch <= "\u11ff" or "\ud7b0" <= ch <= "\ud7ff":  # Hangul medial/final jamo
        return True
    # Mn/Me (accents, keycap enclosure) and Mc (spacing marks in Indic scripts).
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def graphemes(text: str) -> list[str]:
    """Split text into user-perceived characters (approximate extended grapheme clusters)."""
    clusters: list[str] = []
    current = ""
    ri_run = 0  # regional indicators in the current cluster, to pair flags
    for ch in text:
        if not current:
            current = ch
            ri_run = 1 if _is_regional_indicator(ch) else 0
            continue
        prev = current[-1]
        join = False
        if prev == _CR and ch == _LF:
            join = True
        elif prev in (_CR, _LF) or ch in (_CR, _LF):
            join = False
        elif prev == _ZWJ:
            join = True  # 👩 ZWJ 👩 ZWJ 👧: the joiner glues the next pictograph on
        elif _extends(ch):
            join = True
        elif _is_regional_indicator(ch) and ri_run == 1 and _is_regional_indicator(prev):
            join = True  # the second half of a flag
        if join:
            current += ch
            if _is_regional_indicator(ch):
                ri_run += 1
        else:
            clusters.append(current)
            current = ch
            ri_run = 1 if _is_regional_indicator(ch) else 0
    if current:
        clusters.append(current)
    return clusters


def count_graphemes(text: str) -> int:
    """How many characters a person sees; what Bluesky and Mastodon limit."""
    return len(graphemes(text))


def _countable_mastodon_text(text: str, url_weight: int) -> str:
    placeholder = "x" * url_weight

    def shorten_url(match: re.Match[str]) -> str:
        url = match.group(0)
        trimmed = url.rstrip(_URL_TRAILING)
        return placeholder + url[len(trimmed) :]

    text = _URL_RE.sub(shorten_url, text)
    return _MENTION_RE.sub(lambda m: "@" + m.group(1), text)


def mastodon_length(text: str, url_weight: int = MASTODON_URL_WEIGHT) -> int:
    """Length as a Mastodon server checks it: links weigh `url_weight`, @user@domain is @user."""
    return count_graphemes(_countable_mastodon_text(text, url_weight))


def bluesky_length(text: str) -> int:
    """Bluesky's visible limit (300) is in graphemes."""
    return count_graphemes(text)


def bluesky_bytes(text: str) -> int:
    """Bluesky's hidden limit (3000) is in UTF-8 bytes; long emoji runs hit it first."""
    return len(text.encode("utf-8"))
