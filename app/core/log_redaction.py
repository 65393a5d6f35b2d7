"""Log redaction: no token, password or secret query parameter reaches a log line.

`app.main.configure_logging` installs it before anything logs, so records made
before the network clients are imported are redacted too. Plain standard library,
so the CLI and the window share it without loading `requests`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from app.core.clean_text import for_log
from app.core.known_secrets import redact_known

_AUTH_HEADER = re.compile(
    r"((?:proxy-)?authorization['\"]?\s*[:=]\s*['\"]?)(?:(?:bearer|basic|token)\s+)?[^\s'\",}]+",
    re.IGNORECASE,
)
_BEARER = re.compile(r"\b(bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_SECRET_PARAM = re.compile(
    r"(?i)([?&;\s\"'](?:access_token|refresh_token|token|code|code_verifier|client_secret|"
    r"password|app_password|accessJwt|refreshJwt)[\"']?\s*[=:]\s*[\"']?)[^&\s\"',}]+"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """Text with Authorization headers, bearer tokens, JWTs and secret query params hidden."""
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    text = _SECRET_PARAM.sub(lambda m: m.group(1) + REDACTED, text)
    return _JWT.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message: secrets hidden (by pattern, and every credential
    the app has sent), terminal escapes and controls dropped, no forged lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the record as it is
            return True
        cleaned = for_log(redact_known(redact(message)))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


REDACTING_FILTER = RedactingFilter()
# Loggers that see URLs or headers of our requests (urllib3 logs "GET /path?query" at DEBUG).
REDACTED_LOGGERS = (
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.util.retry",
    "requests",
    "app.net",
    "app.net.http",
    "app.net.mastodon",
    "app.net.mastodon_auth",
    "app.net.bluesky",
    "app.net.bluesky_session",
)


def install_log_redaction(targets: Iterable[logging.Logger | logging.Handler] = ()) -> None:
    """Redact every log record at birth, and filter any given handlers. Safe to call twice.

    A filter on a logger only sees that logger's own records, so the record
    factory is what covers every logger (ours, urllib3, requests, Qt's); the
    HTTP loggers and any handlers passed here get the filter as a second net.
    """
    previous = logging.getLogRecordFactory()
    if not getattr(previous, "_shopkeep_redacting", False):

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            REDACTING_FILTER.filter(record)
            return record

        factory._shopkeep_redacting = True  # type: ignore[attr-defined]  # marks ours
        logging.setLogRecordFactory(factory)
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if REDACTING_FILTER not in logger.filters:
            logger.addFilter(REDACTING_FILTER)
    for target in targets:
        if REDACTING_FILTER not in target.filters:
            target.addFilter(REDACTING_FILTER)
