"""A tripwire for RULES_VERSION (app/core/sentiment_version.py) that cannot be silenced.

Stored posts are rescored once when the version changes, so a rule change that
colours any example differently must add a new version to RULES_HISTORY. The
history is append-only: this file's git history is read, and a version that was
ever recorded with another digest (re-pinned in place) or dropped fails the suite,
whatever a later commit does to the digest.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

from app.core.sentiment_version import RULES_HISTORY, RULES_VERSION
from tests.sentiment_support import history_conflicts, rules_digest

ROOT = Path(__file__).resolve().parent.parent
VERSION_FILE = "app/core/sentiment_version.py"


def _history_in(source: str) -> dict[int, str] | None:
    """RULES_HISTORY as written in one version of the file (None before it existed)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "RULES_HISTORY" for t in targets):
                return ast.literal_eval(node.value)  # type: ignore[arg-type]
    return None


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def _committed_histories() -> list[dict[int, str]]:
    """RULES_HISTORY in every commit that changed the file, oldest first."""
    commits = _git("log", "--format=%H", "--reverse", "--", VERSION_FILE).split()
    histories = [_history_in(_git("show", f"{c}:{VERSION_FILE}")) for c in commits]
    return [h for h in histories if h is not None]


def test_the_rules_version_moves_with_the_rules():
    digest = rules_digest()
    assert RULES_HISTORY[RULES_VERSION] == digest, (
        f"the scores changed (digest {digest}): if that is meant, add a new version "
        f"to RULES_HISTORY: {RULES_VERSION + 1}: {digest!r}; never change an old one"
    )


def test_the_version_is_the_newest_in_the_history():
    assert list(RULES_HISTORY) == sorted(RULES_HISTORY)
    assert max(RULES_HISTORY) == RULES_VERSION
    assert len(set(RULES_HISTORY.values())) == len(RULES_HISTORY)


def test_no_recorded_version_was_ever_re_pinned():
    """Re-pinning the newest digest in place passes the test above; git remembers."""
    working = _history_in((ROOT / VERSION_FILE).read_text(encoding="utf-8"))
    assert working == RULES_HISTORY
    assert history_conflicts([*_committed_histories(), working]) == []


def test_a_re_pinned_or_dropped_version_is_caught():
    before = {18: "aaaa", 19: "bbbb"}
    assert history_conflicts([before, {18: "aaaa", 19: "bbbb", 20: "cccc"}]) == []
    assert history_conflicts([before, {18: "aaaa", 19: "cccc"}]) == [
        "version 19 was re-pinned: bbbb -> cccc"
    ]
    assert history_conflicts([before, {19: "bbbb"}]) == ["version 18 was removed from the history"]
    # re-pinned in one commit and put back in the next: still caught
    assert history_conflicts([before, {18: "xxxx", 19: "bbbb"}, before]) != []
