"""Build the frozen app from pyinstaller.spec and print its size against the targets.

    .venv/bin/python -m bench.build_frozen              # dist/shopkeep/, dist/onefile/, the .deb
    .venv/bin/python -m bench.build_frozen --onedir     # one-folder (and .deb) only
    .venv/bin/python -m bench.build_frozen --no-deb     # no .deb

On Debian and Ubuntu it also makes dist/shopkeep_<version>_<arch>.deb from the
one folder (packaging/deb.py). Exits 1 when a build is over its size target, so
CI notices growth. `build_cached` / `deb_cached` are what tests/test_frozen.py and
tests/test_deb.py use: they rebuild only when something that goes in changed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "pyinstaller.spec"
NAME = "shopkeep"
MB = 1_000_000  # sizes are decimal megabytes, as download pages show them
PACKAGING = ROOT / "packaging"
TARGET_MB = {"one-folder": 130.0, "one-file": 55.0, "deb": 60.0}


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


def can_build_deb() -> bool:
    return sys.platform.startswith("linux") and bool(shutil.which("dpkg-deb"))


def build_deb(folder: Path, out_dir: Path, work: Path, *, fast: bool = False) -> Path:
    """packaging/deb.py on a one-folder build; returns the .deb's path.

    A script, not an import: `packaging` is also the PyPA library PyInstaller imports."""
    result = subprocess.run(
        [
            sys.executable,
            str(PACKAGING / "deb.py"),
            str(folder),
            "--out",
            str(out_dir),
            "--work",
            str(work),
            *(["--fast"] if fast else []),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(result.stdout.strip().splitlines()[-1])


def deb_cached(folder: Path, root: Path, *, fast: bool = False) -> Path:
    """The .deb of `folder` under `root`; rebuilt when the folder, packaging/ or the
    changelog changed. `fast`: quicker, larger compression (see packaging/deb.py)."""
    stamp = root / "fingerprint"
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest.update(f"{path.relative_to(folder)}:{info.st_size}:{info.st_mtime_ns}".encode())
    for path in [*sorted(PACKAGING.rglob("*")), ROOT / "CHANGELOG.md"]:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    wanted = digest.hexdigest()
    debs = sorted((root / "out").glob("*.deb"))
    if len(debs) == 1 and stamp.exists() and stamp.read_text() == wanted:
        return debs[0]
    stamp.unlink(missing_ok=True)
    shutil.rmtree(root / "out", ignore_errors=True)
    deb = build_deb(folder, root / "out", root / "work", fast=fast)
    stamp.write_text(wanted)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onedir", action="store_true", help="build only the one-folder app")
    parser.add_argument("--no-deb", action="store_true", help="skip the Debian package")
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
        if not onefile and not args.no_deb and can_build_deb():
            deb = build_deb(program.parent, args.distpath, args.workpath / "deb")
            size = size_bytes(deb) / MB
            over += size > TARGET_MB["deb"]
            verdict = "ok" if size <= TARGET_MB["deb"] else "OVER"
            target = TARGET_MB["deb"]
            print(f"{'deb':<10} {size:6.1f} MB  (target <= {target:.0f} MB)  {verdict}  {deb}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
