"""Nothing lost, nothing doubled (issue 20): a Hypothesis state machine over what the
owner does and what the network does, on a real database file and a real Mastodon
test server that ignores Idempotency-Key (so only Shopkeep's own care stops a double).

The owner opens conversations, types, sends, backs up and restores; the network
brings new mentions, edits, replies whose parent is late (the parent's arrival
merges two conversations) and loses the answer to a reply it stored. Beside the
window, real processes work on the same file: a child that sends the queue or
syncs is killed with `kill -9` at a request or a storage write, and a real
`shopkeep sync` (cron) runs while the owner types: held at its first request
until the owner has typed, so the two overlap on every run, whatever the load. The owner's
editor follows the composer's rules: it tells the store which draft version it
showed, follows its conversation into a merge, and shows whatever the store kept.

After every step: everything the owner typed is in a stored draft (each word is
saved at once here, as the composer does within two seconds), no reply is on the
server twice, every reply marked sent is there once under the id recorded, and
the file passes `PRAGMA integrity_check`. After each delivery with a good network,
every queued reply is on the server exactly once.

A restore models the disaster it is for: what was typed or queued after the backup
is gone with the damaged file; what the backup held comes back and goes out once.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from app.core.connections import key_for
from app.core.models import OutboxState, Sentiment, SentimentLabel, StoredPost
from app.core.outbox import OutboxSender
from app.core.ports import ThreadQuery
from app.storage.database import restore_last_backup
from app.storage.inbox_store import SqliteInboxStore
from tests.fixtures.keychain import TrackingCredentialStore, require_secret_service
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account

pytestmark = pytest.mark.timeout(400)  # a failure's shrinking needs longer than a pass
ROOT = Path(__file__).resolve().parent.parent
KEYCHAIN = f"Shopkeep-test-{uuid.uuid4().hex[:12]}"  # this run's own keychain entries
CHILD_SECONDS = 120  # a child that takes longer than this is stuck, not slow

WORDS = st.sampled_from(["sorry", "parcel", "tomorrow", "refund", "thanks", "bread"])
TAG = re.compile(r"\bzq\d+\b")


def quick_score(text: str) -> Sentiment:
    return Sentiment(0.0, SentimentLabel.NEUTRAL)


@dataclass
class Expected:
    """What the owner is owed: words typed per thread (by the id typed in), replies queued."""

    typed: dict[int, set[str]] = field(default_factory=dict)
    queued: set[str] = field(default_factory=set)  # reply tags waiting in the outbox

    def copy(self) -> Expected:
        return Expected({k: set(v) for k, v in self.typed.items()}, set(self.queued))


class InboxMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="shopkeep-machine-"))
        self.db_path = self.tmp / "data" / "shopkeep.sqlite3"
        self.backups = self.tmp / "data" / "backups"
        self.server = MastodonServer().start()
        self.server.honour_idempotency = False
        self.store = SqliteInboxStore.open(self.db_path)
        self.account = mastodon_account(self.store, self.server)
        require_secret_service()  # `shopkeep sync` reads the token from the real keychain
        self.keychain = TrackingCredentialStore(KEYCHAIN)
        self.keychain.save(key_for(self.account), {"access_token": self.server.token})
        self.client = client_for(self.server)
        self.ann = self.server.add_account("ann", "town.example", display_name="Ann")
        self.sender = OutboxSender(self.store, quick_score)
        self.n = 0
        self.roots: list[str] = []
        self.late_parents: list[str] = []
        self.open: int | None = None
        self.editor = ""
        self.seen: dict[int, datetime | None] = {}
        self.expected = Expected()
        self.at_backup: Expected | None = None

    def teardown(self) -> None:
        for key in self.keychain.saved_keys:
            self.keychain.delete(key)
        self.client.close()
        self.store.close()
        self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _next(self) -> int:
        self.n += 1
        return self.n

    # ------------------------------------------------------------ the network

    def _sync(self, status_ids: list[str]) -> None:
        posts = [self.client.status(i) for i in status_ids]
        result = self.store.ingest(self.account.id, posts, quick_score)
        self._after_merges(result.removed_thread_ids)

    def _after_merges(self, removed: Sequence[int] | None = None) -> None:
        """Follow merges made here or by another process (`removed` unknown then)."""
        if self.open is not None and (
            self.store.surviving_thread(self.open) != self.open
            if removed is None
            else self.open in removed
        ):
            self._follow_merge()
        # Words typed in a merged-away thread are now owed by the one that stayed
        # (SQLite may give the old id to the next new conversation).
        typed: dict[int, set[str]] = {}
        for thread_id, words in self.expected.typed.items():
            typed.setdefault(self.store.surviving_thread(thread_id), set()).update(words)
        self.expected.typed = typed

    @initialize()
    def lunchtime(self) -> None:
        """The usual lunchtime, so the short walks reach the unlucky orders sooner: one
        mention answered (the reply still queued), a draft begun under Ann's reply to a
        post that has not arrived yet, another begun under her first mention, and the
        daily backup taken."""
        self.new_mention()
        first = self._thread_of(self.roots[0])
        self._open(first)
        self.type_a_word("sorry")
        self.send()
        self.reply_with_a_late_parent(0)
        self._open(max(r.id for r in self.store.list_threads(ThreadQuery(), 0, 1000)))
        self.type_a_word("parcel")
        self._open(first)
        self.type_a_word("tomorrow")
        self.back_up()

    def _thread_of(self, status_id: str) -> int:
        rows = self.store.list_threads(ThreadQuery(), 0, 1000)
        return next(
            r.id
            for r in rows
            for p in self.store.thread_posts(r.id)
            if p.post.remote_id == status_id
        )

    @rule()
    def new_mention(self) -> None:
        status = self.server.add_mention(self.ann, f"where is order {self._next()}?")
        self.roots.append(status["id"])
        self._sync([status["id"]])

    @rule(pick=st.integers(min_value=0, max_value=50))
    def reply_with_a_late_parent(self, pick: int) -> None:
        """Ann answers under a post of hers that has not reached us yet."""
        root = self.roots[pick % len(self.roots)]
        parent = self.server.add_status(
            self.ann, f"@shop more about {self._next()}", in_reply_to=root
        )
        reply = self.server.add_mention(self.ann, "hello? anyone?", in_reply_to=parent["id"])
        self._sync([reply["id"]])
        self.late_parents.append(parent["id"])

    @precondition(lambda self: self.late_parents)
    @rule(pick=st.integers(min_value=0, max_value=50), word=WORDS, owner_types_on=st.booleans())
    def late_parent_arrives(self, pick: int, word: str, owner_types_on: bool) -> None:
        """Its arrival merges the reply's conversation into the root's, maybe while the
        owner is typing in one of them."""
        parent = self.late_parents.pop(pick % len(self.late_parents))
        self._sync([parent])
        if owner_types_on and self.open is not None:
            self.type_a_word(word)

    @rule(pick=st.integers(min_value=0, max_value=50))
    def customer_edits_a_post(self, pick: int) -> None:
        root = self.roots[pick % len(self.roots)]
        with self.server.lock:
            status = self.server.statuses[root]
            status["content"] = f"<p>@shop edited, still waiting {self._next()}</p>"
            status["edited_at"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        self._sync([root])

    @rule(lose_the_answer=st.booleans())
    def deliver(self, lose_the_answer: bool) -> None:
        """A send pass; the server may store a reply and drop the connection."""
        self.server.drop_after_store = 1 if lose_the_answer else 0
        report = self.sender.send_pending(self.account, self.client)
        self.server.drop_after_store = 0
        if lose_the_answer or report.error is not None:
            return
        items = self.store.outbox_items(account_id=self.account.id)
        assert all(i.state is OutboxState.SENT for i in items), items
        on_server = self._tags_on_server()
        for tag in self.expected.queued:
            assert on_server[tag] == 1, (tag, on_server)

    # ------------------------------------------------------------ beside the window

    def _merges(self) -> set[tuple[int, int, str]]:
        return set(
            self.store.db.execute_sql(
                "SELECT source_id, target_id, merged_at FROM thread_merge"
            ).fetchall()
        )

    def _child(self, *args: str) -> subprocess.Popen[str]:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        return subprocess.Popen(
            [sys.executable, "-m", "tests.crash_worker", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _kill_at_request(self, at: int, start: Any) -> subprocess.CompletedProcess[str]:
        """Start a child; the server kills it -9 as its `at`-th request arrives (the
        server still answers that request: a reply it stores is on the server)."""
        children: list[subprocess.Popen[str]] = []

        def hook(number: int) -> None:
            if number == at:
                os.kill(children[0].pid, signal.SIGKILL)

        with self.server.lock:
            self.server.api_count = 0
            self.server.on_api_request = hook
        try:
            children.append(start())
            out, err = children[0].communicate(input="go\n", timeout=CHILD_SECONDS)
        finally:
            self.server.on_api_request = None
        return subprocess.CompletedProcess(children[0].args, children[0].returncode, out, err)

    @precondition(
        lambda self: self.store.outbox_items(
            [OutboxState.QUEUED, OutboxState.SENDING, OutboxState.FAILED]
        )
    )
    @rule(at=st.integers(min_value=1, max_value=3))
    def kill_9_while_sending(self, at: int) -> None:
        """A send pass in another process dies at a request: before, during or after
        the server stored a reply."""
        before = self._merges()
        done = self._kill_at_request(
            at,
            lambda: self._child(
                "outbox",
                str(self.db_path),
                self.server.url,
                self.server.token,
                str(self.account.id),
            ),
        )
        self._after_the_child(done, at)
        self._after_merges(sorted({row[0] for row in self._merges() - before}))

    @rule(
        at=st.integers(min_value=1, max_value=4),
        point=st.sampled_from(
            [
                "",
                "before store_mentions 1",
                "after store_mentions 1",
                "before store_fetched 1",
                "after store_fetched 1",
                "before update_account 1",
            ]
        ),
    )
    def kill_9_while_syncing(self, at: int, point: str) -> None:
        """A sync in another process dies at its `at`-th request or at a storage write."""
        before = self._merges()
        done = self._kill_at_request(
            0 if point else at,
            lambda: self._child(
                "fault-sync",
                str(self.db_path),
                self.server.url,
                self.server.token,
                str(self.account.id),
                point,
                "20",
            ),
        )
        if point:
            assert done.returncode == -signal.SIGKILL or f"point {point}" not in done.stdout
        else:
            self._after_the_child(done, at)
        self._after_merges(sorted({row[0] for row in self._merges() - before}))

    def _after_the_child(self, done: subprocess.CompletedProcess[str], at: int) -> None:
        """Killed as asked, or it finished before making `at` requests."""
        if done.returncode == -signal.SIGKILL:
            return
        assert done.returncode == 0 and self.server.api_count < at, done.stderr[-800:]

    @precondition(lambda self: self.open is not None and len(self.editor) < 300)
    @rule(words=st.lists(WORDS, min_size=1, max_size=3))
    def cron_syncs_while_the_owner_types(self, words: list[str]) -> None:
        """A real `shopkeep sync` beside the window: it fetches, stores and sends the
        queue while the owner goes on typing (each word saved at once)."""
        before = self._merges()
        arrived, typed = threading.Event(), threading.Event()

        def hold_first(number: int) -> None:  # the server's thread, not ours
            if number == 1:
                arrived.set()
                typed.wait(CHILD_SECONDS)

        env = {**os.environ, "SHOPKEEP_KEYCHAIN_SERVICE": KEYCHAIN}
        env.pop("SHOPKEEP_DATA_DIR", None)
        with self.server.lock:
            self.server.api_count = 0
            self.server.on_api_request = hold_first
        cron = subprocess.Popen(
            [sys.executable, "-m", "app", "sync", "--data-dir", str(self.db_path.parent)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            while not arrived.wait(0.05):  # waiting for the sync to be under way
                assert cron.poll() is None, cron.stderr.read() if cron.stderr else ""
            for word in words:
                self.type_a_word(word)
            typed.set()
            out, err = cron.communicate(timeout=CHILD_SECONDS)
        finally:
            typed.set()
            self.server.on_api_request = None
            if cron.poll() is None:
                cron.kill()
                cron.wait()
        said = out + err
        assert cron.returncode == 0, said[-1500:]
        assert "locked" not in said.lower() and "Traceback" not in said, said[-1500:]
        self._after_merges(sorted({row[0] for row in self._merges() - before}))
        items = self.store.outbox_items(account_id=self.account.id)
        assert all(i.state is OutboxState.SENT for i in items), items
        on_server = self._tags_on_server()
        for tag in self.expected.queued:
            assert on_server[tag] == 1, (tag, on_server)

    # ------------------------------------------------------------ the owner

    @rule(pick=st.integers(min_value=0, max_value=50))
    def open_conversation(self, pick: int) -> None:
        rows = self.store.list_threads(ThreadQuery(), 0, 1000)
        self._open(rows[pick % len(rows)].id)

    def _open(self, thread_id: int) -> None:
        """The composer shows the thread's saved draft (the editor was flushed first)."""
        self.open = thread_id
        draft = self.store.get_draft(thread_id)
        self.editor = draft.text if draft else ""
        self.seen[thread_id] = draft.updated_at if draft else None

    def _follow_merge(self) -> None:
        """The composer stays on the merged conversation with its text as it was."""
        assert self.open is not None
        self.open = self.store.surviving_thread(self.open)
        draft = self.store.get_draft(self.open)
        if draft is not None and self.editor.strip() and self.editor.strip() in draft.text:
            self.editor = draft.text
            self.seen[self.open] = draft.updated_at

    def _save(self) -> None:
        assert self.open is not None
        draft = self.store.save_draft(self.open, self.editor, seen=self.seen.get(self.open))
        version = draft.updated_at if draft else None
        self.seen[self.open] = version
        if draft is not None:
            assert self.editor.strip() in draft.text  # what the editor holds is kept
            self.editor = draft.text  # the composer shows whatever the store kept

    @precondition(lambda self: self.open is not None and len(self.editor) < 300)
    @rule(word=WORDS)
    def type_a_word(self, word: str) -> None:
        assert self.open is not None
        token = f"{word}{self._next()}"
        self.editor = f"{self.editor} {token}".strip()
        self._save()
        self.expected.typed.setdefault(self.open, set()).add(token)

    @precondition(lambda self: self.open is not None and self.editor.strip())
    @rule()
    def send(self) -> None:
        assert self.open is not None
        posts = [p for p in self.store.thread_posts(self.open) if not p.is_own]
        target: StoredPost = max(posts, key=lambda p: p.post.created_at)
        tag = f"zq{self._next()}"
        self.sender.enqueue(self.account, self.open, target.post, f"{self.editor} {tag}")
        self.expected.queued.add(tag)
        for tid in list(self.expected.typed):
            if self.store.surviving_thread(tid) == self.open:
                del self.expected.typed[tid]  # the words went out in the reply
        self.editor = ""
        self.seen[self.open] = None

    @rule()
    def back_up(self) -> None:
        self.store.backup_now(self.backups)
        self.at_backup = self.expected.copy()

    @precondition(lambda self: self.at_backup is not None)
    @rule()
    def restore_the_backup(self) -> None:
        """The disk went bad: quit, restore the last backup, start again."""
        assert self.at_backup is not None
        self.store.close()
        restore_last_backup(self.db_path, self.backups)
        self.store = SqliteInboxStore.open(self.db_path)
        self.sender = OutboxSender(self.store, quick_score)
        on_server = self._tags_on_server()
        self.expected = self.at_backup.copy()
        # Replies that reached the server before the damage stay owed: once, not twice.
        self.expected.queued |= {tag for tag, count in on_server.items() if count}
        self.open, self.editor, self.seen = None, "", {}

    # ------------------------------------------------------------ invariants

    def _tags_on_server(self) -> Counter[str]:
        with self.server.lock:
            posted = [s["content"] for s in self.server.posted]
        return Counter(tag for content in posted for tag in set(TAG.findall(content)))

    @invariant()
    def the_file_is_whole(self) -> None:
        row = self.store.db.execute_sql("PRAGMA integrity_check").fetchone()
        assert row[0] == "ok"

    @invariant()
    def nothing_typed_is_lost(self) -> None:
        for thread_id, words in self.expected.typed.items():
            draft = self.store.get_draft(self.store.surviving_thread(thread_id))
            assert draft is not None, (thread_id, words)
            missing = [w for w in words if w not in draft.text]
            assert not missing, (thread_id, missing, draft.text)

    @invariant()
    def no_reply_is_on_the_server_twice(self) -> None:
        on_server = self._tags_on_server()
        assert all(count == 1 for count in on_server.values()), on_server
        with self.server.lock:
            by_id = {s["id"]: s["content"] for s in self.server.posted}
        for item in self.store.outbox_items(account_id=self.account.id):
            if item.state is OutboxState.SENT:
                [tag] = TAG.findall(item.text)
                assert tag in by_id.get(item.remote_id or "", ""), (item, tag)


InboxMachine.TestCase.settings = settings(
    max_examples=15,  # 25 took 32-36 s of a suite that must stay under 10 minutes
    stateful_step_count=20,
    derandomize=True,  # the same examples on every run
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    # no "explain" phase: its line tracing makes a failure take minutes to report
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)
test_nothing_lost_nothing_doubled = InboxMachine.TestCase
