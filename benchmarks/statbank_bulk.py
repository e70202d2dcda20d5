"""Benchmark: a FOLK1A-shaped StatBank BULK response → Parquet, three ways.

Usage:  python benchmarks/statbank_bulk.py [--rows 0.2m,1m,5.6m] [--repeat 1] [--contenders …]

The input is SYNTHETIC: a BULK body shaped like FOLK1A (OMRÅDE;KØN;ALDER;CIVILSTAND;TID;
INDHOLD, CRLF, no BOM, codes, invented counts, a few ``..``) with 105 areas × 3 sexes × 127
ages × 5 marital states × 28 quarters = 5,600,700 combinations, and the same shape cut to 5
quarters (1,000,125) and 1 quarter (200,025). Every 13th combination is left out, as BULK
leaves out cells with no value, so ``--complete`` has something to restore. It is written
once under benchmarks/_work/ (git-ignored) with its tableinfo.

Each contender runs in a fresh subprocess so its peak memory (VmHWM from /proc, which
includes the interpreter and imported libraries) is its own:

- ``udsattestat``: the real path of ``statbank fetch`` from the snapshot file — header
  check, numbers by language, ``..`` → suppressed, time codes → period/freq/start/end,
  labels joined from tableinfo by code — streamed in batches into the tidy Parquet;
- ``pandas``: what existing clients do — ``pandas.read_csv(sep=";", decimal=",")`` then
  ``to_parquet``, with no tidying at all;
- ``pyarrow``: the fast baseline — ``pyarrow.csv.read_csv`` then ``pyarrow.parquet.write_table``;
- ``polars``: ``polars.read_csv`` then ``write_parquet`` (no tidying);
- ``duckdb``: ``COPY (SELECT * FROM read_csv(…)) TO '…' (FORMAT parquet)`` (no tidying);
- ``udsattestat --complete``: the udsattestat path plus restoring the left-out
  combinations (a bitmap over the product of the selected codes' positions).

With ``--throttle MIB_PER_S`` two more contenders fetch the body over HTTP from a loopback
server in this process that speaks the StatBank API's dialect (POST /v1/tableinfo, POST
/v1/data; ``Content-Length`` set) and sends the body at that rate, through the real
``statbank fetch`` path (``fetch_table``; a fresh cache folder each run, so every run
downloads): ``fetch: overlap`` parses while the body arrives (the default), ``fetch: then
parse`` parses the finished snapshot (``overlap=False``, as before). Their wall time counts
from the first request to the finished Parquet; the download alone takes at least
size / rate.

pandas, pyarrow, polars and DuckDB are installed for the benchmark only (DuckDB is not a
dependency); a contender whose library is missing is skipped.

Wall time is measured inside the child around the work (imports excluded for all three).
The median of ``--repeat`` runs is shown for wall, CPU (all threads) and peak memory: on a
shared machine the spread is wide, and CPU time is the steadier measure. ``udsattestat``'s time includes
the fsync of its atomic write; the baselines do not fsync.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
SIZES = {"0.2m": 1, "1m": 5, "5.6m": 28}  # quarters; combinations = 105*3*127*5*quarters
GAP = 13  # every 13th combination is left out of the body, as BULK leaves out empty cells
CONTENDERS = ("udsattestat", "udsattestat --complete", "pandas", "pyarrow", "polars", "duckdb")
FETCHERS = ("fetch: overlap", "fetch: then parse")

CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
which, src, out, info_path = sys.argv[1:5]
if which.startswith("fetch"):
    from udsattestat.statbank.fetch import fetch_table
elif which.startswith("udsattestat"):
    from udsattestat.statbank.tableinfo import TableInfo
    from udsattestat.statbank.plan import make_plan
    from udsattestat.statbank.body import check_header
    from udsattestat.statbank.stream import write_tidy
    from udsattestat.statbank.fetch import context_for
    import pyarrow, pyarrow.parquet, pyarrow.csv, pyarrow.compute
elif which == "pandas":
    import pandas as pd, pyarrow
elif which == "polars":
    import polars as pl
elif which == "duckdb":
    import duckdb
else:
    import pyarrow.csv as pacsv, pyarrow.parquet as pq
t0 = time.perf_counter()
c0 = time.process_time()
if which.startswith("fetch"):
    ids = [v["id"] for v in json.loads(Path(info_path).read_text("utf-8"))["variables"]]
    result = fetch_table("FOLK1A", {{i: ["*"] for i in ids}}, lang="da", data_dir=Path(out).parent, out=Path(out),
                         force_format="BULK", overlap=which == "fetch: overlap")
    rows = result.stats.rows
elif which.startswith("udsattestat"):
    info = TableInfo.from_json(json.loads(Path(info_path).read_text("utf-8")), lang="da")
    plan = make_plan(info, {{v.id: ["*"] for v in info.variables}}, lang="da", force_format="BULK")
    header = check_header(Path(src), plan.header)
    codes = {{vp.variable.id: vp.codes for vp in plan.variables}} if which.endswith("--complete") else None
    stats = write_tidy(Path(src), context_for(info, plan), header, Path(out),
                       finish_metadata=lambda s: b"{{}}", complete_codes=codes)
    rows = stats.rows + stats.omitted
elif which == "pandas":
    df = pd.read_csv(src, sep=";", decimal=",")
    df.to_parquet(out)
    rows = len(df)
elif which == "polars":
    df = pl.read_csv(src, separator=";", decimal_comma=True, null_values=[".."],
                     schema_overrides={{"INDHOLD": pl.Float64}})
    df.write_parquet(out)
    rows = df.height
elif which == "duckdb":
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{{src}}', delim=';', decimal_separator=',', nullstr='..', "
                f"header=true, all_varchar=false)) TO '{{out}}' (FORMAT parquet)")
    rows = con.execute(f"SELECT count(*) FROM '{{out}}'").fetchone()[0]
else:
    t = pacsv.read_csv(src, parse_options=pacsv.ParseOptions(delimiter=";"))
    pq.write_table(t, out)
    rows = t.num_rows
wall = time.perf_counter() - t0
cpu = time.process_time() - c0  # all threads: the work done, whatever else runs on the box
# VmHWM, the high-water mark of this process image: unlike ru_maxrss it is not inherited
# from the parent across fork/exec (the parent held the generated table in memory).
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({{"which": which, "rows": rows, "wall": wall, "cpu": cpu, "peak_mib": peak}}))
"""


