"""Plain-Python core: dataclasses, ports, sentiment, sync and outbox rules. Never imports Qt."""
