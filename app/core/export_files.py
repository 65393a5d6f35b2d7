"""All-or-nothing export files, and file-system errors in plain words.

The export is written under a hidden temporary name next to the target and
renamed at the end. A crash, a cancel or a full disk never leaves a
half-written file under the name the user chose (an older file of that name
is left as it was).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from app.core.export_types import ExportError


class TargetExists(ExportError):
    """The export's file name is taken by a file the owner has not agreed to replace."""


def check_target(target: Path, *, overwrite: bool) -> None:
    """Refuse a target that is not a plain file (a FIFO, a device, a folder), and an
    existing file unless `overwrite`: an export never replaces something by surprise."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise plain_os_error(exc, target) from exc
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not an ordinary file"
        raise ExportError(
            f"{target}: not a regular file (mode {info.st_mode:o})",
            user_message=f"{target} is {what}, so Shopkeep will not write the "
            "export there. Choose a new file name.",
        )
    if not overwrite:
        raise TargetExists(
            f"{target} exists",
            user_message=(
                f"{target} already exists. Choose another name, or add --force to replace it."
            ),
        )


def temp_file_beside(target: Path) -> tuple[int, Path]:
    """Open a hidden `.NAME.*.part` file in the target's folder: (fd, its path).

    Called first, so an unwritable folder is reported before any work.
    """
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise plain_os_error(exc, target) from exc
    return fd, Path(tmp_name)


def keep_mode(target: Path, tmp: Path) -> None:
    """Replacing a file keeps its permissions; a new export stays private (0600: notes)."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        return
    os.chmod(tmp, mode)


def remove_quietly(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)


def plain_os_error(exc: OSError, path: Path) -> ExportError:
    """An OSError from writing the export, as one sentence a shop owner understands."""
    folder = path.parent
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        text = (
            "The disk is full, so the export was not saved. Free some space or choose "
            "another place."
        )
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        text = (
            f"Shopkeep is not allowed to write to {folder}. Choose another folder "
            f"(or close {path.name} if another program has it open)."
        )
    elif code == errno.ENOENT:
        text = f"The folder {folder} does not exist. Choose another folder."
    elif code == errno.ENOTDIR:
        text = f"{folder} is not a folder. Choose another place for the export."
    elif code == errno.EISDIR:
        text = f"{path} is a folder. Choose a file name for the export."
    else:
        text = f"Shopkeep could not write {path}: {exc.strerror or exc}."
    return ExportError(f"{type(exc).__name__}: {exc}", user_message=text)
