"""Bluesky sign-in: handle -> DID -> PDS, createSession, and a session that refreshes itself.

Tokens are created once, at sign-in (`login`), and handed to the caller, who
keeps them in the keychain. `XrpcSession` takes those tokens back on every
start: a sync must never create a new session (createSession is limited to
30 per 5 minutes). When the PDS answers `400 ExpiredToken` the session calls
refreshSession once, gives both new tokens to `save_tokens` and retries.
Tokens and passwords are never logged.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import (
    AuthError,
    AuthExpired,
    BadResponse,
    InsecureServer,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
    WrongCredentials,
)
from app.net.http import (
    MAX_SECONDS,
    TIMEOUT,
    HttpSession,
    Response,
    normalise_server,
    retry_after_seconds,
)

log = logging.getLogger(__name__)

DEFAULT_SERVICE = "https://bsky.social"
DEFAULT_PLC = "https://plc.directory"

SaveTokens = Callable[[str, str], None]

_HANDLE_RE = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
_DID_RE = re.compile(r"^did:[a-z]+:[a-zA-Z0-9._:%-]+$")

APP_PASSWORD_HINT = (
    "Bluesky asked for an emailed sign-in code, which means the account's main password "
    "was used. Create an app password in Bluesky (Settings, Privacy and security, "
    "App passwords) and sign in to Shopkeep with that instead."
)


@dataclass(frozen=True, slots=True)
class LoginResult:
    """What a successful sign-in gives the caller to store (tokens go to the keychain only)."""

    did: str
    handle: str
    pds_url: str
    access_jwt: str = field(repr=False)
    refresh_jwt: str = field(repr=False)
    app_password: bool  # False: the main password was used (the UI may suggest an app password)


def xrpc_error(resp: Response) -> tuple[str, str]:
    """(error, message) of an XRPC error body; ("", "") when it is not the documented JSON."""
    try:
        body = resp.json()
    except BadResponse:
        return "", ""
    if not isinstance(body, Mapping):
        return "", ""
    error, message = body.get("error"), body.get("message")
    return (error if isinstance(error, str) else ""), (message if isinstance(message, str) else "")


def rate_limit_wait(headers: Mapping[str, str], default: float = 60.0) -> float:
    """Seconds until the limit resets: Retry-After, else RateLimit-Reset (epoch seconds)."""
    if headers.get("Retry-After"):
        return retry_after_seconds(headers, default)
    reset = headers.get("RateLimit-Reset")
    if reset:
        try:
            return max(1.0, float(reset) - time.time())
        except ValueError:
            pass
    return default


def raise_for_xrpc(resp: Response, *, login: bool = False) -> None:
    """Map an XRPC error response to a typed error; 2xx passes through."""
    if 200 <= resp.status < 300:
        return
    error, message = xrpc_error(resp)
    where = f"{resp.url.split('?')[0]}: HTTP {resp.status} {error}".rstrip()
    if resp.status == 429 or error == "RateLimitExceeded":
        raise RateLimited(where, retry_after=rate_limit_wait(resp.headers))
    if resp.status >= 500:
        raise ServerError(f"{where} {message}".rstrip())
    if not error:
        raise BadResponse(f"{where}: error without the documented JSON body")
    if error == "ExpiredToken":
        raise AuthExpired(where)
    if error == "AuthFactorTokenRequired":
        raise WrongCredentials(where, user_message=APP_PASSWORD_HINT)
    if error in ("AccountTakedown", "AccountDeactivated", "AccountSuspended"):
        raise AuthError(
            where,
            user_message=(
                "Bluesky says this account is taken down or deactivated, so Shopkeep cannot use it."
            ),
        )
    if login and (resp.status == 401 or error == "AuthenticationRequired"):
        raise WrongCredentials(where)
    if resp.status == 401 or error in ("InvalidToken", "AuthMissing", "AuthenticationRequired"):
        raise AuthError(where)
    if (
        resp.status == 404
        or error in ("NotFound", "RecordNotFound", "RepoNotFound")
        or "not found" in message.lower()
        or "could not locate" in message.lower()
    ):
        raise NotFound(f"{where} {message}".rstrip())
    if error in ("InvalidHandle", "HandleNotFound") or "Unable to resolve handle" in message:
        raise NotFound(where, user_message="Bluesky does not know that handle.")
    raise NetworkError(
        f"{where} {message}".rstrip(),
        user_message=f"Bluesky refused the request ({error}). Please try again later.",
    )


def _json_object(resp: Response) -> dict[str, Any]:
    body = resp.json()
    if not isinstance(body, dict):
        raise BadResponse(f"{resp.url}: expected a JSON object")
    return body


def _plain_http(base_url: str) -> HttpSession:
    return HttpSession(base_url)


def resolve_handle(handle: str, *, service: str = DEFAULT_SERVICE) -> str:
    """Handle -> DID: ask `service` (resolveHandle), else https://<handle>/.well-known/atproto-did."""
    handle = handle.strip().lstrip("@").lower()
    if _DID_RE.match(handle):
        return handle
    if not _HANDLE_RE.match(handle):
        raise WrongCredentials(
            f"not a handle: {handle!r}",
            user_message=(
                "That does not look like a Bluesky handle (for example shop.bsky.social)."
            ),
        )
    first_error: NetworkError = NotFound(f"handle {handle} not found")
    http = _plain_http(service)
    try:
        resp = http.request(
            "GET",
            "/xrpc/com.atproto.identity.resolveHandle",
            params={"handle": handle},
            check=False,
        )
        raise_for_xrpc(resp)
        did = _json_object(resp).get("did")
        if isinstance(did, str) and _DID_RE.match(did):
            return did
        raise BadResponse(f"{resp.url}: resolveHandle answer without a DID")
    except NetworkError as exc:
        first_error = exc
    finally:
        http.close()
    try:  # the handle's own web server can vouch for it too
        web = _plain_http(f"https://{handle}")
        try:
            resp = web.request("GET", "/.well-known/atproto-did", check=False)
        finally:
            web.close()
        text = resp.body.decode("utf-8", "replace").strip()
        if resp.status == 200 and _DID_RE.match(text):
            return text
    except NetworkError:
        pass
    raise first_error


