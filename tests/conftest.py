"""Shared fixtures. Each area keeps its fixtures in tests/fixtures/<area>.py."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.fixtures.answering import *  # noqa: F403
from tests.fixtures.bluesky import *  # noqa: F403
from tests.fixtures.keychain import *  # noqa: F403
from tests.fixtures.mastodon import *  # noqa: F403
from tests.fixtures.storage import *  # noqa: F403
from tests.fixtures.ui import *  # noqa: F403
