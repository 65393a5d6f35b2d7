"""PostgreSQL through psycopg2, loaded when a team database is first opened.

peewee imports psycopg2 (with its libpq, libssl and Python's ssl) as it is imported
itself, whatever the database: ~10 ms of every window's start, for team mode only.
app/storage/sqlite_first.py imports peewee without it (a one-laptop window does that
before anything imports peewee), and every PostgreSQL database Shopkeep opens is a
`PostgresDatabase`, whose adapter loads psycopg2 on its first connection. The adapter
is the same in every process, whether peewee saw psycopg2 at its import or not, so
the team tests run the code a one-laptop window switching to team mode runs.
"""

from __future__ import annotations

import importlib
from typing import Any

import peewee


class Psycopg2OnDemand(peewee.Psycopg2Adapter):
    """peewee's psycopg2 adapter, with psycopg2 imported on first use, not at peewee's."""

    def __init__(self) -> None:
        super().__init__()
        self._driver: Any = None

    def _psycopg2(self) -> Any:
        if self._driver is None:
            driver = importlib.import_module("psycopg2")
            extensions = importlib.import_module("psycopg2.extensions")
            extras = importlib.import_module("psycopg2.extras")
            extras.register_uuid()  # what peewee does at its import when it finds psycopg2
            self.txn_idle = extensions.TRANSACTION_STATUS_IDLE
            self.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
            self.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
            self.json_type = self.jsonb_type = extras.Json
            self._driver = driver
        return self._driver

    def check_driver(self) -> None:
        self._psycopg2()

    def get_binary_type(self) -> Any:
        return self._psycopg2().Binary

    def connect(self, db: Any, **params: Any) -> Any:
        driver = self._psycopg2()
        if db.database.startswith("postgresql://"):
            params.setdefault("dsn", db.database)
        else:
            params.setdefault("dbname", db.database)
        conn = driver.connect(**params)
        if db._register_unicode:
            driver.extensions.register_type(driver.extensions.UNICODE, conn)
            driver.extensions.register_type(driver.extensions.UNICODEARRAY, conn)
        if db._encoding:
            conn.set_client_encoding(db._encoding)
        return conn


class PostgresDatabase(peewee.PostgresqlDatabase):
    """Every PostgreSQL connection Shopkeep opens: psycopg2 is loaded by its first one."""

    psycopg2_adapter = Psycopg2OnDemand
