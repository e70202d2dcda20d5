"""How fast does the JSON-stat parser read a big Eurostat answer?

Builds a synthetic sparse cube (default 1,000,000 observations out of 2,000,000 cells,
5 % flagged) in Eurostat's shape, then times json decoding + ``parse`` and ``tidy``.

    PYTHONPATH=. python benchmarks/eurostat_jsonstat.py [observations]
"""

from __future__ import annotations

import json
import random
import sys
import time

from udsattestat.eurostat import jsonstat


def build(n_obs: int) -> bytes:
    rng = random.Random(1)
    geo = [f"G{i:02d}" for i in range(40)]
    years = [str(1975 + i) for i in range(50)]
    ages = [f"A{i}" for i in range(100)]
    sexes = ["T", "F", "M", "X", "Y"]  # 2 × 5 × 100 × 40 × 50 = 2,000,000 cells
    dims = [("freq", ["A"]), ("unit", ["PC", "NR"]), ("sex", sexes), ("age", ages), ("geo", geo), ("time", years)]
    total = 1
    for _, c in dims:
        total *= len(c)
    cells = rng.sample(range(total), min(n_obs, total))
    doc = {
        "version": "2.0", "class": "dataset", "label": "benchmark", "updated": "2026-01-01T00:00:00+0100",
        "id": [d for d, _ in dims], "size": [len(c) for _, c in dims],
        "dimension": {d: {"label": d, "category": {"index": {c: i for i, c in enumerate(cs)},
                                                   "label": {c: c for c in cs}}} for d, cs in dims},
        "value": {str(c): round(rng.random() * 100, 1) for c in cells},
        "status": {str(c): rng.choice("epbucn") for c in cells if rng.random() < 0.05},
    }
    return json.dumps(doc).encode()


def main(n_obs: int, repeat: int = 3) -> None:
    data = build(n_obs)
    best = {"json": 1e9, "parse": 1e9, "tidy": 1e9}
    for _ in range(repeat):  # best of N: the machine is shared, the minimum is the code's cost
        t0 = time.perf_counter()
        doc = json.loads(data)
        t1 = time.perf_counter()
        cube = jsonstat.parse(doc)
        t2 = time.perf_counter()
        frame = jsonstat.tidy(cube, indicator="bench", vintage="v", vintage_date="2026-01-01", source="s")
        t3 = time.perf_counter()
        for key, took in (("json", t1 - t0), ("parse", t2 - t1), ("tidy", t3 - t2)):
            best[key] = min(best[key], took)
    print(f"{len(data) / 1e6:.1f} MB JSON, {cube.observations.height:,} observations, best of {repeat}: "
          f"json.loads {best['json']:.2f} s, parse {best['parse']:.2f} s, tidy {best['tidy']:.2f} s; "
          f"frame {frame.estimated_size() / 1e6:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
