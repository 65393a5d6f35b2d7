"""One window's person on a team inbox, in a subprocess (tests/test_team_presence.py).

Opens the team database as Shopkeep does, works as the person named on the command
line, prints one line per thing it hears or does (flushed at once), and takes orders
on stdin, one a line:

    announce KIND THREAD   tell the other windows (replying / stopped / assigned)
    assign THREAD          take the thread (assign it to this person), then announce it
    open THREAD            open the thread: remember where its replies stand
    send THREAD TEXT       the Send button: ask first if someone else replied since open
    quit

Run as `python -m tests.team_people_worker DSN NAME` from the root.
"""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, datetime

from app.core.people import PresenceEvent, PresenceKind, ReplyMark, send_question
from app.storage.pg_presence import PgPresence
from app.storage.postgres import open_team_store
from tests.crash_worker import say


def main(dsn: str, name: str) -> None:
    store = open_team_store(dsn)
    me = store.add_person(name)
    store.use_person(me.id)
    presence = store.presence(me)
    assert isinstance(presence, PgPresence)

    def heard(event: PresenceEvent) -> None:
        say(f"heard {event.kind.value} {event.thread_id} {event.name}")

    presence.subscribe(heard)
    assert presence.wait_listening(30)
    marks: dict[int, ReplyMark] = {}
    say(f"ready {me.id}")
    for line in sys.stdin:
        order, *rest = line.split(maxsplit=2)
        if order == "announce":
            presence.announce(int(rest[1]), PresenceKind(rest[0]))
            say(f"announced {rest[0]} {rest[1]}")
        elif order == "assign":
            store.assign(int(rest[0]), me.id)
            presence.announce(int(rest[0]), PresenceKind.ASSIGNED)
            say(f"assigned {rest[0]}")
        elif order == "open":
            marks[int(rest[0])] = store.reply_mark(int(rest[0]))
            say(f"opened {rest[0]}")
        elif order == "send":
            thread_id, text = int(rest[0]), rest[1].strip()
            question = send_question(
                store.replies_by_others(thread_id, marks[thread_id]), datetime.now(UTC)
            )
            if question is not None:
                say(f"asked {question}")
                continue
            parent = store.thread_posts(thread_id)[0].post.remote_id
            store.enqueue_reply(thread_id, parent, text, uuid.uuid4().hex)
            say(f"queued {thread_id}")
        elif order == "quit":
            break
    presence.close()
    store.close()
    say("done")


if __name__ == "__main__":
    main(*sys.argv[1:3])
