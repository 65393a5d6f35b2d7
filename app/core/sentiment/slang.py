"""Everyday words customers praise and complain in that VADER's 2014 lexicon lacks.

Enthusiasm ("stoked", "buzzin", "chuffed"), British shop talk ("lush", "brill",
"rubbish", "naff", "a faff") and newer complaint words ("janky", "scammed"). The
valences are in VADER's units (-4..+4), set beside the words VADER already has:
"excited" 1.4, "thrilled" 1.9, "fabulous" 2.4; "useless" -1.8, "awful" -2.0.
"pay" (VADER -0.4) is how customers settle a bill, so it has no valence here.
Words with a common neutral sense in a shop ("lit" candles, "trash" bags, "mint"
flavour, a "buzzing" fridge, "sick" days) are left out.
"""

from __future__ import annotations

SLANG_VALENCE: dict[str, float] = {
    # enthusiasm
    "stoked": 2.2,
    "pumped": 1.8,
    "hyped": 1.8,
    "psyched": 2.0,
    "chuffed": 2.3,
    "beaming": 2.3,
    "wizardry": 2.0,
    "addictive": 1.8,
    "buzzin": 1.5,
    "dope": 2.0,
    "epic": 2.0,
    "legend": 2.0,
    "legends": 2.0,
    "legendary": 2.2,
    "banger": 2.0,
    "bangers": 2.0,
    "amazeballs": 3.0,
    "unreal": 1.8,
    "kindest": 2.4,
    "sweetest": 2.4,
    "loveliest": 2.6,
    "thriving": 2.0,
    "flourishing": 2.0,
    # online slang: "this playlist slaps", "the cookies are bussin", "goated", "elite"
    "slaps": 2.0,
    "bussin": 2.5,
    "goated": 2.5,
    "elite": 1.8,
    "immaculate": 2.0,
    # British praise
    "ace": 1.8,
    "lush": 2.2,
    "brill": 2.4,
    "delish": 2.4,
    "scrummy": 2.4,
    "moreish": 2.0,
    "decent": 1.4,
    # British spellings of VADER words it lacks
    "favourite": 2.0,
    "favourites": 1.8,
    "favourable": 2.1,
    "favourably": 1.6,
    "cosiest": 2.2,
    "comfiest": 2.0,
    # complaints
    "humourless": -1.3,
    "disorganised": -1.2,
    "rubbish": -2.0,
    "naff": -1.5,
    "manky": -2.0,
    "faff": -1.2,
    "hassle": -1.2,
    "botched": -2.0,
    "bodged": -1.8,
    "atrocious": -3.0,
    "diabolical": -2.8,
    "janky": -1.8,
    "sketchy": -1.5,
    "scammed": -2.5,
    "vanished": -1.5,
    "discontinued": -1.2,
    "scammers": -2.5,
    "cringe": -1.5,
    "cringey": -1.5,
    "patchy": -1.5,
    "wonky": -1.5,
    "lopsided": -1.5,
    "streaky": -1.5,
    # worn-out rooms ("stained" and "dated" are left out: stained glass, dated 3 May)
    "threadbare": -1.5,
    "grubby": -1.8,
    "tatty": -1.5,
    "shabby": -1.5,
    "dingy": -1.5,
    "musty": -1.5,
    "scruffy": -1.2,
    "rickety": -1.2,
    # perishables and prints gone wrong
    "drooping": -1.5,
    "wilted": -1.8,
    "wilting": -1.8,
    "withered": -1.8,
    "pixelated": -1.5,
    "pixelly": -1.5,
    "yuck": -2.0,
    "ew": -1.5,
    "eww": -1.5,
    # everyday shop words VADER scores
    "pay": 0.0,
}
