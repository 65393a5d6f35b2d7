"""The plain dataclasses that travel between layers.

Network clients build `Post`s from JSON at the edge; storage hands back
`StoredPost` / `ThreadRow` / `Account`; the UI only ever sees these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from app.core.clean_text import clean_block, clean_error, clean_line

MAX_NAME = 200  # a handle or display name; real ones are far shorter


class Network(StrEnum):
    MASTODON = "mastodon"
    BLUESKY = "bluesky"


class SentimentLabel(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"
    UNSCORED = "unscored"  # e.g. not English: shown grey with a language mark


class ThreadStatus(StrEnum):
    NEEDS_REPLY = "needs_reply"
    REPLIED = "replied"
    DONE = "done"
    SNOOZED = "snoozed"


class Folder(StrEnum):
    """Smart folders on the left of the window."""

    NEEDS_REPLY = "needs_reply"
    NEGATIVE = "negative"
    ALL = "all"
    DONE = "done"
    SNOOZED = "snoozed"
    DRAFTS = "drafts"
    OUTBOX = "outbox"
    SENT = "sent"
    MINE = "mine"  # a team inbox: the threads assigned to this window's person


class AccountState(StrEnum):
    CONNECTED = "connected"
    NEEDS_SIGN_IN = "needs_sign_in"
    UNREACHABLE = "unreachable"
    DEMO = "demo"


class MediaKind(StrEnum):
    """What an attachment is: photos get a placeholder that can load them, the rest are links."""

    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    LINK = "link"


class Unavailable(StrEnum):
    """Why a stored post can no longer be read on its network (its text stays stored).

    Parsed at the network edge and stored with the post, so the conversation can say
    "deleted" only for a post that is gone, and a block (which may be lifted) apart.
    """

    DELETED = "deleted"  # its author or the server removed it
    NOT_FOUND = "not_found"  # the network no longer finds it (deleted, most likely)
    BLOCKED = "blocked"  # its author blocks the shop, or the shop blocks them


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote a post, as the network identifies them."""

    network: Network
    remote_id: str  # Mastodon account id or Bluesky DID
    handle: str  # "@alice@example.social" style acct or "alice.bsky.social"
    display_name: str = ""

    def __post_init__(self) -> None:
        _clean_names(self)

    @property
    def first_name(self) -> str:
        name = self.display_name.strip() or self.handle.lstrip("@").split("@")[0].split(".")[0]
        return name.split()[0] if name.split() else name


@dataclass(frozen=True, slots=True)
class MediaLink:
    """An attachment or embed, shown as a labelled link and never loaded automatically.

    A photo (`kind` IMAGE) also carries its alt text and a smaller preview address,
    which the owner may choose to load; defaults keep rows stored before that readable.
    """

    label: str
    url: str
    kind: MediaKind = MediaKind.LINK
    alt: str = ""
    preview_url: str = ""  # a thumbnail on the same server; "" means only `url` exists

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", clean_line(self.label, MAX_NAME))
        object.__setattr__(self, "alt", clean_block(self.alt)[:1500])


@dataclass(frozen=True, slots=True)
class Post:
    """One post as a network client parsed it. Text is already safe plain text."""

    network: Network
    remote_id: str  # Mastodon status id or Bluesky at:// URI
    author: Author
    text: str
    created_at: datetime  # timezone-aware UTC
    url: str = ""
    parent_remote_id: str | None = None
    root_remote_id: str | None = None
    is_mention: bool = False  # did this post reach the account as a notification
    visibility: str = "public"  # mastodon: public/unlisted/private/direct
    content_warning: str = ""
    media: tuple[MediaLink, ...] = ()
    mentions: tuple[str, ...] = ()  # handles mentioned in the post (for reply prefixes)
    language: str | None = None
    cid: str = ""  # bluesky content id (strong refs)
    edited_at: datetime | None = None
    deleted: bool = False  # no longer readable on the network (`unavailable` says why)
    raw_json: str = ""  # kept so posts can be re-parsed after a parser fix
    replies_count: int | None = None  # replies the server counted when sent (None: not said)
    unavailable: Unavailable | None = None  # why it is `deleted`, when the network said

    def __post_init__(self) -> None:
        """Server text reaches storage and screen without escapes, controls or bidi tricks;
        a post the network says is unavailable is never shown as readable."""
        object.__setattr__(self, "text", clean_block(self.text))
        object.__setattr__(self, "content_warning", clean_line(self.content_warning))
        if self.unavailable is not None and not self.deleted:
            object.__setattr__(self, "deleted", True)

    @property
    def blocked(self) -> bool:
        """Hidden by a block between its author and the shop (not deleted: it may return)."""
        return self.unavailable is Unavailable.BLOCKED


