"""Which store methods write, said on the method itself, and a loud check when one is not.

The app's window sends every write through one write lane (two SQLite writers in one
process fail with "database is locked"). The lane learns what to send from `@writes` on
the store's methods, not from a list of names: a method that opens a write transaction
wears the mark. A method called through the lane without the mark runs on the caller's
thread inside `reads_only()`, and a write transaction opened there raises
`UnmarkedWrite` at once, naming the method, instead of racing the lane now and then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_MARK = "__shopkeep_writes__"
_local = threading.local()


class UnmarkedWrite(RuntimeError):
    """A bug: a store method wrote without `@writes`, off the write lane."""


def writes(func: Callable[P, R]) -> Callable[P, R]:
    """Mark a store method as a write: the write lane runs it, in turn with the others."""
    setattr(func, _MARK, True)
    return func


def is_write(owner: type, name: str) -> bool:
    """Whether `owner.name` writes: marked there or on a method it overrides (an
    override of a write is a write, even when the subclass forgot the mark)."""
    return any(getattr(vars(klass).get(name), _MARK, False) for klass in owner.__mro__)


@contextmanager
def reads_only(name: str) -> Iterator[None]:
    """Run an unmarked store method off the lane: a write inside raises UnmarkedWrite."""
    outer = getattr(_local, "reading", None)
    _local.reading = name
    try:
        yield
    finally:
        _local.reading = outer


def check_write_allowed() -> None:
    """Called as a write transaction opens: refuse it inside `reads_only`."""
    name = getattr(_local, "reading", None)
    if name is not None:
        raise UnmarkedWrite(
            f"store method {name!r} opened a write transaction off the write lane; "
            "mark it @writes (app.core.write_marks)"
        )
