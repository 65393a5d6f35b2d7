"""Seeded, realistic inbox data for the benchmarks: posts, threads and two shop accounts.

Threads hold 1–40 posts (most 1–3, a few long ones), texts run from a few words
to ~450 characters with emoji, links, hashtags and @-mentions, about a fifth of
thread posts are the shop's own replies, and a few posts are not English. One
Mastodon and one Bluesky account share the data. The same seed gives the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.core.models import AccountInfo, Author, Network, Post

SEED = 20240611
RARE_WORD = "quetzalcoatlus"  # in RARE_COUNT posts only: the "rare word" search
RARE_COUNT = 5
COMMON_WORD = "order"  # in roughly a third of the posts: the "common word" search
LONG_THREAD = 40
EPOCH = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)

MASTODON_SHOP = AccountInfo(Network.MASTODON, "https://shop.test", "shop", "1", "The Shop")
BLUESKY_SHOP = AccountInfo(
    Network.BLUESKY, "https://pds.test", "shop.test", "did:plc:shop", "The Shop"
)

_OPENERS = [
    "Hi",
    "Hey",
    "Hello",
    "Morning",
    "So",
    "Quick question:",
    "Ugh,",
    "Wow,",
    "Honestly,",
    "Just saying,",
    "FYI",
    "Hmm,",
    "Dear shop,",
    "Yo",
    "",
]
_POSITIVE = [
    "the cake was absolutely wonderful",
    "your team was so helpful today",
    "love the new sourdough, best in town",
    "fast delivery and lovely packaging",
    "my {item} arrived early and it is perfect",
    "thank you for fixing my {item} so quickly",
    "great service as always",
    "the staff went above and beyond",
    "five stars, will order again",
    "what a nice surprise in the bag",
]
_NEGATIVE = [
    "my {item} arrived broken",
    "still waiting for a refund after three weeks",
    "the {item} was stale and the box was crushed",
    "nobody answers the phone, really annoying",
    "great job losing my parcel again",
    "worst customer service I have had this year",
    "you charged me twice for one {item}",
    "the app keeps crashing at checkout",
    "rude staff at the counter this morning",
    "the {item} tasted burnt, very disappointed",
]
_NEUTRAL = [
    "do you ship to Belgium",
    "what time do you open on Sunday",
    "is the {item} gluten free",
    "can I change my delivery address",
    "where can I find the allergen list",
    "do you have the {item} in stock",
    "how long does shipping usually take",
    "is there parking near the shop",
    "can I pick it up tomorrow instead",
    "do you take card payments",
]
_ITEMS = [
    "cake",
    "croissant",
    "sourdough",
    "parcel",
    "mug",
    "gift box",
    "baguette",
    "tart",
    "coffee beans",
    "teapot",
    "cookie tin",
    "birthday cake",
]
_ORDER_BITS = [
    "about my order #{n}",
    "re order {n}",
    "my order from last week",
    "order number {n}",
    "the order I placed on Monday",
]
_TAILS = [
    "Thanks!",
    "Cheers",
    "please help",
    "any update?",
    "🙏",
    "😡😡",
    "😍",
    "👍",
    "🎂✨",
    "😤",
    "lol",
    "!!!",
    "#bakery #smallbusiness",
    "#fail",
    "#shoplocal",
    "https://example.com/photo/{n}",
    "see https://t.co/{n}",
    "",
    "",
    "",
]
_FOREIGN = [
    "Das Paket ist leider beschädigt angekommen, was nun?",
    "El pastel estaba delicioso, ¡muchas gracias!",
    "Le colis est arrivé en retard, encore une fois.",
    "De taart was heerlijk, bedankt voor de snelle levering!",
]
_SHOP_REPLIES = [
    "Thanks so much, {name}! 😊",
    "So sorry about that {name}, we'll make it right.",
    "Hi {name}, we've sent you a DM with the details.",
    "Glad you liked it! See you soon.",
    "Refund is on its way, apologies again.",
    "We open at 9 on Sundays.",
    "Yes, it's gluten free!",
]
_FIRST = [
    "Ana",
    "Ben",
    "Chloé",
    "Dmitri",
    "Emma",
    "Farid",
    "Grace",
    "Hiro",
    "Inès",
    "Jon",
    "Kemal",
    "Lea",
    "Mo",
    "Nora",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tomás",
]
_LAST = ["B.", "Khan", "Müller", "Ng", "O'Brien", "Silva", "Tanaka", "", "🌻", "Doe"]


@dataclass(frozen=True, slots=True)
class Dataset:
    """Posts per account (oldest first) plus the facts the measurements need."""

    mastodon: list[Post]
    bluesky: list[Post]
    threads: int
    long_root_ids: tuple[str, ...] = field(default=())  # roots of the 40-post threads

    @property
    def posts(self) -> int:
        return len(self.mastodon) + len(self.bluesky)

    def texts(self) -> list[str]:
        return [p.text for p in (*self.mastodon, *self.bluesky)]


def _thread_size(rng: random.Random) -> int:
    """1–40 posts, mean about 2.5: most threads are one mention and maybe an answer."""
    r = rng.random()
    if r < 0.70:
        return 1
    if r < 0.84:
        return rng.randint(2, 3)
    if r < 0.97:
        return rng.randint(4, 8)
    return rng.randint(9, LONG_THREAD)


def customer_text(rng: random.Random, shop: str, n: int) -> str:
    """One customer message: opener, 1–4 clauses of mixed mood, maybe an order, a tail."""
    mood = rng.random()
    pool = _NEGATIVE if mood < 0.3 else _POSITIVE if mood < 0.65 else _NEUTRAL
    clauses = [
        rng.choice(pool).format(item=rng.choice(_ITEMS))
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4)))
    ]
    if rng.random() < 0.33:
        clauses.insert(
            rng.randrange(len(clauses) + 1),
            rng.choice(_ORDER_BITS).format(n=rng.randint(1000, 99999)),
        )
    sep = rng.choice((", ", ". ", " and ", "... ", " - "))
    body = sep.join(clauses)
    tail = rng.choice(_TAILS).format(n=rng.randint(1, 10**6))
    text = " ".join(x for x in (f"@{shop}", rng.choice(_OPENERS), body, tail) if x)
    return text[:450]


class _Builder:
    """Turns thread sizes into Posts for one network, with ids that network uses."""

    def __init__(self, rng: random.Random, network: Network, shop: AccountInfo) -> None:
        self.rng = rng
        self.network = network
        self.shop = Author(network, shop.remote_id, shop.handle, shop.display_name)
        self.posts: list[Post] = []
        self._next = 1000
        self.customers = [self._customer(i) for i in range(4000)]

    def _customer(self, i: int) -> Author:
        first, last = self.rng.choice(_FIRST), self.rng.choice(_LAST)
        user = f"{first.lower().replace('é', 'e').replace('è', 'e')}{i}"
        if self.network is Network.MASTODON:
            host = self.rng.choice(("mastodon.social", "fosstodon.org", "shop.test", "mas.to"))
            return Author(self.network, str(10**6 + i), f"{user}@{host}", f"{first} {last}".strip())
        return Author(
            self.network, f"did:plc:cust{i:06d}", f"{user}.bsky.social", f"{first} {last}".strip()
        )

    def _id(self, author: Author) -> str:
        self._next += 1
        if self.network is Network.MASTODON:
            return str(self._next)
        return f"at://{author.remote_id}/app.bsky.feed.post/3k{self._next:011d}"

    def thread(self, size: int, start: datetime, texts: list[str]) -> str:
        rng = self.rng
        people = rng.sample(self.customers, k=min(len(self.customers), rng.randint(1, 3)))
        root_id = ""
        ids: list[str] = []
        when = start
        for k in range(size):
            own = k > 0 and rng.random() < 0.22
            author = self.shop if own else rng.choice(people)
            if own:
                text = rng.choice(_SHOP_REPLIES).format(name=people[0].first_name)
            else:
                text = texts.pop() if texts else customer_text(rng, self.shop.handle, k)
            rid = self._id(author)
            parent = None
            if ids:  # mostly a chain, sometimes a branch off an earlier post
                parent = ids[-1] if rng.random() < 0.8 else rng.choice(ids)
            self.posts.append(
                Post(
                    network=self.network,
                    remote_id=rid,
                    author=author,
                    text=text,
                    created_at=when,
                    url=f"https://{self.network.value}.test/p/{rid[-8:]}",
                    parent_remote_id=parent,
                    root_remote_id=root_id or None,
                    is_mention=not own,
                    mentions=(self.shop.handle,) if not own else (),
                    language="en",
                )
            )
            root_id = root_id or rid
            ids.append(rid)
            when += timedelta(minutes=rng.randint(1, 180))
        return root_id


def generate(total_posts: int, seed: int = SEED) -> Dataset:
    """About `total_posts` posts (exactly, give or take one thread) split over two accounts.

    The two newest threads hold 40 posts each, so the thread list shows them first.
    """
    rng = random.Random(seed)
    builders = {
        Network.MASTODON: _Builder(rng, Network.MASTODON, MASTODON_SHOP),
        Network.BLUESKY: _Builder(rng, Network.BLUESKY, BLUESKY_SHOP),
    }
    span = timedelta(days=90)
    sizes: list[int] = []
    made = 0
    while made < total_posts - 2 * LONG_THREAD:
        sizes.append(min(_thread_size(rng), total_posts - 2 * LONG_THREAD - made))
        made += sizes[-1]
    starts = sorted(
        EPOCH - span + timedelta(seconds=rng.uniform(0, span.total_seconds())) for _ in sizes
    )
    extra: list[str] = []  # rare and foreign texts, handed to the first threads built
    for i in range(RARE_COUNT):
        extra.append(f"@shop has anyone seen the {RARE_WORD} cake topper? #{i}")
    extra += _FOREIGN * 3
    for size, start in zip(sizes, starts, strict=True):
        net = Network.MASTODON if rng.random() < 0.55 else Network.BLUESKY
        builders[net].thread(size, start, extra)
    roots = []
    for net in (Network.MASTODON, Network.BLUESKY):
        roots.append(builders[net].thread(LONG_THREAD, EPOCH + timedelta(hours=1), []))
    for b in builders.values():
        b.posts.sort(key=lambda p: (p.created_at, p.remote_id))
    return Dataset(
        builders[Network.MASTODON].posts,
        builders[Network.BLUESKY].posts,
        threads=len(sizes) + 2,
        long_root_ids=tuple(roots),
    )
