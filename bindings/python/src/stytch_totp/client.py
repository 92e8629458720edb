"""The client: ``client.users`` and ``client.totps``, as in the official SDK."""

from __future__ import annotations

import ctypes
import json
import os
import threading
from dataclasses import asdict, dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Type, TypeVar, Union

from . import _native
from ._native import lib
from .errors import ClosedError, take_error
from .models import totps as totp_models
from .models import users as user_models
from .models._base import Closeable, Handle

R = TypeVar("R", bound=Handle)
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class Lockout:
    """Locks a user for ``duration_minutes`` after ``max_failures`` failed tries."""

    max_failures: int = 10
    duration_minutes: int = 60


def _c_string(value: Optional[str], name: str) -> Optional[bytes]:
    """str -> NUL-terminated UTF-8; None stays NULL (the library reports it)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if "\0" in value:
        # C would see only the part before the NUL: a different value.
        raise ValueError(f"{name} must not contain NUL characters")
    return value.encode()


def _clamp(value: int, bounds: "tuple[int, int]", name: str) -> int:
    """Keeps an int in a C integer's range, which ctypes would silently wrap."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return min(max(value, bounds[0]), bounds[1])


class Client(Closeable):
    """A Stytch TOTP project: configuration plus its store.

    ``database`` is a file path (the durable default) or ``":memory:"``;
    ``environment`` is ``"test"`` or ``"live"``; ``issuer`` names the project in
    authenticator apps; ``lockout`` is a :class:`Lockout` or a dict with
    ``max_failures`` and ``duration_minutes``. Bad values raise
    :class:`~stytch_totp.StytchError` (``invalid_config``).

    Thread-safe: share one client across threads; calls run in parallel.
    Close it with ``close()`` or a ``with`` block; ``close()`` waits for calls
    running in other threads, and any later call raises :class:`ClosedError`.
    """

    def __init__(
        self,
        database: Union[str, "os.PathLike[str]"] = "stytch_totp.db",
        environment: str = "test",
        issuer: Optional[str] = None,
        lockout: Union[Lockout, Mapping[str, int], None] = None,
    ) -> None:
        self._ptr: Optional[Any] = None
        # Calls in flight, which close() waits for. A plain Lock and an Event:
        # a Condition would cost a microsecond per call.
        self._busy = 0
        self._lock = threading.Lock()
        self._drained = threading.Event()
        config: Dict[str, Any] = {"database": os.fspath(database), "environment": environment}
        if issuer is not None:
            config["issuer"] = issuer
        if lockout is not None:
            config["lockout"] = asdict(lockout) if isinstance(lockout, Lockout) else dict(lockout)
        error = _native.ERROR()
        ptr = lib.stytch_client_new(json.dumps(config).encode(), ctypes.byref(error))
        if not ptr:
            raise take_error(error)
        self._ptr = ptr
        self.users = Users(self)
        self.totps = TOTPs(self)

    # -- the call guard: the C client must not be freed while a call uses it

    def _enter(self) -> Any:
        with self._lock:
            if self._ptr is None:
                raise ClosedError("Client is closed")
            self._busy += 1
            return self._ptr

    def _leave(self) -> None:
        with self._lock:
            self._busy -= 1
            if self._busy == 0 and self._ptr is None:
                self._drained.set()  # close() is waiting for this last call

    def _call(self, wrap: Type[R], fn: Callable[..., Any], *args: Any) -> R:
        """Runs a C call that returns a response handle or fills an error."""
        error = _native.ERROR()
        ptr = self._enter()
        try:
            handle = fn(ptr, *args, ctypes.byref(error))
        finally:
            self._leave()
        if not handle:
            raise take_error(error)
        return wrap(handle)

    def set_time(self, unix_time: int) -> None:
        """Stops the clock at ``unix_time`` (seconds since 1970), for tests."""
        seconds = _clamp(unix_time, _INT64, "unix_time")
        error = _native.ERROR()
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
            lib.stytch_client_set_clock(ptr, _native.CLOCK_FN(), None)
        finally:
            self._leave()

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def close(self) -> None:
        """Closes the store, after calls running in other threads return.
        Later calls do nothing."""
        with self._lock:
            ptr, self._ptr = self._ptr, None
            busy = self._busy
        if busy:
            self._drained.wait()
        if ptr is not None:
            lib.stytch_client_free(ptr)



