"""Shopkeep: one inbox for every mention of a small business on Mastodon and Bluesky."""

import os
import sys


def _installed_version() -> str:
    """The installed package's version: pyproject.toml's, as pip (or the frozen build) recorded it.

    Read from the metadata folder on sys.path the way importlib.metadata finds it, without
    importing importlib.metadata (email, zipfile, csv: ~60 ms of every start). The one place
    a version lives; tests/test_version.py checks both readings agree.
    """
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            stem, dot, kind = name.rpartition(".")
            if kind not in ("dist-info", "egg-info") or not dot:
                continue
            if stem.split("-", 1)[0].lower().replace("_", "-") != "shopkeep":
                continue
            for meta in ("METADATA", "PKG-INFO"):
                try:
                    with open(os.path.join(folder, name, meta), encoding="utf-8") as handle:
                        for line in handle:
                            if line.startswith("Version:"):
                                return line.split(":", 1)[1].strip()
                            if not line.strip():
                                break  # end of the headers
                except OSError:
                    continue
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("shopkeep")
    except PackageNotFoundError:  # a source tree that was never `pip install -e`'d
        return "0+unknown"


__version__ = _installed_version()
