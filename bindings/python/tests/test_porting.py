"""docs/PORTING.md's Python table against the official ``stytch`` package
installed beside this one: every official method, argument and error
attribute has exactly one row, and each row says what both packages are."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
from stytch.consumer.api import sessions as official_sessions
from stytch.consumer.api import totps as official_totps
from stytch.consumer.api import users as official_users
from stytch.core import response_base

import stytch_totp

PORTING = Path(__file__).resolve().parents[3] / "docs" / "PORTING.md"
ROW = re.compile(r"^\| `([^`]+)` \| (?:`([^`]+)`|—) \| (covered|differs|left out) \|")
NO_ARGUMENT = "—"

OFFICIAL = {"sessions": official_sessions.Sessions, "totps": official_totps.TOTPs, "users": official_users.Users}
OURS = {"sessions": stytch_totp.Sessions, "totps": stytch_totp.TOTPs, "users": stytch_totp.Users}


def python_rows() -> Dict[Tuple[str, str], str]:
    """(official name, argument or —) -> status, from the Python section."""
    text = PORTING.read_text()
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    rows: Dict[Tuple[str, str], str] = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            name, argument, status = match.groups()
            key = (name, argument or NO_ARGUMENT)
            assert key not in rows, f"two rows for {key}"
            rows[key] = status
    return rows


ROWS = python_rows()


def public_methods(cls: type) -> List[str]:
    return sorted(n for n, f in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_"))


def parameters(cls: type, method: str) -> List[inspect.Parameter]:
    return list(inspect.signature(getattr(cls, method)).parameters.values())[1:]  # without self


def method_rows() -> Iterator[Tuple[str, str, str]]:
    for (name, argument), status in ROWS.items():
        if "." in name and argument == NO_ARGUMENT:
            group, method = name.split(".")
            yield group, method, status


def test_the_table_has_rows() -> None:
    assert len(ROWS) > 50 and "Client" in {name for name, _ in ROWS}


@pytest.mark.parametrize("group", sorted(OFFICIAL))
def test_every_official_method_has_a_row(group: str) -> None:
    official = {m for m in public_methods(OFFICIAL[group]) if not m.endswith("_async")}
    listed = {method for g, method, _ in method_rows() if g == group}
    assert official == listed


@pytest.mark.parametrize("group,method,status", sorted(method_rows()))
def test_method_rows_say_what_is_here(group: str, method: str, status: str) -> None:
    ours = OURS[group]
    for name in (method, f"{method}_async"):
        assert hasattr(OFFICIAL[group], name)
        if status == "left out":
            assert not hasattr(ours, name), f"{group}.{name} is here: update the row"
        else:
            assert hasattr(ours, name), f"{group}.{name} is missing"
    if status != "left out":
        assert inspect.iscoroutinefunction(getattr(ours, f"{method}_async"))
        assert not inspect.iscoroutinefunction(getattr(ours, method))


def implemented_methods() -> Iterator[Tuple[str, str]]:
    for group, method, status in method_rows():
        if status != "left out":
            yield group, method


@pytest.mark.parametrize("group,method", sorted(implemented_methods()))
def test_argument_rows_match_both_signatures(group: str, method: str) -> None:
    """Each official argument has a row; covered and differing arguments are
    here at the same position with the same kind and default, left-out ones
    are absent; nothing is here that the official SDK lacks."""
    for name in (method, f"{method}_async"):
        official = parameters(OFFICIAL[group], name)
        ours = {p.name: p for p in parameters(OURS[group], name)}
        kept = []
        for p in official:
            status = ROWS.get((f"{group}.{method}", p.name))
            assert status is not None, f"no row for {group}.{method}({p.name})"
            if status == "left out":
                assert p.name not in ours, f"{group}.{name}({p.name}) is here: update the row"
                continue
            mine = ours.get(p.name)
            assert mine is not None, f"{group}.{name} lacks {p.name}"
            assert (mine.kind, mine.default) == (p.kind, p.default), f"{group}.{name}({p.name})"
            kept.append(p.name)
        assert list(ours) == kept, f"{group}.{name}: order, or arguments the official SDK lacks"
    listed = {a for (n, a) in ROWS if n == f"{group}.{method}" and a != NO_ARGUMENT}
    assert listed == {p.name for p in parameters(OFFICIAL[group], method)}


def official_error_attributes() -> List[str]:
    base = response_base.StytchErrorDetails
    fields = list(base.model_fields)
    # The official classes' own properties, not pydantic's.
    own = [c for c in base.__mro__ if c.__module__ == response_base.__name__]
    properties = [n for c in own for n, v in vars(c).items() if isinstance(v, property)]
    return fields + [p for p in properties if p not in fields]


def test_error_rows_cover_the_official_error(client: stytch_totp.Client) -> None:
    listed = {a for (n, a) in ROWS if n == "StytchErrorDetails"}
    assert listed == set(official_error_attributes())
    assert ROWS[("StytchError", "details")] == "covered"
    with pytest.raises(stytch_totp.StytchError) as caught:
        client.users.get(user_id="user-test-00000000-0000-4000-8000-000000000000")
    theirs = response_base.StytchErrorDetails(**caught.value.details.original_json)
    for name in listed:
        assert ROWS[("StytchErrorDetails", name)] == "covered"
        if name != "original_json":
            assert getattr(caught.value.details, name) == getattr(theirs, name), name
    assert caught.value.details.original_json["error_type"] == "user_not_found"
