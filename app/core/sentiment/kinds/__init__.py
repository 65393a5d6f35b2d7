"""Every complaint and praise phrase kind, registered in one ordered list.

Where two kinds' patterns can match at the same word, the one registered first
wins, so the order is part of the rules. To add a kind, add a row to the module
of its concept (or a new module) and register it here; tests/test_sentiment_kinds
checks that no key is used twice.
"""

from __future__ import annotations

from app.core.sentiment.kinds import (
    chasing,
    delivery,
    expectations,
    left_undone,
    online_slang,
    praise,
    put_right,
    ratings,
    reviews,
    service_failures,
    shop_systems,
    value_for_money,
)
from app.core.sentiment.kinds.kind import Kind

REGISTERED: tuple[Kind, ...] = (
    # first: at one start "refunded the difference there and then" is a fix, not a refund
    *put_right.PRAISE,
    *service_failures.COMPLAINTS,
    *chasing.COMPLAINTS,
    *delivery.COMPLAINTS,
    *expectations.COMPLAINTS,
    *reviews.COMPLAINTS,
    *online_slang.COMPLAINTS,
    *ratings.COMPLAINTS,
    *shop_systems.COMPLAINTS,
    *value_for_money.COMPLAINTS,
    *left_undone.COMPLAINTS,
    *praise.PRAISE,
    *reviews.PRAISE,
    *online_slang.PRAISE,
    *ratings.PRAISE,
)

__all__ = ["REGISTERED", "Kind"]
