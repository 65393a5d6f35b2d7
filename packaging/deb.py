"""Build shopkeep_<version>_<arch>.deb from the PyInstaller one-folder build.

    .venv/bin/python packaging/deb.py dist/shopkeep --out dist

Run as a script (this folder is not a Python package: `packaging` is also the name
of the PyPA library PyInstaller and pip import). `bench/build_frozen.py` calls it.
Layout: the folder under /opt/shopkeep, /usr/bin/shopkeep linking to it, the menu
entry, hicolor icons, AppStream metadata, and the documents Debian expects.
`Depends:` is read from the build's own binaries (shared_libraries.py).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import debian_docs
import project
from desktop_entry import desktop_entry
from icons import install_icons
from metainfo import metainfo
from releases import releases_for
from shared_libraries import (
    depends_field,
    elf_files,
    minimum_glibc,
    runpath,
    system_libraries,
)

ROOT = Path(__file__).resolve().parent.parent
SVG_ICON = ROOT / "resources" / "icons" / "shopkeep.svg"
INSTALL_DIR = Path("opt") / project.PACKAGE
LINTIAN_OVERRIDES = Path(__file__).resolve().parent / "lintian-overrides"


def frozen_version(folder: Path) -> str:
    """What the build itself says with --version ("Shopkeep 0.1.0" -> "0.1.0")."""
    out = subprocess.run([str(folder / project.PROGRAM), "--version"], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return out.split()[-1]


def frozen_help(folder: Path) -> str:
    return subprocess.run([str(folder / project.PROGRAM), "--help"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def write(path: Path, data: str | bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    path.chmod(mode)


def copy_build(folder: Path, dest: Path) -> None:
    """The one folder, with Debian's modes: only the program is executable."""
    shutil.copytree(folder, dest, symlinks=True)
    for path in dest.rglob("*"):
        if path.is_symlink():
            continue
        path.chmod(0o755 if path.is_dir() or path == dest / project.PROGRAM else 0o644)
    dest.chmod(0o755)


def drop_build_machine_paths(folder: Path) -> None:
    """Remove library search paths into the build machine (a pyenv's lib/): on a user's
    machine such a folder could hold anything. $ORIGIN-relative ones stay; the bundle
    finds the rest through the LD_LIBRARY_PATH its launcher sets."""
    for elf in elf_files(folder):
        kept = [entry for entry in runpath(elf) if entry.startswith("$ORIGIN")]
        if kept != runpath(elf):
            command = ["--set-rpath", ":".join(kept)] if kept else ["--remove-rpath"]
            subprocess.run(["patchelf", *command, str(elf)], check=True)


def md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.relative_to(
                root).parts:
            digest = hashlib.md5(path.read_bytes()).hexdigest()  # dpkg's format, not security
            lines.append(f"{digest}  {path.relative_to(root)}\n")
    return "".join(lines)


def installed_size_kib(root: Path) -> int:
    return sum(-(-p.lstat().st_size // 1024) for p in root.rglob("*")
               if "DEBIAN" not in p.relative_to(root).parts)


def control(version: str, arch: str, depends: str, size_kib: int, summary: str) -> str:
    long_description = "\n .\n".join(
        "\n".join(" " + line for line in _wrap(paragraph)) for paragraph in project.DESCRIPTION)
    return (
        f"Package: {project.PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {project.MAINTAINER}\n"
        f"Installed-Size: {size_kib}\n"
        f"Depends: {depends}\n"
        "Section: net\n"
        "Priority: optional\n"
        f"Homepage: {project.HOMEPAGE}\n"
        f"Description: {summary[0].lower() + summary[1:]}\n"
        f"{long_description}\n"
    )


def _wrap(text: str, width: int = 78) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def build_deb(folder: Path, out_dir: Path, work: Path, *, fast: bool = False) -> Path:
    """Stage the package tree under `work` and build it into `out_dir`; returns the .deb.

    `fast` (the test suite): xz level 1, about 6x quicker and about 12 % bigger, so a size
    limit checked on it holds for the release build (dpkg's default level) too."""
    meta = project.installed_metadata()
    built = frozen_version(folder)
    if built != meta.version:
        raise SystemExit(f"the build says {built}, the package {meta.version}: rebuild first")
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    libraries = system_libraries(folder, project.PROGRAM)
    depends = depends_field(libraries, minimum_glibc(folder))
    releases = releases_for(ROOT, meta.version)

    root = work / "root"
    shutil.rmtree(work, ignore_errors=True)
    root.mkdir(parents=True)
    copy_build(folder, root / INSTALL_DIR)
    drop_build_machine_paths(root / INSTALL_DIR)
    usr = root / "usr"
    (usr / "bin").mkdir(parents=True)
    # Absolute, as Debian wants for a link between top-level folders; the tests resolve it
    # inside their throwaway root.
    (usr / "bin" / project.PROGRAM).symlink_to(f"/{INSTALL_DIR}/{project.PROGRAM}")
    share = usr / "share"
    write(share / "applications" / f"{project.APP_ID}.desktop", desktop_entry(meta.summary))
    for icon in install_icons(SVG_ICON, share / "icons" / "hicolor", project.APP_ID):
        icon.chmod(0o644)
    write(share / "metainfo" / f"{project.APP_ID}.metainfo.xml",
          metainfo(meta.summary, releases))
    docs = share / "doc" / project.PACKAGE
    years = sorted({release.date.year for release in releases})
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    write(docs / "copyright", debian_docs.copyright_file(project.HOMEPAGE, span))
    write(docs / "changelog.gz", debian_docs.debian_changelog(releases))
    write(share / "man" / "man1" / f"{project.PROGRAM}.1.gz",
          debian_docs.manual_page(frozen_help(folder), meta.version, meta.summary))
    write(share / "lintian" / "overrides" / project.PACKAGE, LINTIAN_OVERRIDES.read_text())
    for path in [root, *root.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)

    debian = root / "DEBIAN"
    debian.mkdir(mode=0o755)
    write(debian / "md5sums", md5sums(root))
    write(debian / "control",
          control(meta.version, arch, depends, installed_size_kib(root), meta.summary))

    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{project.PACKAGE}_{meta.version}_{arch}.deb"
    level = ["-z1"] if fast else []
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", *level, "--build", str(root),
                    str(deb)], check=True, stdout=subprocess.DEVNULL)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the one-folder build (holds ./shopkeep)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "deb")
    parser.add_argument("--fast", action="store_true",
                        help="quicker, larger compression (the test suite's build)")
    args = parser.parse_args(argv)
    print(build_deb(args.folder.resolve(), args.out.resolve(), args.work.resolve(),
                    fast=args.fast))
    return 0


if __name__ == "__main__":
    sys.exit(main())
