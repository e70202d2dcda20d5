"""CLI start-up time, side by side with the floor: a Python that only imports click.

    python benchmarks/startup.py [--runs 15]

Prints the median and best wall time of each command and its ratio to the floor. The CLI
imports polars, pyarrow, pandas and matplotlib lazily, so `--help` should cost little more
than click itself; `list` reads the bundled datasets and so needs polars.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "python -c 'import click'": [sys.executable, "-c", "import click"],
    "udsattestat --help": [sys.executable, "-m", "udsattestat", "--help"],
    "udsattestat list": [sys.executable, "-m", "udsattestat", "list"],
    "udsattestat list --json": [sys.executable, "-m", "udsattestat", "list", "--json"],
}


def measure(cmd: list[str], runs: int) -> list[float]:
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    results = {name: measure(cmd, args.runs) for name, cmd in CASES.items()}
    floor = statistics.median(results["python -c 'import click'"])
    print(f"{'command':28} {'median':>9} {'best':>9} {'x click':>8}")
    for name, times in results.items():
        med = statistics.median(times)
        print(f"{name:28} {med * 1000:8.0f}ms {min(times) * 1000:8.0f}ms {med / floor:8.2f}")


if __name__ == "__main__":
    main()
