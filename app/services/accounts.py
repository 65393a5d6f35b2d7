"""The concrete AccountService: app.net sign-in + the keychain + the SQLite store.

Wiring code (main.py builds one and hands it to the UI as the core port), so
it may import every layer, but never Qt. The order of every step is chosen so
a failure leaves nothing half-done:

- adding: verify who the token belongs to, save the secrets to the keychain,
  only then write the account row (undoing the keychain entry if that fails);
- removing: sign out on the server (best effort), delete the keychain entry,
  then the local data.

Secrets pass through in memory only; logs name accounts, never tokens.
"""

from __future__ import annotations

import contextlib
import logging
import secrets as pysecrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.core.accounts import RemovalPlan, SignInRequest
from app.core.connections import Connections, account_key, key_for
from app.core.errors import (
    AuthError,
    BadResponse,
    KeychainUnavailable,
    NetworkError,
    NotFound,
    ServerUnreachable,
    ShopkeepError,
    WrongCredentials,
)
from app.core.models import Account, AccountInfo, AccountState, Folder, Network
from app.core.ports import ThreadQuery
from app.net import bluesky_session
from app.net.bluesky import BlueskyClient
from app.net.http import HttpSession, normalise_server
from app.net.mastodon import MastodonClient
from app.net.mastodon_auth import (
    OOB,
    AppRegistration,
    AuthRequest,
    LoopbackReceiver,
    code_from_callback,
    exchange_code,
    register_app,
    revoke,
    start_authorization,
)
from app.services.network_clients import register_network_clients
from app.storage.credentials import CredentialStore
from app.storage.inbox_store import SqliteInboxStore

log = logging.getLogger(__name__)

MAIN_PASSWORD_REFUSED = (
    "That is your account's main password. Shopkeep only signs in with an app password, "
    "so it never holds the keys to your whole account. In Bluesky open Settings, "
    "Privacy and security, App passwords, create one for Shopkeep and paste it here."
)
NOT_A_TOKEN = "Paste the access token from your server's Development settings."
WRONG_TOKEN = (
    "The server did not accept that access token. Check that you copied all of it "
    "and that the application still exists in your server's settings."
)
WRONG_CODE = (
    "The server did not accept that code. Copy it again from the browser page, "
    "or go back and start over."
)


@dataclass(slots=True)
class _Pending:
    """A browser sign-in between start and finish: the parts that must not leave here."""

    app: AppRegistration
    auth: AuthRequest
    receiver: LoopbackReceiver | None
    cancelled: threading.Event = field(default_factory=threading.Event)

    def close(self) -> None:
        self.cancelled.set()
        if self.receiver is not None:
            with contextlib.suppress(OSError):
                self.receiver.close()
            self.receiver = None


