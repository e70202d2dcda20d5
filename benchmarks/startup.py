"""CLI start-up time, side by side with the floor: a Python that only imports click.

    python benchmarks/startup.py [--runs 15]

Prints, per command, the median and best wall time, the median CPU time (user + system of
the child: steadier than wall time on a shared machine) and both ratios to the floor. The
commands are run round-robin so a burst of load hits them all alike. Targets (issue 14):
`--help` and `list` ≤ 1.5×, `info` ≤ 2.5×, `show` ≤ 4×.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

# The console script users run (python -m adds runpy and importlib.util to every start).
_SCRIPT = os.path.join(os.path.dirname(sys.executable), "udsattestat")
CLI = [_SCRIPT] if os.path.exists(_SCRIPT) else [sys.executable, "-m", "udsattestat"]
CASES = {
    "python -c 'import click'": [sys.executable, "-c", "import click"],
    "udsattestat --help": [*CLI, "--help"],
    "udsattestat list": [*CLI, "list"],
    "udsattestat list --json": [*CLI, "list", "--json"],
    "udsattestat info drug-deaths": [*CLI, "info", "drug-deaths"],
    "udsattestat show homelessness": [*CLI, "show", "homelessness", "--where", "situation=TOT"],
    "udsattestat show drug-deaths": [*CLI, "show", "drug-deaths", "--vintage", "all"],
}


# As installed: bytecode cached. Without this, PYTHONDONTWRITEBYTECODE=1 (set on some
# machines) makes every run recompile udsattestat's modules from source — click's are
# compiled at install time — and the comparison measures the compiler, not the CLI.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once(cmd: list[str]) -> tuple[float, float]:
    before = os.times()
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True, env=ENV)
    wall = time.perf_counter() - t0
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    walls: dict[str, list[float]] = {name: [] for name in CASES}
    cpus: dict[str, list[float]] = {name: [] for name in CASES}
    for cmd in CASES.values():
        once(cmd)  # warm the file cache and write the bytecode cache
    for _ in range(args.runs):
        for name, cmd in CASES.items():
            wall, cpu = once(cmd)
            walls[name].append(wall)
            cpus[name].append(cpu)
    floor_wall = statistics.median(walls["python -c 'import click'"])
    floor_cpu = statistics.median(cpus["python -c 'import click'"])
    print(f"{'command':32} {'median':>8} {'best':>8} {'x click':>8} {'CPU':>8} {'x click':>8}")
    for name in CASES:
        med, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:32} {med * 1000:6.0f}ms {min(walls[name]) * 1000:6.0f}ms {med / floor_wall:8.2f}"
              f" {cpu * 1000:6.0f}ms {cpu / floor_cpu:8.2f}")


if __name__ == "__main__":
    main()
