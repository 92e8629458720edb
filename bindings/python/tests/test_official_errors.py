"""``except stytch.core.response_base.StytchError`` catches this package's
errors while the official module is imported; without it, nothing of the
official package is imported."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

import pytest

import stytch_totp
from conftest import UNKNOWN_USER


def test_official_except_clauses_catch_our_errors(client: stytch_totp.Client) -> None:
    from stytch.core import response_base

    with pytest.raises(response_base.StytchError) as caught:
        client.users.get(user_id=UNKNOWN_USER)
    error = caught.value
    assert isinstance(error, stytch_totp.StytchError)
    assert error.details.error_type == "user_not_found" and error.details.status_code == 404
    assert error.details.is_client_error and not error.details.is_success
    theirs = response_base.StytchErrorDetails(**error.details.original_json)
    assert (theirs.error_type, theirs.error_url) == (error.details.error_type, error.details.error_url)
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, response_base.StytchError) and copy.details == error.details
    with pytest.raises(response_base.StytchError):
        stytch_totp.qr.otpauth_uri("i", "a", "not base32!")


def test_without_the_official_sdk_errors_are_plain() -> None:
    script = textwrap.dedent(
        f"""
        import sys
        import stytch_totp
        with stytch_totp.Client(database=":memory:") as c:
            try:
                c.users.get(user_id="{UNKNOWN_USER}")
            except stytch_totp.StytchError as e:
                error = e
        assert type(error) is stytch_totp.StytchError, type(error).__mro__
        assert not any(m == "stytch" or m.startswith("stytch.") for m in sys.modules)
        import stytch.core.response_base as official
        with stytch_totp.Client(database=":memory:") as c:
            try:
                c.users.get(user_id="{UNKNOWN_USER}")
            except official.StytchError as e:
                assert e.details.error_type == "user_not_found"
                print("caught")
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "caught"