def resolve_pds(did: str, *, plc_url: str = DEFAULT_PLC) -> str:
    """DID document -> its #atproto_pds endpoint (did:plc via the PLC directory, or did:web)."""
    if did.startswith("did:plc:"):
        base, path = plc_url, "/" + did
    elif did.startswith("did:web:"):
        host = did.removeprefix("did:web:").replace("%3A", ":")
        base, path = f"https://{host}", "/.well-known/did.json"
    else:
        raise BadResponse(f"unsupported DID method: {did}")
    http = _plain_http(base)
    try:
        resp = http.request("GET", path, check=False)
    finally:
        http.close()
    if resp.status == 404:
        raise NotFound(f"no DID document for {did}")
    raise_for_xrpc(resp)
    return pds_from_did_doc(_json_object(resp))


def pds_from_did_doc(doc: Mapping[str, Any]) -> str:
    """The first service whose id ends in #atproto_pds (checked: https, or http on loopback)."""
    for service in doc.get("service") or []:
        if not isinstance(service, Mapping):
            continue
        if (
            str(service.get("id", "")).endswith("#atproto_pds")
            and service.get("type", "AtprotoPersonalDataServer") == "AtprotoPersonalDataServer"
        ):
            endpoint = service.get("serviceEndpoint")
            if isinstance(endpoint, str):
                return normalise_server(endpoint)
    raise BadResponse("DID document names no #atproto_pds service")


def _scope(jwt: str) -> str:
    """The (unverified) scope claim: tells an app-password session from a main-password one."""
    try:
        payload = jwt.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return str(data.get("scope", ""))
    except (IndexError, ValueError, AttributeError):
        return ""


