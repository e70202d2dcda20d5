"""Fuzz every reader with generated and mutated inputs; report counts and crashes.

A reader passes when each input gives a value or one of the project's typed errors
(:class:`udsattestat.errors.UdsatError`); anything else (a ``TypeError``, a polars
``DuplicateError``, a ``RecursionError``…) is a crash, counted by where it was raised, and
the input is saved for reproduction. See fuzz/README.md.

    python fuzz/run.py                      # every reader, 100,000 inputs each
    python fuzz/run.py --count 2000 sdmx    # one reader, quickly
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fixtures of the test suite are the seeds

from udsattestat.errors import UdsatError  # noqa: E402

#: Byte strings that break parsers in practice: separators, quotes, odd numbers, BOMs,
#: non-ASCII digits, formula starts, structure characters, huge values.
TOKENS = [b"", b",", b";", b":", b'"', b"'", b"\n", b"\r\n", b"\r", b"\t", b"\x00", b"\xef\xbb\xbf", b"\xff",
          b"NaN", b"nan", b"inf", b"-inf", b"1e999", b"-0", b"9" * 100, b"0x1F", b"1_000", b"\xef\xbc\x92\xef\xbc\x90",
          b"=1+1", b"@x", b"..", b"{", b"}", b"[", b"]", b"[[", b"]]", b"null", b"true", b"[]", b"{}",
          b'"a"', b'{"a": 1}', b"[1, [2]]", b"2019", b"2019M13", b"2019K5", b"2019U53", b"9999", b"0000",
          b"geo", b" geo", b"TIME_PERIOD", b"OBS_VALUE", b"value", b"geo_label", b"= ", b"#", b"\\", b"\\u0000"]

#: JSON-ish values put into parsed documents by the structural mutator.
HOSTILE = ["", " ", "x", "=1", "NaN", "２０２４", "2019", "DK", None, True, False, 0, -1, 10**100, -(10**100),
           float("nan"), float("inf"), 1.5, [], [1, 2], ["a", ["b"]], {}, {"a": 1}, {"id": []}, {"label": {}},
           "a" * 1000]


def mutate_bytes(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        n = len(data)
        i = rng.randrange(n + 1)
        if op == 0 and n:  # flip a byte
            j = rng.randrange(n)
            data = data[:j] + bytes([data[j] ^ (1 << rng.randrange(8))]) + data[j + 1:]
        elif op == 1 and n:  # delete a slice
            data = data[:i] + data[i + rng.randint(1, 16):]
        elif op == 2 and n:  # duplicate a slice (a repeated row, a repeated key)
            j = min(n, i + rng.randint(1, 200))
            data = data[:j] + data[i:j] + data[j:]
        elif op == 3:  # insert a token
            data = data[:i] + rng.choice(TOKENS) + data[i:]
        elif op == 4 and n:  # replace a token-sized span by a token
            data = data[:i] + rng.choice(TOKENS) + data[i + rng.randint(1, 6):]
        elif op == 5:  # splice with another seed
            other = rng.choice(seeds)
            data = data[:i] + other[rng.randrange(len(other) + 1):]
        elif op == 6:  # truncate
            data = data[:i]
        else:  # replace a whole line with another line of a seed
            lines = data.split(b"\n")
            other = rng.choice(seeds).split(b"\n")
            lines[rng.randrange(len(lines))] = rng.choice(other)
            data = b"\n".join(lines)
    return data


def mutate_tree(rng: random.Random, doc):
    """Replace, drop or add one node anywhere in a parsed JSON/TOML document."""
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 3)):
        path = []
        node = doc
        while isinstance(node, dict | list) and node and rng.random() < 0.75:
            key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
            path.append((node, key))
            node = node[key]
        if not path:
            return rng.choice(HOSTILE) if rng.random() < 0.1 else doc
        parent, key = path[-1]
        action = rng.random()
        if action < 0.7:
            parent[key] = copy.deepcopy(rng.choice(HOSTILE))
        elif action < 0.85:
            if isinstance(parent, dict):
                parent.pop(key)
            else:
                parent.pop(key)
        elif isinstance(parent, dict):
            parent[rng.choice(["x", "id", "label", "index", "da", "en", "codes"])] = copy.deepcopy(rng.choice(HOSTILE))
        else:
            parent.append(copy.deepcopy(rng.choice(HOSTILE)))
    return doc


# ------------------------------------------------------------------ readers

class Reader:
    """One reader: its seeds and how to feed it one input (bytes or a parsed document)."""

    name = ""
    structural = False  # also mutate the parsed document, not only bytes
    keep_header = False  # half the time mutate only below the first line (get past the header check)

    def seeds(self) -> list[bytes]:
        raise NotImplementedError

    def feed(self, data: bytes) -> None:
        raise NotImplementedError

    def feed_doc(self, doc) -> None:
        raise NotImplementedError

    def parse_seed(self, data: bytes):
        return json.loads(data)


class Periods(Reader):
    name = "periods"

    def seeds(self):
        return [c.encode() for c in ("2025", "2015H1", "2025K1", "2025Q4", "2025M01", "2025U01", "2020U53",
                                      "2000M01D01", "2025-Q1", "2025-03", "2025-S1", "2025-W01", "2024-02-29")]

    def feed(self, data):
        from udsattestat.periods import parse_period

        parse_period(data.decode("utf-8", "replace"))


class SdmxCsv(Reader):
    name = "sdmx-csv"
    keep_header = True

    def seeds(self):
        head = b"DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
        rows = (b"ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,DK,2022,12.1,b,\n"
                b"ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,DK,2023,12.4,,\n"
                b"ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,SE,2022,,,C\n"
                b"ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,EE,2023,14.1,bu,F\n")
        labels = b"ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A:Annual,PC:Percentage,DK:Denmark,2022,12.1,b,\n"
        return [head + rows, b"\xef\xbb\xbf" + head + labels, head + rows + labels]

    def feed(self, data):
        from udsattestat.eurostat import sdmxcsv

        sdmxcsv.parse(data)


class JsonStat(Reader):
    name = "json-stat"
    structural = True

    def seeds(self):
        import eurostat_fixtures as f

        return [f.ilc_li02_new(), f.ilc_li02_old(), f.hlth_cd_aro(), f.demo_pjan()]

    def feed(self, data):
        from udsattestat.eurostat import jsonstat

        jsonstat.parse(data)

    def feed_doc(self, doc):
        self.feed(json.dumps(doc, allow_nan=True).encode())


class Recipes(Reader):
    name = "recipe"
    structural = True

    def seeds(self):
        return [p.read_bytes() for p in sorted((ROOT / "recipes").glob("*.toml"))]

    def parse_seed(self, data):
        import tomllib

        return tomllib.loads(data.decode())

    def feed(self, data):
        from udsattestat.recipes.reader import parse_toml_bytes, recipe_from_doc

        path = Path("fuzz.toml")
        recipe_from_doc(path, parse_toml_bytes(path, data), data)

    def feed_doc(self, doc):
        from udsattestat.recipes.reader import recipe_from_doc

        recipe_from_doc(Path("fuzz.toml"), doc)


class DatasetMeta(Reader):
    name = "dataset.toml"
    structural = True

    def seeds(self):
        return [p.read_bytes() for p in sorted((ROOT / "datasets").glob("*/dataset.toml"))]

    def parse_seed(self, data):
        import tomllib

        return tomllib.loads(data.decode())

    def feed(self, data):
        from udsattestat.bundle import meta_from_bytes

        meta_from_bytes(self._folder(data), data)

    def feed_doc(self, doc):
        from udsattestat.bundle import meta_from_doc

        meta_from_doc(Path(str(doc.get("id", "x")) if isinstance(doc, dict) else "x"), doc)

    @staticmethod
    def _folder(data: bytes) -> Path:
        import re

        m = re.search(rb'^id = "([^"]*)"', data, re.M)
        return Path(m.group(1).decode("utf-8", "replace") if m else "x")


class ValuesCsv(Reader):
    name = "values.csv"
    keep_header = True

    def __init__(self):
        from udsattestat.bundle import read_meta

        folders = sorted(p.parent for p in (ROOT / "datasets").glob("*/values.csv"))
        self.metas = [read_meta(f) for f in folders]
        self.bodies = [(m.path / "values.csv").read_bytes() for m in self.metas]
        self.rng = random.Random(7)

    def seeds(self):
        return list(self.bodies)

    def feed(self, data):
        from udsattestat.bundle import rows_from_bytes

        # Each body is read against one dataset's metadata (its header decides which).
        head = data.split(b"\n", 1)[0]
        meta = next((m for m, body in zip(self.metas, self.bodies, strict=True) if body.startswith(head)),
                    self.rng.choice(self.metas))
        rows_from_bytes(meta, data)


class TableInfoReader(Reader):
    name = "statbank-tableinfo"
    structural = True

    def seeds(self):
        return [p.read_bytes() for p in sorted((ROOT / "tests/fixtures/statbank").glob("*_tableinfo_*.json"))]

    def feed(self, data):
        from udsattestat.errors import FetchError

        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            # HttpClient.get_json turns these into a FetchError; the same here.
            raise FetchError("not JSON") from None
        self.feed_doc(doc)

    def feed_doc(self, doc):
        from udsattestat.statbank.tableinfo import TableInfo

        TableInfo.from_json(doc, url="fuzz")


class StatbankCsv(Reader):
    name = "statbank-csv"
    keep_header = True

    def __init__(self):
        from udsattestat.statbank.tableinfo import TableInfo

        fixtures = ROOT / "tests/fixtures/statbank"
        self.cases = []
        for table in ("folk1a", "ifor51"):
            info = TableInfo.from_json(json.loads((fixtures / f"{table}_tableinfo_da.json").read_bytes()))
            for body in sorted(fixtures.glob(f"{table}_*data_da.csv")) + sorted(fixtures.glob(f"{table}_bulk_da.csv")):
                self.cases.append((info, body.read_bytes()))
        self.tmp = Path(tempfile.mkdtemp(prefix="udsattestat-fuzz-")) / "body.csv"

    def seeds(self):
        return [body for _, body in self.cases]

    def feed(self, data):
        from udsattestat.statbank.body import check_header, read_header
        from udsattestat.statbank.tidy import TidyContext, read_tidy

        self.tmp.write_bytes(data)
        header = read_header(self.tmp)
        # the request is the tableinfo whose variables the header names, else the first
        info = next((i for i, _ in self.cases if {v.id.upper() for v in i.variables} <= set(header)),
                    self.cases[0][0])
        wanted = [v.id.upper() for v in info.variables] + ["INDHOLD"]
        header = check_header(self.tmp, wanted)
        ctx = TidyContext(info=info, variables=info.variables, lang="da", indicator="fuzz", unit="x", source="s",
                          source_locator="l", vintage="v", vintage_date="2025-01-01")
        read_tidy(self.tmp, ctx, header)


READERS = [Periods, SdmxCsv, JsonStat, Recipes, DatasetMeta, ValuesCsv, TableInfoReader, StatbankCsv]


def run_reader(reader: Reader, count: int, seed: int, crash_dir: Path, seconds: float | None) -> dict:
    rng = random.Random(seed)
    seeds = reader.seeds()
    docs = [reader.parse_seed(s) for s in seeds] if reader.structural else []
    tally = Counter()
    crashes: Counter = Counter()
    examples: dict[str, str] = {}
    start = time.monotonic()
    for _ in range(count):
        if seconds is not None and time.monotonic() - start > seconds:
            break
        structural = docs and rng.random() < 0.5
        if structural:
            item = mutate_tree(rng, rng.choice(docs))
            feed = reader.feed_doc
        else:
            # a seed as it is now and then; otherwise mutated, sometimes twice over
            seed_bytes = rng.choice(seeds)
            if rng.random() < 0.02:
                item = seed_bytes
            elif reader.keep_header and rng.random() < 0.5:
                head, nl, body = seed_bytes.partition(b"\n")
                item = head + nl + mutate_bytes(rng, body, seeds)
            else:
                item = mutate_bytes(rng, seed_bytes, seeds)
            feed = reader.feed
        try:
            feed(item)
            tally["accepted"] += 1
        except UdsatError:
            tally["refused"] += 1
        except RecursionError:
            tally["crashed"] += 1
            crashes["RecursionError"] += 1
        except Exception as exc:  # noqa: BLE001 - counting exactly these is the point
            tally["crashed"] += 1
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            site = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            crashes[site] += 1
            if site not in examples:
                crash_dir.mkdir(parents=True, exist_ok=True)
                name = f"{reader.name}-{len(examples) + 1}"
                path = crash_dir / (name + (".json" if structural else ".bin"))
                if structural:
                    path.write_text(json.dumps(item, default=str, allow_nan=True))
                else:
                    path.write_bytes(item)
                examples[site] = f"{path} ({str(exc).splitlines()[0][:120] if str(exc) else ''})"
        tally["inputs"] += 1
    tally["seconds"] = round(time.monotonic() - start, 1)
    return {"reader": reader.name, **tally, "crash_sites": dict(crashes), "examples": examples}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("readers", nargs="*", help="reader names (default: all): " + ", ".join(r.name for r in READERS))
    parser.add_argument("--count", type=int, default=100_000, help="inputs per reader (default 100000)")
    parser.add_argument("--seed", type=int, default=13, help="random seed (a run is reproducible)")
    parser.add_argument("--seconds", type=float, default=None, help="stop a reader after this long")
    parser.add_argument("--crash-dir", type=Path, default=Path(tempfile.gettempdir()) / "udsattestat-fuzz-crashes")
    parser.add_argument("--json", type=Path, default=None, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    chosen = [r for r in READERS if not args.readers or r.name in args.readers]
    unknown = set(args.readers) - {r.name for r in READERS}
    if unknown:
        parser.error(f"unknown reader(s): {', '.join(sorted(unknown))}")
    reports = []
    print(f"{'reader':<20}{'inputs':>9}{'accepted':>10}{'refused':>9}{'crashed':>9}{'seconds':>9}")
    for cls in chosen:
        r = run_reader(cls(), args.count, args.seed, args.crash_dir, args.seconds)
        reports.append(r)
        print(f"{r['reader']:<20}{r.get('inputs', 0):>9}{r.get('accepted', 0):>10}{r.get('refused', 0):>9}"
              f"{r.get('crashed', 0):>9}{r['seconds']:>9}", flush=True)
        for site, n in sorted(r["crash_sites"].items(), key=lambda kv: -kv[1]):
            print(f"    {n:>7} x {site}: {r['examples'].get(site, '')}")
    if args.json:
        args.json.write_text(json.dumps(reports, indent=1) + "\n")
    return 1 if any(r.get("crashed") for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
