"""Text clean-up before scoring: mask what is not the customer's opinion, split hashtags.

Handles, links and the shop's own name often are lexicon words ("@GreatCoffee",
"#BestBakery") and would otherwise be read as praise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from app.core.sentiment.engine import base_analyzer
from app.core.sentiment.lexicons import word_set

# Characters an export left escaped ("can\u2019t", "&amp;"): VADER would read
# "sucks\u002c" as an unknown word and "can\u2019t" as no negation.
_ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})")
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#39);")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&#39;": "'"}
# The lookbehinds sit after the first character so that `re` can jump from "@" to "@"
# (a literal first character) instead of trying the pattern at every position.
_HANDLE = re.compile(r"@(?<![\w@]@)[\w.\-]+(?:@[\w.\-]+)?")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# A tag followed by another tag ends a clause: "#neveragain #fail" is two verdicts, and
# "never" must not negate "fail". A lone "#not" or "#still" leads into the next tag.
_HASHTAG = re.compile(r"#(?<![\w#]#)(\w+)(?=(\s+#\w)?)")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# A short double-quoted span inside a longer message: what a cake, a sign or a
# message says, not what the customer thinks ("it says "Happy Birthday"").
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{1,60})[\"\u201d]")
_QUOTE_MAX_WORDS = 6
# Scare quotes: one or two lower-case words quoted before the thing they describe
# ("the 'handmade' mug", "your "express" delivery", "the 'same day' repair") or after
# "been" ("has been 'down' all week") doubt the claim, and so does a shop's claim word
# after "a" ("a 'new' phone"). Other quoted words after "a" or "is" are mostly a term
# or someone's words ("a 'ball-gown' is", "he said it was 'awesome'"), a title or a
# name is capitalised, and a longer quote is what a sign says: all left alone.
_SCARE = re.compile(
    r"(?<![\w'])['\u2018\"\u201c]([a-z][a-z\-]*(?: [a-z][a-z\-]*)?)['\u2019\"\u201d]"
    r"(?![\w'])( \w+)?"
)
_SCARE_BEFORE_NOUN = word_set("the your their our its this these those my")
_A = word_set("a an")
# What a shop claims of a thing: quoted after "a", these doubt it ("a 'new' phone").
_CLAIMS = word_set(
    "new fresh express luxury handmade organic genuine original clean premium deluxe "
    "waterproof guaranteed homemade free quick fast brand-new same-day next-day"
)
_NAMING = word_set("call calls called calling name names named dubbed nicknamed known")
# The quoted word names a label on a screen or a sign: 'the "buy" button'.
_LABELLED = word_set(
    "button buttons tab link option menu setting key field page box sign label icon"
)
# Where a clause ends: VADER's negation must not reach across these.
_CLAUSE_CHARS = frozenset(".!?;:,")
# Other ways to say "but": what follows is the point ("Lovely staff. However, the room
# was freezing"; "Great cake, shame about the box"; "Cute tin. Smells of nothing though.").
_HOWEVER = re.compile(r"\bhowever\b", re.IGNORECASE)
_SHAME = re.compile(
    r"(?:^|(?<=[.!?,;:] ))(?=(?:(?:it'?s|its|what|such) )?(?:a )?(?:shame|pity)\b)", re.IGNORECASE
)
_THOUGH = re.compile(
    r"(?:^|(?<=[.!?] ))(?=[^.!?\n]*\b(?:though|tho)(?:[.!?]+(?:\s|$)|\s*$))", re.IGNORECASE
)
_NO_CAP = re.compile(r"\bno cap\b", re.IGNORECASE)
_HASHTAG_WORDS = word_set(
    "a an the i my me we our you your it is was not no never again so too very worst "
    "best fail epic customer service still waiting where order help "
    # nouns that follow an opinion word in a tag: #goodtimes, #badday, #greatfood
    "times time day days night life vibes food coffee cake bread shop store staff team "
    "delivery parcel experience weekend morning ever "
    # the kinds of shop a tag names: #bakeryfail, #garagefail, #cafelife
    "bakery cafe pub restaurant salon barber garage florist butcher pharmacy hotel gym "
    "takeaway market brewery bookshop"
)
_LEADING_TAGS = word_set("not no never still so very too really totally")


def unescape(text: str) -> str:
    """Undo escapes an export or an HTML feed left in the text ("\\u2019", "&amp;", "&lt;3")."""
    if "\\u" in text:
        text = _ESCAPED.sub(_decoded, text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group()], text)
    return text


def _decoded(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return m.group() if 0xD800 <= code <= 0xDFFF else chr(code)  # half a pair: leave it


def mask(text: str, business_names: Sequence[str]) -> tuple[str, bool]:
    """Drop links, @handles and the business's own name; say whether a name was masked."""
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _HANDLE.sub(" ", text)
    if " '" in text or '"' in text or "\u2018" in text or "\u201c" in text:
        text = scare_quotes(text)
    if '"' in text or "\u201c" in text:
        text = _mask_quotes(text)
    masked = False
    if business_names:
        pattern = _name_pattern(tuple(business_names))
        if pattern is not None:
            text, n = pattern.subn(" ", text)
            masked = n > 0
    return text, masked


