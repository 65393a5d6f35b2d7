"""A PostgreSQL cluster of a test's own, which the test may stop and start again.

The shared test server (tests/run.sh) must stay up for every other test; a laptop cut
off from its team database needs a server that really goes away. Made as run.sh makes
its one: initdb into a temporary folder, 127.0.0.1, a free port, trust logins, no fsync;
run as the `postgres` user when the tests run as root (initdb refuses root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import peewee


def _bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    return found[-1] if found else None


def available() -> str:
    """ "" when a cluster can be made here, else why not."""
    if _bin() is None:
        return "PostgreSQL's server programs are not installed (apt install postgresql)"
    if os.getuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser"
    return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """password: logins need it (scram-sha-256), as on a shop's real server; else trust."""

    def __init__(self, password: str = "") -> None:
        bin_dir = _bin()
        assert bin_dir is not None
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="shopkeep-pg-"))
        self.port = _free_port()
        self.password = password
        auth = ["--auth=trust"]
        if password:
            pwfile = self.dir / "pw"
            pwfile.write_text(password)
            auth = ["--auth=scram-sha-256", f"--pwfile={pwfile}"]
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
            for made in self.dir.iterdir():
                shutil.chown(made, "postgres")
        self._run(
            "initdb", "-D", str(self.dir / "data"), "-U", "shopkeep", *auth,
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://shopkeep@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        # fsync off, as run.sh's: a stop loses nothing the OS holds. synchronous_commit
        # stays on: with it off, a stop with -m immediate drops the last commits.
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "server.log"),
            "-w", "-t", "60", "start", "-o", options,
        )  # fmt: skip

    def stop(self) -> None:
        """At once, as a server that crashes or a network that goes (-m immediate)."""
        if (self.dir / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")

    def create_database(self, name: str) -> str:
        admin = peewee.PostgresqlDatabase(
            self.dsn(), connect_timeout=10, password=self.password or None
        )
        try:
            admin.execute_sql(f'CREATE DATABASE "{name}"')
        finally:
            admin.close()
        return self.dsn(name)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
