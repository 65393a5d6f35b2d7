"""Build the frozen app from pyinstaller.spec and print its size against the targets.

    .venv/bin/python -m bench.build_frozen              # dist/shopkeep/ and dist/onefile/shopkeep
    .venv/bin/python -m bench.build_frozen --onedir     # one-folder only

Exits 1 when a build is over its size target, so CI notices growth.
`build_cached` is what tests/test_frozen.py uses: it rebuilds only when the
spec, the app's sources, resources/ or the installed packages changed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "pyinstaller.spec"
NAME = "shopkeep"
MB = 1_000_000  # sizes are decimal megabytes, as download pages show them
TARGET_MB = {"one-folder": 130.0, "one-file": 55.0}


def binary_path(distpath: Path, onefile: bool) -> Path:
    """Where the spec puts the program (macOS one-folder builds a .app beside it)."""
    exe = NAME + (".exe" if sys.platform == "win32" else "")
    return distpath / exe if onefile else distpath / NAME / exe


def build(onefile: bool, distpath: Path, workpath: Path) -> Path:
    """Run PyInstaller on the spec; returns the program's path."""
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        "--distpath",
        str(distpath),
        "--workpath",
        str(workpath),
        str(SPEC),
    ]
    if onefile:
        cmd += ["--", "--onefile"]
    subprocess.run(cmd, cwd=ROOT, check=True)
    program = binary_path(distpath, onefile)
    if not program.exists():
        raise FileNotFoundError(f"PyInstaller finished but {program} is missing")
    return program


def size_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def fingerprint() -> str:
    """Changes whenever anything that goes into the build changes."""
    digest = hashlib.sha256()
    files = [SPEC, *sorted((ROOT / "app").rglob("*")), *sorted((ROOT / "resources").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"]):
        digest.update(f"{dist.metadata['Name']}=={dist.version}".encode())
    return digest.hexdigest()


def build_cached(onefile: bool, root: Path) -> Path:
    """Build under `root` (e.g. build/frozen-test), reusing it while the fingerprint holds."""
    distpath, workpath, stamp = root / "dist", root / "work", root / "fingerprint"
    program = binary_path(distpath, onefile)
    wanted = fingerprint() + (":onefile" if onefile else ":onedir")
    if program.exists() and stamp.exists() and stamp.read_text() == wanted:
        return program
    stamp.unlink(missing_ok=True)
    program = build(onefile, distpath, workpath)
    stamp.write_text(wanted)
    return program


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onedir", action="store_true", help="build only the one-folder app")
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist")
    parser.add_argument("--workpath", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args(argv)

    builds = [("one-folder", False)] + ([] if args.onedir else [("one-file", True)])
    over = 0
    for label, onefile in builds:
        sub = "onefile" if onefile else "onedir"
        distpath = args.distpath / "onefile" if onefile else args.distpath
        program = build(onefile, distpath, args.workpath / sub)
        measured = program if onefile else program.parent
        size = size_bytes(measured) / MB
        target = TARGET_MB[label]
        verdict = "ok" if size <= target else "OVER"
        over += size > target
        print(f"{label:<10} {size:6.1f} MB  (target <= {target:.0f} MB)  {verdict}  {measured}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
