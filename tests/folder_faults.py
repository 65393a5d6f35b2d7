"""Run a command with one folder read-only, or full, as a real disk can be.

Read-only: as an ordinary user the folder and its files lose their write bits
for the run. Root ignores those bits, so as root the folder is bind-mounted
read-only in a private mount namespace (`unshare -m`) only the command sees.
Full: a tiny tmpfs is mounted over the folder in such a namespace (`unshare
-rm` for an ordinary user: a user namespace may mount tmpfs).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_SCRIPT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"'
_FULL_SCRIPT = 'mount -t tmpfs -o size="$2" none "$1" && shift 2 && exec "$@"'


def run_read_only(
    folder: Path,
    argv: Sequence[str],
    **kwargs: Any,
) -> subprocess.CompletedProcess[str]:
    """`argv` run with `folder` (and all under it) unwritable; returns the finished process."""
    folder = Path(folder)
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        assert unshare, "as root this needs unshare(1) to make a read-only folder"
        return subprocess.run(
            [unshare, "-m", "sh", "-c", _SCRIPT, "sh", str(folder), *argv],
            text=True,
            capture_output=True,
            **kwargs,
        )
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
    try:
        for path, mode in modes.items():
            path.chmod(mode & ~0o222)
        return subprocess.run(list(argv), text=True, capture_output=True, **kwargs)
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def run_with_full_folder(
    folder: Path, argv: Sequence[str], *, size: str = "16k", **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """`argv` run with an empty, `size`-byte file system mounted on `folder` (which exists)."""
    unshare = shutil.which("unshare")
    assert unshare, "this needs unshare(1) to mount a small file system"
    flags = "-m" if os.geteuid() == 0 else "-rm"
    return subprocess.run(
        [unshare, flags, "sh", "-c", _FULL_SCRIPT, "sh", str(folder), size, *argv],
        text=True,
        capture_output=True,
        **kwargs,
    )
