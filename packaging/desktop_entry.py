"""The menu entry: what the launcher shows, how it starts Shopkeep, how the dock groups it."""

from __future__ import annotations

import project


def desktop_entry(summary: str) -> str:
    fields = {
        "Type": "Application",
        "Version": "1.4",
        "Name": "Shopkeep",
        "GenericName": project.GENERIC_NAME,
        "Comment": summary,
        "Exec": project.PROGRAM,
        "TryExec": project.PROGRAM,
        "Icon": project.APP_ID,
        "Terminal": "false",
        "Categories": "Network;",
        "Keywords": "".join(f"{word};" for word in project.KEYWORDS),
        # X11 docks group windows by WM_CLASS; Wayland ones by the desktop file name,
        # which the window sets (QGuiApplication.setDesktopFileName).
        "StartupWMClass": project.WM_CLASS,
        "StartupNotify": "true",
    }
    return "[Desktop Entry]\n" + "".join(f"{key}={value}\n" for key, value in fields.items())
