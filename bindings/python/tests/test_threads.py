"""Concurrency: one code, many threads, exactly one winner."""

from __future__ import annotations

import threading

import pytest
import stytch_totp
from conftest import T0


@pytest.mark.parametrize("database", [":memory:", "file"])
def test_eight_threads_one_code_one_success(tmp_path, database):
    db = str(tmp_path / "app.db") if database == "file" else database
    with stytch_totp.Client(database=db) as client:
        client.set_time(T0)
        user_id = client.users.create(email="ada@example.com").user_id
        totp = client.totps.create(user_id=user_id)
        code = stytch_totp.totp_code(totp.secret, T0)
        barrier = threading.Barrier(8)
        results = []

        def attempt():
            barrier.wait()
            try:
                client.totps.authenticate(user_id=user_id, totp_code=code)
                results.append("ok")
            except stytch_totp.StytchError as e:
                results.append(e.details.error_type)

        threads = [threading.Thread(target=attempt) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results) == ["ok"] + ["totp_code_already_authenticated"] * 7


def test_recovery_code_has_one_winner():
    with stytch_totp.Client(database=":memory:") as client:
        client.set_time(T0)
        user_id = client.users.create(email="ada@example.com").user_id
        code = client.totps.create(user_id=user_id).recovery_codes[0]
        barrier = threading.Barrier(8)
        results = []

        def attempt():
            barrier.wait()
            try:
                client.totps.recover(user_id=user_id, recovery_code=code)
                results.append("ok")
            except stytch_totp.StytchError as e:
                results.append(e.details.error_type)

        threads = [threading.Thread(target=attempt) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results) == ["ok"] + ["unable_to_authenticate_recovery_code"] * 7
