"""The secrets this process has handled, so no copy of them is ever stored or logged.

Pattern-based redaction (Bearer headers, JWTs, `token=`) misses a token that a
server echoes back bare in an error body ("invalid token abc123"). The HTTP
layer registers every credential it sends; text bound for the database or a
log passes through `redact_known` and loses any of them it contains. The
values live only in this process's memory, as they already do in the clients.
"""

from __future__ import annotations

import threading

REDACTED = "[redacted]"
MIN_LENGTH = 8  # shorter values would redact ordinary words; real tokens are far longer

_lock = threading.Lock()
_secrets: set[str] = set()
_ordered: tuple[str, ...] = ()  # longest first, so a secret containing another goes whole


def remember(secret: str | None) -> None:
    """Register a credential (token, app password, refresh token) to hide from now on."""
    global _ordered
    if not secret or len(secret) < MIN_LENGTH:
        return
    with _lock:
        if secret in _secrets:
            return
        _secrets.add(secret)
        _ordered = tuple(sorted(_secrets, key=len, reverse=True))


def redact_known(text: str) -> str:
    """`text` with every remembered secret replaced by [redacted]."""
    secrets = _ordered
    if not secrets or not text:
        return text
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text
