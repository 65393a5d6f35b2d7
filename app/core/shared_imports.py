"""One lock for the imports that two threads may start at the same moment.

Python locks each module while importing it. The desktop notifications' thread
imports `jeepney`, and a worker reading the keychain imports it too, through keyring
and secretstorage: each thread can hold a part of jeepney that the other one waits
for. Python then raises `_DeadlockError` in one of them. Seen at start-up in 0.4.4:
the notifications' thread died, so no desktop notification showed that session. The
keychain's worker can as well be the one that gets the error.
"""

from __future__ import annotations

import threading

SHARED_IMPORTS = threading.RLock()  # held while importing jeepney, directly or through keyring
