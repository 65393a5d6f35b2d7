"""Start-up (issue 27): a window on this laptop's file starts without PostgreSQL's driver.

peewee imports psycopg2 as it is imported itself, whatever the database (~10 ms of every
start). A window imports peewee with the drivers hidden, and every PostgreSQL database
Shopkeep opens loads psycopg2 on its first connection: a window that moves to the team
inbox loads it then, and everything team mode does works in that same process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.postgres

CHILD = """
import json, sys
from app.wiring.window import load_plain_layers

load_plain_layers()  # what a window does before anything else imports peewee
seen = {"driver at start": "psycopg2" in sys.modules}
import peewee

seen["peewee found it"] = peewee.psycopg2 is not None
from app.core.models import Folder
from app.storage.pg_locks import SEND_LOCKS, hold
from app.storage.postgres import open_team_store

store = open_team_store(sys.argv[1])  # the owner moves to the team inbox
seen["driver after"] = "psycopg2" in sys.modules
seen["threads"] = store.folder_counts()[Folder.ALL]
with hold(store.db, SEND_LOCKS, 1) as ours:  # a lock on a connection of its own
    seen["lock"] = ours
store.close()
print(json.dumps(seen))
"""


def test_a_window_loads_the_postgres_driver_only_when_it_opens_the_team_inbox(pg_database):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, pg_database],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        "driver at start": False,
        "peewee found it": False,
        "driver after": True,
        "threads": 0,
        "lock": True,
    }
