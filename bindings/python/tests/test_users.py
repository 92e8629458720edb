"""client.users: create, get, delete, delete_totp."""

from __future__ import annotations

import datetime
import json

from conftest import T0
from stytch_totp.models.users import Email, Name, PhoneNumber


def test_create_with_every_field(client):
    resp = client.users.create(
        email="ada@example.com",
        phone_number="+14155550100",
        name={"first_name": "Ada", "last_name": "Lovelace"},
        external_id="ada-1815",
        trusted_metadata={"plan": "pro", "seats": 3},
        untrusted_metadata={"theme": "dark"},
    )
    assert resp.status_code == 200
    assert resp.request_id.startswith("request-id-test-")
    assert resp.user_id.startswith("user-test-")
    assert resp.email_id.startswith("email-test-")
    assert resp.phone_id.startswith("phone-number-test-")
    assert resp.status == "active"
    user = resp.user
    assert user.user_id == resp.user_id
    assert user.emails == [Email(resp.email_id, "ada@example.com", False)]
    assert user.phone_numbers == [PhoneNumber(resp.phone_id, "+14155550100", False)]
    assert user.name == Name("Ada", "", "Lovelace")
    assert user.external_id == "ada-1815"
    assert user.trusted_metadata == {"plan": "pro", "seats": 3}
    assert user.untrusted_metadata == {"theme": "dark"}
    assert user.created_at == datetime.datetime.fromtimestamp(T0, datetime.timezone.utc)
    assert user.is_locked is False and user.lock_created_at is None and user.lock_expires_at is None
    assert user.totps == [] and user.roles == [] and user.password is None
    assert user.webauthn_registrations == [] and user.providers == []
    assert user.crypto_wallets == [] and user.biometric_registrations == []
    assert json.loads(user.to_json())["user_id"] == resp.user_id


def test_create_takes_a_name_object_and_defaults(client):
    resp = client.users.create(email="grace@example.com", name=Name(first_name="Grace"))
    assert resp.user.name == Name("Grace", "", "")
    assert resp.phone_id == ""
    assert resp.user.external_id is None
    assert resp.user.trusted_metadata == {} and resp.user.untrusted_metadata == {}


def test_get_by_user_id_and_by_external_id(client):
    created = client.users.create(email="ada@example.com", external_id="ada-1815")
    for key in (created.user_id, "ada-1815"):
        got = client.users.get(user_id=key)
        assert got.status_code == 200
        assert got.user_id == created.user_id
        assert got.emails[0].email == "ada@example.com"
        assert got.external_id == "ada-1815"
        assert got.status == "active" and got.is_locked is False
        assert got.request_id != created.request_id


def test_delete(client, user):
    resp = client.users.delete(user_id=user.user_id)
    assert resp.status_code == 200 and resp.user_id == user.user_id
    assert resp.request_id.startswith("request-id-test-")
    assert json.loads(resp.to_json())["user_id"] == user.user_id


def test_delete_totp_lets_the_user_enrol_again(client, verified):
    user_id, totp = verified
    resp = client.users.delete_totp(totp_id=totp.totp_id)
    assert resp.status_code == 200 and resp.user_id == user_id
    assert resp.user.totps == []
    again = client.totps.create(user_id=user_id)
    assert again.totp_id != totp.totp_id
