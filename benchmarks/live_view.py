"""Benchmark: ``show --live`` of a 6-row view against ``statbank fetch`` of the same 6 rows.

Usage:  python benchmarks/live_view.py [--repeat 5]

Both run as whole processes (``python -m udsattestat …``), side by side in one run, against a
loopback server in this process that speaks StatBank's dialect (POST /v1/tableinfo and
/v1/data with JSON bodies; CSV with BOM, CRLF and ``;``; a BULK body over the cell cap) and
holds a SYNTHETIC FOLK1A-shaped table: 105 areas × 3 sexes × 127 ages × 5 marital states ×
28 quarters = 5,600,700 cells, invented counts. The server answers a request with exactly
the rows it selects (codes or ``*``), generated on the fly, as the API does.

- ``statbank fetch``: ``statbank fetch FOLK1A --var OMRÅDE=000,101 --var KØN=TOT --var
  ALDER=IALT --var CIVILSTAND=TOT --var Tid=2025K2,2025K3,2025K4 --out x.parquet``;
- ``show --live``: ``show folk1a-bench --live --where geo=DK,101 --where sex=TOT --where
  age=IALT --where marital=TOT --since 2025K2`` (the table as printed) for a dataset (benchmarks/_work/datasets,
  written by this script) whose ``[statbank]`` mapping reads FOLK1A with every code of every
  variable — the same six rows, with the dataset's labels and provenance.

Each run has a fresh cache folder, so every run asks the server (tableinfo and data). Wall
time is the parent's clock around the child; CPU (user + system) and peak memory
(``ru_maxrss``) come from the child's own rusage (``os.wait4``). Medians of ``--repeat``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
QUARTERS = [f"{y}K{q}" for y in range(2019, 2026) for q in range(1, 5)]  # 28 quarters
AREAS = ["000"] + [f"{i:03d}" for i in range(101, 205)]
SEXES = [("TOT", "I alt", "Total"), ("1", "Mænd", "Men"), ("2", "Kvinder", "Women")]
AGES = [("IALT", "Alder i alt", "Age, total")] + [(str(a), f"{a} år", f"{a} years") for a in range(126)]
MARITAL = [("TOT", "I alt", "Total"), ("U", "Ugift", "Never married"), ("G", "Gift/separeret", "Married/separated"),
           ("E", "Enke/enkemand", "Widowed"), ("F", "Fraskilt", "Divorced")]


def tableinfo(lang: str) -> dict:
    da = lang == "da"
    pick = (lambda d, e: d) if da else (lambda d, e: e)
    return {
        "id": "FOLK1A", "text": pick("Befolkningen den 1. i kvartalet (syntetisk)", "Population (synthetic)"),
        "description": "", "unit": pick("Antal", "Number"), "suppressedDataValue": "0",
        "updated": "2025-08-11T08:00:00", "active": True, "footnote": None,
        "variables": [
            {"id": "OMRÅDE", "text": pick("område", "region"), "elimination": True, "time": False,
             "map": "Denmark_municipality_07",
             "values": [{"id": a, "text": pick("Hele landet", "All Denmark") if a == "000" else f"Område {a}"}
                        for a in AREAS]},
            {"id": "KØN", "text": pick("køn", "sex"), "elimination": True, "time": False,
             "values": [{"id": c, "text": pick(d, e)} for c, d, e in SEXES]},
            {"id": "ALDER", "text": pick("alder", "age"), "elimination": True, "time": False,
             "values": [{"id": c, "text": pick(d, e)} for c, d, e in AGES]},
            {"id": "CIVILSTAND", "text": pick("civilstand", "marital status"), "elimination": True, "time": False,
             "values": [{"id": c, "text": pick(d, e)} for c, d, e in MARITAL]},
            {"id": "Tid", "text": pick("tid", "time"), "elimination": False, "time": True,
             "values": [{"id": q, "text": q} for q in QUARTERS]},
        ],
    }


ALL = {"OMRÅDE": AREAS, "KØN": [c for c, _, _ in SEXES], "ALDER": [c for c, _, _ in AGES],
       "CIVILSTAND": [c for c, _, _ in MARITAL], "TID": QUARTERS}
ORDER = ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "TID"]


class Server:
    """StatBank's dialect on loopback: tableinfo in da/en, data rows generated for the selection."""

    def __init__(self):
        owner = self
        self.infos = {lang: json.dumps(tableinfo(lang), ensure_ascii=False).encode() for lang in ("da", "en")}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                ask = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                if self.path.endswith("/tableinfo"):
                    self.reply(owner.infos[ask["lang"]], "application/json; charset=utf-8")
                    return
                chosen = {v["code"].upper(): v["values"] for v in ask["variables"]}
                names = [n for n in ORDER if n in chosen]
                codes = []
                for n in names:
                    vals = chosen[n]
                    bad = [v for v in vals if v != "*" and v not in ALL[n]]
                    if bad:
                        body = json.dumps({"errorTypeCode": "EXTRACT-NOTFOUND",
                                           "message": f"Kan ikke finde værdien: {bad[0]} ({n})"}).encode()
                        self.reply(body, "application/json; charset=utf-8", status=400)
                        return
                    codes.append(ALL[n] if vals == ["*"] else vals)
                bulk = ask["format"].upper() == "BULK"
                lines = [";".join([*names, "INDHOLD"])]
                for i, combo in enumerate(itertools.product(*codes)):
                    lines.append(";".join([*combo, str(1000 + i % 977)]))
                text = "".join(f"{line}\r\n" for line in lines)
                self.reply((b"" if bulk else b"\xef\xbb\xbf") + text.encode(), "text/csv; charset=utf-8")

            def reply(self, payload: bytes, ctype: str, status: int = 200):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("StatbankAPI-Request-Id", "00000000-0000-4000-8000-00000000b3c4")
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


