"""Every bad argument of tests/data/bad_arguments.json, through this binding:
the error body, less its request_id, is the one every door must give.

The binding sends the routes with a body through the library's JSON door (a
None field is left out; any other value goes as it is) and the routes with a
path parameter through the typed C functions (None is NULL). Cases it cannot
express are skipped by rule: bytes that are not UTF-8 (a str cannot hold
them), a wrong JSON type for a path parameter (raised as TypeError here), and
a string over the C cap in a body (the body's own cap answers first); they
are left out of the parameters, and a test counts the cases that run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

import stytch_totp
from conftest import T0
from stytch_totp import _native

FILE = json.loads((Path(__file__).resolve().parents[3] / "tests" / "data" / "bad_arguments.json").read_text())
PATH_ROUTES = {"users.get", "users.delete", "users.delete_totp"}
# Built into a path by the binding: None is a TypeError there, not sent.
SESSION_PATH_ROUTES = {"sessions.get", "sessions.get_jwks"}


def value(raw: Any, user_id: str, route: str) -> Optional[Any]:
    """The argument as this binding takes it, or None to skip the case."""
    if isinstance(raw, str):
        return raw.replace("$USER", user_id)
    if isinstance(raw, dict) and "longer_than_cap" in raw and route in PATH_ROUTES:
        return "a" * (1 << 20 | 1)
    if raw is None and route in SESSION_PATH_ROUTES:
        return Ellipsis
    if isinstance(raw, dict) or (route in PATH_ROUTES and raw is not None):
        return Ellipsis  # not expressible
    return raw


def expressible(case: Dict[str, Any]) -> bool:
    return all(value(v, "u", case["route"]) is not Ellipsis for v in case["args"].values())


def call(client: stytch_totp.Client, route: str, args: Dict[str, Any]) -> None:
    group, name = route.split(".")
    getattr(getattr(client, group), name)(**args)


@pytest.mark.parametrize("case", [c for c in FILE["cases"] if expressible(c)], ids=lambda c: f"{c['route']}:{json.dumps(c['args'])[:60]}")
def test_bad_argument(client, enrolled, case):
    user_id, _ = enrolled
    args = {k: value(v, user_id, case["route"]) for k, v in case["args"].items()}
    with pytest.raises(stytch_totp.StytchError) as info:
        call(client, case["route"], args)
    body = json.loads(info.value.to_json())
    assert body.pop("request_id").startswith("request-id-test-")
    assert body == case["expect"]


def test_most_cases_run_here():
    runnable = sum(expressible(case) for case in FILE["cases"])
    assert runnable >= 40, runnable


def test_the_fixture_is_the_file_s(client, enrolled):
    # The fixture the file describes: a user with a pending TOTP, clock at T0.
    assert T0 == 1_750_000_020 and "1750000020" in FILE["fixture"]
    user_id, totp = enrolled
    assert client.users.get(user_id=user_id).totps[0].verified is False


def door(client: stytch_totp.Client, body: Dict[str, Any]) -> Dict[str, Any]:
    """POST /v1/totps/authenticate through the library's JSON door, as it is."""
    owned = _native.lib.stytch_call(client._ptr, b"POST", b"/v1/totps/authenticate", json.dumps(body).encode())
    try:
        return dict(json.loads(owned.value))
    finally:
        _native.lib.stytch_string_free(owned)


@pytest.mark.parametrize(
    "user_id, code",
    [
        ("$USER", "000000"),
        ("$USER", "12345"),
        ("$USER", "abcdef"),
        ("$USER", "１２３４５６"),
        ("$USER", "12\0" + "3456"),
        ("user-test-00000000-0000-4000-8000-000000000000", "123456"),
        ("nobody", "123456"),
        ("a" * 4096, "123456"),
        ("a" * 4097, "123456"),
        ("\n" * 4096, "123456"),
        ("a" * 100_000, "123456"),
    ],
    ids=lambda v: repr(v)[:20],
)
def test_authenticate_answers_as_the_door(client, enrolled, user_id, code):
    # Without session arguments, authenticate calls the typed C function for
    # most values and the JSON door for the rest: either way, the door's answer.
    user_id = user_id.replace("$USER", enrolled[0])
    with pytest.raises(stytch_totp.StytchError) as info:
        client.totps.authenticate(user_id=user_id, totp_code=code)
    typed = json.loads(info.value.to_json())
    answer = door(client, {"user_id": user_id, "totp_code": code})
    assert typed.pop("request_id") != answer.pop("request_id")
    assert typed == answer


def test_a_typed_success_is_the_door_s(client, enrolled):
    user_id, totp = enrolled
    typed = json.loads(client.totps.authenticate(user_id=user_id, totp_code=stytch_totp.totp_code(totp.secret, T0)).to_json())
    client.set_time(T0 + 30)
    answer = door(client, {"user_id": user_id, "totp_code": stytch_totp.totp_code(totp.secret, T0 + 30)})
    assert typed.pop("request_id") != answer.pop("request_id")
    assert typed == answer and typed["status_code"] == 200 and typed["user"]["totps"][0]["verified"]
