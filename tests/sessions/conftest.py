"""The bodies and JWTs under test, written by `tests/sessions_sdk.rs` into the
directory named by SESSIONS_FIXTURES."""

import json
import os
import pathlib

import pytest


def _fixtures():
    directory = os.environ.get("SESSIONS_FIXTURES")
    if not directory:
        raise RuntimeError("SESSIONS_FIXTURES is not set: run `make test-sessions`")
    return pathlib.Path(directory)


def _load(name):
    return json.loads((_fixtures() / name).read_text())


@pytest.fixture(scope="session")
def tokens():
    return _load("tokens.json")


@pytest.fixture(scope="session")
def jwks_body():
    return _load("jwks.json")


@pytest.fixture(scope="session")
def jwks_raw():
    return (_fixtures() / "jwks.json").read_text()


@pytest.fixture(scope="session")
def session_body():
    return _load("session.json")


@pytest.fixture(scope="session")
def session_raw():
    return (_fixtures() / "session.json").read_text()
