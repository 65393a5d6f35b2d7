"""What staff forgot, left undone or damaged: the medicine not given, the dog not
dried, the tax return filed late, the tulips strimmed.

"the nursery forgot to give her the medicine again", "bringing her back muddy and
not drying her off", "filed my return late and I got the fine". No word VADER
scores; each is a job the customer paid for that was not done.
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows
from app.core.sentiment.lexicons import after

# Who did the job: "the gardener strimmed my tulips" is the shop's doing, "I broke my
# glasses" is not.
_SOMEONE = (
    "they|you|he|she|u|staff|someone|somebody|nursery|kitchen|driver|waiter|waitress|chef|"
    "salon|shop|pharmacy|school|team|receptionist|engineer|mechanic|builder|cleaner|"
    "gardener|fitter|fitters|plumber|electrician|painter|decorator|groomer|hairdresser|"
    "barber|stylist|technician|courier|removals|movers|dry cleaners|garage"
)

UNDONE_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "left undone": (
        (
            # someone else forgot ("I forgot my card" is the customer's own doing)
            after(_SOMEONE + "|also|again|then|completely|totally")
            + r"forg(?:ot|otten) (?:to|my|our|about|the|his|her|their)",
            # a finishing step skipped: "not drying her off", "without cleaning up"
            r"(?:not|never|without) (?:even )?(?:drying|cleaning|wiping|washing|tidying|clearing|"
            r"checking|hoovering|sweeping) (?:her|him|them|it|up|the|my|our)",
            # a round missed: "the bin men skipped our street again"
            r"(?:skipped|missed|forgot) (?:our|my) (?:street|road|house|bins?|collection|delivery|"
            r"turn|appointment|slot|drop|stop)",
            r"overflowing",
            # "left ten minutes later without fixing anything"
            r"without (?:fixing|doing|sorting|repairing|checking|looking at|touching) "
            r"(?:anything|a thing|it|the (?:problem|fault|leak|issue))",
            # done after the date that mattered: "filed my return late"
            r"(?:filed|submitted|sent|paid|posted|returned|handed in|lodged) (?:\w+ ){0,3}?"
            r"late(?![\w'])",
        ),
        -1.8,
    ),
    # damage done while doing the job: "the gardener strimmed my tulips"
    "damage done": (
        (
            after(_SOMEONE)
            + r"(?:strimmed|mowed|trampled|scratched|dented|chipped|scuffed|stained|shrunk|shrank|"
            r"singed|burnt|burned|bleached|gouged|cracked|ripped|tore|smashed|broke|snapped|"
            r"ruined|damaged|lost|scraped|flooded) (?:my|our)(?![\w'])",
        ),
        -2.0,
    ),
}

COMPLAINTS = rows(UNDONE_COMPLAINTS)
