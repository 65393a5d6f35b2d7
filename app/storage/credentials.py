"""Secrets in the OS keychain: the only module that touches `keyring`.

Each account's secrets are one JSON blob in one keychain entry, so tokens that
rotate together (Bluesky access + refresh) are written in one step and can
never be seen half-updated. With no usable keychain we raise
`KeychainUnavailable`; we never fall back to a plain-text file.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING

from app.core.errors import KeychainUnavailable
from app.core.shared_imports import SHARED_IMPORTS

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

DEFAULT_SERVICE = "Shopkeep"

# Backends that store nothing, or store secrets in a file we would not trust.
ENV_KEYCHAIN_SERVICE = "SHOPKEEP_KEYCHAIN_SERVICE"  # a separate keychain entry set (tests)
_REFUSED_MODULE_PREFIXES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def keychain_help() -> str:
    """One plain sentence for this operating system on how to get a keychain."""
    if sys.platform == "darwin":
        how = (
            "Open Keychain Access, make sure your login keychain is unlocked, "
            "then start Shopkeep again."
        )
    elif sys.platform == "win32":
        how = (
            "Sign in to Windows with your own user account so Windows Credential "
            "Manager is available, then start Shopkeep again."
        )
    else:
        how = (
            'Install and unlock GNOME Keyring ("Passwords and Keys") or KWallet, '
            "log in to your desktop session, then start Shopkeep again."
        )
    return "Shopkeep keeps passwords only in your system keychain, and it cannot reach one. " + how


def _keyring() -> ModuleType:
    """keyring, imported when a secret is first needed: with its backends it costs
    ~40 ms, a tenth of the start-up, and the inbox shows without any secret."""
    with SHARED_IMPORTS:  # its backends import jeepney, as the desktop notifications do
        import keyring
        import keyring.errors

    return keyring


def _current_backend() -> KeyringBackend:
    """`keyring.get_keyring()`; the first call loads the backends (and jeepney)."""
    keyring = _keyring()
    with SHARED_IMPORTS:
        backend: KeyringBackend = keyring.get_keyring()
    return backend


def _unavailable(detail: str) -> KeychainUnavailable:
    return KeychainUnavailable(detail, user_message=keychain_help())


def _is_refused(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_REFUSED_MODULE_PREFIXES):
        return True
    chained = getattr(backend, "backends", None)  # keyring's ChainerBackend
    if isinstance(chained, list):
        return not chained or all(_is_refused(b) for b in chained)
    return False


def backend_name() -> str:
    """The keychain in use, for the log and the About box (never a secret)."""
    backend = _current_backend()
    return f"{type(backend).__module__}.{type(backend).__name__}"


class CredentialStore:
    """Per-account secrets, keyed like 'mastodon:https://example.social:@shop#<folder id>'.

    The folder id (`use_folder`) keeps two data folders with the same account apart:
    a token pasted in one never replaces the other's. An entry written before folder
    ids existed (no '#') is copied to this folder's name the first time it is read.
    """

    def __init__(self, service: str = DEFAULT_SERVICE, *, folder_id: str = "") -> None:
        self.service = service
        self.folder_id = folder_id

    def use_folder(self, folder_id: str) -> None:
        """Name this data folder's entries with `folder_id` (the database's own id)."""
        self.folder_id = folder_id

    def _entry(self, account_key: str) -> str:
        return f"{account_key}#{self.folder_id}" if self.folder_id else account_key

    def _backend(self) -> KeyringBackend:
        """Looked up on every call so `keyring.set_keyring` (tests, settings) takes effect."""
        keyring = _keyring()
        try:
            backend = _current_backend()
        except keyring.errors.KeyringError as exc:
            raise _unavailable(f"no keyring backend: {type(exc).__name__}") from exc
        if _is_refused(backend):
            raise _unavailable(f"unusable keyring backend {type(backend).__module__}")
        return backend

    def check(self) -> None:
        """Raise KeychainUnavailable now, before any account work starts."""
        self._backend()

    def save(self, account_key: str, secrets: Mapping[str, str]) -> None:
        """Replace the account's whole secret set in one keychain write."""
        if not all(isinstance(v, str) for v in secrets.values()):
            raise TypeError("secret values must be strings")
        blob = json.dumps(dict(secrets), sort_keys=True, separators=(",", ":"))
        backend, errors = self._backend(), _keyring().errors
        try:
            backend.set_password(self.service, self._entry(account_key), blob)
        except errors.KeyringError as exc:
            raise _unavailable(f"keychain refused to save: {type(exc).__name__}") from exc
        log.info("saved secrets for %s (%d fields)", account_key, len(secrets))

    def load(self, account_key: str) -> dict[str, str] | None:
        """The account's secrets, or None when the keychain has none for it."""
        backend, errors = self._backend(), _keyring().errors
        entry = self._entry(account_key)
        try:
            blob = backend.get_password(self.service, entry)
            if blob is None and entry != account_key:
                blob = backend.get_password(self.service, account_key)  # from before folder ids
                if blob is not None:
                    backend.set_password(self.service, entry, blob)
                    log.info("copied the secrets of %s to this data folder's entry", account_key)
        except errors.KeyringError as exc:
            raise _unavailable(f"keychain refused to read: {type(exc).__name__}") from exc
        if blob is None:
            return None
        try:
            data = json.loads(blob)
        except json.JSONDecodeError:
            log.warning("keychain entry for %s is not Shopkeep's format; ignoring it", account_key)
            return None
        if not isinstance(data, dict):
            return None
        return {str(k): str(v) for k, v in data.items()}

    def delete(self, account_key: str) -> None:
        """Forget the account's secrets; deleting what is not there is fine."""
        backend, errors = self._backend(), _keyring().errors
        entry = self._entry(account_key)
        try:
            mine = backend.get_password(self.service, entry)
            if (
                entry != account_key
                and mine is not None
                and backend.get_password(self.service, account_key) == mine
            ):
                backend.delete_password(self.service, account_key)  # the old copy of the same
            if mine is None:
                return
            backend.delete_password(self.service, entry)
        except errors.PasswordDeleteError:
            return
        except errors.KeyringError as exc:
            raise _unavailable(f"keychain refused to delete: {type(exc).__name__}") from exc
        log.info("deleted secrets for %s", account_key)
