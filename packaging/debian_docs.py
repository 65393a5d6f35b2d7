"""The files Debian expects beside a package: copyright, changelog and a manual page."""

from __future__ import annotations

import gzip
import importlib.metadata
import platform
import re
import textwrap
from datetime import UTC, datetime, time
from email.utils import format_datetime

import project
from packaging.requirements import Requirement  # the PyPA library, not this folder
from releases import Release

_SPDX_FROM_CLASSIFIER = {
    "MIT License": "MIT",
    "BSD License": "BSD",
    "Apache Software License": "Apache-2.0",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU Library or Lesser General Public License (LGPL)": "LGPL",
}


def licence_of(dist: importlib.metadata.Distribution) -> str:
    """The licence a distribution declares: an SPDX expression, a short name or a classifier."""
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    declared = (meta.get("License") or "").strip()
    if declared and "\n" not in declared and len(declared) < 80 and declared != "UNKNOWN":
        return declared
    for classifier in meta.get_all("Classifier") or []:
        if classifier.startswith("License :: "):
            name = classifier.rsplit(" :: ", 1)[-1]
            return _SPDX_FROM_CLASSIFIER.get(name, name)
    return "see its source distribution"


def bundled_distributions() -> list[importlib.metadata.Distribution]:
    """Shopkeep's runtime dependencies, recursively, as installed in the build environment."""
    seen: dict[str, importlib.metadata.Distribution] = {}
    todo = [project.PACKAGE]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # an optional dependency not installed, so not bundled either
        seen[key] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    seen.pop(project.PACKAGE, None)
    return sorted(seen.values(), key=lambda d: d.metadata["Name"].lower())


def copyright_file(homepage: str, years: str) -> str:
    """DEP-5: Shopkeep's own terms, then what the bundled runtime is made of."""
    components = [f"Python {platform.python_version()}: PSF-2.0"] + [
        f"{d.metadata['Name']} {d.version}: {licence_of(d)}" for d in bundled_distributions()
    ]
    listing = "".join(f" {line}\n" for line in components)
    return (
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: Shopkeep\n"
        f"Upstream-Contact: {project.MAINTAINER}\n"
        f"Source: {homepage}\n"
        "\n"
        "Files: *\n"
        f"Copyright: {years} Shopkeep maintainers\n"
        f"License: {project.LICENSE_ID}\n"
        "\n"
        "Files: opt/shopkeep/_internal/*\n"
        "Copyright: the authors of each component below\n"
        "License: bundled-components\n"
        "Comment: The Python runtime and libraries frozen into Shopkeep by PyInstaller.\n"
        " Qt and PySide6 are used under the LGPL-3 (see /usr/share/common-licenses/LGPL-3);\n"
        " each is unmodified and can be replaced by relinking the one-folder build.\n"
        "\n"
        f"License: {project.LICENSE_ID}\n"
        + "".join(f" {line}\n" for line in project.LICENSE_TEXT.splitlines())
        + "\n"
        "License: bundled-components\n"
        " Each component keeps its own licence:\n"
        " .\n"
        + listing
    )


def debian_changelog(releases: list[Release]) -> bytes:
    """changelog.gz in Debian's format (gzip without a name or a time, as lintian wants)."""
    blocks = []
    for at, release in enumerate(releases):  # newest first
        notes = release.notes or [f"Shopkeep {release.version}."]
        # releases of one day: each a minute after the one before (lintian wants each
        # entry newer than the last, and CHANGELOG.md gives dates only)
        same_day_before = sum(r.date == release.date for r in releases[at + 1 :])
        stamp = format_datetime(datetime.combine(release.date, time(0, same_day_before), UTC))
        blocks.append(
            f"{project.PACKAGE} ({release.version}) unstable; urgency=medium\n\n"
            + "".join(_bullet(note) for note in notes)
            + f"\n -- {project.MAINTAINER}  {stamp.replace('-0000', '+0000')}\n"
        )
    return gzip.compress("\n".join(blocks).encode(), compresslevel=9, mtime=0)


def _bullet(note: str) -> str:
    """One note as a Debian changelog bullet, wrapped under 80 columns (lintian's limit)."""
    lines = textwrap.wrap(note, width=76, break_on_hyphens=False) or [""]
    return f"  * {lines[0]}\n" + "".join(f"    {line}\n" for line in lines[1:])


def manual_page(help_text: str, version: str, summary: str) -> bytes:
    """shopkeep.1.gz: the program's own --help, set as a manual page."""
    def escape(line: str) -> str:
        line = line.replace("\\", "\\e").replace("-", "\\-")
        return "\\&" + line if line.startswith((".", "'")) else line

    body = "\n".join(escape(line) if line.strip() else ".PP" for line in help_text.splitlines())
    page = (
        f'.TH SHOPKEEP 1 "" "Shopkeep {version}" "User Commands"\n'
        ".SH NAME\n"
        f"shopkeep \\- {escape(summary)}\n"
        ".SH SYNOPSIS\n"
        ".B shopkeep\n"
        "[\\fIOPTIONS\\fR] [\\fICOMMAND\\fR]\n"
        ".SH DESCRIPTION\n"
        ".nf\n"
        f"{body}\n"
        ".fi\n"
    )
    return gzip.compress(page.encode(), compresslevel=9, mtime=0)
