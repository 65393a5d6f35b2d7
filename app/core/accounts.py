"""The account-setup port: what the accounts dialogs may ask for, in plain dataclasses.

The UI adds, checks and removes accounts only through `AccountService`;
app/services/accounts.py implements it over app.net and app.storage, and
main.py hands it to the window. Every method may block on the network or the
keychain, so the UI calls them through its TaskRunner, never on the GUI thread.
Secrets go in (a pasted token, an app password) but never come back out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.core.models import Account, AccountState

APP_PASSWORD_HELP_URL = "https://bsky.app/settings/app-passwords"
MASTODON_TOKEN_HELP = (
    "On your server's website open Preferences, then Development, create an "
    "application with the read and write scopes, and copy its access token."
)


@dataclass(frozen=True, slots=True)
class SignInRequest:
    """One Mastodon browser sign-in in progress; the service keeps its secrets behind `id`.

    `uses_loopback`: the browser comes back to Shopkeep by itself. Otherwise the
    server shows a code that the owner pastes into the dialog.
    """

    id: str
    server: str
    url: str
    uses_loopback: bool


@dataclass(frozen=True, slots=True)
class RemovalPlan:
    """What removing an account will delete, so the confirmation can say it in numbers."""

    account: Account
    threads: int
    revokes_on_server: bool  # False: a pasted token stays valid until deleted on the website


STATE_WORDS: dict[AccountState, str] = {
    AccountState.CONNECTED: "Connected",
    AccountState.NEEDS_SIGN_IN: "Needs sign-in again",
    AccountState.UNREACHABLE: "Server unreachable",
    AccountState.DEMO: "Demo data",
}


def threads_phrase(count: int) -> str:
    """'1 conversation' / '12 conversations': the unit the inbox shows."""
    return f"{count} conversation{'' if count == 1 else 's'}"


class AccountService(Protocol):
    """Connecting, checking and removing accounts. Every call may raise a ShopkeepError."""

    def accounts(self) -> list[Account]: ...

    def check_keychain(self) -> None:
        """Raise KeychainUnavailable before the owner types anything."""
        ...

    def start_mastodon_sign_in(self, server: str, *, loopback: bool = True) -> SignInRequest:
        """Register Shopkeep on `server` (https only, loopback aside); the URL to open."""
        ...

    def wait_for_code(self, request: SignInRequest, timeout: float) -> str | None:
        """Block until the browser comes back with a code (loopback), or None."""
        ...

    def cancel_sign_in(self, request: SignInRequest) -> None:
        """Forget the attempt and stop any loopback listener (wait_for_code returns None)."""
        ...

    def finish_mastodon_sign_in(self, request: SignInRequest, code: str) -> Account:
        """Trade the code for a token, verify who it is, then save (keychain first)."""
        ...

    def add_mastodon_token(self, server: str, token: str) -> Account:
        """Verify a pasted access token and save the account."""
        ...

    def add_bluesky(
        self, handle: str, app_password: str, service_url: str | None = None
    ) -> Account:
        """Sign in with an app password (the main password is refused) and save."""
        ...

    def count_threads(self, account: Account) -> int: ...

    def removal_plan(self, account: Account) -> RemovalPlan: ...

    def remove(self, account: Account) -> None:
        """Delete the secrets, sign out on the server, then delete the local data."""
        ...

    def check(self, account: Account) -> AccountState:
        """Ask the server whether the saved sign-in still works (and remember the answer)."""
        ...
