"""A tripwire for RULES_VERSION (app/core/sentiment_version.py).

Stored posts are rescored once when the version changes, so a rule change that
colours posts differently must bump it. This test scores a fixed set of messages
and compares a digest of the results with the one pinned for the current version:
when it fails, bump RULES_VERSION and pin the new digest it prints.
"""

from __future__ import annotations

import hashlib

from app.core.sentiment import score
from app.core.sentiment_version import RULES_VERSION
from bench.customer_messages import MESSAGES

# Made up for this test: one of each kind of message the inbox sees.
EXTRA = (
    "Lovely shop. Shame about the prices.",
    "the box said 12, I counted 9",
    "is it too much to ask for a receipt?",
    "the new loaf is kinda mid ngl",
    "sorry to bother you, are you open Sunday?",
    "Danke, alles gut angekommen",
    "thanks for nothing @bakery",
    "#NeverAgain waited 2 hours",
    "5/5 for the lemon drizzle",
    "parcel came open #neveragain #fail",
    "when will you be back in stock?",
    "tried three times to pay, is delivery free?",
    "the portions have halved but the price hasn't",
    "ok, I'll pop back tomorrow then",
    "the nursery forgot her inhaler again",
    "do you have anything for a broken nail?",
    "the strap snapped, they had it replaced the same day",
)
PINNED = {17: "5855ee5beddc497e"}


def _digest() -> str:
    h = hashlib.sha256()
    for text in [m for m, _ in MESSAGES] + list(EXTRA):
        s = score(text)
        h.update(f"{s.label.value}|{s.compound:.3f}|{'/'.join(s.reasons)}\n".encode())
    return h.hexdigest()[:16]


def test_the_rules_version_moves_with_the_rules():
    digest = _digest()
    assert PINNED.get(RULES_VERSION) == digest, (
        f"the scores changed (digest {digest}): if that is meant, bump RULES_VERSION "
        f"(now {RULES_VERSION}) and set PINNED = {{<new version>: {digest!r}}}"
    )
