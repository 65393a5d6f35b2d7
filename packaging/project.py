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
# The same licence as pyproject.toml's `license` (LICENSE in the repository).
LICENSE_ID = "GPL-3.0-or-later"
LICENSE_TEXT = (
    "This program is free software: you can redistribute it and/or modify it under the\n"
    "terms of the GNU General Public License as published by the Free Software\n"
    "Foundation, either version 3 of the License, or (at your option) any later version.\n"
    ".\n"
    "On Debian systems, the complete text of the GNU General Public License version 3\n"
    "can be found in /usr/share/common-licenses/GPL-3."
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
