"""Shopkeep: one inbox for every mention of a small business on Mastodon and Bluesky."""

from importlib.metadata import PackageNotFoundError, version

try:  # the one place: pyproject.toml's version, as installed (the frozen app bundles it)
    __version__ = version("shopkeep")
except PackageNotFoundError:  # a source tree that was never `pip install -e`'d
    __version__ = "0+unknown"
