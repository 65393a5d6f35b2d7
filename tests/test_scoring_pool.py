"""A first sync of thousands of mentions is scored on every core, and nothing is lost
when the worker processes cannot help."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.core import scoring_pool
from app.core.models import Sentiment, SentimentLabel
from app.core.ports import ThreadQuery
from app.core.rescore import OwnerScorer
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent


def in_worker() -> bool:
    return multiprocessing.parent_process() is not None


class WhereScored:
    """Labels a post by the process that scored it (sent to workers by reference)."""

    def __call__(self, text: str) -> Sentiment:
        label = SentimentLabel.NEGATIVE if "late" in text else SentimentLabel.POSITIVE
        here = "worker" if in_worker() else "here"
        return Sentiment(-0.5 if "late" in text else 0.5, label, (here,), "en")


class DiesInAWorker:
    """A worker that dies mid-batch (killed, out of memory): the pool breaks."""

    def __call__(self, text: str) -> Sentiment:
        if in_worker():
            os._exit(1)
        return WhereScored()(text)


class CountsItsUnpickling:
    """A scorer that writes a line to `log` each time a process unpickles it: the owner's
    scorer carries their words and what was learned from corrections (MBs pickled)."""

    def __init__(self, log: Path, word: str) -> None:
        self.log, self.word = log, word

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        with open(self.log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")

    def __call__(self, text: str) -> Sentiment:
        bad = self.word in text
        label = SentimentLabel.NEGATIVE if bad else SentimentLabel.POSITIVE
        return Sentiment(-0.5 if bad else 0.5, label, (self.word,), "en")


class WaitsForTheLastParcel:
    """Scores like WhereScored, but in a worker a text about "the last parcel" waits until
    `go` exists: the workers are still busy with the end of the batch."""

    def __init__(self, go: Path) -> None:
        self.go = go

    def __call__(self, text: str) -> Sentiment:
        if "last parcel" in text and in_worker():
            wait_until(self.go.exists, "the test to let the last parcel be scored", 60)
        return WhereScored()(text)


class ByKeyword:
    """The same label wherever it runs (the test compares worker and inline results)."""

    def __call__(self, text: str) -> Sentiment:
        bad = any(w in text.lower() for w in ("broken", "refund", "late", "worst", "rude"))
        label = SentimentLabel.NEGATIVE if bad else SentimentLabel.POSITIVE
        return Sentiment(-0.6 if bad else 0.4, label, ("keyword",), "en")


def _mentions(make_post: Any, count: int) -> list[Any]:
    return [
        make_post(
            str(i),
            f"order {i} is late" if i % 3 == 0 else f"thanks for cake {i}",
            author=f"c{i % 40}",
            minutes=i,
        )
        for i in range(count)
    ]


def _reasons(store: Any) -> list[tuple[str, ...]]:
    rows = store.list_threads(ThreadQuery(), 0, 10_000)
    return [p.sentiment.reasons for r in rows for p in store.thread_posts(r.id)]


def test_a_first_sync_of_a_thousand_mentions_is_scored_in_worker_processes(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None
) -> None:
    posts = _mentions(make_post, 1000)

    result = store.ingest(shop_account.id, posts, WhereScored())

    assert result.new_posts == 1000
    assert set(_reasons(store)) == {("worker",)}
    negative = store.list_threads(ThreadQuery(label=SentimentLabel.NEGATIVE), 0, 10_000)
    assert sum(r.post_count for r in negative) == len(range(0, 1000, 3))


def test_the_usual_few_new_mentions_are_scored_inline(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None
) -> None:
    store.ingest(shop_account.id, _mentions(make_post, 20), WhereScored())

    assert set(_reasons(store)) == {("here",)}
    assert scoring_pool._pool is None  # no processes started for a handful of posts


def test_workers_and_inline_scoring_store_the_same_labels(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None
) -> None:
    owner = OwnerScorer({"crumbly": 2.0}, business_names=["Corner Bakery"])
    texts = [
        "The crumbly scones were a treat",
        "Still waiting for my refund, two weeks now",
        "Corner Bakery is open on Sunday?",
        "never again, the cake was stale",
    ]
    posts = [make_post(str(i), texts[i % 4], author=f"c{i}", minutes=i) for i in range(800)]

    store.ingest(shop_account.id, posts, owner)

    stored = {
        p.post.text: p.sentiment
        for r in store.list_threads(ThreadQuery(), 0, 10_000)
        for p in store.thread_posts(r.id)
    }
    assert stored == {text: owner(text) for text in texts}


def test_each_worker_unpickles_the_owners_scorer_once_not_once_per_chunk(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None, tmp_path: Path
) -> None:
    log = tmp_path / "unpickled.txt"
    owner = CountsItsUnpickling(log, "late")
    first = _mentions(make_post, 2000)  # eight chunks of 250
    more = [make_post(f"n{i}", f"late parcel {i}", minutes=3000 + i) for i in range(1000)]

    store.ingest(shop_account.id, first, owner)
    store.ingest(shop_account.id, more, owner)  # the same scorer, the next batch

    unpickled = log.read_text(encoding="utf-8").split()
    assert 1 <= len(unpickled) <= 2  # once in each of the two workers, at most
    assert len(set(unpickled)) == len(unpickled)
    assert os.getpid() not in map(int, unpickled)


def test_a_scorer_changed_between_batches_is_sent_again(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None, tmp_path: Path
) -> None:
    owner = CountsItsUnpickling(tmp_path / "unpickled.txt", "late")
    store.ingest(shop_account.id, _mentions(make_post, 600), owner)

    owner.word = "cake"  # the owner saved a new word list: the workers must not keep the old
    more = [make_post(f"n{i}", f"cake parcel {i}", minutes=900 + i) for i in range(600)]
    store.ingest(shop_account.id, more, owner)

    rows = store.list_threads(ThreadQuery(), 0, 10_000)
    later = [p for r in rows for p in store.thread_posts(r.id) if p.post.remote_id[0] == "n"]
    assert len(later) == 600
    assert {p.sentiment.reasons for p in later} == {("cake",)}
    assert {p.sentiment.label for p in later} == {SentimentLabel.NEGATIVE}


def test_a_worker_that_dies_costs_no_post(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None, caplog: Any
) -> None:
    posts = _mentions(make_post, 600)

    result = store.ingest(shop_account.id, posts, DiesInAWorker())

    assert result.new_posts == 600
    assert set(_reasons(store)) == {("here",)}  # every post scored, in this process
    assert "scoring in worker processes failed" in caplog.text
    # and the next big batch does not try the broken pool again
    more = [make_post(f"n{i}", f"late parcel {i}", minutes=900 + i) for i in range(500)]
    assert store.ingest(shop_account.id, more, WhereScored()).new_posts == 500
    assert scoring_pool._pool is None


def test_a_scorer_that_cannot_go_to_a_worker_is_used_inline(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None
) -> None:
    def closure(text: str) -> Sentiment:  # a local function cannot be pickled
        return Sentiment(0.0, SentimentLabel.NEUTRAL, ("closure",), "en")

    store.ingest(shop_account.id, _mentions(make_post, 500), closure)

    assert set(_reasons(store)) == {("closure",)}
    assert not scoring_pool._failed  # the pool stays available for the real scorer


def test_only_new_and_edited_texts_are_scored_again(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None
) -> None:
    from dataclasses import replace

    posts = _mentions(make_post, 500)
    store.ingest(shop_account.id, posts, WhereScored())
    seen: list[str] = []

    def counting(text: str) -> Sentiment:
        seen.append(text)
        return WhereScored()(text)

    edited = [replace(p, text=p.text + " (edited)") if i < 5 else p for i, p in enumerate(posts)]
    store.ingest(shop_account.id, edited, counting)

    assert sorted(seen) == sorted(p.text for p in edited[:5])


def test_a_conversation_across_a_big_batch_stays_one_thread(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None
) -> None:
    from app.storage.ingest import PART

    posts = _mentions(make_post, PART + 200)
    chain = range(PART - 10, PART + 11)  # a back-and-forth over where the batch is split
    for i in chain[1:]:  # each answers the one before
        posts[i] = make_post(str(i), posts[i].text, author="ann", minutes=i, parent=str(i - 1))

    result = store.ingest(shop_account.id, posts, WhereScored())

    threads = store.list_threads(ThreadQuery(), 0, 10_000)
    assert result.new_posts == PART + 200
    assert sorted(result.new_thread_ids) == sorted(r.id for r in threads)
    assert result.updated_thread_ids == ()
    (long,) = [r for r in threads if r.post_count > 1]
    assert long.post_count == len(chain)
    assert set(_reasons(store)) == {("worker",)}


def test_idle_workers_are_let_go_after_a_while(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.ingest(shop_account.id, _mentions(make_post, 500), WhereScored())
    assert scoring_pool._pool is not None  # kept for the next big batch...

    # No big batch follows: the countdown (restarted here with a short wait, so the test
    # does not depend on how long the batch took to store) stops the workers.
    monkeypatch.setattr(scoring_pool, "IDLE_SECONDS", 0.3)
    scoring_pool._stop_when_idle([])
    wait_until(lambda: scoring_pool._pool is None, "the idle workers to be let go", 10)
    assert scoring_pool._pool is None  # ...but not forever: each worker holds the lexicons
    more = [make_post(f"n{i}", f"late parcel {i}", minutes=900 + i) for i in range(500)]
    store.ingest(shop_account.id, more, WhereScored())
    assert set(_reasons(store)) == {("worker",)}  # a new pool for the next big batch


@pytest.mark.parametrize("ending", ["scoring_pool.shutdown()", "pass  # the CLI just returns"])
def test_a_process_that_used_the_workers_exits_without_a_word(ending: str) -> None:
    """No "Exception ignored in ... weakref_cb" after a pytest summary or a CLI sync."""
    script = (
        "from app.core import scoring_pool\n"
        "from tests.test_scoring_pool import WhereScored\n"
        "scoring_pool.worker_count = lambda: 2\n"
        "job = scoring_pool.ScoringJob(WhereScored(), [f'late {i}' for i in range(400)])\n"
        "assert job.parallel and job.get('late 399').reasons == ('worker',)\n"
        f"{ending}\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def loaded_in_worker(names: list[str]) -> list[str]:
    """Runs in a scoring worker: which of `names` that process has imported."""
    return [n for n in names if n in sys.modules]


def test_workers_started_by_the_shopkeep_command_do_not_load_the_app(tmp_path: Path) -> None:
    """The installed command is a script, and a spawned worker runs that script again:
    its entry point must not import the app (the window, the wiring) into every worker."""
    import tomllib

    entry = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, _, function = entry["project"]["scripts"]["shopkeep"].partition(":")
    script = tmp_path / "shopkeep"
    script.write_text(  # what pip writes for a console script, with the app's run replaced
        "import sys\n"
        f"from {module} import {function}\n"
        "if __name__ == '__main__':\n"
        "    from app.core import scoring_pool\n"
        "    from tests.test_scoring_pool import loaded_in_worker\n"
        "    scoring_pool.worker_count = lambda: 2\n"
        "    pool = scoring_pool._shared_pool()\n"
        "    print(pool.submit(loaded_in_worker, ['app.main', 'app.wiring.window']).result())\n"
        "    print(sorted(m for m in sys.modules if m.startswith('app.main')))\n"
        "    scoring_pool.shutdown()\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    in_worker, in_command = proc.stdout.strip().splitlines()[-2:]
    assert in_worker == "[]"
    assert in_command == "[]"  # the script itself loads the app only when it runs it


def test_the_writer_stores_what_is_scored_while_the_workers_finish_the_batch(
    make_post: Any, fresh_pool: None, tmp_path: Path
) -> None:
    """Storing the last part waits for the workers' last chunk, and one core idles meanwhile:
    so everything already scored is stored first, and the last part is one chunk."""
    from app.storage.ingest import PART, _parts
    from tests.waiting import wait_until

    go = tmp_path / "go"
    posts = [
        make_post(str(i), f"the last parcel {i}" if i >= 1750 else f"thanks {i}", minutes=i)
        for i in range(2000)
    ]  # eight chunks of 250 texts: the workers hold the eighth back
    job = scoring_pool.ScoringJob(WaitsForTheLastParcel(go), [p.text for p in posts])
    assert job.parallel
    wait_until(lambda: all(job.ready(p.text) for p in posts[:1750]), "seven chunks scored")

    parts = _parts(job, posts)
    stored = [next(parts), next(parts)]  # nothing waits on the eighth chunk yet
    assert [len(p) for p in stored] == [PART, 1750 - PART]
    assert not job.ready(posts[1750].text)
    go.touch()
    last = list(parts)

    assert [len(p) for p in last] == [250]
    assert [p.remote_id for p in [*stored[0], *stored[1], *last[0]]] == [p.remote_id for p in posts]


def test_a_big_batch_stored_in_many_parts_ends_as_if_stored_in_one_go(
    store: Any, fresh_pool: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a batch is cut depends on how fast the workers score: threads spread over
    parts, replies before their parents and the shop's answers must end the same."""
    from app.storage import ingest
    from bench.generate import BLUESKY_SHOP, MASTODON_SHOP, generate

    data = generate(1500)
    mastodon, bluesky = store.add_account(MASTODON_SHOP), store.add_account(BLUESKY_SHOP)

    def inline(text: str) -> Sentiment:  # a closure: scored here, the batch in one part
        return ByKeyword()(text)

    store.ingest(mastodon.id, data.mastodon, inline)
    store.ingest(bluesky.id, data.bluesky, inline)
    in_one_go = _contents(store)
    _forget_posts(store)
    monkeypatch.setattr(ingest, "MIN_PART", 1)  # every part as small as scoring allows
    monkeypatch.setattr(ingest, "PART", 37)
    cuts: list[int] = []
    real_parts = ingest._parts
    monkeypatch.setattr(
        ingest, "_parts", lambda *a: (cuts.append(len(p)) or p for p in real_parts(*a))
    )

    store.ingest(mastodon.id, data.mastodon, ByKeyword())
    store.ingest(bluesky.id, data.bluesky, ByKeyword())

    assert len(cuts) >= 1500 // 37 and max(cuts) <= 37
    assert _contents(store) == in_one_go


def _forget_posts(store: Any) -> None:
    with store.db.atomic():
        for table in ("post", "thread", "contact"):
            store.db.execute_sql(f"DELETE FROM {table}")


def _contents(store: Any) -> tuple[list[tuple[Any, ...]], ...]:
    """Every thread and post as the window shows them, by remote ids (row ids may differ)."""
    sql = store.db.execute_sql
    threads = sql(
        "SELECT account_id, root_remote_id, status, post_count, unread_count, snippet, "
        "worst_label, worst_compound, last_activity, last_customer_at, last_own_at, "
        "author_handle, author_name FROM thread ORDER BY account_id, root_remote_id"
    ).fetchall()
    posts = sql(
        "SELECT p.account_id, p.remote_id, t.root_remote_id, p.read, p.label, p.is_own, "
        "c.key, c.handle FROM post p JOIN thread t ON t.id = p.thread_id "
        "LEFT JOIN contact c ON c.id = p.contact_id ORDER BY p.account_id, p.remote_id"
    ).fetchall()
    found = sql(
        "SELECT p.remote_id FROM post_fts JOIN post p ON p.id = post_fts.rowid "
        "WHERE post_fts MATCH 'order' ORDER BY p.remote_id"
    ).fetchall()
    return threads, posts, found
