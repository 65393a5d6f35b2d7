"""A problem the shop put right, and quickly, is praise; a fix that failed again, or came
only after a fight, is still a complaint.

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

from tests.sentiment_support import why


def test_a_refund_on_the_spot_is_not_a_refund_complaint():
    assert "complaint (refund)" not in why("they refunded it on the spot")
