"""Handles: closed exactly once, by close(), a with block or the GC; never used after."""

from __future__ import annotations

import gc
import sys
import threading

import pytest
import stytch_totp
from conftest import T0
from stytch_totp import _native


@pytest.fixture
def frees(monkeypatch):
    """Counts the C _free calls, by function name, while still freeing."""
    counts = {}

    def counting(name):
        real = getattr(_native.lib, name)

        def free(ptr):
            counts[name] = counts.get(name, 0) + 1
            real(ptr)

        return free

    for name in _native.SIGNATURES:
        if name.endswith("_free") and name != "stytch_string_free":
            monkeypatch.setattr(_native.lib, name, counting(name))
    return counts


def test_client_use_after_close_raises(frees):
    client = stytch_totp.Client(database=":memory:")
    user_id = client.users.create(email="ada@example.com").user_id
    client.close()
    assert client.closed
    calls = [
        lambda: client.users.create(email="b@example.com"),
        lambda: client.users.get(user_id=user_id),
        lambda: client.users.delete(user_id=user_id),
        lambda: client.users.delete_totp(totp_id="totp-test-x"),
        lambda: client.totps.create(user_id=user_id),
        lambda: client.totps.authenticate(user_id=user_id, totp_code="123456"),
        lambda: client.totps.recovery_codes(user_id=user_id),
        lambda: client.totps.recover(user_id=user_id, recovery_code="aaaa-bbbb-cccc"),
        lambda: client.set_time(T0),
        lambda: client.use_system_clock(),
    ]
    for call in calls:
        with pytest.raises(stytch_totp.ClosedError, match="Client is closed"):
            call()
    assert frees["stytch_client_free"] == 1


def test_double_close_frees_once(frees):
    client = stytch_totp.Client(database=":memory:")
    resp = client.users.create(email="ada@example.com")
    for _ in range(3):
        resp.close()
        client.close()
    assert frees["stytch_users_create_response_free"] == 1
    assert frees["stytch_client_free"] == 1


def test_with_blocks_close(frees):
    with stytch_totp.Client(database=":memory:") as client:
        with client.users.create(email="ada@example.com") as resp:
            user_id = resp.user_id
        assert resp.closed and frees["stytch_users_create_response_free"] == 1
        assert client.users.get(user_id=user_id).user_id == user_id
    assert client.closed and frees["stytch_client_free"] == 1


def test_response_after_close(client, enrolled):
    user_id, totp = enrolled
    secret = totp.secret  # read before close: stays readable
    user = totp.user
    totp.close()
    assert totp.secret == secret
    for read in (lambda: totp.qr_code, lambda: totp.recovery_codes, totp.to_json,
                 lambda: user.totps, user.to_json):
        with pytest.raises(stytch_totp.ClosedError, match="CreateResponse is closed"):
            read()


def test_user_view_keeps_its_response_alive(client, enrolled, frees):
    user_id, totp = enrolled
    user = client.users.delete_totp(totp_id=totp.totp_id).user
    gc.collect()
    assert frees.get("stytch_users_delete_totp_response_free", 0) == 0
    assert user.user_id == user_id and user.totps == []
    del user
    gc.collect()
    assert frees["stytch_users_delete_totp_response_free"] == 1


def test_objects_freed_only_by_gc(frees):
    gc.collect()  # what earlier tests left (PyPy frees it only now) is not counted
    frees.clear()
    client = stytch_totp.Client(database=":memory:")
    client.set_time(T0)
    user = client.users.create(email="ada@example.com")
    totp = client.totps.create(user_id=user.user_id)
    auth = client.totps.authenticate(user_id=user.user_id, totp_code=stytch_totp.totp_code(totp.secret, T0))
    codes = client.totps.recovery_codes(user_id=user.user_id)
    got = client.users.get(user_id=user.user_id)
    # A cycle, so that reference counting alone cannot free the client.
    client.cycle = client
    assert frees == {}
    del user, totp, auth, codes, got
    if sys.implementation.name != "cpython":
        gc.collect()  # PyPy has no reference counting: its collector frees them
    assert frees == {
        "stytch_users_create_response_free": 1,
        "stytch_totp_create_response_free": 1,
        "stytch_totp_authenticate_response_free": 1,
        "stytch_totp_recovery_codes_response_free": 1,
        "stytch_users_get_response_free": 1,
    }
    del client
    assert "stytch_client_free" not in frees
    gc.collect()
    assert frees["stytch_client_free"] == 1


def test_gc_closes_a_file_database(tmp_path):
    # SQLite removes the write-ahead log when the last connection closes.
    path = tmp_path / "app.db"
    client = stytch_totp.Client(database=path)
    client.users.create(email="ada@example.com")
    wal = tmp_path / "app.db-wal"
    assert wal.exists()
    del client
    gc.collect()
    assert not wal.exists()


def test_close_waits_for_calls_in_other_threads():
    client = stytch_totp.Client(database=":memory:")
    user_id = client.users.create(email="ada@example.com").user_id
    outcomes = {"ok": 0, "closed": 0}
    started = threading.Event()

    def hammer():
        started.set()
        while True:
            try:
                client.users.get(user_id=user_id)
                outcomes["ok"] += 1
            except stytch_totp.ClosedError:
                outcomes["closed"] += 1
                return

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait()
    client.close()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert outcomes["closed"] == 4 and outcomes["ok"] > 0
