"""The client: closed exactly once, by close(), a with block or the GC, and
never used after. Responses are values: nothing to close, and the library's
copy of everything they hold is freed (and wiped) before a call returns; but
for the response or error of ``totps.authenticate`` without session
arguments (no secret in them), which owns the library's until it is first
read, or until it goes."""

from __future__ import annotations

import gc
import pickle
import threading

import pytest

import stytch_totp
from conftest import T0
from stytch_totp import _native
from stytch_totp import client as client_module


@pytest.fixture
def frees(monkeypatch):
    """Counts what the library frees, by function name, while still freeing."""
    counts = {}

    def counting(name, real):
        def free(ptr):
            counts[name] = counts.get(name, 0) + 1
            real(ptr)

        return free

    string_free = counting("stytch_string_free", _native.lib.stytch_string_free)
    monkeypatch.setattr(client_module, "_string_free", string_free)
    monkeypatch.setattr(_native.lib, "stytch_string_free", string_free)
    for name in _native.SIGNATURES:
        if name.endswith("_free") and name != "stytch_string_free":
            monkeypatch.setattr(_native.lib, name, counting(name, getattr(_native.lib, name)))
    for handle in (client_module._AUTHENTICATE_HANDLE, _native.ErrorHandle):
        name = handle.__name__ + "_free"
        monkeypatch.setattr(handle, "_free", staticmethod(counting(name, handle._free)))
    for route in ("_GET", "_DELETE", "_DELETE_TOTP"):
        call, to_json, free = getattr(client_module, route)
        name = free.__name__
        monkeypatch.setattr(client_module, route, (call, to_json, counting(name, free)))
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
    client.close()
    assert frees["stytch_client_free"] == 1


def test_every_call_frees_what_the_library_made_before_it_returns(client, frees):
    gc.collect()  # what earlier tests left (PyPy frees it only now) is not counted
    frees.clear()
    user = client.users.create(email="ada@example.com")
    assert frees == {"stytch_string_free": 1}
    totp = client.totps.create(user_id=user.user_id)
    code = stytch_totp.totp_code(totp.secret, T0)  # one owned string too
    client.totps.recovery_codes(user_id=user.user_id)
    assert frees == {"stytch_string_free": 4}
    got = client.users.get(user_id=user.user_id)
    assert frees == {"stytch_string_free": 5, "stytch_users_get_response_free": 1}
    with pytest.raises(stytch_totp.StytchError):
        client.users.get(user_id="")
    assert frees["stytch_error_free"] == 1 and frees["stytch_string_free"] == 6
    # A session's tokens are secrets: that response is freed at once too.
    with pytest.raises(stytch_totp.StytchError, match="project_id"):
        client.totps.authenticate(user_id=user.user_id, totp_code=code, session_duration_minutes=60)
    assert frees["stytch_string_free"] == 7
    # Nothing is left for the garbage collector to free.
    del user, totp, got
    gc.collect()
    assert frees == {"stytch_string_free": 7, "stytch_users_get_response_free": 1, "stytch_error_free": 1}


def test_authentication_owns_its_response_until_read(client, enrolled, frees):
    user_id, totp = enrolled
    codes = [stytch_totp.totp_code(totp.secret, T0 + step) for step in (0, 30)]
    gc.collect()
    frees.clear()
    read = client.totps.authenticate(user_id=user_id, totp_code=codes[0])
    client.set_time(T0 + 30)
    unread = client.totps.authenticate(user_id=user_id, totp_code=codes[1])
    assert frees == {}
    # The first read copies the JSON (one owned string) and lets go of the
    # handle; the value keeps answering from its copy.
    assert read.user_id == user_id and read.user.totps[0].verified
    gc.collect()  # PyPy frees what is let go of only now
    assert frees == {"stytch_string_free": 1, "stytch_totp_authenticate_response_free": 1}
    assert read.totp_id == totp.totp_id and read.session is None and read.to_json().startswith('{"status_code":200,')
    # A value never read frees the handle when it goes, unread.
    del unread
    gc.collect()
    assert frees == {"stytch_string_free": 1, "stytch_totp_authenticate_response_free": 2}


