"""Which system libraries a frozen build needs, read from the build itself, never guessed.

Every ELF file in the folder names the libraries it links (`readelf -d`, NEEDED). A name
that is a file somewhere in the folder is bundled; any other is the system's, found with
`ldconfig -p` and traced to its Debian package with `dpkg -S`. The program itself is the
exception: the loader starts it before PyInstaller points it at the bundle, so what it links
always comes from the system. The same list becomes the .deb's `Depends:` and the README's
"libraries it needs" line.
"""

from __future__ import annotations

import platform
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
_NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")
_RUNPATH = re.compile(r"\((?:RUNPATH|RPATH)\)\s+Library (?:runpath|rpath): \[([^\]]*)\]")
_GLIBC = re.compile(r"GLIBC_(\d+(?:\.\d+)+)")
_LDCONFIG_ARCH = {"x86_64": "x86-64", "aarch64": "AArch64"}  # how `ldconfig -p` tags a 64-bit lib


@dataclass(frozen=True, slots=True)
class SystemLibrary:
    """A library the build links but does not carry, and the package that provides it."""

    soname: str
    path: str
    package: str
    needed_by: str  # one bundled file that links it, for error messages and the docs


def elf_files(folder: Path) -> list[Path]:
    """Every ELF binary in the folder (the program, libpython, extension modules, Qt plugins)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


def needed_names(elf: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", "-W", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    return _NEEDED.findall(out)


def runpath(elf: Path) -> list[str]:
    """The RUNPATH (or old-style RPATH) entries an ELF file carries."""
    out = subprocess.run(["readelf", "-d", "-W", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    found = _RUNPATH.search(out)
    return found.group(1).split(":") if found else []


def system_library_paths() -> dict[str, str]:
    """soname -> path, from the dynamic loader's cache, for this machine's architecture."""
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    arch = _LDCONFIG_ARCH.get(platform.machine(), "")
    paths: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        name, _, rest = line.strip().partition(" ")
        flags, _, path = rest.partition(" => ")
        if arch in flags:
            paths.setdefault(name, path.strip())
    return paths


def owning_package(path: str) -> str:
    """The Debian package that installed `path` (tries the /usr-merged twin too)."""
    resolved = str(Path(path).resolve())
    candidates = dict.fromkeys([path, resolved])
    for known in list(candidates):
        twin = known.removeprefix("/usr") if known.startswith("/usr/") else "/usr" + known
        candidates[twin] = None
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            package = result.stdout.split(":", 1)[0].split(",")[0].strip()
            return package
    raise LookupError(f"no installed package owns {path}")


def system_libraries(folder: Path, program: str) -> list[SystemLibrary]:
    """The libraries the build links that it does not bundle, each with its package."""
    bundled = {p.name for p in folder.rglob("*")}
    cache = system_library_paths()
    wanted: dict[str, str] = {}
    for elf in elf_files(folder):
        for name in needed_names(elf):
            if name not in bundled or elf == folder / program:
                wanted.setdefault(name, str(elf.relative_to(folder)))
    missing = sorted(name for name in wanted if name not in cache)
    if missing:
        raise LookupError(f"the build links libraries this machine lacks: {', '.join(missing)}")
    return [
        SystemLibrary(name, cache[name], owning_package(cache[name]), wanted[name])
        for name in sorted(wanted)
    ]


def minimum_glibc(folder: Path) -> str:
    """The newest GLIBC_x.y symbol version any bundled binary asks for: libc6's lower bound."""
    newest: tuple[int, ...] = (2, 0)
    for elf in elf_files(folder):
        out = subprocess.run(["readelf", "-V", "-W", str(elf)], capture_output=True,
                             text=True, check=True).stdout
        for found in _GLIBC.findall(out):
            newest = max(newest, tuple(int(part) for part in found.split(".")))
    return ".".join(str(part) for part in newest)


def depends_field(libraries: list[SystemLibrary], glibc: str) -> str:
    """`Depends:` for the control file: one entry per package, libc6 with its lower bound."""
    packages = sorted({lib.package for lib in libraries} | {"libc6"})
    return ", ".join(f"libc6 (>= {glibc})" if p == "libc6" else p for p in packages)
