"""The garbage collector held off while a batch of posts is stored.

Storing 2,000 posts allocates a few hundred thousand containers (rows, thread and
contact bookkeeping) that live until the batch ends: the collector ran ~8 young
passes a batch over them and, every ~25 batches, a full pass over everything the
process holds (0.1-0.2 s each in the bench's process): ~5 us of the writer's
~50 us a post, with the writer the slower side of ingest. Nearly all of it is
freed by reference counting when the batch ends, so nothing is lost by waiting.

The switch is process-wide (the GUI thread allocates meanwhile too): it is held
only for the batch, by however many threads store at once, and left as found.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection while inside; the collector is enabled again (if it was) by the
    last thread to leave."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
