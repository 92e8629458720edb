"""The official SDK's TOTP quick-start (quickstart_official.py), unchanged but
for its import and its client's constructor, runs against stytch_totp, sync
and async, with the official package installed beside it."""

from __future__ import annotations

import ast
import asyncio
import difflib
import inspect
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import stytch
from stytch.consumer.api import totps as official_totps
from stytch.consumer.api import users as official_users

import stytch_totp

SOURCE = (Path(__file__).parent / "quickstart_official.py").read_text()
IMPORT = "import stytch\n"
CONSTRUCTOR = 'client = stytch.Client(project_id="project-test-00000000-0000-0000-0000-000000000000", secret="secret-test-xxxxxxxxxxxx")\n'
PORTED_IMPORT = "import stytch_totp as stytch\n"
PORTED_CONSTRUCTOR = 'client = stytch.Client(database=":memory:")\n'
OFFICIAL = {"totps": official_totps.TOTPs, "users": official_users.Users}


def ported() -> str:
    assert SOURCE.count(IMPORT) == 1 and SOURCE.count(CONSTRUCTOR) == 1
    return SOURCE.replace(IMPORT, PORTED_IMPORT).replace(CONSTRUCTOR, PORTED_CONSTRUCTOR)


def sdk_calls() -> Iterator[Tuple[str, str, ast.Call]]:
    """Every ``client.<group>.<method>(...)`` call of the quick-start."""
    for node in ast.walk(ast.parse(SOURCE)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Attribute)
            and isinstance(node.func.value.value, ast.Name)
            and node.func.value.value.id == "client"
        ):
            yield node.func.value.attr, node.func.attr, node


def test_only_the_import_and_the_constructor_change() -> None:
    changed = [
        line
        for line in difflib.unified_diff(SOURCE.splitlines(True), ported().splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ["-" + IMPORT, "+" + PORTED_IMPORT, "-" + CONSTRUCTOR, "+" + PORTED_CONSTRUCTOR]


def test_the_quick_start_is_written_for_the_official_sdk() -> None:
    """It builds an official client, and each call binds to the official
    method's signature (every sync and async method of the flow is used)."""
    official_client = stytch.Client(project_id="project-test-00000000-0000-0000-0000-000000000000", secret="secret-test-xxxxxxxxxxxx")
    assert isinstance(official_client.totps, official_totps.TOTPs)
    used: List[str] = []
    for group, method, call in sdk_calls():
        signature = inspect.signature(getattr(OFFICIAL[group], method))
        kwargs: Dict[str, Any] = {k.arg: None for k in call.keywords if k.arg}
        signature.bind(None, *[None] * len(call.args), **kwargs)  # raises TypeError if not
        used.append(f"{group}.{method}")
    flow = ["users.create", "totps.create", "totps.authenticate", "totps.recovery_codes", "totps.recover", "users.delete"]
    for name in flow:
        assert name in used and f"{name}_async" in used, name


def test_the_ported_quick_start_runs_sync_and_async() -> None:
    namespace: Dict[str, Any] = {"__name__": "quickstart_ported"}
    exec(compile(ported(), "quickstart_ported.py", "exec"), namespace)
    assert isinstance(namespace["client"], stytch_totp.Client)
    assert namespace["stytch"] is stytch_totp
    # The official error class is loaded, and catches this package's errors.
    assert "stytch.core.response_base" in sys.modules
    try:
        assert namespace["main"]() == "sync ok"
        assert asyncio.run(namespace["main_async"]()) == "async ok"
    finally:
        namespace["client"].close()
