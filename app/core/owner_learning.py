"""Building the owner's learner from what they read, in a short-lived child process.

Learning from every post the owner has read holds word and word-pair counts for all
of them until it compacts: ~90 MB of Python objects at the peak and ~5 s of one core
for a 100,000-post inbox (45,000 of them read). In the window's process that memory
is never given back to the system and the interpreter lock is held against the GUI
the whole time. So the window streams the posts to a child process, which learns and
sends back only the compact learner (well under 1 MB pickled), and exits.

If no child can be started (a locked-down machine, a frozen build without
multiprocessing support) or it dies, the learner is built here instead, with a line
in the log: slower and heavier, never wrong.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core.models import Sentiment, SentimentLabel

if TYPE_CHECKING:
    from app.core.sentiment.learner import Learner

log = logging.getLogger(__name__)

CHUNK = 2000  # posts per message to the child: the window holds at most this many
JOIN_SECONDS = 30.0  # a child that sent its learner and does not exit is killed


@dataclass(frozen=True, slots=True)
class ReadPost:
    """One post the learner learns from, as the inbox stored it."""

    text: str
    shown: Sentiment  # what the inbox showed (a learned label included)
    owner: SentimentLabel | None  # the owner's own label, if they set one
    replies: tuple[str, ...] = ()  # the shop's replies to it


class ChildFailed(Exception):
    """The child process could not learn: start-up, a crash, or a broken pipe."""


def learn(posts: Iterable[ReadPost]) -> Learner:
    """The learner that has seen `posts`, oldest first, compacted."""
    from app.core.sentiment import score
    from app.core.sentiment.learner import LEARNED, Learner, reply_label

    learner = Learner()
    for post in posts:
        shown, owner = post.shown, post.owner
        rules = shown
        if shown.reasons and shown.reasons[0].startswith(LEARNED):
            rules = score(post.text)  # stored with a learned label: the rules' own reading
        if owner is None and rules.label is not shown.label:
            owner = shown.label  # read and left as learned: the owner kept that colour
        if owner is not None:
            learner.corrected(post.text, rules, owner)
        elif not any(reply_label(reply) for reply in post.replies):
            learner.saw(post.text, rules)  # read, or answered in words that say nothing
        for reply in post.replies:
            learner.replied(post.text, rules, reply)
    return learner.compact()


def learn_in_child(read: Callable[[], Iterable[ReadPost]]) -> Learner:
    """`learn(read())` in a child process; here if the child fails. `read` is called
    again for the fallback, so it must give the same posts each time."""
    try:
        return _learn_apart(read())
    except ChildFailed as exc:
        log.warning("learning in a child process failed (%s); learning here", exc)
        return learn(read())


def _learn_apart(posts: Iterable[ReadPost]) -> Learner:
    import multiprocessing

    try:
        # spawn, not fork: the window has Qt and database threads running
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        child = context.Process(target=_child_main, args=(theirs,), name="shopkeep-learner")
        child.daemon = True
        child.start()
    except (OSError, ValueError) as exc:
        raise ChildFailed(f"could not start: {exc}") from exc
    theirs.close()
    try:
        chunk: list[ReadPost] = []
        for post in posts:
            chunk.append(post)
            if len(chunk) >= CHUNK:
                ours.send(chunk)
                chunk = []
        ours.send(chunk)
        ours.send(None)
        answer = ours.recv()
    except (OSError, EOFError, pickle.PickleError) as exc:
        raise ChildFailed(f"{type(exc).__name__}: {exc}") from exc
    finally:
        ours.close()
        child.join(JOIN_SECONDS)
        if child.is_alive():
            child.kill()
            child.join()
    if isinstance(answer, str):
        raise ChildFailed(answer)
    return _as_learner(answer)


def _as_learner(answer: Any) -> Learner:
    from app.core.sentiment.learner import Learner

    if not isinstance(answer, Learner):
        raise ChildFailed(f"the child sent {type(answer).__name__}, not a learner")
    return answer


def _received(conn: Any) -> Iterator[ReadPost]:
    while (chunk := conn.recv()) is not None:
        yield from chunk


def _child_main(conn: Any) -> None:
    """The child: learn from the chunks until None, send the learner (or what went
    wrong, as text) and exit."""
    try:
        answer: object = learn(_received(conn))
    except Exception as exc:  # sent to the window, which learns itself instead
        answer = f"{type(exc).__name__}: {exc}"
    with contextlib.suppress(OSError):  # the window stopped listening: nobody to tell
        conn.send(answer)
    conn.close()
