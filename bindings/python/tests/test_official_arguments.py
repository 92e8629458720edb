"""The official SDK's arguments that this library has no engine for: what is
accepted and ignored, what is refused, and the official models as values."""

from __future__ import annotations

import pytest
from stytch.consumer.models import users as official_users

import stytch_totp
from stytch_totp.models import users
from conftest import T0


def refusal(call: object, **kwargs: object) -> str:
    with pytest.raises(stytch_totp.StytchError) as caught:
        call(**kwargs)  # type: ignore[operator]
    assert caught.value.details.error_type == "bad_request"
    return caught.value.details.error_message


def test_official_name_model_and_our_own(client: stytch_totp.Client) -> None:
    official = official_users.Name(first_name="Ada", last_name="Lovelace")
    created = client.users.create(email="ada@example.com", name=official)
    assert (created.user.name.first_name, created.user.name.middle_name, created.user.name.last_name) == (
        "Ada",
        "",
        "Lovelace",
    )
    ours = client.users.create(email="grace@example.com", name=users.Name(first_name="Grace"))
    assert ours.user.name.first_name == "Grace"


def test_attributes_are_accepted_and_not_stored(client: stytch_totp.Client) -> None:
    attributes = {"ip_address": "203.0.113.7", "user_agent": "curl/8"}
    created = client.users.create(email="ada@example.com", attributes=attributes)
    assert "203.0.113.7" not in created.to_json() and "curl" not in created.to_json()
    assert client.users.get(user_id=created.user_id).user_id == created.user_id
    with pytest.raises(TypeError, match="attributes"):
        client.users.create(email="grace@example.com", attributes="203.0.113.7")


def test_defaults_of_pending_and_roles_work(client: stytch_totp.Client) -> None:
    created = client.users.create(email="ada@example.com", create_user_as_pending=False, roles=[])
    assert created.user.status == "active" and created.user.roles == []


def test_pending_users_and_roles_are_refused(client: stytch_totp.Client) -> None:
    create = client.users.create
    assert "create_user_as_pending" in refusal(create, email="a@example.com", create_user_as_pending=True)
    assert "roles" in refusal(create, email="a@example.com", roles=["admin"])


def test_telemetry_id_is_refused_before_the_code_is_used(client: stytch_totp.Client) -> None:
    user_id = client.users.create(email="ada@example.com").user_id
    totp = client.totps.create(user_id=user_id)
    code = stytch_totp.totp_code(totp.secret, T0)
    message = refusal(client.totps.authenticate, user_id=user_id, totp_code=code, telemetry_id="t-1")
    assert "telemetry_id" in message
    assert "telemetry_id" in refusal(
        client.totps.recover, user_id=user_id, recovery_code=totp.recovery_codes[0], telemetry_id="t-1"
    )
    # Neither the code nor the recovery code was used up.
    assert client.totps.authenticate(user_id=user_id, totp_code=code, telemetry_id=None).totp_id == totp.totp_id
    assert client.totps.recover(user_id=user_id, recovery_code=totp.recovery_codes[0]).totp_id == totp.totp_id
