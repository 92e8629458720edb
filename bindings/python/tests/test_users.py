"""client.users: create, search, get, delete, delete_totp."""

from __future__ import annotations

import datetime
import json

from conftest import T0, error_of
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


def test_a_user_needs_an_email_or_a_phone_number_each_its_own(client):
    assert error_of(client.users.create, name={"first_name": "Ada"}).details.error_type == "bad_request"
    client.users.create(email="ada@example.com", phone_number="+14155550100")
    assert error_of(client.users.create, email="ADA@example.com").details.error_type == "duplicate_email"
    taken = error_of(client.users.create, phone_number="+14155550100")
    assert taken.details.error_type == "duplicate_phone_number"


def test_search_by_email_and_page_by_cursor(client):
    ids = sorted(client.users.create(email=f"u{i}@example.com").user_id for i in range(3))
    by_email = {"operator": "AND", "operands": [{"filter_name": "email_address", "filter_value": ["U1@example.com"]}]}
    found = client.users.search(query=by_email)
    assert [u.emails[0].email for u in found.results] == ["u1@example.com"]
    assert (found.results_metadata.total, found.results_metadata.next_cursor) == (1, None)
    first = client.users.search(limit=2)
    assert [u.user_id for u in first.results] == ids[:2] and first.results_metadata.total == 3
    rest = client.users.search(limit=2, cursor=first.results_metadata.next_cursor)
    assert [u.user_id for u in rest.results] == ids[2:] and rest.results_metadata.next_cursor is None
    unknown = {"operator": "AND", "operands": [{"filter_name": "status", "filter_value": ["active"]}]}
    assert error_of(client.users.search, query=unknown).details.error_type == "bad_request"
