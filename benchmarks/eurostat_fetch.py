"""Benchmark: ``udsattestat eurostat fetch`` of a big JSON-stat answer, end to end, against the floor.

Usage:  python benchmarks/eurostat_fetch.py [--cells 0.2m,1m,2m] [--repeat 3] [--root DIR …]

The body is the SYNTHETIC sparse cube of benchmarks/eurostat_jsonstat.py (6 dimensions, half
the cells with a value, 5 % of those flagged), served by a loopback server in this process
that speaks Eurostat's dialect (``GET /api/statistics/1.0/data/<dataset>``, JSON, a
``Content-Length``), sent from its file in chunks so this process stays small.

Each contender is a whole process, started afresh: the interpreter, its imports, the
request, the decode and the Parquet file, everything a user waits for.

- ``udsattestat eurostat fetch``: the command, as typed (``eurostat fetch bench --out
  x.parquet``) with a fresh cache folder each run, so every run downloads: the body kept as a
  snapshot (checksum, request record), checked as JSON-stat, decoded, tidied (periods,
  labels, statuses, notes, provenance columns) and written atomically with its provenance;
- ``numpy reference``: the floor — ``requests.get``, ``json.loads``, the cell keys and values
  to numpy arrays, positions by integer division, one dictionary-encoded code column per
  dimension and the values, ``pyarrow.parquet.write_table``; no checks, no labels, no flags,
  no snapshot, no fsync.

``--root`` (repeatable) names source trees to run the command from (default: this checkout),
so a tree before a change and one after it run side by side, round-robin, in one run.

CPU is user + system time of the child and all its threads (``os.wait4``), peak its
high-water mark (``VmHWM``, read by the child as it exits). The least CPU and the median peak
of ``--repeat`` runs are shown: on a shared machine CPU time is the steadier measure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from eurostat_jsonstat import SIZES, build  # noqa: E402 - the same synthetic cube

DATASET = "bench"

#: Run in the child at exit: its own high-water mark, to the file named by the environment.
PEAK = r"""
import atexit, os
def _peak():
    with open("/proc/self/status") as fh:
        kib = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM"))
    with open(os.environ["BENCH_PEAK_FILE"], "w") as out:
        out.write(str(kib))
atexit.register(_peak)
"""

CLI = PEAK + r"""
import sys
sys.path.insert(0, sys.argv[1])
from udsattestat.cli import main
sys.argv = ["udsattestat", *sys.argv[2:]]
main()
"""

REFERENCE = PEAK + r"""
import json, sys
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import requests
url, out = sys.argv[1:3]
doc = json.loads(requests.get(url, timeout=60).content)
keys = np.array(list(doc["value"]), dtype=np.int64)
values = np.array(list(doc["value"].values()), dtype=np.float64)
columns = {}
stride = int(np.prod(doc["size"]))
for dim, size in zip(doc["id"], doc["size"]):
    stride //= size
    index = doc["dimension"][dim]["category"]["index"]
    codes = pa.array(sorted(index, key=index.get))
    columns[dim] = pa.DictionaryArray.from_arrays(pa.array(((keys // stride) % size).astype(np.int32)), codes)
columns["value"] = pa.array(values)
pq.write_table(pa.table(columns), out, compression="zstd")
"""


def serve(body: Path) -> ThreadingHTTPServer:
    """A loopback server answering every data request with ``body``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            if not self.path.startswith(f"/api/statistics/1.0/data/{DATASET}"):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(body.stat().st_size))
            self.end_headers()
            with body.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    self.wfile.write(chunk)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(argv: list[str], env: dict[str, str], out: Path) -> dict:
    """CPU (user + system, all threads) and peak memory of one whole process."""
    with tempfile.NamedTemporaryFile(suffix=".peak", delete=False) as fh:
        peak_file = fh.name
    try:
        proc = subprocess.Popen(argv, env={**env, "BENCH_PEAK_FILE": peak_file},
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        stderr = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        if status != 0 or not out.is_file():
            raise SystemExit(f"{' '.join(argv[:4])} … failed:\n{stderr}")
        peak = int(Path(peak_file).read_text() or 0) / 1024
    finally:
        os.unlink(peak_file)
    return {"cpu": usage.ru_utime + usage.ru_stime, "peak_mib": peak, "size_mib": out.stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", default="2m", help="comma-separated sizes: " + ", ".join(SIZES))
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (least CPU, median peak)")
    parser.add_argument("--root", action="append", default=None,
                        help="a source tree to run udsattestat from (repeatable; default: this checkout)")
    args = parser.parse_args()
    roots = [Path(r).resolve() for r in (args.root or [str(ROOT)])]
    print(f"load average before the run: {open('/proc/loadavg').read().split()[:3]} on {os.cpu_count()} cores")
    for label in args.cells.split(","):
        src = build(SIZES[label])
        server = serve(src)
        base = f"http://127.0.0.1:{server.server_address[1]}/api"
        print(f"\n{label} cells: {src.stat().st_size / 2**20:.0f} MiB JSON (synthetic), served from loopback")
        contenders = {f"udsattestat eurostat fetch ({r.name})": r for r in roots}
        contenders["numpy reference"] = None
        runs: dict[str, list[dict]] = {name: [] for name in contenders}
        with tempfile.TemporaryDirectory(prefix="bench-eurostat-") as tmp:
            for i in range(args.repeat):  # round-robin, so load bursts hit every contender alike
                for name, root in contenders.items():
                    out = Path(tmp) / f"{i}-{len(runs[name])}-{name.split()[0]}.parquet"
                    env = {**os.environ, "UDSATTESTAT_EUROSTAT_URL": base,
                           "UDSATTESTAT_CACHE_DIR": str(Path(tmp) / f"cache-{name.split()[0]}-{i}")}
                    if root is None:
                        argv = [sys.executable, "-c", REFERENCE, f"{base}/statistics/1.0/data/{DATASET}", str(out)]
                    else:
                        argv = [sys.executable, "-c", CLI, str(root), "eurostat", "fetch", DATASET,
                                "--out", str(out), "--quiet"]
                    runs[name].append(measure(argv, env, out))
        server.shutdown()
        floor = None
        for name in reversed(list(contenders)):  # the reference first, so the others are set against it
            best = {"cpu": min(r["cpu"] for r in runs[name]), "peak_mib": median(r["peak_mib"] for r in runs[name]),
                    "size_mib": runs[name][0]["size_mib"]}
            floor = floor or best
            runs[name] = best
        for name in contenders:
            r = runs[name]
            print(f"  {name:<44} {r['cpu']:6.2f} s CPU ({r['cpu'] / floor['cpu']:4.2f}x)  "
                  f"peak {r['peak_mib']:5.0f} MiB ({r['peak_mib'] / floor['peak_mib']:4.2f}x)  file {r['size_mib']:5.1f} MiB")
        print("  target: udsattestat <= 1.5x the reference in CPU and in peak memory")
    print(f"\nload average after the run: {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()
