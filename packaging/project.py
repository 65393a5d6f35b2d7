"""What every package says about Shopkeep, kept in one place.

The version and the one-line summary come from the installed package's metadata
(pyproject.toml), the same place `shopkeep --version` and Help → About read.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass

# Must equal app.ui.application.DESKTOP_FILE_NAME: Wayland matches the window to the
# .desktop file by this name (the test reads both). Reverse-DNS, as AppStream wants,
# the same identifier as the macOS bundle in pyinstaller.spec.
APP_ID = "app.shopkeep.Shopkeep"
PACKAGE = "shopkeep"
PROGRAM = "shopkeep"  # the one-folder build's executable, and /usr/bin's name
WM_CLASS = "Shopkeep"  # X11 WM_CLASS class = QApplication.applicationName()
HOMEPAGE = "https://shopkeep.app/"  # from the bundle identifier; screenshots live under it
MAINTAINER = "Shopkeep maintainers <maintainers@shopkeep.app>"
# No licence has been chosen for Shopkeep itself yet: until one is, packages say so.
LICENSE_ID = "LicenseRef-proprietary"
LICENSE_TEXT = (
    "The Shopkeep maintainers have not chosen a licence for Shopkeep yet. Until they do,\n"
    "all rights are reserved; you may install and use this package."
)
DESCRIPTION = [
    "Shopkeep collects every post that mentions your shop, with the whole conversation "
    "around it, into one window. Complaints are coloured so they stand out and can be "
    "answered first.",
    "Canned thank-you and apology replies are filled in with the customer's name before "
    "they go; drafts are never lost; everything synced can be read and answered offline, "
    "and replies go out by themselves, exactly once, when you are back online.",
]
FEATURES = [
    "Mastodon and Bluesky mentions in one inbox",
    "Complaints first, colour-blind safe colours always paired with a word",
    "Reply templates personalised with the customer's name",
    "Works offline: replies wait in an outbox and are sent once",
    "Passwords and tokens stay in the system keychain",
]
GENERIC_NAME = "Social Media Inbox"
KEYWORDS = ["Mastodon", "Bluesky", "mentions", "social", "customers", "replies", "inbox"]
SCREENSHOTS = [
    ("screenshots/inbox.png", "The inbox: complaints first, the conversation beside them"),
    ("screenshots/composer.png", "Answering with a personalised reply"),
]


@dataclass(frozen=True, slots=True)
class Metadata:
    """Name, version and summary of the installed `shopkeep` distribution."""

    version: str
    summary: str


def installed_metadata() -> Metadata:
    meta = importlib.metadata.metadata(PACKAGE)
    return Metadata(version=meta["Version"], summary=meta["Summary"].rstrip("."))
