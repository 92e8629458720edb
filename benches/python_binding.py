"""Benchmark of the Python binding, beside pure-Python pyotp (+ qrcode) doing the
same job. Run by `make bench-python`; prints medians (microseconds) and ratios.

- binding overhead: stytch_version() through ctypes, and authenticate through
  raw ctypes versus through the binding;
- authenticate (success, then wrong code) on ":memory:", versus
  pyotp.TOTP(secret).verify(code, valid_window=1). The success loop moves the
  fixed clock 30 s per iteration, since a used step is refused as a replay;
  codes and clock moves are outside the timed region; it runs in chunks that
  alternate with pyotp's, so that a change of load falls on both;
- create versus pyotp + qrcode (PNG) + base64 + 10 recovery codes + json;
- users.get with every field read (each field of the official SDK's
  GetResponse, and of every nested object), and users.get reading nothing.

Pass the name of another interpreter's results file to print ratios against
it (e.g. the same script run on an older build): `--compare before.json`.
"""

from __future__ import annotations

import base64
import ctypes
import io
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, List, Tuple

import pydantic
import pyotp
import qrcode
import stytch_totp
from stytch.consumer.models import users as official_users
from stytch_totp import _native

T0 = 1_750_000_020
now = time.perf_counter_ns


def median_us(samples: List[int]) -> float:
    return statistics.median(samples) / 1000


