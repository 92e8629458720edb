"""The bodies and JWTs under test, written by `tests/sessions_sdk.rs` into the
directory named by SESSIONS_FIXTURES."""

import json
import os
import pathlib

import pytest


def _read(name):
    directory = os.environ.get("SESSIONS_FIXTURES")
    if not directory:
        raise RuntimeError("SESSIONS_FIXTURES is not set: run `make test-sessions`")
    return (pathlib.Path(directory) / f"{name}.json").read_text()


@pytest.fixture(scope="session")
def tokens():
    return json.loads(_read("tokens"))


@pytest.fixture(scope="session")
def jwks_raw():
    return _read("jwks")


@pytest.fixture(scope="session")
def jwks_body(jwks_raw):
    return json.loads(jwks_raw)


@pytest.fixture(scope="session")
def session_raw():
    return _read("session")


@pytest.fixture(scope="session")
def session_body(session_raw):
    return json.loads(session_raw)


@pytest.fixture(scope="session")
def route():
    """Bodies of the real routes: a session started by a TOTP code, joined by
    a recovery code, authenticated, listed."""
    return json.loads(_read("route"))


@pytest.fixture(scope="session")
def route_jwks_raw():
    return _read("route_jwks")