@dataclass(frozen=True, slots=True)
class Sentiment:
    """What the scorer says about one text, with the reasons a user can read."""

    compound: float
    label: SentimentLabel
    reasons: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """What verifying a connection returns: enough to show and save an account."""

    network: Network
    server: str
    handle: str
    remote_id: str
    display_name: str = ""
    max_chars: int = 500
    default_visibility: str = "public"
    domain: str = ""  # where the account lives (may differ from the server's host); "" unknown

    def __post_init__(self) -> None:
        _clean_names(self)


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    network: Network
    server: str
    handle: str
    remote_id: str
    display_name: str = ""
    state: AccountState = AccountState.CONNECTED
    is_demo: bool = False
    max_chars: int = 500
    last_error: str = ""

    def __post_init__(self) -> None:
        _clean_names(self)
        object.__setattr__(self, "last_error", clean_error(self.last_error))  # rows kept

    default_visibility: str = "public"
    domain: str = ""  # the account's own domain, stored at sign-in ("" before it was known)

    @property
    def address(self) -> str:
        """The full address others write to reach the account: '@shop@example.com'."""
        local = self.handle.lstrip("@")
        if self.network is Network.MASTODON and "@" not in local and self.domain:
            return f"@{local}@{self.domain}"
        return self.handle


@dataclass(frozen=True, slots=True)
class MentionBatch:
    """New mentions since a cursor, and the cursor to store once they are saved."""

    posts: list[Post]
    cursor: str | None
    complete: bool = True  # False when a bound (days / count / pages) stopped the walk
    older: str | None = None  # a walk back stopped by the count: where the next one goes on
    skipped: int = 0  # items the server sent that could not be read (logged, never stored)


@dataclass(frozen=True, slots=True)
class StoredPost:
    id: int
    thread_id: int
    account_id: int
    post: Post
    sentiment: Sentiment
    is_own: bool = False  # written by the shop's own account
    corrected_label: SentimentLabel | None = None

    @property
    def label(self) -> SentimentLabel:
        return self.corrected_label or self.sentiment.label


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """One line of the thread list: light enough to hold 100k of them."""

    id: int
    account_id: int
    network: Network
    author_handle: str
    author_name: str
    snippet: str
    last_activity: datetime
    status: ThreadStatus
    worst_label: SentimentLabel
    worst_compound: float
    unread: bool
    post_count: int
    is_demo: bool = False
    snoozed_until: datetime | None = None
    reasons: tuple[str, ...] = field(default=())
    reply_state: str = ""  # the latest reply not yet on the server: "waiting", "failed" or ""
    draft: str = ""  # first line of the owner's unsent draft (filled for the Drafts folder)
    reply_reason: str = ""  # why it failed or waits (the server's words), for the row
    assignee_id: int | None = None  # a team inbox: the person it is assigned to
    assignee: str = ""  # that person's name, for "assigned to Sam" on the row


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What an ingest changed, so the UI can insert rows instead of resetting."""

    new_posts: int
    new_thread_ids: tuple[int, ...]
    updated_thread_ids: tuple[int, ...]
    new_negative_post_ids: tuple[int, ...] = ()
    removed_thread_ids: tuple[int, ...] = ()  # merged into another thread by a late parent


class TemplateKind(StrEnum):
    THANKS = "thanks"
    APOLOGY = "apology"
    ANSWER = "answer"
    HELLO = "hello"


@dataclass(frozen=True, slots=True)
class Draft:
    """The unsent reply text of one thread (at most one draft per thread)."""

    thread_id: int
    text: str
    updated_at: datetime
    template_id: int | None = None


@dataclass(frozen=True, slots=True)
class Template:
    """A reusable reply. Built-in ones carry a key so they can be restored."""

    id: int
    kind: TemplateKind
    title: str
    body: str
    builtin: bool = False
    builtin_key: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A reply waiting to be sent, being sent, sent, or failed (with the reason)."""

    id: int
    account_id: int
    thread_id: int
    parent_remote_id: str
    text: str
    idempotency_key: str
    state: OutboxState
    created_at: datetime
    attempts: int = 0
    last_error: str = ""
    sent_at: datetime | None = None
    remote_id: str | None = None
    url: str = ""
    template_id: int | None = None
    payload: str = "{}"  # JSON: extra fields the sender needs (replies known before it, ...)
    updated_at: datetime | None = None  # the last state change: a 'sending' item's lease


@dataclass(frozen=True, slots=True)
class Contact:
    """A customer as seen on one network; linked contacts share a person_id."""

    id: int
    network: Network
    remote_id: str
    handle: str
    display_name: str = ""
    note: str = ""
    person_id: int | None = None


def _clean_names(obj: Author | AccountInfo | Account) -> None:
    """A handle or name is one short line: a right-to-left override cannot flip the line
    it is shown in, an escape cannot reach a terminal, a newline cannot forge a line."""
    object.__setattr__(obj, "handle", clean_line(obj.handle, MAX_NAME))
    object.__setattr__(obj, "display_name", clean_line(obj.display_name, MAX_NAME))
