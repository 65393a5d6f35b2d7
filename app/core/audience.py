"""Who will see a reply, in words the owner reads before pressing Send.

Mastodon replies are never wider than the post they answer (the more private
of the parent's visibility and the account's default); the owner may narrow
them further to a direct reply that only the customer sees. Every Bluesky
post is public: the composer says so and offers to copy the text for a direct
message instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.models import Network

VISIBILITIES = ("public", "unlisted", "private", "direct")  # widest first
VISIBILITY_WORDS = {
    "public": "Public: anyone can see it",
    "unlisted": "Quiet public: anyone with the link, not shown in public timelines",
    "private": "Followers only, and the people mentioned",
    "direct": "Private: only the people mentioned",
}
BLUESKY_PUBLIC = (
    "Public: every Bluesky reply can be read by anyone. For a private answer, "
    "copy it for a direct message (DM) in the Bluesky app."
)


def narrower(a: str, b: str) -> str:
    """The more private of two visibilities; an unknown one counts as direct (safest)."""
    rank = {v: i for i, v in enumerate(VISIBILITIES)}
    return VISIBILITIES[max(rank.get(a, 3), rank.get(b, 3))]


def reply_visibility(parent: str, default: str, private: bool = False) -> str:
    """What the reply will be: the parent's audience or narrower, direct when chosen."""
    return "direct" if private else narrower(parent or "public", default or "public")


def audience_words(network: Network, visibility: str, mentioned: Sequence[str]) -> str:
    """Who will see the reply, shortest first: the composer shows it on one line."""
    if network is Network.BLUESKY:
        return BLUESKY_PUBLIC
    names = ", ".join(mentioned)
    if visibility == "direct" and names:
        return f"Private: only {names} can see it."
    words = VISIBILITY_WORDS.get(visibility, VISIBILITY_WORDS["direct"])
    return f"{words}. Mentions {names} (added for you)." if names else f"{words}."
