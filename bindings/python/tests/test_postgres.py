"""A PostgreSQL URL is a database like any other: the binding passes it through.

Needs a server: STYTCH_TOTP_TEST_POSTGRES, which `make test-python` sets for a
throwaway cluster (tests/pg/with-postgres.sh)."""

from __future__ import annotations

import os
import uuid

import pytest
import stytch_totp
from conftest import T0, error_of

URL_VAR = "STYTCH_TOTP_TEST_POSTGRES"


@pytest.fixture
def url() -> str:
    url = os.environ.get(URL_VAR)
    if not url:
        pytest.fail(
            f"{URL_VAR} is not set: run these tests under tests/pg/with-postgres.sh "
            "(make test-python), or point it at a PostgreSQL server"
        )
    return url


def test_two_clients_on_one_url_share_replay_protection(url: str) -> None:
    external_id = f"py-{uuid.uuid4()}"
    with stytch_totp.Client(database=url) as a, stytch_totp.Client(database=url) as b:
        a.set_time(T0)
        b.set_time(T0)
        user = a.users.create(external_id=external_id, email=f"{external_id}@example.com")
        totp = a.totps.create(user_id=user.user_id)
        code = stytch_totp.totp_code(totp.secret, T0)
        assert b.totps.authenticate(user_id=external_id, totp_code=code).status_code == 200
        err = error_of(a.totps.authenticate, user_id=user.user_id, totp_code=code)
        assert err.details.error_type == "totp_code_already_authenticated"


def test_an_unreachable_server_is_database_unavailable() -> None:
    err = error_of(stytch_totp.Client, database="postgresql://u@127.0.0.1:1/db?sslmode=disable")
    assert (err.details.status_code, err.details.error_type) == (503, "database_unavailable")
