"""Shared fixtures: a client on a fixed clock, and users with and without a TOTP."""

from __future__ import annotations

from typing import Iterator, Tuple

import pytest

import stytch_totp
from stytch_totp.models import totps, users

# The start of a 30 s step, so that T0 + k * 30 is the start of step k later.
T0 = 1_750_000_020
assert T0 % 30 == 0

UNKNOWN_USER = "user-test-00000000-0000-4000-8000-000000000000"
# The project of the session tests (sessions need a project_id).
PROJECT = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"


@pytest.fixture
def client() -> Iterator[stytch_totp.Client]:
    with stytch_totp.Client(database=":memory:") as c:
        c.set_time(T0)
        yield c


@pytest.fixture
def user(client: stytch_totp.Client) -> users.CreateResponse:
    return client.users.create(email="ada@example.com")


@pytest.fixture
def enrolled(
    client: stytch_totp.Client, user: users.CreateResponse
) -> Tuple[str, totps.CreateResponse]:
    """A user with a pending (unverified) TOTP: (user_id, create response)."""
    return user.user_id, client.totps.create(user_id=user.user_id)


@pytest.fixture
def verified(
    client: stytch_totp.Client, enrolled: Tuple[str, totps.CreateResponse]
) -> Tuple[str, totps.CreateResponse]:
    """A user whose TOTP was verified by authenticating at T0."""
    user_id, totp = enrolled
    client.totps.authenticate(user_id=user_id, totp_code=stytch_totp.totp_code(totp.secret, T0))
    return enrolled


@pytest.fixture
def session_client() -> Iterator[stytch_totp.Client]:
    with stytch_totp.Client(database=":memory:", project_id=PROJECT) as c:
        c.set_time(T0)
        yield c


@pytest.fixture
def signed_in(session_client: stytch_totp.Client) -> Tuple[str, totps.AuthenticateResponse, totps.CreateResponse]:
    """(user_id, the totps.authenticate response that started a session,
    the totps.create response)."""
    user_id = session_client.users.create(email="ada@example.com").user_id
    totp = session_client.totps.create(user_id=user_id)
    code = stytch_totp.totp_code(totp.secret, T0)
    started = session_client.totps.authenticate(user_id=user_id, totp_code=code, session_duration_minutes=60)
    return user_id, started, totp


def error_of(call, *args, **kwargs) -> stytch_totp.StytchError:
    """Runs a call that must fail, and returns its StytchError."""
    with pytest.raises(stytch_totp.StytchError) as info:
        call(*args, **kwargs)
    return info.value
