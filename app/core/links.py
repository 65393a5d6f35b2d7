"""Where a link really goes, said so a look-alike or a clever path cannot hide it.

"https://evil.example/https://paypal.com/login" reads as PayPal to a hurried
eye, "https://paypal.com@evil.example/" too, and a host spelled with a
Cyrillic "а" looks exactly like the Latin one. The window shows every link
with its real host, in its ASCII (IDNA "xn--") form when it is not plain
ASCII, and names the host outright when the rest of the link mentions
another address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Something in the path, query or user part that reads like another site's address.
_ANOTHER_ADDRESS = re.compile(
    r"://|\bwww\.|\b[a-z0-9-]+\.(?:com|net|org|co|uk|de|fr|io|app|social|bank|shop)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LinkView:
    """A link as the window shows it: `before` + `host` + `after` is the whole address."""

    before: str  # "https://"
    host: str  # the real host, ASCII (xn-- for non-ASCII labels)
    after: str  # ":8443/path?query#fragment"
    misleading: bool  # the rest mentions another address: name the host outright

    @property
    def text(self) -> str:
        return f"{self.before}{self.host}{self.after}"


_HOST_IN_TEXT = re.compile(r"(?<![\w@.-])((?:[\w-]+\.)+[^\W\d_]{2,})(?![\w-])")


def label_misleads(label: str, host: str) -> bool:
    """A link's label names a site other than where the link goes ("paypal.com" on a
    link to evil.example): the real host must then be named beside it."""
    for found in _HOST_IN_TEXT.findall(label):
        named = ascii_host(found)
        if named != host and not host.endswith("." + named):
            return True
    return False


def ascii_host(host: str) -> str:
    """The host as DNS sees it: every non-ASCII label in its IDNA 'xn--' form."""
    labels = []
    for label in host.rstrip(".").split("."):
        if label.isascii():
            labels.append(label.lower())
            continue
        try:
            labels.append(label.encode("idna").decode("ascii"))
        except UnicodeError:  # not valid IDNA (mixed rules): still show its punycode
            labels.append("xn--" + label.lower().encode("punycode").decode("ascii"))
    return ".".join(labels)


def link_view(url: str) -> LinkView:
    """`url` split around its real host; a URL with no readable host is shown whole."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # a bad port or bracket: show it as it is, host unknown
        return LinkView("", "", url, misleading=True)
    if not host or not url.lower().startswith(f"{parts.scheme}://{parts.netloc}".lower()):
        return LinkView("", "", url, misleading=True)
    real = ascii_host(host)
    after = (f":{port}" if port is not None else "") + url[
        len(parts.scheme) + 3 + len(parts.netloc) :
    ]
    misleading = "@" in parts.netloc or real != host.lower() or bool(_ANOTHER_ADDRESS.search(after))
    return LinkView(f"{parts.scheme}://", f"[{real}]" if ":" in real else real, after, misleading)