class AppAccountService:
    """Implements app.core.accounts.AccountService (structurally, like the store its port)."""

    def __init__(
        self,
        store: SqliteInboxStore,
        credentials: CredentialStore,
        connections: Connections | None = None,
        *,
        bluesky_service: str = bluesky_session.DEFAULT_SERVICE,
        plc_url: str = bluesky_session.DEFAULT_PLC,
    ) -> None:
        self.store = store
        self.credentials = credentials
        if connections is None:
            connections = Connections(credentials)
            register_network_clients(connections)
        self.connections = connections
        self.bluesky_service = bluesky_service
        self.plc_url = plc_url
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ reading

    def accounts(self) -> list[Account]:
        return self.store.accounts()

    def check_keychain(self) -> None:
        self.credentials.check()

    def count_threads(self, account: Account) -> int:
        return self.store.count_threads(ThreadQuery(folder=Folder.ALL, account_id=account.id))

    def removal_plan(self, account: Account) -> RemovalPlan:
        revokes = account.network is Network.BLUESKY
        if account.network is Network.MASTODON and not account.is_demo:
            saved = self.credentials.load(key_for(account)) or {}
            revokes = bool(saved.get("client_id"))
        return RemovalPlan(account, self.count_threads(account), revokes and not account.is_demo)

    # ------------------------------------------------------------ Mastodon

    def start_mastodon_sign_in(self, server: str, *, loopback: bool = True) -> SignInRequest:
        self.credentials.check()  # no keychain: say so before the browser opens
        base = normalise_server(server)
        host = base.split("://", 1)[1]
        try:
            app = register_app(base)
        except ServerUnreachable as exc:
            raise ServerUnreachable(
                str(exc),
                user_message=(
                    f"Shopkeep could not reach {host}. Check the address and the internet "
                    "connection."
                ),
            ) from exc
        except (NotFound, BadResponse) as exc:
            raise BadResponse(
                str(exc),
                user_message=(f"{host} does not look like a Mastodon server. Check the address."),
            ) from exc
        receiver = LoopbackReceiver() if loopback else None
        try:
            auth = start_authorization(app, receiver.redirect_uri if receiver else OOB)
        except BaseException:
            if receiver is not None:
                receiver.close()
            raise
        request_id = pysecrets.token_urlsafe(12)
        with self._lock:
            self._pending[request_id] = _Pending(app, auth, receiver)
        log.info(
            "Mastodon sign-in started on %s (%s)", app.server, "loopback" if receiver else "code"
        )
        return SignInRequest(request_id, app.server, auth.url, receiver is not None)

    def _get_pending(self, request: SignInRequest) -> _Pending:
        with self._lock:
            pending = self._pending.get(request.id)
        if pending is None or pending.cancelled.is_set():
            raise AuthError(
                "unknown or cancelled sign-in request",
                user_message=("This sign-in was cancelled. Please start again."),
            )
        return pending

    def wait_for_code(self, request: SignInRequest, timeout: float) -> str | None:
        with self._lock:
            pending = self._pending.get(request.id)
        if pending is None or pending.receiver is None:
            return None
        receiver = pending.receiver
        deadline = time.monotonic() + timeout
        while not pending.cancelled.is_set() and time.monotonic() < deadline:
            callback = receiver.wait(0.2)
            if callback is not None:
                return code_from_callback(pending.auth, callback)
        return None

    def cancel_sign_in(self, request: SignInRequest) -> None:
        with self._lock:
            pending = self._pending.pop(request.id, None)
        if pending is not None:
            pending.close()

    def finish_mastodon_sign_in(self, request: SignInRequest, code: str) -> Account:
        pending = self._get_pending(request)
        if not code.strip():
            raise AuthError("empty code", user_message="Paste the code the server showed you.")
        try:
            token = exchange_code(pending.app, pending.auth, code)
        except AuthError as exc:
            raise AuthError(str(exc), user_message=WRONG_CODE) from exc
        account = self._save_mastodon(pending.app.server, token, pending.app)
        self.cancel_sign_in(request)  # done: stop the listener, forget the verifier
        return account

    def add_mastodon_token(self, server: str, token: str) -> Account:
        self.credentials.check()
        token = token.strip()
        if not token or any(c.isspace() for c in token):
            raise AuthError("not a token", user_message=NOT_A_TOKEN)
        try:
            return self._save_mastodon(normalise_server(server), token, None)
        except KeychainUnavailable:
            raise
        except AuthError as exc:
            if exc.user_message != AuthError.user_message:
                raise  # e.g. 403: the account is disabled, said in its own words
            raise AuthError(str(exc), user_message=WRONG_TOKEN) from exc

    def _save_mastodon(self, server: str, token: str, app: AppRegistration | None) -> Account:
        client = MastodonClient(server, token)
        try:
            info = client.verify()
            client.check_can_post()  # a read-only token would fail every reply later
        except BaseException:
            if app is not None:
                _quietly(lambda: revoke(app, token), "sign-out of a token that was refused")
            raise
        finally:
            client.close()
        saved = {"access_token": token}
        if app is not None:  # needed to revoke the token when the account is removed
            saved |= {"client_id": app.client_id, "client_secret": app.client_secret}

        def undo() -> None:
            if app is not None:
                revoke(app, token)

        return self._save(info, saved, undo)

    # ------------------------------------------------------------ Bluesky

    def add_bluesky(
        self, handle: str, app_password: str, service_url: str | None = None
    ) -> Account:
        self.credentials.check()
        handle = handle.strip().lstrip("@")
        if not handle or not app_password.strip():
            raise WrongCredentials(
                "empty handle or password",
                user_message=("Type your Bluesky handle and an app password."),
            )
        service = normalise_server(service_url) if service_url else self.bluesky_service
        result = bluesky_session.login(
            handle, app_password.strip(), service=service, plc_url=self.plc_url
        )
        if not result.app_password:
            _bluesky_sign_out(result.pds_url, result.refresh_jwt)
            raise WrongCredentials("main password used", user_message=MAIN_PASSWORD_REFUSED)
        tokens = {
            "access_jwt": result.access_jwt,
            "refresh_jwt": result.refresh_jwt,
            "pds_url": result.pds_url,
        }

        def keep(access: str, refresh: str) -> None:
            tokens.update(access_jwt=access, refresh_jwt=refresh)

        client = BlueskyClient.from_login(result, keep)
        try:
            info = client.verify()
        finally:
            client.close()
        return self._save(
            info, tokens, lambda: _bluesky_sign_out(result.pds_url, tokens["refresh_jwt"])
        )

    # ------------------------------------------------------------ saving

    def _save(
        self, info: AccountInfo, saved: Mapping[str, str], undo: Callable[[], None]
    ) -> Account:
        """Keychain first, then the row; a failure in either undoes the other and the token."""
        key = account_key(info.network, info.server, info.handle)
        try:
            self.credentials.save(key, saved)
        except KeychainUnavailable:
            _quietly(undo, "sign-out after the keychain refused")
            raise
        try:
            account = self.store.add_account(info)
        except BaseException:
            _quietly(lambda: self.credentials.delete(key), "keychain clean-up")
            _quietly(undo, "sign-out after the database refused")
            raise
        self.connections.forget(account.id)  # a cached client may hold the old token
        log.info("Connected %s account %s on %s", info.network.value, info.handle, info.server)
        return account

    # ------------------------------------------------------------ removing

    def remove(self, account: Account) -> None:
        if not account.is_demo:
            key = key_for(account)
            saved = self.credentials.load(key) or {}  # KeychainUnavailable: touch nothing
            self._sign_out(account, saved)
            self.credentials.delete(key)
        self.connections.forget(account.id)
        threads = self.store.remove_account(account.id)
        log.info(
            "Removed %s account %s and %d threads", account.network.value, account.handle, threads
        )

    def _sign_out(self, account: Account, saved: Mapping[str, str]) -> None:
        if (
            account.network is Network.MASTODON
            and saved.get("access_token")
            and saved.get("client_id")
            and saved.get("client_secret")
        ):
            app = AppRegistration(
                server=account.server,
                client_id=saved["client_id"],
                client_secret=saved["client_secret"],
                scopes="",
                redirect_uris=(),
            )
            _quietly(lambda: revoke(app, saved["access_token"]), "Mastodon token revocation")
        elif account.network is Network.BLUESKY and saved.get("refresh_jwt"):
            _bluesky_sign_out(saved.get("pds_url") or account.server, saved["refresh_jwt"])

    # ------------------------------------------------------------ checking

    def check(self, account: Account) -> AccountState:
        if account.is_demo:
            return AccountState.DEMO
        try:
            info = self.connections.client_for(account).verify()
        except AuthError as exc:  # MissingSecrets too: the keychain lost the entry
            self.connections.forget(account.id)
            return self._note(account, AccountState.NEEDS_SIGN_IN, exc)
        except NetworkError as exc:
            return self._note(account, AccountState.UNREACHABLE, exc)
        self.store.update_account(
            account.id,
            state=AccountState.CONNECTED,
            last_error="",
            display_name=info.display_name,
            max_chars=info.max_chars,
            default_visibility=info.default_visibility,
            domain=info.domain,
        )
        return AccountState.CONNECTED

    def _note(self, account: Account, state: AccountState, exc: ShopkeepError) -> AccountState:
        log.info("Account %s: %s (%s)", account.handle, state.value, type(exc).__name__)
        self.store.update_account(account.id, state=state, last_error=exc.user_message)
        return state


def _quietly(action: Callable[[], object], what: str) -> None:
    """Best-effort clean-up: a failure is logged by type only and never hides the real error."""
    try:
        action()
    except Exception as exc:
        log.warning("%s failed: %s", what, type(exc).__name__)


def _bluesky_sign_out(pds_url: str, refresh_jwt: str) -> None:
    """deleteSession with the refresh token (the documented logout), best effort."""

    def call() -> None:
        with HttpSession(pds_url) as http:
            http.request(
                "POST",
                "/xrpc/com.atproto.server.deleteSession",
                headers={"Authorization": f"Bearer {refresh_jwt}"},
                check=False,
            )

    _quietly(call, "Bluesky sign-out")
