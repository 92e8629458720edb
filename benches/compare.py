"""Runs the C ABI benchmarks (beside liboath, in benches/bench.c) and the
Python peers in one script, and prints medians and ratios; with --soak and
--rss, also the soak's figures (tests/soak.rs, STYTCH_TOTP_SOAK_REPORT) and
the resident set over mixed calls (benches/rss_mixed.c); with --python and
--go, the bindings' figures (benches/python_binding.py --save, and the output
of `go test -bench AuthenticateSuccess` in bindings/go/bench), each beside its
target.

    python benches/compare.py path/to/bench [rounds] [--soak soak.json] [--rss path/to/rss_mixed]
        [--python python.json] [--go go-bench.txt]
"""

import argparse
import base64
import io
import json
import secrets
import statistics
import string
import subprocess
import sys
import time

import pyotp
import qrcode

ROUNDS = 31
BATCH = 50
T = 1_700_000_010
ALPHABET = string.ascii_lowercase + string.digits


def median_ns(op, rounds=ROUNDS, batch=BATCH):
    """Median over rounds of the mean time per call, in ns."""
    per_op = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(batch):
            op()
        per_op.append((time.perf_counter_ns() - start) / batch)
    return statistics.median(per_op)


def python_create():
    """The same work as POST /v1/totps: secret, URI, QR PNG, base64, 10 codes, JSON."""
    secret = pyotp.random_base32(32)
    uri = pyotp.TOTP(secret).provisioning_uri(name="bench@example.com", issuer_name="Stytch TOTP")
    png = io.BytesIO()
    qrcode.make(uri).save(png, format="PNG")
    codes = ["-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3)) for _ in range(10)]
    return json.dumps({"secret": secret, "qr_code": "data:image/png;base64, " + base64.b64encode(png.getvalue()).decode(),
                       "recovery_codes": codes})


def python_peers():
    secret = pyotp.random_base32(32)
    totp = pyotp.TOTP(secret)
    good = totp.at(T)
    bad = next(c for c in (f"{n:06d}" for n in range(123456, 124000))
               if c not in {totp.at(T - 30), good, totp.at(T + 30)})
    return {
        "pyotp_verify_success": median_ns(lambda: totp.verify(good, for_time=T, valid_window=1)),
        "pyotp_verify_failure": median_ns(lambda: totp.verify(bad, for_time=T, valid_window=1)),
        "python_create_pyotp_qrcode": median_ns(python_create, rounds=11, batch=5),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bench")
    parser.add_argument("rounds", nargs="?", default=str(ROUNDS))
    parser.add_argument("--soak", help="the soak's JSON report")
    parser.add_argument("--rss", help="the mixed-calls resident set benchmark")
    parser.add_argument("--python", help="the Python binding benchmark's results (python_binding.py --save)")
    parser.add_argument("--go", help="the Go binding benchmark's output (go test -bench)")
    args = parser.parse_args()
    out = subprocess.run([args.bench, args.rounds], check=True, capture_output=True, text=True).stdout
    ours = {r["name"]: r for r in map(json.loads, out.splitlines())}
    peers = python_peers()
    us = lambda ns: f"{ns / 1000:9.2f} µs"
    print(f"{'case':34} {'median':>12} {'p90':>12} {'p99 (1 op)':>12} {'CPU median':>12}")
    for name, r in ours.items():
        print(f"{name:34} {us(r['median_ns'])} {us(r['p90_ns'])} {us(r['p99_ns'])} {us(r['cpu_median_ns'])}")
    for name, ns in peers.items():
        print(f"{name:34} {us(ns)}")
    m = lambda name: ours[name]["median_ns"]
    print("\nratios (peer median / ours; above 1 means we are faster)")
    for ours_name, peer, peer_ns in [
        ("create_memory", "python_create_pyotp_qrcode", peers["python_create_pyotp_qrcode"]),
        ("create_sqlite", "python_create_pyotp_qrcode", peers["python_create_pyotp_qrcode"]),
        ("authenticate_success_memory", "pyotp_verify_success", peers["pyotp_verify_success"]),
        ("authenticate_failure_memory", "pyotp_verify_failure", peers["pyotp_verify_failure"]),
        ("authenticate_success_memory", "liboath_validate_success", m("liboath_validate_success")),
        ("authenticate_failure_memory", "liboath_validate_failure", m("liboath_validate_failure")),
        ("authenticate_success_sqlite", "pyotp_verify_success", peers["pyotp_verify_success"]),
    ]:
        print(f"{ours_name:30} vs {peer:28} {peer_ns / m(ours_name):8.2f}x")
    print(f"\nQR PNG: {ours['create_memory']['png_bytes_max']} bytes")
    soak = json.load(open(args.soak)) if args.soak else None
    rss = run_rss(args.rss) if args.rss else None
    print_targets(ours, soak, rss)
    if args.python or args.go:
        print_bindings(json.load(open(args.python)) if args.python else None, args.go and go_medians(args.go))


def go_medians(path):
    """The median ns/op of each benchmark over the runs (-count) of `go test -bench` output."""
    runs = {}
    for line in open(path):
        fields = line.split()
        if len(fields) > 3 and fields[0].startswith("Benchmark") and fields[3] == "ns/op":
            runs.setdefault(fields[0].rsplit("-", 1)[0], []).append(float(fields[2]))
    return {name: (statistics.median(ns), len(ns)) for name, ns in runs.items()}


def print_bindings(python, go):
    """The bindings' authentication, each beside its peer of the same run:
    Python's beside pyotp (its time over ours), Go's beside the C call it
    wraps (our time over C's)."""
    met = lambda ok: "yes" if ok else "NO"
    print("\nbindings (each pair from one run)")
    print(f"{'figure':44} {'clock':>5} {'ours':>12} {'compared to':>12} {'ratio':>7} {'target':>9} met")
    if python:
        ours = python["client.totps.authenticate (success)"]
        peer = python["pyotp.TOTP(s).verify(valid_window=1) (success)"]
        print(f"{'Python authenticate: pyotp verify / ours':44} {'wall':>5} {ours:9.2f} µs {peer:9.2f} µs "
              f"{peer / ours:6.2f}x {'≥ 5x':>9} {met(peer >= 5 * ours)}")
        p99 = python.get("client.totps.authenticate (success) (p99)")
        if p99 is not None:
            print(f"{'Python authenticate, p99 of single calls':44} {'wall':>5} {p99:9.2f} µs")
        raw = python.get("authenticate, raw ctypes (success)")
        if raw is not None:
            print(f"{'Python authenticate: binding over raw ctypes':44} {'wall':>5} {ours - raw:+9.2f} µs {raw:9.2f} µs")
    if go:
        ours, runs = go["BenchmarkAuthenticateSuccess"]
        c, _ = go["BenchmarkAuthenticateSuccessC"]
        print(f"{'Go Authenticate / C stytch_totp_authenticate':44} {'wall':>5} {ours / 1000:9.2f} µs "
              f"{c / 1000:9.2f} µs {ours / c:6.2f}x {'≤ 2x':>9} {met(ours <= 2 * c)}   (median of {runs} runs)")


def run_rss(binary):
    """The mixed-calls benchmark's figures (its last line); its table is shown."""
    out = subprocess.run([binary], check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    print("\nresident set over mixed calls (benches/rss_mixed.c)")
    print("\n".join(lines[:-1]))
    return json.loads(lines[-1])


def print_targets(ours, soak, rss):
    """The figures the targets name, each beside its limit: wall-clock medians,
    and the CPU-time medians that a busy machine does not inflate."""
    png = ours["create_memory"]["png_bytes_max"]
    met = lambda ok: "yes" if ok else "NO"
    print("\ntargets (same run)")
    print(f"{'figure':44} {'clock':>5} {'ours':>12} {'compared to':>12} {'ratio':>7} {'target':>9} met")
    for clock, key in (("wall", "median_ns"), ("CPU", "cpu_median_ns")):
        create = ours["create_memory"][key]
        print(f"{'create, typed, in memory (median)':44} {clock:>5} {create / 1000:9.2f} µs {'':>12} {'':>7} "
              f"{'≤ 100 µs':>9} {met(create <= 100_000)}")
        typed = ours["authenticate_success_memory"][key]
        for case in ("success", "failure"):
            ours_ns = ours[f"authenticate_{case}_memory"][key]
            peer_ns = ours[f"liboath_validate_{case}"][key]
            print(f"{'authenticate ' + case + ', typed, in memory':44} {clock:>5} {ours_ns / 1000:9.2f} µs "
                  f"{peer_ns / 1000:9.2f} µs {ours_ns / peer_ns:6.2f}x {'≤ 3x':>9} {met(ours_ns <= 3 * peer_ns)}")
        call = ours["authenticate_call_memory"][key]
        print(f"{'authenticate, stytch_call vs typed, memory':44} {clock:>5} {call / 1000:9.2f} µs "
              f"{typed / 1000:9.2f} µs {call / typed:6.2f}x {'≤ 1.5x':>9} {met(call <= 1.5 * typed)}")
        sqlite = ours["authenticate_success_sqlite"][key]
        print(f"{'authenticate, typed, SQLite file (median)':44} {clock:>5} {sqlite / 1000:9.2f} µs {'':>12} "
              f"{'':>7} {'≤ 25 µs':>9} {met(sqlite <= 25_000)}")
    print(f"{'QR PNG of a typical email':44} {'':>5} {png:9d} B  {'':>12} {'':>7} {'≤ 1024 B':>9} {met(png <= 1024)}")
    if soak:
        for op, limit_us in (("authenticate", 2000), ("create", 5000)):
            p99 = soak[op]["p99_us"]
            print(f"{'soak (SQLite, 3x4): ' + op + ' p99':44} {'wall':>5} "
                  f"{p99 / 1000:9.2f} ms {'':>12} {'':>7} {f'≤ {limit_us // 1000} ms':>9} {met(p99 <= limit_us)}")
        print(f"{'soak throughput, all operations':44} {'wall':>5} {soak['ops_per_second']:9.0f}/s")
    if rss:
        growth = rss["rss_end_kib"] - rss["rss_half_kib"]
        print(f"{'RSS growth, 2nd half of mixed calls':44} {'':>5} "
              f"{growth:+9d} KiB {'':>12} {'':>7} {'≤ ' + str(rss['slack_kib']) + ' KiB':>9} "
              f"{met(growth <= rss['slack_kib'])}")

if __name__ == "__main__":
    main()