class Users:
    """``client.users``: the user routes TOTP needs."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(
        self,
        email: Optional[str] = None,
        name: Union[user_models.Name, Mapping[str, Any], None] = None,
        phone_number: Optional[str] = None,
        trusted_metadata: Optional[Mapping[str, Any]] = None,
        untrusted_metadata: Optional[Mapping[str, Any]] = None,
        external_id: Optional[str] = None,
    ) -> user_models.CreateResponse:
        """Creates a user. ``phone_number`` is E.164; ``name`` a
        :class:`~stytch_totp.models.users.Name` or a dict of its fields."""
        if isinstance(name, user_models.Name):
            name = {k: v for k, v in asdict(name).items() if v is not None}
        body = {
            "email": email,
            "name": name,
            "phone_number": phone_number,
            "trusted_metadata": trusted_metadata,
            "untrusted_metadata": untrusted_metadata,
            "external_id": external_id,
        }
        request = json.dumps({k: v for k, v in body.items() if v is not None})
        return self._client._call(
            user_models.CreateResponse, lib.stytch_users_create, request.encode()
        )

    def get(self, user_id: str) -> user_models.GetResponse:
        """Fetches a user by ``user_id`` (or ``external_id``)."""
        return self._client._call(
            user_models.GetResponse, lib.stytch_users_get, _c_string(user_id, "user_id")
        )

    def delete(self, user_id: str) -> user_models.DeleteResponse:
        """Deletes a user and its TOTPs."""
        return self._client._call(
            user_models.DeleteResponse, lib.stytch_users_delete, _c_string(user_id, "user_id")
        )

    def delete_totp(self, totp_id: str) -> user_models.DeleteTOTPResponse:
        """Deletes one TOTP, so that the user can enrol again."""
        return self._client._call(
            user_models.DeleteTOTPResponse,
            lib.stytch_users_delete_totp,
            _c_string(totp_id, "totp_id"),
        )


class TOTPs:
    """``client.totps``: enrolment, authentication and recovery."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(
        self, user_id: str, expiration_minutes: Optional[int] = None
    ) -> totp_models.CreateResponse:
        """Enrols a TOTP: secret, QR code and recovery codes. An unverified
        TOTP stops working after ``expiration_minutes`` (5..1440, default 1440)."""
        minutes = 0 if expiration_minutes is None else expiration_minutes
        # Out-of-range values stay out of range, so the library names the error.
        minutes = _clamp(minutes, _INT32, "expiration_minutes")
        return self._client._call(
            totp_models.CreateResponse,
            lib.stytch_totp_create,
            _c_string(user_id, "user_id"),
            minutes,
        )

    def authenticate(self, user_id: str, totp_code: str) -> totp_models.AuthenticateResponse:
        """Checks a 6-digit code from the user's authenticator app."""
        return self._client._call(
            totp_models.AuthenticateResponse,
            lib.stytch_totp_authenticate,
            _c_string(user_id, "user_id"),
            _c_string(totp_code, "totp_code"),
        )

    def recovery_codes(self, user_id: str) -> totp_models.RecoveryCodesResponse:
        """The unused recovery codes of the user's TOTPs."""
        return self._client._call(
            totp_models.RecoveryCodesResponse,
            lib.stytch_totp_recovery_codes,
            _c_string(user_id, "user_id"),
        )

    def recover(self, user_id: str, recovery_code: str) -> totp_models.RecoverResponse:
        """Signs in with a recovery code instead of a TOTP code, using it up."""
        return self._client._call(
            totp_models.RecoverResponse,
            lib.stytch_totp_recover,
            _c_string(user_id, "user_id"),
            _c_string(recovery_code, "recovery_code"),
        )


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
