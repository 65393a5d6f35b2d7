"""Shopkeep: one inbox for every mention of a small business on Mastodon and Bluesky."""

__version__ = "0.1.0"