def test_an_authentication_error_owns_its_handle_until_read(client, enrolled, frees):
    user_id, totp = enrolled
    wrong = "%06d" % ((int(stytch_totp.totp_code(totp.secret, T0)) + 1) % 10**6)
    gc.collect()
    frees.clear()
    with pytest.raises(stytch_totp.StytchError) as caught:
        client.totps.authenticate(user_id=user_id, totp_code=wrong)
    assert frees == {}
    error = caught.value
    assert error.details.error_type == "unable_to_authenticate_totp" and error.details.status_code == 401
    gc.collect()
    assert frees == {"stytch_string_free": 1, "stytch_error_free": 1}
    assert pickle.loads(pickle.dumps(error)).details == error.details
    # Unread, it frees its handle when it goes.
    with pytest.raises(stytch_totp.StytchError):
        client.totps.authenticate(user_id=user_id, totp_code=wrong)
    gc.collect()
    assert frees == {"stytch_string_free": 1, "stytch_error_free": 2}


def test_an_owned_response_read_by_many_threads_is_freed_once(client, enrolled, frees):
    user_id, totp = enrolled
    code = stytch_totp.totp_code(totp.secret, T0)
    gc.collect()
    frees.clear()
    auth = client.totps.authenticate(user_id=user_id, totp_code=code)
    start = threading.Barrier(8)
    seen = []

    def read():
        start.wait()
        seen.append((auth.user_id, auth.user.emails[0].email, auth.to_json()))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 1 and seen[0][:2] == (user_id, "ada@example.com")
    del auth
    gc.collect()
    assert frees["stytch_totp_authenticate_response_free"] == 1


def test_responses_are_values(client, enrolled):
    import copy
    import pickle

    user_id, totp = enrolled
    again = pickle.loads(pickle.dumps(totp))
    assert again == totp and again is not totp and again.user == totp.user
    assert copy.deepcopy(totp) == totp
    other = client.users.create(email="grace@example.com")
    assert client.totps.create(user_id=other.user_id) != totp
    assert again.recovery_codes == totp.recovery_codes and again.secret == totp.secret
    # The repr shows the fields, but never a secret.
    text = repr(totp)
    assert totp.totp_id in text and user_id in text and "secret=<hidden>" in text
    for secret in [totp.secret, totp.qr_code, *totp.recovery_codes]:
        assert secret not in text and secret not in str(totp)
    auth = client.totps.authenticate(user_id=user_id, totp_code=stytch_totp.totp_code(totp.secret, T0))
    assert "session_token=<hidden>" in repr(auth) and "session_jwt=<hidden>" in repr(auth)


def test_responses_outlive_their_client(enrolled):
    client = stytch_totp.Client(database=":memory:")
    client.set_time(T0)
    user = client.users.create(email="ada@example.com")
    totp = client.totps.create(user_id=user.user_id)
    got = client.users.get(user_id=user.user_id)
    client.close()
    del client
    gc.collect()
    assert totp.user.emails[0].email == "ada@example.com"
    assert got.totps[0].totp_id == totp.totp_id and len(totp.recovery_codes) == 10


def test_objects_freed_only_by_gc(frees):
    gc.collect()  # what earlier tests left (PyPy frees it only now) is not counted
    frees.clear()
    client = stytch_totp.Client(database=":memory:")
    client.users.create(email="ada@example.com")
    # A cycle, so that reference counting alone cannot free the client.
    client.cycle = client
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
    # The client is closed once every thread has made calls and goes on
    # making them.
    calling = threading.Barrier(5)

    def hammer():
        waited = False
        while True:
            try:
                client.totps.recovery_codes(user_id=user_id)
                client.users.get(user_id=user_id)
                outcomes["ok"] += 1
                if not waited:
                    waited = True
                    calling.wait(timeout=30)
            except stytch_totp.ClosedError:
                outcomes["closed"] += 1
                return
            except stytch_totp.StytchError:
                pass

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    calling.wait(timeout=30)
    client.close()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert outcomes["closed"] == 4 and outcomes["ok"] > 0
