"""The one scoring function every post goes through at ingest.

VADER is the base; rules for customer-to-business messages sit on top, read by a
small engine (`scorer.STAGES`): masked handles, links and shop names, word senses
(`word_senses`), complaint and praise phrase kinds as rows (`kinds/`), sarcasm,
politeness that is not praise, clause-bound negation, split hashtags, extra emoji,
and non-English posts left unscored. docs/sentiment.md says how to add a rule.
"""

from __future__ import annotations

from app.core.sentiment.scorer import THRESHOLD, label_for, score

__all__ = ["THRESHOLD", "label_for", "score"]
