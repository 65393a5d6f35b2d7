"""Once the window settles, what it holds is kept out of the collector's full passes.

Scrolling the list had frames of 16-26 ms that were a full pass of the cycle collector
over the ~22,000 objects imported after start-up (the answering parts, the scorer),
none of them ever garbage.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from app.ui.collector_settle import CollectorSettle
from app.ui.task_runner import TaskRunner


class Node:
    """Something that can be in a reference cycle, and watched with a weak reference."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The test process is left as it was found: nothing in it frozen."""
    yield
    gc.unfreeze()


def test_a_settled_window_freezes_its_objects_and_frees_garbage_frozen_before(qtbot, unfrozen):
    owner = TaskRunner()
    settle = CollectorSettle(owner, idle_ms=20, new_survivors=0)
    # garbage in a cycle, frozen by an earlier freeze (start-up's): no pass would free it
    node = Node()
    gone = weakref.ref(node)
    gc.freeze()
    del node
    assert gone() is not None
    survivor = Node()  # alive, and long-lived: made before the window settled

    owner.run(lambda: None)  # some background work, then idle
    qtbot.waitUntil(lambda: settle.at_rest, timeout=5000)

    assert settle.freezes == 1
    assert gone() is None, "the garbage frozen before was collected"
    assert gc.get_freeze_count() > 0
    assert not any(obj is survivor for obj in gc.get_objects(generation=2))
    owner.shutdown()


def test_with_few_new_objects_nothing_is_frozen(qtbot, unfrozen):
    runner = TaskRunner()
    few = CollectorSettle(runner, idle_ms=20, new_survivors=10**9)
    many = CollectorSettle(runner, idle_ms=20, new_survivors=0)
    runner.run(lambda: None)
    qtbot.waitUntil(lambda: few.at_rest and many.at_rest, timeout=5000)
    assert few.freezes == 0, "too few new objects: no full pass for them"
    assert many.freezes == 1
    runner.run(lambda: None)  # busy again: not at rest until it has been idle a while
    assert not few.at_rest and not many.at_rest
    runner.shutdown()
