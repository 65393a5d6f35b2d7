"""Storage: peewee tables, migrations, search and the SqliteInboxStore. No Qt here."""
