"""Secrets at rest, before and after, in one run: benches/bench.c built against
a base library (make bench-at-rest: BENCH_BASE, default main) and against this
tree, the latter without and with encryption keys. The three are run in turn,
REPEATS times, so that the machine's load falls on all of them alike.

Prints, per case (create and authenticate, memory and SQLite), the median over
the runs of each run's median wall-clock time per call (with the p99 of single
calls) and of its thread CPU time per call, the change against the base, and
the cost of encryption per call in µs.

    python benches/at_rest.py BASE_BENCH NEW_BENCH [repeats] [rounds]
"""

import json
import os
import statistics
import subprocess
import sys

CASES = [
    "create_memory",
    "create_sqlite",
    "authenticate_success_memory",
    "authenticate_success_sqlite",
    "authenticate_failure_memory",
    "authenticate_failure_sqlite",
]


def run(bench, rounds, keys):
    env = dict(os.environ, STYTCH_BENCH_KEYS="1" if keys else "0")
    out = subprocess.run([bench, rounds], check=True, capture_output=True, text=True, env=env).stdout
    return {r["name"]: r for r in map(json.loads, out.splitlines())}


def main():
    base, new = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rounds = sys.argv[4] if len(sys.argv) > 4 else "41"
    variants = [("before", base, False), ("after", new, False), ("after+keys", new, True)]
    runs = {name: [] for name, _, _ in variants}
    for i in range(repeats):
        # Rotate the order so that no variant always runs first or last.
        for name, bench, keys in variants[i % 3:] + variants[: i % 3]:
            runs[name].append(run(bench, rounds, keys))
            print(f"run {i + 1}/{repeats}: {name}", file=sys.stderr)

    def stat(name, case, key):
        return statistics.median(r[case][key] for r in runs[name]) / 1000

    print(f"{repeats} runs of {rounds} rounds x 50 calls each, µs per call: the median over the runs")
    for title, key in [("wall clock, median (p99 of single calls)", "median_ns"),
                       ("thread CPU time, median (what other processes do not inflate)", "cpu_median_ns")]:
        print(f"\n{title}")
        print(f"{'case':30} {'before':>17} {'after':>17} {'after+keys':>17}  {'after/before':>12} {'keys - after':>13}")
        for case in CASES:
            values = [stat(v, case, key) for v, _, _ in variants]
            cells = [f"{x:8.2f}" + (f" ({stat(v, case, 'p99_ns'):6.1f})" if key == "median_ns" else "")
                     for x, (v, _, _) in zip(values, variants)]
            before, after, keyed = values
            print(f"{case:30} {cells[0]:>17} {cells[1]:>17} {cells[2]:>17}  {after / before:12.2f} {keyed - after:+13.2f}")


if __name__ == "__main__":
    main()
