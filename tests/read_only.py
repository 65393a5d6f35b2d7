"""Run a command with one folder read-only, as a full disk or a locked-down folder is.

As an ordinary user the folder and its files lose their write bits for the
run. Root ignores those bits, so as root the folder is bind-mounted read-only
in a private mount namespace (`unshare -m`) that only the command sees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_SCRIPT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"'


def run_read_only(folder: Path, argv: Sequence[str], **kwargs: Any,
                  ) -> subprocess.CompletedProcess[str]:
    """`argv` run with `folder` (and all under it) unwritable; returns the finished process."""
    folder = Path(folder)
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        assert unshare, "as root this needs unshare(1) to make a read-only folder"
        return subprocess.run([unshare, "-m", "sh", "-c", _SCRIPT, "sh", str(folder), *argv],
                              text=True, capture_output=True, **kwargs)
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
    try:
        for path, mode in modes.items():
            path.chmod(mode & ~0o222)
        return subprocess.run(list(argv), text=True, capture_output=True, **kwargs)
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