def p99_us(samples: List[int]) -> float:
    return sorted(samples)[len(samples) * 99 // 100] / 1000


# p99 of the single calls of a measurement, by its name in the results.
P99 = {}


def per_call(fn: Callable[[], object], n: int, batch: int = 1) -> float:
    """Median microseconds of fn, timed over batches of `batch` calls."""
    samples = []
    for _ in range(n):
        t = now()
        for _ in range(batch):
            fn()
        samples.append((now() - t) // batch)
    return median_us(samples)


def bench_version() -> float:
    return per_call(_native.lib.stytch_version, 2000, batch=100)


def setup(client: stytch_totp.Client) -> tuple:
    client.set_time(T0)
    user_id = client.users.create(email="ada@example.com").user_id
    secret = client.totps.create(user_id=user_id).secret
    return user_id, secret


def authenticate_success(client: stytch_totp.Client, user_id: str, secret: str, steps: range) -> List[int]:
    """Times one successful authentication at each step (a fresh 30 s step
    each: a used one is refused as a replay)."""
    samples = []
    for i in steps:
        t = T0 + 30 * i
        client.set_time(t)
        code = stytch_totp.totp_code(secret, t)
        start = now()
        try:
            client.totps.authenticate(user_id=user_id, totp_code=code)  # freed on return
        except stytch_totp.StytchError:
            continue  # one time in a million the code equals the used step's: a replay
        samples.append(now() - start)
    return samples


def pyotp_verify(secret: str, steps: range, right: bool) -> List[int]:
    samples = []
    for i in steps:
        t = T0 + 30 * i
        code = pyotp.TOTP(secret).at(t)
        if not right:
            code = "%06d" % ((int(code) + 1) % 10**6)
        start = now()
        ok = pyotp.TOTP(secret).verify(code, for_time=t, valid_window=1)
        samples.append(now() - start)
        assert ok is right
    return samples


def bench_authenticate_beside_pyotp(client: stytch_totp.Client, n: int, chunks: int = 20) -> Tuple[float, float]:
    """Successful authentications and pyotp's verify in alternating chunks, so
    that a change of load on a shared machine falls on both sides of the
    ratio: (ours, pyotp's) medians."""
    user_id, secret = setup(client)
    theirs_secret = pyotp.random_base32(32)
    ours: List[int] = []
    theirs: List[int] = []
    for chunk in range(chunks):
        steps = range(chunk * n // chunks, (chunk + 1) * n // chunks)
        ours += authenticate_success(client, user_id, secret, steps)
        theirs += pyotp_verify(theirs_secret, steps, right=True)
    P99["client.totps.authenticate (success)"] = p99_us(ours)
    return median_us(ours), median_us(theirs)


def bench_authenticate_raw(n: int) -> float:
    """The same success loop through bare ctypes calls: the floor under the binding."""
    lib = _native.lib
    with stytch_totp.Client(database=":memory:") as client:
        user_id, secret = setup(client)
        # The error out-parameter's pointer type, as the signature declares it.
        err = lib.stytch_totp_authenticate.argtypes[-1]._type_()
        uid, samples = user_id.encode(), []
        for i in range(n):
            t = T0 + 30 * i
            client.set_time(t)
            code = stytch_totp.totp_code(secret, t).encode()
            start = now()
            h = lib.stytch_totp_authenticate(client._ptr, uid, code, ctypes.byref(err))
            lib.stytch_totp_authenticate_response_free(h)
            if h:  # see authenticate_success
                samples.append(now() - start)
            else:
                lib.stytch_error_free(err)
        return median_us(samples)


def bench_authenticate_failure(client: stytch_totp.Client, n: int) -> float:
    user_id, secret = setup(client)
    samples, step = [], 0
    while len(samples) < n:
        # Wrong codes are counted: a success every 5 resets the lockout counter.
        t = T0 + 30 * step
        client.set_time(t)
        wrong = "%06d" % ((int(stytch_totp.totp_code(secret, t)) + 1) % 10**6)
        for _ in range(5):
            start = now()
            try:
                client.totps.authenticate(user_id=user_id, totp_code=wrong)
            except stytch_totp.StytchError:
                pass
            samples.append(now() - start)
        client.totps.authenticate(user_id=user_id, totp_code=stytch_totp.totp_code(secret, t))
        step += 1
    return median_us(samples)


def bench_pyotp_verify(n: int, right: bool) -> float:
    return median_us(pyotp_verify(pyotp.random_base32(32), range(n), right))


def bench_create(client: stytch_totp.Client, n: int) -> float:
    user_id, _ = setup(client)
    samples = []
    for _ in range(n):
        start = now()
        client.totps.create(user_id=user_id)  # replaces the pending TOTP
        samples.append(now() - start)
    return median_us(samples)


def read_every_field(ours: object, model: type) -> int:
    """Reads every field the official model declares, recursively; returns
    how many were read."""
    count = 0
    for name, info in model.model_fields.items():
        if not hasattr(ours, name):
            continue
        value = getattr(ours, name)
        count += 1
        inner = info.annotation
        args = getattr(inner, "__args__", ())
        nested = next((a for a in (inner, *args) if isinstance(a, type) and issubclass(a, pydantic.BaseModel)), None)
        if nested is None:
            continue
        for item in value if isinstance(value, list) else ([] if value is None else [value]):
            count += read_every_field(item, nested)
    return count


def bench_users_get(client: stytch_totp.Client, n: int, every_field: bool) -> float:
    user = client.users.create(
        email="ada@example.com",
        phone_number="+14155550100",
        name={"first_name": "Ada", "last_name": "Lovelace"},
        external_id="ada-1815",
        trusted_metadata={"plan": "pro"},
    )
    client.totps.create(user_id=user.user_id)
    assert read_every_field(client.users.get(user_id=user.user_id), official_users.GetResponse) >= 25
    samples = []
    for _ in range(n):
        start = now()
        got = client.users.get(user_id=user.user_id)
        if every_field:
            read_every_field(got, official_users.GetResponse)
        samples.append(now() - start)
    P99["client.users.get, every field read" if every_field else "client.users.get, no field read"] = p99_us(samples)
    return median_us(samples)


def pyotp_create() -> str:
    secret = pyotp.random_base32(32)
    uri = pyotp.TOTP(secret).provisioning_uri(name="ada@example.com", issuer_name="Stytch TOTP")
    png = io.BytesIO()
    qrcode.make(uri).save(png)
    qr = "data:image/png;base64, " + base64.b64encode(png.getvalue()).decode()
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    codes = [
        "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
        for _ in range(10)
    ]
    return json.dumps({"secret": secret, "qr_code": qr, "recovery_codes": codes})


def main() -> int:
    fresh = lambda: stytch_totp.Client(database=":memory:")  # noqa: E731
    n = int(os.environ.get("BENCH_N", "5000"))
    rows = []
    rows.append(("stytch_version() via ctypes", bench_version()))
    raw = bench_authenticate_raw(n)
    with fresh() as c:
        ok, pyotp_ok = bench_authenticate_beside_pyotp(c, n)
    with fresh() as c:
        bad = bench_authenticate_failure(c, n)
    pyotp_bad = bench_pyotp_verify(n, right=False)
    with fresh() as c:
        create = bench_create(c, 300)
    with fresh() as c:
        get_all = bench_users_get(c, n, every_field=True)
    with fresh() as c:
        get_none = bench_users_get(c, n, every_field=False)
    py_create = per_call(pyotp_create, 60)

    rows += [
        ("authenticate, raw ctypes (success)", raw),
        ("client.totps.authenticate (success)", ok),
        ("client.totps.authenticate (wrong code)", bad),
        ("pyotp.TOTP(s).verify(valid_window=1) (success)", pyotp_ok),
        ("pyotp.TOTP(s).verify(valid_window=1) (wrong code)", pyotp_bad),
        ("client.totps.create", create),
        ("pyotp + qrcode PNG + base64 + codes + json", py_create),
        ("client.users.get, every field read", get_all),
        ("client.users.get, no field read", get_none),
    ]
    print(f"stytch_totp {stytch_totp.__version__}, Python {sys.version.split()[0]}; medians:")
    for name, us in rows:
        print(f"  {name:<52} {us:10.2f} us")
    print("ratios (pyotp time / stytch_totp time; target in brackets):")
    checks = [
        ("authenticate success vs pyotp verify", pyotp_ok / ok, 5),
        ("authenticate wrong code vs pyotp verify", pyotp_bad / bad, 5),
        ("create vs pyotp + qrcode", py_create / create, 50),
    ]
    for name, ratio, target in checks:
        verdict = "met" if ratio >= target else "NOT met"
        print(f"  {name:<52} {ratio:8.1f}x  [>= {target}x: {verdict}]")
    print(f"  binding overhead on authenticate success: {ok - raw:.2f} us over raw ctypes")
    rows += [(f"{name} (p99)", us) for name, us in P99.items()]
    for name, us in P99.items():
        print(f"  {name + ' (p99)':<52} {us:10.2f} us")
    results = dict(rows)
    if "--save" in sys.argv:
        Path(sys.argv[sys.argv.index("--save") + 1]).write_text(json.dumps(results, indent=1))
    if "--compare" in sys.argv:
        before = json.loads(Path(sys.argv[sys.argv.index("--compare") + 1]).read_text())
        print("this build against the other (its time / this time; > 1 is faster here):")
        for name, us in rows:
            if name in before:
                print(f"  {name:<52} {before[name]:10.2f} -> {us:8.2f} us  {before[name] / us:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
