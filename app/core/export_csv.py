"""The CSV export: one row per post, spreadsheet-safe.

UTF-8 with a BOM (so Excel reads accents and emoji), and text cells a
spreadsheet would run as a formula get a leading apostrophe.
"""

from __future__ import annotations

import csv
from typing import Any

from app.core.export_types import FormatWriter, iso
from app.core.models import SentimentLabel, StoredPost, ThreadRow
from app.core.ports import ThreadQuery

CSV_COLUMNS = (
    "thread_id",
    "account",
    "network",
    "thread_status",
    "posted_at",
    "author_handle",
    "author_name",
    "is_own",
    "sentiment",
    "compound",
    "text",
    "url",
    "deleted",
    "unavailable",  # why a deleted post is gone: blocked, not_found, deleted ("": not said)
)

# The window's words (Complaint, Neutral, Praise); the shop's own replies have none.
CSV_WORDS = {
    SentimentLabel.NEGATIVE: "complaint",
    SentimentLabel.NEUTRAL: "neutral",
    SentimentLabel.POSITIVE: "praise",
    SentimentLabel.UNSCORED: "not scored",
}

# A cell starting with one of these is run as a formula by Excel / LibreOffice / Sheets
# (tab and carriage return are on OWASP's list too: some importers strip them first).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """Make a text cell inert in a spreadsheet: '=HYPERLINK(..)' becomes "'=HYPERLINK(..)".

    Also strips NUL characters, which spreadsheet importers choke on.
    """
    value = value.replace("\x00", "")
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS[:4]):
        return "'" + value
    return value


class CsvWriter(FormatWriter):
    encoding = "utf-8-sig"  # the BOM tells Excel this is UTF-8

    def begin(self, query: ThreadQuery, total: int) -> None:
        self.csv = csv.writer(self.out, dialect="excel")
        self.csv.writerow(CSV_COLUMNS)

    def thread(self, row: ThreadRow, posts: list[StoredPost]) -> None:
        account = self.account_label(row.account_id)
        for stored in posts:
            post = stored.post
            cells: list[Any] = [
                row.id,
                account,
                row.network.value,
                row.status.value,
                iso(post.created_at) or "",
                post.author.handle,
                post.author.display_name,
                "yes" if stored.is_own else "no",
                "" if stored.is_own else CSV_WORDS[stored.label],  # the customer's feeling
                round(stored.sentiment.compound, 4),
                post.text,
                post.url,
                "yes" if post.deleted else "no",
                post.unavailable.value if post.unavailable else "",
            ]
            self.csv.writerow([neutralise_cell(c) if isinstance(c, str) else c for c in cells])
