"""The composer's decisions in plain Python (no Qt), so they are easy to test and to read.

Which post a reply answers, which template to offer, how long the reply is as
the network will count it, and why Send is not possible right now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from app.core import char_count, suggestion
from app.core.models import (
    Account,
    Network,
    OutboxItem,
    OutboxState,
    StoredPost,
    Template,
    ThreadRow,
)
from app.core.reply_mentions import is_own_handle, reply_mentions
from app.core.templates import FIELDS, FillContext, SentText, TemplateError, fill

KIND_WORDS: dict[str, str] = {
    suggestion.APOLOGY: "an apology",
    suggestion.THANKS: "a thank-you",
    suggestion.ANSWER: "an answer",
}
WHY_WORDS: dict[str, str] = {
    suggestion.APOLOGY: "This reads like a complaint",
    suggestion.THANKS: "This reads like praise",
    suggestion.ANSWER: "This reads like a question",
}
_LEFTOVER_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_ ]*)\}")
_WORD = re.compile(r"[a-z']{4,}")
_STOP = frozenset(
    {
        "this",
        "that",
        "with",
        "have",
        "your",
        "from",
        "they",
        "their",
        "there",
        "what",
        "when",
        "were",
        "will",
        "would",
        "could",
        "should",
        "about",
        "just",
        "thanks",
        "thank",
        "really",
        "here",
        "been",
        "into",
        "over",
        "only",
        "some",
        "than",
        "them",
        "then",
        "very",
        "much",
        "also",
        "sorry",
        "want",
        "order",
        "didn't",
        "don't",
        "please",
        "like",
        "make",
        "know",
        "time",
        "today",
        "come",
        "came",
        "it's",
        "that's",
        "we'll",
        "i'll",
        "i'm",
        "you're",
        "we're",
        "again",
        "soon",
        "hear",
    }
)


# Phrases that point at one shipped template (matched in the customer's words).
_HINTS: dict[str, tuple[str, ...]] = {
    "apology-2": (
        "late",
        "waited",
        "waiting",
        "still nothing",
        "minutes past",
        "hasn't arrived",
        "not arrived",
        "never arrived",
        "nothing has arrived",
    ),
    "apology-3": ("wrong", "mix-up", "mixed up", "instead", " got a ", "missing"),
    "apology-4": ("rude", "rolled", "eyes", "ignored", "attitude", "treated"),
    "apology-5": ("refund", "charged", "twice", "money back", "overcharged"),
}


def reply_target(posts: Sequence[StoredPost]) -> StoredPost | None:
    """The customer's latest post: the one the reply answers (own posts never)."""
    theirs = [p for p in posts if not p.is_own and not p.post.deleted]
    if not theirs:
        return None
    return max(theirs, key=lambda p: (p.post.created_at, p.id))


def customer_texts(posts: Sequence[StoredPost]) -> list[str]:
    return [p.post.text for p in posts if not p.is_own and not p.post.deleted]


def suggested_kind(target: StoredPost | None) -> str:
    """apology / thanks / answer for the post being answered (answer when unsure)."""
    if target is None:
        return suggestion.ANSWER
    return suggestion.suggest_kind(target.post.text, target.label)


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in _STOP}


def rank_templates(
    templates: Iterable[Template], kind: str, texts: Sequence[str]
) -> list[Template]:
    """Templates of `kind` first, the one whose words best match the customer's on top.

    "Still nothing, I'd like a refund" puts "Looking into your refund" above the
    general apology; ties keep the shipped order (built-ins by key, then the rest).
    """
    said = _words(" ".join(texts))
    lowered = " " + " ".join(texts).lower() + " "

    def score(t: Template) -> tuple[int, int, int, str, int]:
        same = 0 if t.kind.value == kind else 1
        overlap = 3 * len(_words(t.title) & said) + len(_words(t.body) & said)
        overlap += 3 * sum(h in lowered for h in _HINTS.get(t.builtin_key or "", ()))
        return (same, -overlap, 0 if t.builtin else 1, t.builtin_key or t.title, t.id)

    return sorted(templates, key=score)


def fill_context(target: StoredPost | None, business: str, signature: str) -> FillContext:
    if target is None:
        return FillContext(business=business, signature=signature)
    return FillContext.for_author(
        target.post.author, business=business, signature=signature, original_text=target.post.text
    )


