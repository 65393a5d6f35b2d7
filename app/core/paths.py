"""Where Shopkeep keeps its files. Initialised once from main(), never at import time."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "SHOPKEEP_DATA_DIR"
PRIVATE_DIR = 0o700  # the shop's customers, drafts and logs: nobody else on the machine
PRIVATE_FILE = 0o600


def make_private(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Take group and other permissions away from `path` (where the file system keeps them)."""
    with contextlib.suppress(OSError):  # gone, read-only, or a file system without modes
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(mode)


@dataclass(frozen=True, slots=True)
class AppPaths:
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "shopkeep.sqlite3"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def photo_cache_dir(self) -> Path:
        """Photos the owner loaded (capped in size; safe to delete)."""
        return self.data_dir / "photo-cache"

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.json"

    def ensure(self) -> AppPaths:
        """Create the folders, private to the user (older installs are tightened too)."""
        for d in (self.data_dir, self.log_dir, self.backup_dir):
            d.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
            make_private(d, PRIVATE_DIR)
        return self

    def write_problem(self) -> str | None:
        """None when Shopkeep can write in its data folder, else a sentence saying why not."""
        try:
            with tempfile.TemporaryFile(dir=self.data_dir):
                pass
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            return (
                f"Shopkeep cannot write to its data folder {self.data_dir} ({reason}). "
                "It keeps your inbox, drafts and backups there, so it needs to. Check "
                "that the disk is not full or read-only, or choose another folder "
                "with --data-dir."
            )
        return None


def default_data_dir() -> Path:
    """The platform's per-user data folder (never next to the program)."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "Shopkeep"


def resolve_paths(override: str | os.PathLike[str] | None = None) -> AppPaths:
    """Flag beats environment variable beats the platform default."""
    chosen = override or os.environ.get(ENV_DATA_DIR)
    return AppPaths(Path(chosen).expanduser().resolve() if chosen else default_data_dir())


def resources_dir() -> Path:
    """Bundled resources, from source or from a PyInstaller build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent.parent / "resources"
