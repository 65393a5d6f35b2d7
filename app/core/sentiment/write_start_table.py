"""`python -m app.core.sentiment.write_start_table`: write `phrase_start_table.py` again
after a phrase pattern in kinds/ was added or changed (a test says when it is due)."""

from __future__ import annotations

from pathlib import Path

from app.core.sentiment import phrase_start_table, phrases


def main() -> None:
    Path(phrase_start_table.__file__).write_text(phrases.start_table_source(), encoding="utf-8")


if __name__ == "__main__":
    main()
