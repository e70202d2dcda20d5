"""CLI start-up time, side by side with the floor: a Python that only imports click.

    python benchmarks/startup.py [--runs 15]

Prints, per command, the median and best wall time, the median CPU time (user + system of
the child, from its own rusage: steadier than wall time on a shared machine), the median
peak memory (the child's ru_maxrss) and the ratios to the floor. `list` is measured with
its catalogue cache warm (the usual case: the datasets did not change since the last run)
and with the cache unusable (`UDSATTESTAT_CACHE_DIR` under /dev/null: every dataset read
and checked, as on the first run or after an edit). The
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
    "udsattestat list (no cache)": [*CLI, "list"],
    "udsattestat info drug-deaths": [*CLI, "info", "drug-deaths"],
    "udsattestat show homelessness": [*CLI, "show", "homelessness", "--where", "situation=TOT"],
    "udsattestat show drug-deaths": [*CLI, "show", "drug-deaths", "--vintage", "all"],
}


# As installed: bytecode cached. Without this, PYTHONDONTWRITEBYTECODE=1 (set on some
# machines) makes every run recompile udsattestat's modules from source — click's are
# compiled at install time — and the comparison measures the compiler, not the CLI.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


#: Cases run with their catalogue cache out of reach (a folder that cannot be created).
NO_CACHE = {"udsattestat list (no cache)"}


def once(name: str, cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one run of ``cmd``."""
    env = dict(ENV, UDSATTESTAT_CACHE_DIR="/dev/null/udsattestat") if name in NO_CACHE else ENV
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, in microseconds
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed with exit code {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    walls: dict[str, list[float]] = {name: [] for name in CASES}
    cpus: dict[str, list[float]] = {name: [] for name in CASES}
    peaks: dict[str, list[float]] = {name: [] for name in CASES}
    for name, cmd in CASES.items():
        once(name, cmd)  # warm the file cache, the bytecode cache and the catalogue cache
    print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])} on {os.cpu_count()} cores; "
          f"medians of {args.runs} runs, round-robin")
    for _ in range(args.runs):
        for name, cmd in CASES.items():
            wall, cpu, peak = once(name, cmd)
            walls[name].append(wall)
            cpus[name].append(cpu)
            peaks[name].append(peak)
    floor_wall = statistics.median(walls["python -c 'import click'"])
    floor_cpu = statistics.median(cpus["python -c 'import click'"])
    print(f"{'command':32} {'median':>8} {'best':>8} {'x click':>8} {'CPU':>8} {'x click':>8} {'peak':>8}")
    for name in CASES:
        med, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:32} {med * 1000:6.0f}ms {min(walls[name]) * 1000:6.0f}ms {med / floor_wall:8.2f}"
              f" {cpu * 1000:6.0f}ms {cpu / floor_cpu:8.2f} {statistics.median(peaks[name]):5.0f}MiB")
    print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")


if __name__ == "__main__":
    main()
