"""Concurrency: one code, many threads, exactly one winner."""

from __future__ import annotations

import threading

import pytest

import stytch_totp
from conftest import T0

THREADS = 8


def race(call):
    """Runs `call` on THREADS threads released together; returns "ok" or the
    error type of each."""
    barrier = threading.Barrier(THREADS)
    results = []

    def attempt():
        barrier.wait()
        try:
            call()
            results.append("ok")
        except stytch_totp.StytchError as e:
            results.append(e.details.error_type)

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.parametrize("database", [":memory:", "file"])
def test_eight_threads_one_code_one_success(tmp_path, database):
    db = str(tmp_path / "app.db") if database == "file" else database
    with stytch_totp.Client(database=db) as client:
        client.set_time(T0)
        user_id = client.users.create(email="ada@example.com").user_id
        totp = client.totps.create(user_id=user_id)
        code = stytch_totp.totp_code(totp.secret, T0)
        results = race(lambda: client.totps.authenticate(user_id=user_id, totp_code=code))
        assert sorted(results) == ["ok"] + ["totp_code_already_authenticated"] * 7


def test_recovery_code_has_one_winner():
    with stytch_totp.Client(database=":memory:") as client:
        client.set_time(T0)
        user_id = client.users.create(email="ada@example.com").user_id
        code = client.totps.create(user_id=user_id).recovery_codes[0]
        results = race(lambda: client.totps.recover(user_id=user_id, recovery_code=code))
        assert sorted(results) == ["ok"] + ["unable_to_authenticate_recovery_code"] * 7
