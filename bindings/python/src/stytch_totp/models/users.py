"""User models, named as in the official ``stytch.consumer.models.users``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from .._native import lib, take_string, text
from ._base import (
    Borrowed,
    Field,
    Handle,
    Ptr,
    T,
    boolean,
    integer,
    json_object,
    optional_string,
    string,
    strings,
    timestamp,
)


@dataclass(frozen=True)
class Email:
    email_id: str
    email: str
    verified: bool


@dataclass(frozen=True)
class PhoneNumber:
    phone_id: str
    phone_number: str
    verified: bool


@dataclass(frozen=True)
class Name:
    first_name: Optional[str] = None
    middle_name: Optional[str] = None
    last_name: Optional[str] = None


@dataclass(frozen=True)
class TOTP:
    totp_id: str
    verified: bool


def _emails(p: Ptr) -> List[Email]:
    return [
        Email(
            email_id=lib.stytch_user_email_id(p, i).decode(),
            email=lib.stytch_user_email_address(p, i).decode(),
            verified=bool(lib.stytch_user_email_verified(p, i)),
        )
        for i in range(lib.stytch_user_emails_len(p))
    ]


def _phone_numbers(p: Ptr) -> List[PhoneNumber]:
    return [
        PhoneNumber(
            phone_id=lib.stytch_user_phone_id(p, i).decode(),
            phone_number=lib.stytch_user_phone_number(p, i).decode(),
            verified=bool(lib.stytch_user_phone_verified(p, i)),
        )
        for i in range(lib.stytch_user_phone_numbers_len(p))
    ]


def _totps(p: Ptr) -> List[TOTP]:
    return [
        TOTP(
            totp_id=lib.stytch_user_totp_id(p, i).decode(),
            verified=bool(lib.stytch_user_totp_verified(p, i)),
        )
        for i in range(lib.stytch_user_totps_len(p))
    ]


def _name(p: Ptr) -> Name:
    return Name(
        first_name=text(lib.stytch_user_first_name(p)),
        middle_name=text(lib.stytch_user_middle_name(p)),
        last_name=text(lib.stytch_user_last_name(p)),
    )


def _none(p: Ptr) -> None:
    return None


def _empty(p: Ptr) -> List[Any]:
    return []


def _user_fields(via: str) -> Dict[str, Field[Any]]:
    """The fields of ``api_user_v1_User``; `via` supplies the user pointer."""
    return {
        "user_id": string("stytch_user_user_id", via),
        "emails": Field(_emails, via),
        "status": string("stytch_user_status", via),
        "phone_numbers": Field(_phone_numbers, via),
        # The library records none of these factors: always empty.
        "webauthn_registrations": Field(_empty, via),
        "providers": Field(_empty, via),
        "totps": Field(_totps, via),
        "crypto_wallets": Field(_empty, via),
        "biometric_registrations": Field(_empty, via),
        "is_locked": boolean("stytch_user_is_locked", via),
        "roles": strings("stytch_user_roles_len", "stytch_user_role", via),
        "name": Field(_name, via),
        "created_at": timestamp("stytch_user_created_at", via),
        "password": Field(_none, via),  # users here have no password
        "trusted_metadata": json_object("stytch_user_trusted_metadata", via),
        "untrusted_metadata": json_object("stytch_user_untrusted_metadata", via),
        "external_id": optional_string("stytch_user_external_id", via),
        "lock_created_at": timestamp("stytch_user_lock_created_at", via),
        "lock_expires_at": timestamp("stytch_user_lock_expires_at", via),
    }


class _UserFields:
    """Type declarations for the fields that ``_with_user_fields`` installs."""

    user_id: str
    emails: List[Email]
    status: str
    phone_numbers: List[PhoneNumber]
    webauthn_registrations: List[Any]
    providers: List[Any]
    totps: List[TOTP]
    crypto_wallets: List[Any]
    biometric_registrations: List[Any]
    is_locked: bool
    roles: List[str]
    name: Optional[Name]
    created_at: Optional[datetime.datetime]
    password: None
    trusted_metadata: Optional[Dict[str, Any]]
    untrusted_metadata: Optional[Dict[str, Any]]
    external_id: Optional[str]
    lock_created_at: Optional[datetime.datetime]
    lock_expires_at: Optional[datetime.datetime]


def _with_user_fields(via: str) -> Callable[[type], type]:
    def install(cls: type) -> type:
        for name, field in _user_fields(via).items():
            field.__set_name__(cls, name)
            setattr(cls, name, field)
        return cls

    return install


@_with_user_fields("_read")
class User(Borrowed, _UserFields):
    """A user (``api_user_v1_User``), borrowed from the response that returned it."""

    def to_json(self) -> str:
        return take_string(self._read(lib.stytch_user_to_json)) or ""


def user_field(accessor: str) -> Field[User]:
    """The ``user`` of a response: a view that keeps the response alive."""
    return Field(getattr(lib, accessor), "_read_user_view")


class _HasUser(Handle):
    def _read_user_view(self, read: Callable[[Ptr], Ptr]) -> User:
        return User(self, self._read(read))


class CreateResponse(_HasUser):
    """Response of ``client.users.create`` (``api_user_v1_CreateResponse``)."""

    _c_prefix = "stytch_users_create_response"
    status_code = integer(_c_prefix + "_status_code")
    request_id = string(_c_prefix + "_request_id")
    user_id = string(_c_prefix + "_user_id")
    email_id = string(_c_prefix + "_email_id")
    status = string(_c_prefix + "_status")
    phone_id = string(_c_prefix + "_phone_id")
    user = user_field(_c_prefix + "_user")


@_with_user_fields("_read_user")
class GetResponse(Handle, _UserFields):
    """Response of ``client.users.get`` (``api_user_v1_GetResponse``): the
    user's fields at the top level."""

    _c_prefix = "stytch_users_get_response"
    status_code = integer(_c_prefix + "_status_code")
    request_id = string(_c_prefix + "_request_id")

    def _read_user(self, read: Callable[[Ptr], T]) -> T:
        return self._read(lambda p: read(lib.stytch_users_get_response_user(p)))


class DeleteResponse(Handle):
    """Response of ``client.users.delete`` (``api_user_v1_DeleteResponse``)."""

    _c_prefix = "stytch_users_delete_response"
    status_code = integer(_c_prefix + "_status_code")
    request_id = string(_c_prefix + "_request_id")
    user_id = string(_c_prefix + "_user_id")


class DeleteTOTPResponse(_HasUser):
    """Response of ``client.users.delete_totp`` (``api_user_v1_DeleteTOTPResponse``)."""

    _c_prefix = "stytch_users_delete_totp_response"
    status_code = integer(_c_prefix + "_status_code")
    request_id = string(_c_prefix + "_request_id")
    user_id = string(_c_prefix + "_user_id")
    user = user_field(_c_prefix + "_user")
