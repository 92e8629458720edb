"""The ``*_async`` twins: same results and errors as the blocking methods,
the event loop free while a call runs, calls in parallel."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, Iterator

import pytest

import stytch_totp
from stytch_totp import _native
from stytch_totp._signatures import CLOCK_FN
from conftest import T0, UNKNOWN_USER


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_every_method_has_an_awaitable_twin(client: stytch_totp.Client) -> None:
    async def flow() -> None:
        user = await client.users.create_async(email="ada@example.com", name={"first_name": "Ada"})
        got = await client.users.get_async(user_id=user.user_id)
        found = await client.users.search_async(limit=1)
        assert [u.user_id for u in found.results] == [user.user_id]
        assert got.name.first_name == "Ada"
        created = await client.totps.create_async(user_id=user.user_id, expiration_minutes=60)
        code = stytch_totp.totp_code(created.secret, T0)
        auth = await client.totps.authenticate_async(user_id=user.user_id, totp_code=code)
        assert auth.totp_id == created.totp_id and auth.user.totps[0].verified
        codes = await client.totps.recovery_codes_async(user_id=user.user_id)
        assert codes.totps[0].recovery_codes == created.recovery_codes
        recovered = await client.totps.recover_async(user.user_id, created.recovery_codes[0])
        assert recovered.totp_id == created.totp_id
        deleted = await client.users.delete_totp_async(totp_id=created.totp_id)
        assert deleted.user.totps == []
        assert (await client.users.delete_async(user.user_id)).user_id == user.user_id

    run(flow())


def test_errors_raise_from_the_await(client: stytch_totp.Client) -> None:
    with pytest.raises(stytch_totp.StytchError) as caught:
        run(client.users.get_async(user_id=UNKNOWN_USER))
    assert caught.value.details.error_type == "user_not_found"
    with pytest.raises(TypeError):
        run(client.totps.authenticate_async(user_id="u", totp_code="1", no_such_argument="t"))


@pytest.fixture
def gated_clock(client: stytch_totp.Client) -> Iterator[Callable[[threading.Event], None]]:
    """Installs a clock whose every reading waits for an event: a library call
    then blocks in its thread until the test lets it go."""
    installed = []

    def install(gate: threading.Event, entered: Callable[[], None] = lambda: None) -> None:
        def now(_: Any) -> int:
            entered()
            assert gate.wait(10), "the gate was never opened"
            return T0

        callback = CLOCK_FN(now)
        installed.append(callback)  # kept alive while the library may call it
        _native.lib.stytch_client_set_clock(client._ptr, callback, None)

    yield install  # type: ignore[misc]
    client.use_system_clock()


def test_the_loop_runs_while_a_call_blocks(client: stytch_totp.Client, gated_clock: Any) -> None:
    user_id = client.users.create(email="ada@example.com").user_id
    gate = threading.Event()
    gated_clock(gate)

    async def scenario() -> None:
        call = asyncio.ensure_future(client.totps.create_async(user_id=user_id))
        ticks = 0
        while ticks < 20:  # the loop keeps serving other work meanwhile
            await asyncio.sleep(0.001)
            ticks += 1
        assert not call.done(), "the call should still wait for its clock"
        gate.set()
        created = await call
        assert created.user_id == user_id

    run(scenario())


def test_calls_run_in_parallel(client: stytch_totp.Client, gated_clock: Any) -> None:
    """Two calls meet inside the library at once: a barrier of two only opens
    if both are in flight together."""
    ids = [client.users.create(email=f"u{i}@example.com").user_id for i in range(2)]
    barrier = threading.Barrier(2, timeout=10)
    gate = threading.Event()
    met = []

    def entered() -> None:
        if not gate.is_set():
            barrier.wait()  # raises BrokenBarrierError if the calls ran one by one
            met.append(None)
            gate.set()

    gated_clock(gate, entered)

    async def both() -> Any:
        return await asyncio.gather(*(client.users.get_async(user_id=i) for i in ids))

    got = run(both())
    assert [g.user_id for g in got] == ids
    assert len(met) == 2, "both calls were inside the library together"


def test_twins_keep_the_official_names() -> None:
    for cls in (stytch_totp.TOTPs, stytch_totp.Users):
        for name in ("create", "create_async"):
            method = getattr(cls, name)
            assert method.__name__ == name and method.__qualname__ == f"{cls.__name__}.{name}"
