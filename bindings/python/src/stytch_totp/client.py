"""The client: ``client.users``, ``client.totps`` and ``client.sessions``, as in the official SDK."""

from __future__ import annotations

import asyncio
import ctypes
import functools
import json
import os
import threading
from dataclasses import asdict, dataclass
from json.encoder import encode_basestring_ascii
from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
)
from urllib.parse import quote

from . import _native
from ._native import ErrorHandle as _ErrorHandle
from ._native import lib, take_bytes
from ._signatures import CLOCK_FN, stytch_error
from .errors import ClosedError, StytchErrorDetails, error_of, take_error
from .models import sessions as session_models
from .models import totps as totp_models
from .models import users as user_models
from .models._base import Model

if TYPE_CHECKING:
    from typing_extensions import Concatenate, ParamSpec

    P = ParamSpec("P")

R = TypeVar("R", bound=Model)
S = TypeVar("S")
T = TypeVar("T")
#: The issuer a client names in authenticator apps when none is configured.
DEFAULT_ISSUER = "Stytch TOTP"
_ERROR = ctypes.POINTER(stytch_error)
_INT64 = (-(2**63), 2**63 - 1)
_INT32 = (-(2**31), 2**31 - 1)

# Every body the library writes starts with its status (the schema's first
# field, checked by tools/gen_bindings.py): a success is told apart without
# decoding it.
_SUCCESS = b'{"status_code":200,'
_stytch_call = lib.stytch_call
_string_free = lib.stytch_string_free
# Looked up once: the typed authentication's path.
_byref = ctypes.byref
_c_void_p = ctypes.c_void_p

# The routes that take their argument in the path go through the typed C
# functions, where an absent argument (None) is NULL: (call, _to_json, _free).
_GET = (lib.stytch_users_get, lib.stytch_users_get_response_to_json, lib.stytch_users_get_response_free)
_DELETE = (lib.stytch_users_delete, lib.stytch_users_delete_response_to_json, lib.stytch_users_delete_response_free)
_DELETE_TOTP = (
    lib.stytch_users_delete_totp,
    lib.stytch_users_delete_totp_response_to_json,
    lib.stytch_users_delete_totp_response_free,
)


def _body(*names: str) -> Callable[..., bytes]:
    """The JSON request body of a route that takes the named fields (one or
    two). A field that is None is left out; any value goes as it is: the
    library answers a wrong type as it would through any door."""
    # The usual call, every field a str, in one formatting step (the routes'
    # bodies are built on every call: this is their fast path).
    strings = "{" + ",".join(f'"{n}":%s' for n in names) + "}"

    def any_values(*values: Any) -> bytes:
        present = {n: v for n, v in zip(names, values) if v is not None}
        return json.dumps(present).encode()

    def one(a: Any) -> bytes:
        try:
            return (strings % encode_basestring_ascii(a)).encode()
        except TypeError:  # not a str
            return any_values(a)

    def two(a: Any, b: Any) -> bytes:
        try:
            return (strings % (encode_basestring_ascii(a), encode_basestring_ascii(b))).encode()
        except TypeError:  # not a str
            return any_values(a, b)

    return one if len(names) == 1 else two


_USER_ID = _body("user_id")
_CREATE = _body("user_id", "expiration_minutes")
_AUTHENTICATE = _body("user_id", "totp_code")
_RECOVER = _body("user_id", "recovery_code")
# Authentication without session arguments, the hot call: the typed C
# function, whose response handle the returned value owns (the response holds
# no secret: no session, empty tokens). It is read, and freed, when first
# read, or freed when the value goes.
_AUTHENTICATE_TYPED, _AUTHENTICATE_HANDLE = _native.owning(
    "stytch_totp_authenticate", "stytch_totp_authenticate_response"
)
_AUTHENTICATE_RESPONSE = totp_models.AuthenticateResponse
# The longest argument the typed call takes: two of them, each character
# escaped in 6 bytes, stay under the JSON door's body cap (64 KiB), which
# would answer a longer request first.
_TYPED_MAX = 4096
_NO_SESSION = (None, None, None, None)


def _with_session(
    body: Dict[str, Any],
    session_token: Optional[str],
    session_duration_minutes: Optional[int],
    session_jwt: Optional[str],
    session_custom_claims: Optional[Dict[str, Any]],
) -> bytes:
    """A sign-in body with the session arguments given (None: left out)."""
    session = {
        "session_token": session_token,
        "session_duration_minutes": session_duration_minutes,
        "session_jwt": session_jwt,
        "session_custom_claims": session_custom_claims,
    }
    body.update((k, v) for k, v in session.items() if v is not None)
    return json.dumps(body).encode()