def tableinfo(quarters: list[str]) -> dict:
    """A FOLK1A-shaped tableinfo (SYNTHETIC labels) for the generated body."""
    areas = ["000"] + [f"{i:03d}" for i in range(101, 205)]
    return {
        "id": "FOLK1A", "text": "Befolkningen den 1. i kvartalet (syntetisk)", "description": "", "unit": "Antal",
        "suppressedDataValue": "0", "updated": "2025-08-11T08:00:00", "active": True,
        "variables": [
            {"id": "OMRÅDE", "text": "område", "elimination": True, "time": False, "map": "Denmark_municipality_07",
             "values": [{"id": a, "text": f"Område {a}"} for a in areas]},
            {"id": "KØN", "text": "køn", "elimination": True, "time": False,
             "values": [{"id": "TOT", "text": "I alt"}, {"id": "1", "text": "Mænd"}, {"id": "2", "text": "Kvinder"}]},
            {"id": "ALDER", "text": "alder", "elimination": True, "time": False,
             "values": [{"id": "IALT", "text": "Alder i alt"}] + [{"id": str(a), "text": f"{a} år"} for a in range(126)]},
            {"id": "CIVILSTAND", "text": "civilstand", "elimination": True, "time": False,
             "values": [{"id": c, "text": t} for c, t in (("TOT", "I alt"), ("U", "Ugift"), ("G", "Gift/separeret"),
                                                          ("E", "Enke/enkemand"), ("F", "Fraskilt"))]},
            {"id": "Tid", "text": "tid", "elimination": False, "time": True,
             "values": [{"id": q, "text": q} for q in quarters]},
        ],
    }


def make_input(label: str) -> tuple[Path, Path, int]:
    import polars as pl

    n_q = SIZES[label]
    quarters = [f"{2019 + i // 4}K{i % 4 + 1}" for i in range(n_q)]
    info = tableinfo(quarters)
    WORK.mkdir(exist_ok=True)
    body = WORK / f"folk1a_bulk_gaps_{label}.csv"
    info_path = WORK / f"folk1a_tableinfo_{label}.json"
    info_path.write_text(json.dumps(info, ensure_ascii=False), "utf-8")
    codes = {v["id"]: [x["id"] for x in v["values"]] for v in info["variables"]}
    rows = 1
    for c in codes.values():
        rows *= len(c)
    if not body.exists() or body.stat().st_size == 0:
        frame = None
        for name, values in codes.items():
            part = pl.DataFrame({name.upper(): values})
            frame = part if frame is None else frame.join(part, how="cross")
        idx = pl.int_range(0, pl.len(), eager=False)
        frame = frame.with_columns(
            pl.when(idx % 997 == 0).then(pl.lit("..")).otherwise(((idx * 7919) % 5000).cast(pl.String)).alias("INDHOLD"),
            (idx % GAP == GAP - 1).alias("_gap"),
        ).filter(~pl.col("_gap")).drop("_gap")
        tmp = body.with_suffix(".part")
        frame.write_csv(tmp, separator=";", line_terminator="\r\n", quote_style="never")
        tmp.replace(body)
    return body, info_path, rows


