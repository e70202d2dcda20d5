"""`claims scan` of a whole report, as a process, side by side with the floor and a grep.

    python benchmarks/claims_scan.py [--runs 11]

The goal (issue 21): scanning Forandringskraft (1,270 lines) takes under a second. Measured
as the command a user runs: wall and CPU seconds (the child's own rusage) and peak memory,
medians of round-robin runs, beside `import click` (the floor of any click CLI), `udsattestat
--help` (our start-up) and `grep -o` of every digit run (the obvious alternative: it finds
numbers, but says nothing of which are claims).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import CLI, once  # noqa: E402  the same process measurement as the start-up benchmark

ROOT = Path(__file__).resolve().parent.parent
REPORT = str(ROOT / "recipes" / "reports" / "forandringskraft-2021.txt")
RECIPE = str(ROOT / "recipes" / "forandringskraft-2021.toml")
CASES = {
    "python -c 'import click'": [sys.executable, "-c", "import click"],
    "udsattestat --help": [*CLI, "--help"],
    "grep -o '[0-9][0-9.,]*' report": ["grep", "-o", "[0-9][0-9.,]*", REPORT],
    "udsattestat claims scan report": [*CLI, "claims", "scan", REPORT],
    "udsattestat claims scan report --recipe": [*CLI, "claims", "scan", REPORT, "--recipe", RECIPE],
    "udsattestat claims scan report --json": [*CLI, "claims", "scan", REPORT, "--json"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in CASES}
    for name, cmd in CASES.items():
        once(name, cmd)  # warm the file and bytecode caches
    print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])} on {os.cpu_count()} cores; "
          f"medians of {args.runs} runs, round-robin")
    for _ in range(args.runs):
        for name, cmd in CASES.items():
            runs[name].append(once(name, cmd))
    print(f"{'command':<42} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9}")
    for name, values in runs.items():
        wall, cpu, peak = (statistics.median(v[i] for v in values) for i in range(3))
        print(f"{name:<42} {wall:7.3f} {cpu:7.3f} {peak:9.1f}")


if __name__ == "__main__":
    main()