def login(
    identifier: str,
    password: str,
    *,
    service: str = DEFAULT_SERVICE,
    plc_url: str = DEFAULT_PLC,
    pds_url: str | None = None,
) -> LoginResult:
    """Sign in once with handle + app password; the caller stores the tokens. Never per sync."""
    if pds_url is None:
        did = resolve_handle(identifier, service=service)
        pds_url = resolve_pds(did, plc_url=plc_url)
    http = HttpSession(pds_url)
    try:
        resp = http.request(
            "POST",
            "/xrpc/com.atproto.server.createSession",
            json_body={"identifier": identifier.strip().lstrip("@"), "password": password},
            check=False,
        )
    finally:
        http.close()
    raise_for_xrpc(resp, login=True)
    body = _json_object(resp)
    try:
        access, refresh = str(body["accessJwt"]), str(body["refreshJwt"])
        did, handle = str(body["did"]), str(body["handle"])
    except KeyError as exc:
        raise BadResponse(f"createSession answer lacks {exc}") from exc
    doc = body.get("didDoc")
    if isinstance(doc, Mapping):  # the account may live on another PDS than the one asked
        with contextlib.suppress(BadResponse, InsecureServer):
            pds_url = pds_from_did_doc(doc)
    return LoginResult(
        did=did,
        handle=handle,
        pds_url=normalise_server(pds_url),
        access_jwt=access,
        refresh_jwt=refresh,
        app_password=_scope(access).startswith("com.atproto.appPass"),
    )


class XrpcSession:
    """Authenticated XRPC calls to one PDS, refreshing the access token once when it expires."""

    def __init__(
        self,
        pds_url: str,
        did: str,
        access_jwt: str,
        refresh_jwt: str,
        save_tokens: SaveTokens,
        *,
        appview_proxy: str | None = None,
        timeout: tuple[float, float] | None = None,
        max_seconds: float = MAX_SECONDS,
    ) -> None:
        self.did = did
        self.http = HttpSession(pds_url, timeout=timeout or TIMEOUT, max_seconds=max_seconds)
        self._access = access_jwt
        self._refresh = refresh_jwt
        self._save_tokens = save_tokens
        self._lock = threading.Lock()
        # e.g. "did:web:api.bsky.app#bsky_appview"; None lets the PDS use its configured AppView
        self._proxy = appview_proxy
        self._blocked_until = 0.0  # monotonic time before which the server said "no more"

    @property
    def pds_url(self) -> str:
        return self.http.base_url

    def close(self) -> None:
        self.http.close()

    def call(
        self,
        method: str,
        nsid: str,
        *,
        params: Any = None,
        body: Any = None,
        appview: bool = False,
    ) -> dict[str, Any]:
        """One XRPC call; on ExpiredToken: refresh once, save the new pair, retry once."""
        wait = self._blocked_until - time.monotonic()
        if wait > 0:  # asking again before the reset only burns more of the budget
            raise RateLimited(f"{nsid}: rate limit used up", retry_after=wait)
        token = self._access
        try:
            try:
                return self._call_once(method, nsid, params, body, token, appview)
            except AuthExpired:
                self._refresh_after(token)
                return self._call_once(method, nsid, params, body, self._access, appview)
        except RateLimited as exc:
            self._blocked_until = time.monotonic() + exc.retry_after
            raise

    def _call_once(
        self, method: str, nsid: str, params: Any, body: Any, token: str, appview: bool
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"}
        if appview and self._proxy:
            headers["atproto-proxy"] = self._proxy
        resp = self.http.request(
            method, f"/xrpc/{nsid}", params=params, json_body=body, headers=headers, check=False
        )
        if resp.headers.get("RateLimit-Remaining", "").strip() == "0" and resp.status < 400:
            # this answer was the last one allowed: hold the next call until the reset
            self._blocked_until = time.monotonic() + rate_limit_wait(resp.headers)
        raise_for_xrpc(resp)
        if not resp.body.strip():
            return {}
        return _json_object(resp)

    def _refresh_after(self, stale_access: str) -> None:
        """Refresh unless another thread already did since `stale_access` failed."""
        with self._lock:
            if self._access != stale_access:
                return
            resp = self.http.request(
                "POST",
                "/xrpc/com.atproto.server.refreshSession",
                headers={"Authorization": f"Bearer {self._refresh}"},
                check=False,
            )
            try:
                raise_for_xrpc(resp)
            except (AuthError, NotFound) as exc:
                raise AuthError(f"refreshSession failed: {exc}") from exc
            body = _json_object(resp)
            access, refresh = body.get("accessJwt"), body.get("refreshJwt")
            if not isinstance(access, str) or not isinstance(refresh, str):
                raise BadResponse("refreshSession answer lacks tokens")
            self._save_tokens(access, refresh)  # stored first: a crash now still keeps the pair
            self._access, self._refresh = access, refresh
            log.info("bluesky session refreshed for %s", self.did)

    def refresh(self) -> None:
        """Rotate both tokens now (e.g. from a settings button)."""
        self._refresh_after(self._access)
