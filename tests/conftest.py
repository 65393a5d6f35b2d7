"""Shared fixtures. Each area keeps its fixtures in tests/fixtures/<area>.py."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.fixtures.answering import *  # noqa: F403
from tests.fixtures.bluesky import *  # noqa: F403
from tests.fixtures.keychain import *  # noqa: F403
from tests.fixtures.mastodon import *  # noqa: F403
from tests.fixtures.postgres import *  # noqa: F403
from tests.fixtures.storage import *  # noqa: F403
from tests.fixtures.ui import *  # noqa: F403

# A test that takes one of these fixtures needs what the fixture needs, so it carries the
# marker too: `-m "not keychain"` deselects it in the open instead of a silent skip.
FIXTURE_MARKERS = {"keychain": "keychain", "devnet": "devnet"}


# Modules whose tests mostly wait on servers and child processes (syncs broken at every
# fault point, processes killed, the outbox's state machine): the whole-suite run
# (tests/pytest_session.sh) takes them out of the main pytest and runs them beside it,
# with the frozen builds, so that neither half is much longer than the other.
RUN_BESIDE = (
    "test_bluesky_sync_faults.py",
    "test_state_machine.py",
    "test_sync_faults.py",
    "test_mastodon_reply.py",
    "test_mastodon_sync.py",
    "test_team_offline.py",
    "test_sync_requests.py",
    "test_bluesky_sync.py",
    "test_crash_kill9.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in FIXTURE_MARKERS.items():
            if fixture in getattr(item, "fixturenames", ()) and not item.get_closest_marker(marker):
                item.add_marker(marker)
        if item.path.name in RUN_BESIDE:
            item.add_marker("beside")
