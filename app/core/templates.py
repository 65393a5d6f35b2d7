"""Reply templates: canned words that are personalised before they go.

A template body holds fields such as ``{first_name}`` that `fill` replaces
with the customer's details. The rules exist to protect the shop's voice:

* a reply never leaves with a literal ``{frist_name}`` in it, so `fill`
  refuses unknown fields and unbalanced braces (`TemplateError`), and
  `validate` explains those problems in plain words while the owner edits;
* a reply should not read as scripted, so `ScriptedCheck` notices when the
  same words (names aside) are about to reach many people in one day.

Doubled braces ``{{`` and ``}}`` stand for a literal brace, as in Python.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.char_count import graphemes
from app.core.errors import ShopkeepError
from app.core.models import Author
from app.core.paths import resources_dir

FIELDS: tuple[str, ...] = (
    "first_name",
    "name",
    "handle",
    "business",
    "signature",
    "original_excerpt",
)
KINDS: tuple[str, ...] = ("thanks", "apology", "answer")
EXCERPT_LIMIT = 60
BUILTIN_FILE = Path("templates") / "builtin.json"


class TemplateError(ShopkeepError):
    """A template that cannot be filled; raised instead of sending a broken reply."""

    user_message = "This reply template has a problem, so nothing was sent. Please edit it."


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    kind: str  # one of KINDS
    title: str
    body: str
    builtin: bool = False


@dataclass(frozen=True, slots=True)
class FillContext:
    """Everything a template may mention. Empty strings are allowed and tidied away."""

    first_name: str = ""
    name: str = ""
    handle: str = ""
    business: str = ""
    signature: str = ""
    original_excerpt: str = ""  # the customer's text; `fill` trims it to ~60 characters

    @classmethod
    def for_author(
        cls,
        author: Author,
        *,
        business: str = "",
        signature: str = "",
        original_text: str = "",
    ) -> FillContext:
        """The usual context: replying to `author` about `original_text`."""
        handle = author.handle if author.handle.startswith("@") else "@" + author.handle
        return cls(
            first_name=author.first_name,
            name=author.display_name.strip() or author.first_name,
            handle=handle,
            business=business,
            signature=signature,
            original_excerpt=original_text,
        )

    def value(self, field: str) -> str:
        if field == "original_excerpt":
            return excerpt(self.original_excerpt)
        return str(getattr(self, field))


# --- parsing -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    """One parsed chunk: literal text, a field, or a problem found at `pos`."""

    kind: str  # "text" | "field" | "problem"
    value: str
    pos: int


def _near(body: str, pos: int) -> str:
    """The brace with the word before it, so the owner can find it: “Hi {first_name”."""
    left = re.search(r"(?:\S+\s+)?\S*$", body[:pos])
    right = re.match(r"\S*", body[pos:])
    snippet = (left.group() if left else "") + (right.group() if right else "")
    return f"“{' '.join(snippet.split())}”"


def _parse(body: str) -> Iterator[_Piece]:
    i, n = 0, len(body)
    text_start = 0
    while i < n:
        ch = body[i]
        if ch in "{}" and i + 1 < n and body[i + 1] == ch:  # escaped brace
            if i > text_start:
                yield _Piece("text", body[text_start:i], text_start)
            yield _Piece("text", ch, i)
            i += 2
            text_start = i
            continue
        if ch == "}":
            message = f"A closing brace near {_near(body, i)} has no opening brace."
            yield _Piece("problem", message, i)
            i += 1
            continue
        if ch == "{":
            if i > text_start:
                yield _Piece("text", body[text_start:i], text_start)
            close = body.find("}", i + 1)
            reopen = body.find("{", i + 1)
            if close == -1 or (reopen != -1 and reopen < close):
                yield _Piece("problem", f"A brace near {_near(body, i)} is never closed.", i)
                i += 1
                text_start = i
                continue
            yield _Piece("field", body[i + 1 : close], i)
            i = close + 1
            text_start = i
            continue
        i += 1
    if text_start < n:
        yield _Piece("text", body[text_start:], text_start)


def _field_problem(name: str) -> str | None:
    if name in FIELDS:
        return None
    if not name.strip():
        return "Empty braces {} do not name a field. Use one of: " + _field_list() + "."
    guess = difflib.get_close_matches(name.strip().lower().replace(" ", "_"), FIELDS, n=1)
    hint = f" Did you mean {{{guess[0]}}}?" if guess else f" Fields are: {_field_list()}."
    return f"{{{name}}} is not a field Shopkeep knows.{hint}"


def _field_list() -> str:
    return ", ".join("{" + f + "}" for f in FIELDS)


def fields_in(body: str) -> set[str]:
    """Every field name a body uses, known or not."""
    return {p.value for p in _parse(body) if p.kind == "field"}


def validate(body: str) -> list[str]:
    """Problems with a body, one plain sentence each; an empty list means it can be filled."""
    problems: list[str] = []
    for piece in _parse(body):
        problem = piece.value if piece.kind == "problem" else None
        if piece.kind == "field":
            problem = _field_problem(piece.value)
        if problem and problem not in problems:
            problems.append(problem)
    return problems


# --- filling -------------------------------------------------------------------------


def excerpt(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """The customer's words on one line, cut at a word and never inside an emoji."""
    flat = " ".join(text.split())
    chars = graphemes(flat)
    if len(chars) <= limit:
        return flat
    cut = chars[:limit]
    spaces = [i for i, c in enumerate(cut) if c == " "]
    if spaces and spaces[-1] >= limit * 2 // 3:
        cut = cut[: spaces[-1]]
    return "".join(cut).rstrip(" ,.;:!?-–—") + "…"


def fill(body: str, context: FillContext) -> str:
    """The reply as it will be sent. Raises `TemplateError` rather than leave a {field} in."""
    problems = validate(body)
    if problems:
        raise TemplateError(
            "; ".join(problems),
            user_message="This template cannot be used yet: " + " ".join(problems),
        )
    out: list[str] = []
    pieces = list(_parse(body))
    for index, piece in enumerate(pieces):
        if piece.kind == "text":
            out.append(piece.value)
            continue
        value = context.value(piece.value)
        if not value:
            # With no name, "Hi {first_name}, thanks" reads "Hi, thanks" and
            # "Thank you, {first_name}!" reads "Thank you!", without stray spaces or commas.
            following = pieces[index + 1].value if index + 1 < len(pieces) else ""
            if out and out[-1].endswith(" ") and (not following or following[0] in " ,.!?;:"):
                out[-1] = out[-1].rstrip(" ")
                if following[:1] in ("", "!", "?", ".") and out[-1].endswith(","):
                    out[-1] = out[-1][:-1]
        out.append(value)
    lines = "".join(out).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


# --- loading -------------------------------------------------------------------------


def load_builtin(path: Path | None = None) -> list[Template]:
    """The templates shipped in resources/templates/builtin.json, checked on load."""
    if path is None:
        path = resources_dir() / BUILTIN_FILE
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    templates: list[Template] = []
    for item in raw:
        template = Template(
            key=str(item["key"]),
            kind=str(item["kind"]),
            title=str(item["title"]),
            body=str(item["body"]),
            builtin=True,
        )
        problems = validate(template.body)
        if template.kind not in KINDS:
            problems.append(f"kind {template.kind!r} is not one of {', '.join(KINDS)}")
        if problems:
            raise TemplateError(f"built-in template {template.key!r}: {'; '.join(problems)}")
        templates.append(template)
    return templates


# --- "does this read as scripted?" --------------------------------------------------

_LEADING_MENTIONS = re.compile(r"^(?:\s*@[\w.@-]+)+\s*")
_NAME_MARK = "\x00name\x00"


def normalise(text: str, names: Iterable[str] = ()) -> str:
    """Text reduced to what a reader would call "the same words": no names, case or spacing.

    Leading @mentions are dropped (every reply starts with one), each of `names`
    (the recipient's first name, display name, handle) is blanked, then case and
    whitespace are flattened.
    """
    text = _LEADING_MENTIONS.sub("", text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        variants = {name, name.lstrip("@")}
        for variant in sorted(variants, key=len, reverse=True):
            pattern = r"(?<!\w)@?" + re.escape(variant) + r"(?!\w)"
            text = re.sub(pattern, _NAME_MARK, text, flags=re.IGNORECASE)
    return " ".join(text.casefold().split())


@dataclass(frozen=True, slots=True)
class SentText:
    """A reply that already went out, as the outbox remembers it."""

    text: str
    sent_at: datetime  # timezone-aware
    recipient: str  # the customer's handle: what makes two people different
    recipient_names: tuple[str, ...] = ()  # first name, display name: blanked before comparing


@dataclass(frozen=True, slots=True)
class ScriptedVerdict:
    scripted: bool
    people: int  # different people who would have these words, this one included
    message: str = ""


@dataclass(frozen=True, slots=True)
class ScriptedCheck:
    """Warns before the same words go to more than `limit` different people within `window`.

    With the default limit of 5, five customers may get identical words; the
    sixth reply is flagged so the owner can make it personal.
    """

    limit: int = 5
    window: timedelta = timedelta(hours=24)

    def check(
        self,
        text: str,
        recipient: str,
        recent: Iterable[SentText],
        *,
        recipient_names: Iterable[str] = (),
        now: datetime | None = None,
    ) -> ScriptedVerdict:
        now = now or datetime.now(UTC)
        key = normalise(text, (recipient, *recipient_names))
        people = {recipient.casefold()}
        for sent in recent:
            if not (now - self.window <= sent.sent_at <= now):
                continue
            if normalise(sent.text, (sent.recipient, *sent.recipient_names)) == key:
                people.add(sent.recipient.casefold())
        count = len(people)
        if count <= self.limit:
            return ScriptedVerdict(scripted=False, people=count)
        hours = int(self.window.total_seconds() // 3600)
        return ScriptedVerdict(
            scripted=True,
            people=count,
            message=(
                f"These exact words already went to {count - 1} other people in the last "
                f"{hours} hours. A personal touch reads better than a script."
            ),
        )
