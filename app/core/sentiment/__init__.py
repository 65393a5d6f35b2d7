"""The one scoring function every post goes through at ingest.

VADER is the base; rules for customer-to-business messages sit on top (see
`rules`, `lexicons` and `reviews`): masked handles, links and shop names, politeness
that is not praise, sarcastic thanks, clause-bound negation, a complaint
lexicon and review-complaint kinds (food, staff, blocked customers), split
hashtags, extra emoji, and non-English posts left unscored.
"""

from __future__ import annotations

from app.core.sentiment.scorer import THRESHOLD, label_for, score

__all__ = ["THRESHOLD", "label_for", "score"]
