"""Build cost side by side: a fresh build, a rebuild with nothing changed, and a rebuild
after one dataset changed (the police count of drug deaths for 2020, in a private copy).

    python benchmarks/rebuild.py [--recipe recipes/forandringskraft-2021.toml] [--repeat 3]

Each build runs in its own process (imports included, as a user pays them); reported are
the median wall time and the median CPU time (user + system of the child; steadier than wall
time on a shared machine) and each one's ratio to the fresh build. Goal (issue 14): a
no-change rebuild ≤ 0.25× a fresh build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    before = os.times()
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - t0
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", default=str(ROOT / "recipes" / "forandringskraft-2021.toml"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {"fresh build": [], "no-change rebuild": [],
                                                     "one dataset changed": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            datasets = tmp / "datasets"
            shutil.copytree(ROOT / "datasets", datasets)
            env = {**os.environ, "UDSATTESTAT_DATASETS_DIR": str(datasets)}
            cmd = [sys.executable, "-m", "udsattestat", "build", args.recipe, "--out", str(tmp / "site"),
                   "--fail-on", "none"]
            results["fresh build"].append(timed(cmd, env))
            results["no-change rebuild"].append(timed(cmd, env))
            values = datasets / "drug-deaths" / "values.csv"
            text = values.read_text(encoding="utf-8")
            values.write_text(text.replace("\n2020,DK,POLICE,TOT,256,", "\n2020,DK,POLICE,TOT,250,"), encoding="utf-8")
            results["one dataset changed"].append(timed(cmd, env))
    fresh_wall = statistics.median(w for w, _ in results["fresh build"])
    fresh_cpu = statistics.median(c for _, c in results["fresh build"])
    print(f"{Path(args.recipe).name}, median of {args.repeat}:")
    print(f"{'':24} {'wall':>8} {'x fresh':>8} {'CPU':>8} {'x fresh':>8}")
    for name, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{name:24} {wall:7.2f}s {wall / fresh_wall:8.2f} {cpu:7.2f}s {cpu / fresh_cpu:8.2f}")


if __name__ == "__main__":
    main()