DATASET = '''id = "folk1a-bench"
title = { da = "Befolkningen (syntetisk benchmark)", en = "Population (synthetic benchmark)" }
definition = { da = "Syntetisk FOLK1A-formet tabel til benchmarks.", en = "A synthetic FOLK1A-shaped table for benchmarks." }
producer = { da = "Danmarks Statistik (syntetisk)", en = "Statistics Denmark (synthetic)" }
publication = "Statistikbanken FOLK1A (synthetic)"
url = "https://www.statistikbanken.dk/FOLK1A"
licence = { da = "Syntetisk", en = "Synthetic" }
unit = "persons"
frequency = "Q"
live_only = true
checked = "2026-12-06"
credit = { da = "Danmarks Statistik", en = "Statistics Denmark" }

[units.persons]
da = "personer"
en = "persons"

[geo.DK]
da = "Hele landet"
en = "Denmark"

[dimensions.sex]
label = { da = "Køn", en = "Sex" }
[dimensions.sex.codes.TOT]
da = "I alt"
en = "Total"
[dimensions.age]
label = { da = "Alder", en = "Age" }
[dimensions.age.codes.IALT]
da = "Alder i alt"
en = "Age, total"
[dimensions.marital]
label = { da = "Civilstand", en = "Marital status" }
[dimensions.marital.codes.TOT]
da = "I alt"
en = "Total"

[sources.statbank-folk1a]
publication = { da = "Statistikbanken FOLK1A (hentet live)", en = "Statistikbanken FOLK1A (live fetch)" }
author = "Danmarks Statistik"
url = "https://www.statistikbanken.dk/FOLK1A"

[vintages.live]
published = ""
description = { da = "Hentet live", en = "Fetched live" }

[statbank]
table = "FOLK1A"
unit = "persons"
[statbank.dimensions.geo]
variable = "OMRÅDE"
codes = "*"
recode = { DK = "000" }
[statbank.dimensions.sex]
variable = "KØN"
codes = "*"
[statbank.dimensions.age]
variable = "ALDER"
codes = "*"
[statbank.dimensions.marital]
variable = "CIVILSTAND"
codes = "*"
'''

COMMANDS = {
    "statbank fetch": ["statbank", "fetch", "FOLK1A", "--var", "OMRÅDE=000,101", "--var", "KØN=TOT", "--var",
                       "ALDER=IALT", "--var", "CIVILSTAND=TOT", "--var", "Tid=2025K2,2025K3,2025K4", "--quiet",
                       "--out", "{out}"],
    "show --live": ["show", "folk1a-bench", "--live", "--where", "geo=DK,101", "--where", "sex=TOT", "--where",
                    "age=IALT", "--where", "marital=TOT", "--since", "2025K2", "--quiet"],
}


def run(which: str, server: Server, datasets: Path) -> dict:
    cache = Path(tempfile.mkdtemp(prefix="bench-cache-", dir=WORK))  # every run asks the server
    out = cache / "out.parquet"
    env = dict(os.environ, UDSATTESTAT_STATBANK_URL=server.url, UDSATTESTAT_CACHE_DIR=str(cache),
               UDSATTESTAT_DATA_DIR=str(cache / "data"), UDSATTESTAT_DATASETS_DIR=str(datasets))
    args = [sys.executable, "-m", "udsattestat", *[a.format(out=out) for a in COMMANDS[which]]]
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stdout, stderr = proc.stdout.read(), proc.stderr.read()
        if status != 0:
            raise SystemExit(f"{which} failed:\n{stderr.decode()}")
        # the table a reader sees: one line per row, each starting with its quarter
        rows = (sum(1 for line in stdout.decode().splitlines() if line.lstrip("│ ").startswith("2025K"))
                if which == "show --live" else __import__("polars").read_parquet(out).height)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (round robin); medians are shown")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    datasets = WORK / "datasets"
    (datasets / "folk1a-bench").mkdir(parents=True, exist_ok=True)
    (datasets / "folk1a-bench" / "dataset.toml").write_text(DATASET, "utf-8")
    (datasets / "folk1a-bench" / "values.csv").write_text(  # live only: no bundled values
        "period,geo,sex,age,marital,value,value_low,value_high,precision,unit,status,confidence,vintage,source,"
        "locator,note\n", "utf-8")
    server = Server()
    results: dict[str, list[dict]] = {w: [] for w in COMMANDS}
    for _ in range(args.repeat):
        for which in COMMANDS:  # round robin: both see the same machine load
            results[which].append(run(which, server, datasets))
    base = {k: median(r[k] for r in results["statbank fetch"]) for k in ("wall", "cpu", "peak_mib")}
    print(f"{'command':<16} {'rows':>4} {'wall':>8} {'×':>5} {'CPU':>8} {'×':>5} {'peak':>9} {'×':>5}")
    for which, runs in results.items():
        m = {k: median(r[k] for r in runs) for k in ("wall", "cpu", "peak_mib")}
        print(f"{which:<16} {runs[0]['rows']:>4} {m['wall'] * 1000:>6.0f}ms {m['wall'] / base['wall']:>5.2f} "
              f"{m['cpu'] * 1000:>6.0f}ms {m['cpu'] / base['cpu']:>5.2f} {m['peak_mib']:>6.0f}MiB "
              f"{m['peak_mib'] / base['peak_mib']:>5.2f}")
    print(f"(medians of {args.repeat} runs; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