def _json_body(fields: Dict[str, Any]) -> bytes:
    """A JSON request body of the fields that are not None."""
    return json.dumps({k: v for k, v in fields.items() if v is not None}).encode()


def _with_telemetry(body: bytes, telemetry_id: Optional[str]) -> bytes:
    """Adds ``telemetry_id`` to a JSON body when given: the library decides
    what it answers (it refuses it: device fingerprinting needs Stytch)."""
    if telemetry_id is None:
        return body
    return json.dumps({**json.loads(body), "telemetry_id": telemetry_id}).encode()


def _plain(value: Any) -> Any:
    """A model argument as JSON data: this package's models, the official
    SDK's pydantic models (``model_dump``) and mappings alike."""
    if isinstance(value, Model):
        return json.loads(value.to_json())
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return {k: v for k, v in dump().items() if v is not None}
    return value


def _async_twin(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], Awaitable[T]]:
    """The ``*_async`` twin of a method, as the official SDK has for each: the
    same arguments, awaited. The blocking call runs in the loop's default
    executor (the library releases the GIL), so the event loop keeps running."""

    async def twin(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        call = functools.partial(method, self, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(None, call)

    # The method's docs and signature (inspect.signature follows __wrapped__).
    functools.update_wrapper(twin, method)
    twin.__name__ = f"{method.__name__}_async"
    twin.__qualname__ = f"{method.__qualname__}_async"
    return twin


@dataclass(frozen=True)
class Lockout:
    """Locks a user for ``duration_minutes`` after ``max_failures`` failed tries."""

    max_failures: int = 10
    duration_minutes: int = 60


def _c_string(value: str, name: str) -> bytes:
    """str -> NUL-terminated UTF-8, for the helpers that take C strings."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if "\0" in value:
        # C would see only the part before the NUL: a different value.
        raise ValueError(f"{name} must not contain NUL characters")
    return value.encode()


def _clamp(value: int, bounds: Tuple[int, int], name: str) -> int:
    """Keeps an int in a C integer's range, which ctypes would silently wrap."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return min(max(value, bounds[0]), bounds[1])


class Client:
    """A Stytch TOTP project: configuration plus its store.

    ``database`` is a file path (the durable default) or ``":memory:"``;
    ``environment`` is ``"test"`` or ``"live"``; ``issuer`` names the project in
    authenticator apps; ``lockout`` is a :class:`Lockout` or a dict with
    ``max_failures`` and ``duration_minutes``; ``project_id``
    (``project-test-<uuid>``) is needed for sessions. Bad values raise
    :class:`~stytch_totp.StytchError` (``invalid_config``).

    Thread-safe: share one client across threads; calls run in parallel.
    Close it with ``close()`` or a ``with`` block; ``close()`` waits for calls
    running in other threads, and any later call raises :class:`ClosedError`.
    Responses are values: they stay readable after the client is closed.
    """

    def __init__(
        self,
        database: Union[str, os.PathLike[str]] = "stytch_totp.db",
        environment: str = "test",
        issuer: Optional[str] = None,
        lockout: Union[Lockout, Mapping[str, int], None] = None,
        project_id: Optional[str] = None,
    ) -> None:
        self._ptr: Optional[Any] = None
        #: The issuer authenticator apps show (``qr_code``, :func:`~stytch_totp.qr.otpauth_uri`).
        self.issuer = DEFAULT_ISSUER if issuer is None else issuer
        # Calls in flight, which close() waits for.
        self._inflight: List[None] = []
        self._drained = threading.Event()
        config: Dict[str, Any] = {"database": os.fspath(database), "environment": environment}
        if issuer is not None:
            config["issuer"] = issuer
        if lockout is not None:
            config["lockout"] = asdict(lockout) if isinstance(lockout, Lockout) else dict(lockout)
        if project_id is not None:
            config["project_id"] = project_id
        error = _ERROR()
        ptr = lib.stytch_client_new(json.dumps(config).encode(), ctypes.byref(error))
        if not ptr:
            raise take_error(error)
        self._ptr = ptr
        self.users = Users(self)
        self.totps = TOTPs(self)
        self.sessions = Sessions(self)

    # -- the call guard: the C client must not be freed while a call uses it.
    # A list's append and pop are atomic, so the guard needs no lock.

    def _enter(self) -> Any:
        self._inflight.append(None)
        ptr = self._ptr
        if ptr is None:
            self._leave()
            raise ClosedError("Client is closed")
        return ptr

    def _leave(self) -> None:
        self._inflight.pop()
        if not self._inflight and self._ptr is None:
            self._drained.set()  # close() may be waiting for this last call

    def _guarded(self, call: Callable[[Any, Any, Any, Any], T], a: Any, b: Any, c: Any) -> T:
        """``call(the C client, a, b, c)`` under the call guard, written out
        rather than through _enter and _leave: every call's path."""
        inflight = self._inflight
        inflight.append(None)
        try:
            ptr = self._ptr
            if ptr is None:
                raise ClosedError("Client is closed")
            return call(ptr, a, b, c)
        finally:
            inflight.pop()
            if self._ptr is None and not inflight:
                self._drained.set()

    def _call(self, model: Type[R], method: bytes, path: bytes, body: Optional[bytes]) -> R:
        """Sends one request through the library's JSON door and returns the
        response as a value decoded (when first read) from the library's
        JSON, or raises its error."""
        owned = self._guarded(_stytch_call, method, path, body)
        raw = owned.value
        _string_free(owned)
        if raw is None:
            raise MemoryError("stytch_totp: the library could not allocate the response")
        if not raw.startswith(_SUCCESS):
            raise error_of(StytchErrorDetails.from_json(raw))
        response = model.__new__(model)  # what from_json does, one call less
        response._raw = raw
        return response

    def _authenticate(self, user_id: bytes, totp_code: bytes) -> totp_models.AuthenticateResponse:
        """``totps.authenticate`` without session arguments, through the typed
        C function: the value owns the response handle (see
        ``_native.Handle``). The arguments are C strings, which the library
        answers as the JSON door answers the same strings."""
        error = _c_void_p()
        handle = self._guarded(_AUTHENTICATE_TYPED, user_id, totp_code, _byref(error))
        if not handle:
            # The error owns its handle as the response would (no secret in it).
            details = StytchErrorDetails.__new__(StytchErrorDetails)
            details._raw = _ErrorHandle(error.value)
            raise error_of(details)
        response = _AUTHENTICATE_RESPONSE.__new__(_AUTHENTICATE_RESPONSE)
        response._raw = handle
        return response

    def _typed(self, model: Type[R], handle: Tuple[Any, Any, Any], argument: Optional[str], name: str) -> R:
        """Calls a typed C function of one string argument (None is NULL) and
        returns its response as a value made from the handle's JSON; the
        handle is freed, wiping what it held, before this returns."""
        call, to_json, free = handle
        value = None if argument is None else _c_string(argument, name)
        error = _ERROR()
        ptr = self._enter()
        try:
            response = call(ptr, value, ctypes.byref(error))
        finally:
            self._leave()
        if not response:
            raise take_error(error)
        try:
            owned = to_json(response)
        finally:
            free(response)
        return model.from_json(take_bytes(owned) or b"{}")

    def set_time(self, unix_time: int) -> None:
        """Stops the clock at ``unix_time`` (seconds since 1970), for tests."""
        seconds = _clamp(unix_time, _INT64, "unix_time")
        error = _ERROR()
        ptr = self._enter()
        try:
            ok = lib.stytch_client_set_time(ptr, seconds, ctypes.byref(error))
        finally:
            self._leave()
        if not ok:
            raise take_error(error)

    def use_system_clock(self) -> None:
        """Undoes :meth:`set_time`: the system clock again."""
        ptr = self._enter()
        try:
            # A NULL clock function restores the system clock.
            lib.stytch_client_set_clock(ptr, CLOCK_FN(), None)
        finally:
            self._leave()

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def close(self) -> None:
        """Closes the store, after calls running in other threads return.
        Later calls do nothing."""
        ptr, self._ptr = self._ptr, None
        while self._inflight:
            # Set by the last call to leave once _ptr is None; the timeout
            # covers a call that left between the two lines above.
            self._drained.wait(0.01)
        if ptr is not None:
            lib.stytch_client_free(ptr)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # Backstop only: at interpreter exit the module may be half torn down.
        try:
            self.close()
        except Exception:
            pass


class Users:
    """``client.users``: the user routes TOTP needs."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(
        self,
        email: Optional[str] = None,
        name: Union[user_models.Name, Mapping[str, Any], Any, None] = None,
        attributes: Union[Mapping[str, Any], Any, None] = None,
        phone_number: Optional[str] = None,
        create_user_as_pending: Optional[bool] = None,
        trusted_metadata: Optional[Mapping[str, Any]] = None,
        untrusted_metadata: Optional[Mapping[str, Any]] = None,
        external_id: Optional[str] = None,
        roles: Optional[Sequence[str]] = None,
    ) -> user_models.CreateResponse:
        """Creates a user. ``phone_number`` is E.164; ``name`` a
        :class:`~stytch_totp.models.users.Name`, the official SDK's ``Name`` or
        a dict of its fields. ``attributes`` (IP address and user agent, which
        Stytch keeps for fraud signals) are accepted and not stored.
        ``create_user_as_pending=False`` and ``roles=[]`` are Stytch's
        defaults; a pending user or explicit roles are sent to the library,
        which refuses them (``bad_request``): it has neither."""
        if attributes is not None and not isinstance(_plain(attributes), Mapping):
            raise TypeError("attributes must be a dict or the official Attributes model")
        body = {
            "email": email,
            "name": _plain(name),
            "phone_number": phone_number,
            "trusted_metadata": trusted_metadata,
            "untrusted_metadata": untrusted_metadata,
            "external_id": external_id,
            "create_user_as_pending": create_user_as_pending or None,
            "roles": list(roles) if roles else None,
        }
        return self._client._call(user_models.CreateResponse, b"POST", b"/v1/users", _json_body(body))

    def search(
        self,
        cursor: Optional[str] = None,
        limit: Optional[int] = None,
        query: Union[Mapping[str, Any], Any, None] = None,
    ) -> user_models.SearchResponse:
        """Finds users a page at a time, as the official ``users.search``.
        ``query`` is ``{"operator": "AND" | "OR", "operands": [{"filter_name":
        ..., "filter_value": [...]}]}`` (or the official ``SearchUsersQuery``);
        the filters served are ``email_address``, ``phone_number`` and
        ``user_id``. Pass ``results_metadata.next_cursor`` as ``cursor`` for
        the next page."""
        body = {"cursor": cursor, "limit": limit, "query": _plain(query)}
        request = json.dumps({k: v for k, v in body.items() if v is not None}).encode()
        return self._client._call(user_models.SearchResponse, b"POST", b"/v1/users/search", request)

    def get(self, user_id: str) -> user_models.GetResponse:
        """Fetches a user by ``user_id`` (or ``external_id``)."""
        return self._client._typed(user_models.GetResponse, _GET, user_id, "user_id")

    def delete(self, user_id: str) -> user_models.DeleteResponse:
        """Deletes a user and its TOTPs."""
        return self._client._typed(user_models.DeleteResponse, _DELETE, user_id, "user_id")

    def delete_totp(self, totp_id: str) -> user_models.DeleteTOTPResponse:
        """Deletes one TOTP, so that the user can enrol again."""
        return self._client._typed(user_models.DeleteTOTPResponse, _DELETE_TOTP, totp_id, "totp_id")

    create_async = _async_twin(create)
    search_async = _async_twin(search)
    get_async = _async_twin(get)
    delete_async = _async_twin(delete)
    delete_totp_async = _async_twin(delete_totp)


class TOTPs:
    """``client.totps``: enrolment, authentication and recovery."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(self, user_id: str, expiration_minutes: Optional[int] = None) -> totp_models.CreateResponse:
        """Enrols a TOTP: secret, QR code and recovery codes. An unverified
        TOTP stops working after ``expiration_minutes`` (5..1440, default 1440)."""
        body = _CREATE(user_id, expiration_minutes)
        return self._client._call(totp_models.CreateResponse, b"POST", b"/v1/totps", body)

    def authenticate(
        self,
        user_id: str,
        totp_code: str,
        session_token: Optional[str] = None,
        session_duration_minutes: Optional[int] = None,
        session_jwt: Optional[str] = None,
        session_custom_claims: Optional[Dict[str, Any]] = None,
        telemetry_id: Optional[str] = None,
    ) -> totp_models.AuthenticateResponse:
        """Checks a 6-digit code from the user's authenticator app. With
        ``session_duration_minutes`` it starts a session; with
        ``session_token`` or ``session_jwt`` it adds the TOTP factor to that
        session (the client needs a ``project_id``)."""
        # The usual call goes through the typed C function; any other value
        # (not a str, a NUL, beyond ASCII, too long) through the JSON door,
        # whose escaping carries it as it is and whose body cap answers first.
        if (
            session_token is None
            and session_duration_minutes is None
            and session_jwt is None
            and session_custom_claims is None
            and telemetry_id is None
            and type(user_id) is str
            and type(totp_code) is str
            and user_id.isascii()
            and totp_code.isascii()
            and "\0" not in user_id
            and "\0" not in totp_code
            and len(user_id) <= _TYPED_MAX
            and len(totp_code) <= _TYPED_MAX
        ):
            return self._client._authenticate(user_id.encode(), totp_code.encode())
        session = (session_token, session_duration_minutes, session_jwt, session_custom_claims)
        if session == _NO_SESSION:
            body = _AUTHENTICATE(user_id, totp_code)
        else:
            body = _with_session({"user_id": user_id, "totp_code": totp_code}, *session)
        body = _with_telemetry(body, telemetry_id)
        return self._client._call(totp_models.AuthenticateResponse, b"POST", b"/v1/totps/authenticate", body)

    def recovery_codes(self, user_id: str) -> totp_models.RecoveryCodesResponse:
        """The unused recovery codes of the user's TOTPs."""
        body = _USER_ID(user_id)
        return self._client._call(totp_models.RecoveryCodesResponse, b"POST", b"/v1/totps/recovery_codes", body)

    def recover(
        self,
        user_id: str,
        recovery_code: str,
        session_token: Optional[str] = None,
        session_duration_minutes: Optional[int] = None,
        session_jwt: Optional[str] = None,
        session_custom_claims: Optional[Dict[str, Any]] = None,
        telemetry_id: Optional[str] = None,
    ) -> totp_models.RecoverResponse:
        """Signs in with a recovery code instead of a TOTP code, using it up;
        the session arguments work as in ``authenticate``."""
        session = (session_token, session_duration_minutes, session_jwt, session_custom_claims)
        if session == _NO_SESSION:
            body = _RECOVER(user_id, recovery_code)
        else:
            body = _with_session({"user_id": user_id, "recovery_code": recovery_code}, *session)
        body = _with_telemetry(body, telemetry_id)
        return self._client._call(totp_models.RecoverResponse, b"POST", b"/v1/totps/recover", body)

    create_async = _async_twin(create)
    authenticate_async = _async_twin(authenticate)
    recovery_codes_async = _async_twin(recovery_codes)
    recover_async = _async_twin(recover)


class Sessions:
    """``client.sessions``: the sessions that TOTP and recovery sign-ins
    start (the client needs a ``project_id``). The responses are the models of
    :mod:`stytch_totp.models.sessions`, named as the official SDK's."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def get(self, user_id: str) -> session_models.GetResponse:
        """The user's live sessions, oldest first (``sessions``)."""
        path = "/v1/sessions?user_id=" + quote(_c_string(user_id, "user_id"), safe="")
        return self._client._call(session_models.GetResponse, b"GET", path.encode(), None)

    def authenticate(
        self,
        session_token: Optional[str] = None,
        session_duration_minutes: Optional[int] = None,
        session_jwt: Optional[str] = None,
        session_custom_claims: Optional[Dict[str, Any]] = None,
        authorization_check: Optional[Dict[str, Any]] = None,
    ) -> session_models.AuthenticateResponse:
        """Checks a session by ``session_token`` or ``session_jwt`` (an
        expired JWT of a live session gets a new one); with
        ``session_duration_minutes`` its expiry is set to now plus that, and
        ``session_custom_claims`` merge into its claims.
        ``authorization_check`` is refused (``bad_request``): no RBAC here."""
        body = {
            "session_token": session_token,
            "session_duration_minutes": session_duration_minutes,
            "session_jwt": session_jwt,
            "session_custom_claims": session_custom_claims,
            "authorization_check": _plain(authorization_check),
        }
        request = _json_body(body)
        return self._client._call(session_models.AuthenticateResponse, b"POST", b"/v1/sessions/authenticate", request)

    def revoke(
        self,
        session_id: Optional[str] = None,
        session_token: Optional[str] = None,
        session_jwt: Optional[str] = None,
    ) -> session_models.RevokeResponse:
        """Revokes a session named by exactly one of the three arguments."""
        body = _json_body({"session_id": session_id, "session_token": session_token, "session_jwt": session_jwt})
        return self._client._call(session_models.RevokeResponse, b"POST", b"/v1/sessions/revoke", body)

    def get_jwks(self, project_id: str) -> session_models.GetJWKSResponse:
        """The keys that verify the session JWTs (``keys``), for the
        client's ``project_id``."""
        path = "/v1/sessions/jwks/" + quote(_c_string(project_id, "project_id"), safe="")
        return self._client._call(session_models.GetJWKSResponse, b"GET", path.encode(), None)

    def authenticate_jwt_local(
        self,
        session_jwt: str,
        max_token_age_seconds: Optional[int] = None,
        leeway: int = 0,
        authorization_check: Optional[Dict[str, Any]] = None,
    ) -> Optional[session_models.Session]:
        """Verifies ``session_jwt`` against the project's signing keys, with
        no session read from the store, as the official SDK's method of this
        name: the signature, ``iss``, ``aud``, and ``exp``/``nbf``/``iat``
        within ``leeway`` seconds. A JWT issued ``max_token_age_seconds`` or
        more ago is refused (0 refuses every one). Returns the session from
        the claims, or None when the JWT does not verify; raises
        ``StytchError`` for anything else (no ``project_id``, a negative
        ``leeway``). ``authorization_check`` is refused as in
        :meth:`authenticate`."""
        if authorization_check is not None:
            self.authenticate(session_jwt=session_jwt, authorization_check=authorization_check)
        jwt = _c_string(session_jwt, "session_jwt")
        # -1: no limit; a negative age refuses every JWT, as 0 does.
        max_age = -1
        if max_token_age_seconds is not None:
            max_age = max(0, _clamp(max_token_age_seconds, _INT64, "max_token_age_seconds"))
        leeway = _clamp(leeway, _INT32, "leeway")
        error = _ERROR()
        ptr = self._client._enter()
        try:
            response = lib.stytch_sessions_authenticate_jwt_local(ptr, jwt, max_age, leeway, ctypes.byref(error))
        finally:
            self._client._leave()
        if not response:
            failure = take_error(error)
            if failure.details.error_type == "unable_to_parse_session_jwt":
                return None
            raise failure
        try:
            owned = lib.stytch_sessions_authenticate_jwt_local_response_to_json(response)
        finally:
            lib.stytch_sessions_authenticate_jwt_local_response_free(response)
        return session_models.Session.from_json(take_bytes(owned) or b"{}")

    def authenticate_jwt(
        self,
        session_jwt: str,
        max_token_age_seconds: Optional[int] = None,
        session_custom_claims: Optional[Dict[str, Any]] = None,
        authorization_check: Optional[Dict[str, Any]] = None,
    ) -> session_models.AuthenticateJWTLocalResponse:
        """As the official SDK's method of this name: :meth:`authenticate_jwt_local`
        first, then :meth:`authenticate` when the JWT does not verify locally
        (expired, or older than ``max_token_age_seconds``: 0 always asks the
        library's store). Returns ``session``, ``session_jwt``,
        ``status_code`` and ``request_id`` (``""`` when verified locally)."""
        session = self.authenticate_jwt_local(
            session_jwt, max_token_age_seconds, authorization_check=authorization_check
        )
        if session is not None:
            return session_models.AuthenticateJWTLocalResponse(200, "", session, session_jwt)
        response = self.authenticate(
            session_jwt=session_jwt,
            session_custom_claims=session_custom_claims,
            authorization_check=authorization_check,
        )
        return session_models.AuthenticateJWTLocalResponse(
            response.status_code, response.request_id, response.session, response.session_jwt
        )

    get_async = _async_twin(get)
    authenticate_async = _async_twin(authenticate)
    revoke_async = _async_twin(revoke)
    get_jwks_async = _async_twin(get_jwks)
    authenticate_jwt_local_async = _async_twin(authenticate_jwt_local)
    authenticate_jwt_async = _async_twin(authenticate_jwt)


def totp_code(secret: str, unix_time: int) -> str:
    """The 6-digit code an authenticator app shows for base32 ``secret`` at
    ``unix_time``. Raises ValueError for an empty or invalid secret."""
    seconds = _clamp(unix_time, _INT64, "unix_time")
    if seconds != unix_time:
        raise ValueError("unix_time must fit in 64 bits")
    code = _native.take_string(lib.stytch_totp_code(_c_string(secret, "secret"), seconds))
    if code is None:
        raise ValueError("secret must be a non-empty base32 string")
    return code