def scare_quotes(text: str) -> str:
    """ "the 'handmade' mug" -> "the so-called handmade mug", which the phrase rules
    read as a doubted claim; other quotes are left as they are."""

    def doubted(m: re.Match[str]) -> str:
        before = text[max(0, m.start() - 24) : m.start()].lower().split()
        last = before[-1] if before else ""
        if " " in m.group(1) and not _NAMING.isdisjoint(before[-4:]):
            return m.group()  # "my son calls it the 'crunchy bread'": a name
        after = m.group(2)
        if after and after.strip().lower() in _LABELLED:
            return m.group()
        claim = last in _A and m.group(1) in _CLAIMS  # "a 'new' phone with old photos on it"
        if last == "been" or ((last in _SCARE_BEFORE_NOUN or claim) and after):
            # two words join as one ("so-called deep-clean"): neither counts as praise
            return "so-called " + m.group(1).replace(" ", "-") + (after or "")
        return m.group()

    return _SCARE.sub(doubted, text)


def _mask_quotes(text: str) -> str:
    """Blank short quotations when the customer's own words around them carry the post."""

    def blank(m: re.Match[str]) -> str:
        return " " if len(m.group(1).split()) <= _QUOTE_MAX_WORDS else m.group()

    masked = _QUOTED.sub(blank, text)
    return masked if len(masked.split()) >= 4 else text


@lru_cache(maxsize=32)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for every spelling of the shop's names: "Great Coffee", #GreatCoffee."""
    alts = []
    for name in names:
        words = re.findall(r"\w+", name)
        if words:
            alts.append(r"[\s_\-]*".join(re.escape(w) for w in words))
    if not alts:
        return None
    return re.compile(r"(?<!\w)#?(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def reword(text: str) -> str:
    """Say a few idioms the way VADER reads them: "however", a clause opening with
    "shame"/"pity" and a sentence ending in "though" become "but", so the point made
    after them counts more; "no cap" (slang for "honestly") must not negate."""
    low = text.lower()
    if "no cap" in low:
        text = _NO_CAP.sub("nocap", text)
    if "however" in low:
        text = _HOWEVER.sub("but", text)
    if "shame" in low or "pity" in low:
        text = _SHAME.sub("but ", text, count=1)
    if "though" in low or " tho" in low:  # not every "those" and "thought"
        text = _THOUGH.sub("but ", text, count=1)
    return text


def split_hashtags(text: str) -> str:
    """#NeverAgain -> "never again", #worstservice -> "worst service", so the words count."""
    if "#" not in text:
        return text
    return _HASHTAG.sub(_split_match, text)


def _split_match(m: re.Match[str]) -> str:
    words = _split_tag(m.group(1))
    return words + "," if m.group(2) and words not in _LEADING_TAGS else words


@lru_cache(maxsize=4096)
def _split_tag(tag: str) -> str:
    if not tag.islower() and not tag.isupper():
        return " ".join(_CAMEL.findall(tag.replace("_", " "))).lower()
    if "_" in tag:
        return tag.replace("_", " ").lower()
    return " ".join(_segment(tag.lower()))


def _segment(tag: str) -> list[str]:
    """Split an all-lowercase tag into known words; keep it whole if that fails."""
    vocab = _vocabulary()
    if tag in vocab or len(tag) > 30:
        return [tag]
    # best[i]: fewest-word split of tag[:i] into known words (>= 2 letters, or "i"/"a").
    best: list[list[str] | None] = [None] * (len(tag) + 1)
    best[0] = []
    for end in range(1, len(tag) + 1):
        for start in range(max(0, end - 15), end):
            prev = best[start]
            piece = tag[start:end]
            if prev is None or piece not in vocab:
                continue
            if best[end] is None or len(prev) + 1 < len(best[end] or ()):
                best[end] = [*prev, piece]
    return best[-1] or [tag]


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    lexicon = base_analyzer().lexicon
    return frozenset(w for w in lexicon if w.isalpha() and len(w) > 2) | _HASHTAG_WORDS


def clauses(text: str) -> list[list[str]]:
    """Whitespace tokens (as VADER splits them) grouped into clauses."""
    out: list[list[str]] = []
    for line in text.splitlines():
        tokens = line.split()
        start = 0
        for k, token in enumerate(tokens):
            if ends_clause(token):
                out.append(tokens[start : k + 1])
                start = k + 1
        if start < len(tokens):
            out.append(tokens[start:])
    return out


def ends_clause(token: str) -> bool:
    """A token ending in a clause mark ends its clause; an emoticon (":(") does not."""
    return token[-1] in _CLAUSE_CHARS and not (1 < len(token) <= 3 and not token[0].isalnum())