def fill_template(template: Template, context: FillContext) -> tuple[str, str]:
    """(filled text, "") or ("", the problem in plain words) for a broken template."""
    try:
        return fill(template.body, context), ""
    except TemplateError as exc:
        return "", exc.user_message


@dataclass(frozen=True, slots=True)
class LengthCheck:
    used: int
    limit: int
    network: Network
    prefix: str = ""  # mentions the network client adds in front (Mastodon)
    too_many_bytes: bool = False

    @property
    def over(self) -> int:
        return max(0, self.used - self.limit)

    @property
    def ok(self) -> bool:
        return self.used <= self.limit and not self.too_many_bytes


def mentioned(
    account: Account | None, target: StoredPost | None, text: str, private: bool = False
) -> list[str]:
    """Who the Mastodon client @-mentions in front of the text (the same rule:
    reply_mentions): the author and the others the post mentions, never the shop,
    unless already typed; a private reply names the author alone."""
    if account is None or target is None or account.network is not Network.MASTODON:
        return []
    domains = (account.domain, urlsplit(account.server).hostname or "")

    def is_me(handle: str) -> bool:
        return is_own_handle(handle, account.handle, domains)

    parent = replace(target.post, mentions=()) if private else target.post
    return reply_mentions(parent, text, is_me, account.remote_id)


def mention_prefix(
    account: Account | None, target: StoredPost | None, text: str, private: bool = False
) -> str:
    """What the Mastodon client puts before the text."""
    wanted = mentioned(account, target, text, private)
    return " ".join(wanted) + " " if wanted else ""


def length_check(
    account: Account | None,
    network: Network,
    text: str,
    target: StoredPost | None = None,
    private: bool = False,
) -> LengthCheck:
    """Length as the server will count it: graphemes, links as 23 and mentions on Mastodon."""
    if network is Network.BLUESKY:
        limit = min(
            account.max_chars if account else char_count.BLUESKY_MAX_GRAPHEMES,
            char_count.BLUESKY_MAX_GRAPHEMES,
        )
        return LengthCheck(
            char_count.bluesky_length(text),
            limit,
            network,
            too_many_bytes=char_count.bluesky_bytes(text) > char_count.BLUESKY_MAX_BYTES,
        )
    prefix = mention_prefix(account, target, text, private)
    used = char_count.mastodon_length(prefix + text) if text else 0
    return LengthCheck(used, account.max_chars if account else 500, network, prefix)


def leftover_fields(text: str) -> list[str]:
    """`{frist_name}`-like words still in a reply: it must not go out like that."""
    return [
        m.group(0)
        for m in _LEFTOVER_FIELD.finditer(text)
        if m.group(1) in FIELDS or "_" in m.group(1) or m.group(1).islower()
    ]


def send_problem(text: str, check: LengthCheck, network_name: str) -> str:
    """Why Send is disabled, in words; "" when the reply can go."""
    if not text.strip():
        return "Write a reply first."
    left = leftover_fields(text)
    if left:
        return f"Replace {left[0]} with real words before sending."
    if check.too_many_bytes:
        return "Too many emoji or symbols for Bluesky. Please shorten it."
    if check.over:
        n = check.over
        return (
            f"Too long for {network_name} by {n} character{'s' if n != 1 else ''}. "
            "Please shorten it."
        )
    return ""


def recent_replies(
    items: Iterable[OutboxItem],
    threads: dict[int, ThreadRow],
    names: dict[int, tuple[str, ...]],
    now: datetime,
    window: timedelta,
) -> list[SentText]:
    """Replies sent or on their way in the window, as ScriptedCheck wants them."""
    out: list[SentText] = []
    for item in items:
        if item.state is OutboxState.FAILED:
            continue
        when = item.sent_at or item.created_at
        row = threads.get(item.thread_id)
        if row is None or when < now - window:
            continue
        out.append(SentText(item.text, when, row.author_handle, names.get(item.thread_id, ())))
    return out


def names_of(rows: dict[int, ThreadRow]) -> dict[int, tuple[str, ...]]:
    """What a filled template may have put in for each thread's customer: their names."""
    out: dict[int, tuple[str, ...]] = {}
    for thread_id, row in rows.items():
        local = row.author_handle.lstrip("@").split("@")[0].split(".")[0]
        parts = row.author_name.split()
        out[thread_id] = tuple(n for n in (parts[0] if parts else "", row.author_name, local) if n)
    return out
