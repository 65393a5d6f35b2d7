"""Shared fixtures. Each area keeps its fixtures in tests/fixtures/<area>.py."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.fixtures.answering import *  # noqa: E402, F403
from tests.fixtures.bluesky import *  # noqa: E402, F403
from tests.fixtures.keychain import *  # noqa: E402, F403
from tests.fixtures.mastodon import *  # noqa: E402, F403
from tests.fixtures.storage import *  # noqa: E402, F403
from tests.fixtures.ui import *  # noqa: E402, F403
