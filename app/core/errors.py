"""Expected failures, each with a sentence a shop owner understands.

Anything that is not a `ShopkeepError` is a bug and reaches the crash dialog.
"""

from __future__ import annotations

from app.core.clean_text import clean_error

MAX_DETAIL = 2000  # the log's detail; the sentence shown is cut at clean_text.MAX_LINE


class ShopkeepError(Exception):
    """Base of every expected failure. `user_message` is shown as is.

    Both texts often quote a server, so both are cleaned here, once for every
    edge (terminal, tooltip, log, database): escapes, controls and bidi overrides
    dropped, length cut, and any credential the app has sent hidden.
    """

    user_message = "Something went wrong."

    def __init__(self, detail: str = "", *, user_message: str | None = None) -> None:
        super().__init__(clean_error(detail, MAX_DETAIL) if detail else self.user_message)
        if user_message is not None:
            self.user_message = clean_error(user_message)


class NetworkError(ShopkeepError):
    """Base for errors talking to a server."""


class AuthError(NetworkError):
    user_message = "The server no longer accepts this sign-in. Please sign in again."


class AuthExpired(AuthError):
    """A token that can be refreshed (Bluesky access token)."""

    user_message = "The sign-in expired. Shopkeep will renew it."


class WrongCredentials(AuthError):
    user_message = "The server did not accept that handle or password."


class NotFound(NetworkError):
    user_message = "That post or account no longer exists on the server."


class RateLimited(NetworkError):
    user_message = "The server asked Shopkeep to slow down. It will try again shortly."

    def __init__(self, detail: str = "", *, retry_after: float = 60.0) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ServerUnreachable(NetworkError):
    """No answer at all: offline, DNS, refused, timed out."""

    user_message = "The server could not be reached. Check the internet connection."


class ServerError(NetworkError):
    """The server answered with a 5xx."""

    user_message = "The server is having trouble right now. Shopkeep will try again later."


class BadResponse(NetworkError):
    """The server answered with something that is not what the API documents."""

    user_message = "The server sent a reply Shopkeep could not read. Nothing was lost."


class InsecureServer(NetworkError):
    user_message = "Shopkeep only talks to servers over https:// (secure connections)."


class KeychainUnavailable(ShopkeepError):
    user_message = (
        "Shopkeep keeps passwords only in your system keychain, and none is available. "
        "On Linux install and unlock GNOME Keyring or KWallet; on macOS and Windows "
        "sign in to your user account normally."
    )


class StorageError(ShopkeepError):
    user_message = "Shopkeep could not save to its database."


class DiskFull(StorageError):
    user_message = "The disk is full, so Shopkeep could not save. Your earlier text is kept."


class BackupFailed(StorageError):
    user_message = (
        "Today's automatic backup could not be saved. Your inbox itself is safe; "
        "Shopkeep tries again at the next start."
    )


class DatabaseCorrupt(StorageError):
    user_message = (
        "Shopkeep's database file is damaged. It has been kept aside so nothing is "
        "deleted, and you can restore the last automatic backup."
    )

    def __init__(
        self,
        detail: str = "",
        *,
        path: str = "",
        damaged_path: str = "",
        user_message: str | None = None,
    ) -> None:
        super().__init__(detail, user_message=user_message)
        self.path = path  # where the database lives
        self.damaged_path = damaged_path  # where the damaged file was moved ("" if not moved)


class TooLong(ShopkeepError):
    user_message = "The reply is longer than this network allows."


class PhotoRefused(NetworkError):
    """A photo that is not loaded: too big, not an image, or from a non-https address."""

    user_message = "This photo could not be shown."


class TeamUnreachable(StorageError):
    """The team database did not answer (server down, no network, wrong name or port)."""

    user_message = (
        "Shopkeep could not reach the team database. Check the server name and the port, "
        "that this computer is online, and that the database server is running."
    )


class TeamLoginRefused(StorageError):
    """The team database answered but refused the login or the database name."""

    user_message = (
        "The team database refused the login. Check the user name and the password "
        "(and the database name) with whoever set the database up."
    )


class TeamTlsFailed(StorageError):
    """The connection could not be secured: no TLS, or a certificate that did not check out."""

    user_message = (
        "Shopkeep could not make a secure connection to the team database: the server "
        "offers no encryption, or its certificate does not match its name or is not "
        "signed by an authority this computer trusts. Ask whoever set the database up "
        "to give it a real certificate for this server name."
    )
