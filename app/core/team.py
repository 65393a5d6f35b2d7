"""Team mode's connection, as the owner types it and settings.json keeps it.

The team database is a PostgreSQL server (docs/team.md). What is kept here is only
where it is and who logs in; the password lives in the keychain. Anything but the
same machine is reached over TLS with the server's certificate checked against its
name (`sslmode=verify-full`), as a browser does; a loopback server (tests, a
database on the shop's own laptop) may go without.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

DEFAULT_PORT = 5432
MAX_NAME = 253  # a DNS name's limit; user and database names are shorter in practice
_HOST = re.compile(r"^[A-Za-z0-9._:\[\]-]+$")
_LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


@dataclass(frozen=True, slots=True)
class TeamConnection:
    """Where the team database is and who logs in (never the password)."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    # names this data folder's keychain entry: two folders on one machine never share one
    key_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def sslmode(self) -> str:
        """verify-full (certificate and name checked) for anything but this machine."""
        return "prefer" if self.loopback else "verify-full"

    @property
    def label(self) -> str:
        """How the window names it: user@host:port/database (no secret in it)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def keychain_key(self) -> str:
        return f"team:{self.label}"

    def dsn(self) -> str:
        """A libpq URL without the password (handed over separately, from the keychain).

        `sslrootcert=system`: the operating system's certificate authorities, as a
        browser trusts them (libpq 16 and newer)."""
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        url = (
            f"postgresql://{quote(self.user, safe='')}@{host}:{self.port}/"
            f"{quote(self.database, safe='')}?sslmode={self.sslmode}"
        )
        return url if self.loopback else url + "&sslrootcert=system"

    def as_mapping(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "database": self.database,
            "user": self.user,
            "key_id": self.key_id,
        }


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def connection_problem(host: str, port: object, database: str, user: str) -> str:
    """ "" when these make a usable connection, else a sentence saying what is wrong."""
    if not host.strip():
        return "Type the database server's name or address."
    if len(host) > MAX_NAME or not _HOST.match(host.strip()):
        return "The server name has characters a server name cannot have."
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        return "The port is a number from 1 to 65535 (PostgreSQL's usual one is 5432)."
    if not database.strip():
        return "Type the database's name."
    if not user.strip():
        return "Type the user name Shopkeep logs in with."
    if len(database) > 63 or len(user) > 63:
        return "PostgreSQL names are at most 63 characters long."
    return ""


def team_from_settings(raw: object) -> tuple[TeamConnection | None, str]:
    """settings.json's "team" value: the connection, or None and why it was not usable."""
    if raw is None:
        return None, ""
    if isinstance(raw, TeamConnection):
        raw = raw.as_mapping()
    if not isinstance(raw, Mapping):
        return None, "team (not a connection; team mode is off)"
    host, database, user = (raw.get(k) for k in ("host", "database", "user"))
    port = raw.get("port", DEFAULT_PORT)
    if not all(isinstance(v, str) for v in (host, database, user)):
        return None, "team (server, database or user missing; team mode is off)"
    assert isinstance(host, str) and isinstance(database, str) and isinstance(user, str)
    problem = connection_problem(host, port, database, user)
    if problem:
        return None, f"team ({problem[0].lower()}{problem[1:].rstrip('.')}; team mode is off)"
    key_id = raw.get("key_id")
    if not (isinstance(key_id, str) and re.fullmatch(r"[0-9a-f]{8,64}", key_id)):
        # written by hand without one: a name that stays the same at every read
        key_id = hashlib.sha256(f"{user}@{host}:{port}/{database}".encode()).hexdigest()[:32]
    return TeamConnection(host.strip(), database.strip(), user.strip(), int(str(port)), key_id), ""


CopyProgress = Callable[[int, int], None]  # rows copied, rows in all


class TeamActions(Protocol):
    """What File → Team… asks of the layers below (app/services/team_mode.py does it).

    Every call may block (network, keychain, a copy): the dialog runs them in the
    task runner. Failures are ShopkeepErrors whose `user_message` the dialog shows;
    none of them ever contains the password."""

    @property
    def current(self) -> TeamConnection | None:
        """The team connection in use, or None on this laptop's own inbox."""
        ...

    def test(self, conn: TeamConnection, password: str) -> str:
        """Connect and say, in a sentence, what is there."""
        ...

    def join(self, conn: TeamConnection, password: str) -> str:
        """Use a team database that already holds the inbox (the second laptop)."""
        ...

    def move_in(self, conn: TeamConnection, password: str, progress: CopyProgress) -> str:
        """Copy this laptop's inbox into an empty team database, check it, switch."""
        ...

    def move_out(self, progress: CopyProgress) -> str:
        """Copy the team inbox into a fresh file on this laptop, check it, switch."""
        ...