def run(which: str, body: Path, info_path: Path, label: str, server: str | None = None) -> dict:
    import shutil
    import tempfile

    out = WORK / f"out_{which.replace(' --', '_').replace(': ', '_').replace(' ', '_')}_{label}.parquet"
    code = CHILD.format(root=str(ROOT))
    env = dict(os.environ)
    cache = None
    if server is not None:
        cache = tempfile.mkdtemp(prefix="bench-cache-", dir=WORK)  # every run downloads
        env.update(UDSATTESTAT_STATBANK_URL=server, UDSATTESTAT_CACHE_DIR=cache)
    try:
        res = subprocess.run([sys.executable, "-c", code, which, str(body), str(out), str(info_path)],
                             capture_output=True, text=True, check=False, env=env)
    finally:
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)
    if res.returncode != 0:
        if "ModuleNotFoundError" in res.stderr:
            return {}
        raise SystemExit(f"{which} failed:\n{res.stderr}")
    result = json.loads(res.stdout.strip().splitlines()[-1])
    result["out_mib"] = out.stat().st_size / 2**20
    out.unlink()
    return result


class _Throttled:
    """A loopback server in StatBank's dialect that sends the data body at ``rate`` bytes/s."""

    def __init__(self, rate: float):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        owner = self
        self.rate = rate
        self.body = self.info = b""

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.endswith("/tableinfo"):
                    payload, ctype, rate = owner.info, "application/json; charset=utf-8", None
                else:
                    payload, ctype, rate = owner.body, "text/csv; charset=utf-8", owner.rate
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                import time

                start = time.perf_counter()
                step = 1 << 16
                for i in range(0, len(payload), step):
                    self.wfile.write(payload[i:i + step])
                    if rate:
                        ahead = (i + step) / rate - (time.perf_counter() - start)
                        if ahead > 0:
                            time.sleep(ahead)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, body: Path, info_path: Path) -> None:
        self.body = body.read_bytes()
        self.info = info_path.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="0.2m,1m,5.6m", help="comma-separated sizes: 0.2m, 1m, 5.6m")
    parser.add_argument("--repeat", type=int, default=1, help="runs per contender; medians are shown")
    parser.add_argument("--contenders", default=",".join(CONTENDERS), help="comma-separated, of: " + ", ".join(CONTENDERS))
    parser.add_argument("--throttle", type=float, default=None, metavar="MIB_PER_S",
                        help="also fetch the body from a loopback server sending it at this rate, overlapped and not")
    args = parser.parse_args()
    contenders = [c.strip() for c in args.contenders.split(",") if c.strip()]
    server = None
    if args.throttle:
        server = _Throttled(args.throttle * 2**20)
        contenders += list(FETCHERS)
    print(f"load average before the run: {open('/proc/loadavg').read().split()[:3]} on {os.cpu_count()} cores; "
          f"medians of {args.repeat} run(s): wall, CPU (all threads), peak memory (VmHWM)")
    for label in args.rows.split(","):
        body, info_path, rows = make_input(label)
        if server is not None:
            server.serve(body, info_path)
        print(f"\n{label}: {rows:,} combinations (every {GAP}th left out), "
              f"{body.stat().st_size / 2**20:.0f} MiB BULK body (synthetic)")
        runs: dict[str, list[dict]] = {w: [] for w in contenders}
        # Round-robin, so a burst of load on a shared machine hits every contender alike.
        for _ in range(args.repeat):
            for which in contenders:
                result = run(which, body, info_path, label, server.url if server and which in FETCHERS else None)
                if result:
                    runs[which].append(result)
        results = {}
        for which in contenders:
            if not runs[which]:
                print(f"  {which:<24} skipped (library not installed)")
                continue
            best = min(runs[which], key=lambda r: r["wall"])
            # Medians: on a shared machine one run's CPU or wall can be far off either way.
            best["peak_mib"] = median(r["peak_mib"] for r in runs[which])
            best["cpu"] = median(r["cpu"] for r in runs[which])
            best["median"] = median(r["wall"] for r in runs[which])
            results[which] = best
            print(f"  {which:<24} {best['median']:6.2f} s wall (best {best['wall']:.2f})  {best['cpu']:6.2f} s CPU  "
                  f"peak {best['peak_mib']:6.0f} MiB  parquet {best['out_mib']:5.1f} MiB  rows {best['rows']:,}")
        if server is not None:
            print(f"  download alone at {args.throttle:g} MiB/s: at least {body.stat().st_size / server.rate:.2f} s")
        u, c = results.get("udsattestat"), results.get("udsattestat --complete")
        if u and c:
            print(f"  --complete: {c['cpu'] / u['cpu']:.2f}x the plain path's CPU (target <= 1.3x), "
                  f"peak {c['peak_mib']:.0f} MiB (target <= 300 MiB)")
        for other in ("pandas", "pyarrow", "polars", "duckdb"):
            if u and other in results:
                o = results[other]
                print(f"  vs {other}: {o['wall'] / u['wall']:.2f}x faster (wall), {o['cpu'] / u['cpu']:.2f}x less CPU; "
                      f"{other} peaks at {o['peak_mib'] / u['peak_mib']:.2f}x udsattestat's memory")
    print(f"\nload average after the run: {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()
