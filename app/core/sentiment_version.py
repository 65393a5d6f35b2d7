"""Which rules scored a stored post (outside app.core.sentiment, so the window can
read it without compiling the scorer's patterns on the GUI thread).

When a change to the scorer colours any example differently, add a new version to
RULES_HISTORY with the digest tests/test_rules_version.py prints; never change a
digest already recorded (the test reads the git history of this file and fails if
a version was ever re-pinned). On the next start the window rescores the stored
posts once, in the background, so an update's better rules reach the inbox the
owner already has, not only new mentions.
"""

from __future__ import annotations

# version -> digest of the sentiment examples as that version's rules score them
# (tests/sentiment_support.rules_digest), oldest first.
# Up to 17 the version was one number, re-pinned in place after many rule changes; 18
# is the first with a recorded digest, so every inbox scored under any 17 is rescored.
RULES_HISTORY: dict[int, str] = {
    18: "858b57b7ecbceaca",  # the engine rebuilt on rules as data; every score as in 17's last
}
RULES_VERSION: int = max(RULES_HISTORY)
