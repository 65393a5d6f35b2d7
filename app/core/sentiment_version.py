"""Which rules scored a stored post (outside app.core.sentiment, so the window can
read it without compiling the scorer's patterns on the GUI thread).

Bump RULES_VERSION whenever a change to the scorer colours any post differently
(tests/test_rules_version.py fails until you do): on the next start the window
rescores the stored posts once, in the background, so an update's better rules
reach the inbox the owner already has, not only new mentions.
"""

from __future__ import annotations

# 16: ratings, hashtag runs, the shop's systems failing, questions.
# 17: value for money, plain-fact complaints and praise, questions about what a shop does.
RULES_VERSION = 17
