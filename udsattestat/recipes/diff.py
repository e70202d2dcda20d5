"""What changed between two builds of a recipe: claims, figures' rows, tables, files.

A build folder vouches for itself: its ``manifest.json`` lists every output with its sha256,
``claims.json`` each claim's verdict with the numbers and the releases (vintages) it was
checked against, and every figure has ``<name>.csv`` with the rows it plots. So two folders
are compared without re-running anything, and a CI job can diff today's build against the
last published one.

- **claims**: verdict, or the numbers/vintages of either view (as of the report's date,
  latest), old → new; claims added or removed.
- **figures**: a row-level diff of the figure CSVs (rows keyed by the observation: period,
  area, the indicator's dimensions, unit — and the release, when a figure shows several);
  a figure whose image changed but whose rows did not is listed too (style, code).
- **tables**: which files of a table changed.
- **files**: added, removed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UdsatError
from ..exits import WRONG_VALUE
from ..formatting import format_number
from ..jsondocs import dumps
from ..schema import dimension_columns
from ..verdicts import FORMER
from .manifest import MANIFEST

#: Row fields whose change is a change of the data shown (labels follow their codes).
VALUE_FIELDS = ("value", "value_low", "value_high", "status", "vintage", "vintage_date", "source")
FIGURE_IMAGES = ("svg", "png", "pdf")


class BuildFolderError(UdsatError):
    """A folder given to ``diff`` that is not a build."""

    exit_code = WRONG_VALUE


@dataclass
class BuildDiff:
    old: str
    new: str
    claims: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: indicator -> {"vintages": {"old": {vintage: published}, "new": {...}}, "raw_changed": bool}
    #: where the releases used or the raw data differ
    inputs: dict[str, dict] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.claims or self.figures or self.tables or self.added or self.removed)

    def to_json(self) -> str:
        return dumps("diff", {"old": self.old, "new": self.new, "changed": self.changed, "claims": self.claims,
                              "figures": self.figures, "tables": self.tables,
                              "files": {"added": self.added, "removed": self.removed}, "inputs": self.inputs})


def _read_build(folder: Path) -> tuple[dict, dict]:
    if not folder.is_dir():
        raise BuildFolderError(f"{str(folder)!r} is not a directory; give two build folders (udsattestat build --out DIR)")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        outputs = manifest["outputs"]
        if not isinstance(outputs, dict):
            raise TypeError
    except FileNotFoundError:
        raise BuildFolderError(f"{str(folder)!r} has no {MANIFEST}; it is not a udsattestat build") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BuildFolderError(f"{str(folder / MANIFEST)!r} is damaged; build the recipe again") from None
    claims: dict = {}
    if "claims.json" in outputs:
        try:
            doc = json.loads((folder / "claims.json").read_text(encoding="utf-8"))
            claims = {c["id"]: _respelt(c) for c in doc.get("claims", [])}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise BuildFolderError(f"{str(folder / 'claims.json')!r} is missing or damaged; build again") from None
    return manifest, claims


def _respelt(claim: dict) -> dict:
    """A claim of claims.json with its verdicts as spelt today: a build made before they were
    spelt like the --fail-on words ("no data") must not show every such claim as changed."""
    def now(verdict):
        return FORMER.get(verdict, verdict) if isinstance(verdict, str) else verdict

    views = {k: {**claim[k], "status": now(claim[k].get("status"))}
             for k in ("as_of", "latest") if isinstance(claim.get(k), dict)}
    return {**claim, "verdict": now(claim.get("verdict")), **views}


def diff_builds(old: str | Path, new: str | Path) -> BuildDiff:
    """Compare two build folders (see the module docstring)."""
    old, new = Path(old), Path(new)
    old_manifest, old_claims = _read_build(old)
    new_manifest, new_claims = _read_build(new)
    before, after = old_manifest["outputs"], new_manifest["outputs"]
    result = BuildDiff(str(old), str(new))
    result.added = sorted(set(after) - set(before))
    result.removed = sorted(set(before) - set(after))
    changed_files = {f for f in set(before) & set(after) if before[f] != after[f]}
    result.claims = _claims(old_claims, new_claims)
    stems = {_stem(f) for f in (*before, *after)}
    figures = sorted(s for s in stems if f"{s}.svg" in before or f"{s}.svg" in after)
    for name in figures:
        entry = _figure(old, new, name, before, after, changed_files)
        if entry:
            result.figures.append(entry)
    bookkeeping = {"claims.json", "claims.md", "index.html", MANIFEST}
    for name in sorted(stems - set(figures)):
        files = sorted(f for f in changed_files if _stem(f) == name and f not in bookkeeping)
        if files:
            result.tables.append({"name": name, "files": files})
    result.inputs = _inputs(old_manifest, new_manifest)
    return result


#: Files that belong to a figure or table of another name: the phone rendition of a
#: figure, the spreadsheet CSV of a table.
COMPANIONS = ("-phone.svg", "-excel.csv")


def _stem(name: str) -> str:
    """The figure or table a build file belongs to ('fig-phone.svg' -> 'fig')."""
    for companion in COMPANIONS:
        if name.endswith(companion):
            return name[: -len(companion)]
    return name.rsplit(".", 1)[0]


# -- claims -----------------------------------------------------------------------------

def _view(claim: dict, view: str) -> dict | None:
    v = claim.get(view)
    if not v:
        return None
    return {
        "status": v.get("status"),
        "measure": v.get("measure"),
        "inputs": [{k: i.get(k) for k in ("period", "unit", "value", "value_low", "value_high", "vintage", "status")}
                   for i in v.get("inputs", [])],
    }


def _claims(old: dict, new: dict) -> list[dict]:
    out = []
    for cid in [*new, *(c for c in old if c not in new)]:  # the new recipe's order, then removed ones
        a, b = old.get(cid), new.get(cid)
        if a is None or b is None:
            c = b or a
            out.append({"id": cid, "page": c.get("page"), "change": "added" if a is None else "removed",
                        "verdict": {"old": a and a.get("verdict"), "new": b and b.get("verdict")}})
            continue
        views = {}
        for view in ("as_of", "latest"):
            va, vb = _view(a, view), _view(b, view)
            if va != vb:
                views[view] = {"old": va, "new": vb}
        check = {"old": a.get("check_text"), "new": b.get("check_text")}
        if a.get("verdict") != b.get("verdict") or views or check["old"] != check["new"]:
            out.append({"id": cid, "page": b.get("page"), "change": "changed",
                        "verdict": {"old": a.get("verdict"), "new": b.get("verdict")}, "views": views,
                        "check": check if check["old"] != check["new"] else None,
                        "as_of_date": b.get("as_of_date")})
    return out


# -- figures ----------------------------------------------------------------------------

def _rows(path: Path) -> tuple[list[str], list[dict]]:
    if not path.is_file():
        return [], []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return list(reader.fieldnames or []), list(reader)


def _key_columns(columns: list[str], rows: list[dict]) -> list[str]:
    key = [c for c in ("indicator", "period", "geo") if c in columns] + dimension_columns(columns)
    key += [c for c in ("unit",) if c in columns]
    seen = {tuple(r.get(c) for c in key) for r in rows}
    if len(seen) < len(rows) and "vintage" in columns:  # several releases per observation shown
        key.append("vintage")
    return key


def row_diff(old_csv: Path, new_csv: Path) -> dict:
    """Rows added, removed and changed between two tidy CSVs (a figure's plotted rows)."""
    old_cols, old_rows = _rows(old_csv)
    new_cols, new_rows = _rows(new_csv)
    columns = new_cols or old_cols
    key = _key_columns(columns, old_rows + new_rows)
    index_old = {tuple(r.get(c) for c in key): r for r in old_rows}
    index_new = {tuple(r.get(c) for c in key): r for r in new_rows}
    fields = [f for f in VALUE_FIELDS if f in columns and f not in key]
    changed = []
    for k in index_old.keys() & index_new.keys():
        a, b = index_old[k], index_new[k]
        diffs = {f: {"old": a.get(f) or None, "new": b.get(f) or None} for f in fields if a.get(f) != b.get(f)}
        if diffs:
            changed.append({"key": dict(zip(key, k, strict=True)), "fields": diffs})

    def order(k):
        return tuple(str(x) for x in k)

    return {
        "key": key,
        "added": [index_new[k] for k in sorted(index_new.keys() - index_old.keys(), key=order)],
        "removed": [index_old[k] for k in sorted(index_old.keys() - index_new.keys(), key=order)],
        "changed": sorted(changed, key=lambda c: order(c["key"].values())),
    }


def _figure(old: Path, new: Path, name: str, before: dict, after: dict, changed_files: set) -> dict | None:
    files = [f"{name}.{ext}" for ext in (*FIGURE_IMAGES, "csv")]
    if not any(f in changed_files or (f in before) != (f in after) for f in files):
        return None
    rows = row_diff(old / f"{name}.csv", new / f"{name}.csv")
    return {
        "name": name,
        "change": "added" if f"{name}.svg" not in before else "removed" if f"{name}.svg" not in after else "changed",
        "rows": rows,
        "rows_changed": bool(rows["added"] or rows["removed"] or rows["changed"]),
        "files": sorted(f for f in files if f in changed_files),
    }


def _inputs(old: dict, new: dict) -> dict:
    out = {}
    a, b = old.get("inputs", {}), new.get("inputs", {})
    for ind in sorted(set(a) | set(b)):
        va = (a.get(ind) or {}).get("vintages_used", {})
        vb = (b.get(ind) or {}).get("vintages_used", {})
        sa = (a.get(ind) or {}).get("raw_sha256", {})
        sb = (b.get(ind) or {}).get("raw_sha256", {})
        if va != vb or sa != sb:
            out[ind] = {"vintages": {"old": va, "new": vb}, "raw_changed": sa != sb}
    return out


# -- Markdown ---------------------------------------------------------------------------

def _num(v, lang="en") -> str:
    if v is None or v == "":
        return "–"
    try:
        return format_number(float(v), lang)
    except (TypeError, ValueError):
        return str(v)


def _measure(m) -> str:
    """A claim view's measure as claims.json has it: a number, an interval {low, high} (a
    rounded or ranged input), a [min, max] pair (measure "range"), or null."""
    if m is None:
        return "–"
    if isinstance(m, dict):
        low, high = m.get("low"), m.get("high")
        return _num(low) if low == high else f"[{_num(low)}–{_num(high)}]"
    if isinstance(m, list):
        return "–".join(_num(v) for v in m)
    return _num(m)


def _input_text(i: dict) -> str:
    value = _num(i["value"]) if i["value"] is not None else f"{_num(i['value_low'])}–{_num(i['value_high'])}"
    return f"{value} ({i['vintage']})"


def _inputs_change(a: dict | None, b: dict | None) -> str:
    """The input rows that differ, period by period: '2020: 256 (sst-2021) → 250 (sst-2021)'."""
    old, new = (a or {}).get("inputs", []), (b or {}).get("inputs", [])
    if len(old) == len(new):
        return "; ".join(f"{x['period']}: {_input_text(x)} → {_input_text(y)}"
                         for x, y in zip(old, new, strict=True) if x != y)
    def listing(rows):
        return "; ".join(f"{i['period']}: {_input_text(i)}" for i in rows) or "no rows"
    return f"{listing(old)} → {listing(new)}"


def _key_text(key: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in key.items() if k != "indicator" and v not in (None, ""))


def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(d: BuildDiff, *, max_rows: int = 20) -> str:
    """A summary for a pull-request comment."""
    head = f"## udsattestat diff: `{d.old}` → `{d.new}`\n\n"
    if not d.changed:
        return head + "No change: the same claims, figures, tables and files.\n"
    counts = [f"**{len(d.claims)}** claim(s)", f"**{len(d.figures)}** figure(s)", f"**{len(d.tables)}** table(s)",
              f"**{len(d.added)}** file(s) added", f"**{len(d.removed)}** removed"]
    out = [head + "Changed: " + ", ".join(counts) + ".\n"]
    if d.inputs:
        out.append("### Inputs\n")
        for ind, change in d.inputs.items():
            va, vb = change["vintages"]["old"], change["vintages"]["new"]
            new_v = sorted(set(vb) - set(va))
            gone = sorted(set(va) - set(vb))
            bits = []
            if new_v:
                bits.append("new releases " + ", ".join(f"`{v}` ({vb[v] or 'date not recorded'})" for v in new_v))
            if gone:
                bits.append("no longer used " + ", ".join(f"`{v}`" for v in gone))
            if change["raw_changed"] and not bits:
                bits.append("the data changed within the same releases")
            out.append(f"- `{ind}`: {'; '.join(bits) or 'changed'}")
        out.append("")
    if d.claims:
        out += ["### Claims", "", "| claim | page | verdict | as of report date | latest |", "|---|---|---|---|---|"]
        for c in d.claims:
            old_v, new_v = c["verdict"]["old"], c["verdict"]["new"]
            verdict = f"{old_v} → **{new_v}**" if old_v != new_v else str(new_v)
            if c.get("check"):
                verdict += f"<br>check: {_md(c['check']['old'])} → {_md(c['check']['new'])}"
            if c["change"] != "changed":
                out.append(f"| `{c['id']}` | {_md(c['page'])} | {c['change']}: {verdict} | | |")
                continue
            cells = []
            for view in ("as_of", "latest"):
                v = c["views"].get(view)
                if not v:
                    cells.append("unchanged")
                    continue
                a, b = v["old"], v["new"]
                inputs = _inputs_change(a, b)
                ma, mb = _measure(a and a["measure"]), _measure(b and b["measure"])
                sa, sb = (a or {}).get("status"), (b or {}).get("status")
                cell = f"{ma} → {mb}" if ma != mb else ma
                if sa != sb:
                    cell += f" ({sa} → {sb})"
                cells.append(cell + (f"<br>{_md(inputs)}" if inputs else ""))
            out.append(f"| `{c['id']}` | {_md(c['page'])} | {verdict} | {cells[0]} | {cells[1]} |")
        out.append("")
    if d.figures:
        out += ["### Figures", ""]
        for f in d.figures:
            rows = f["rows"]
            if f["change"] != "changed":
                out.append(f"- `{f['name']}`: {f['change']}")
                continue
            if not f["rows_changed"]:
                out.append(f"- `{f['name']}`: the image changed, its rows did not ({', '.join(f['files'])})")
                continue
            out.append(f"- `{f['name']}`: {len(rows['changed'])} row(s) changed, {len(rows['added'])} added, "
                       f"{len(rows['removed'])} removed")
            lines = []
            for ch in rows["changed"]:
                key = _key_text(ch["key"])
                fields = "; ".join(f"{k}: {_num(v['old']) if k.startswith('value') else v['old']} → "
                                   f"{_num(v['new']) if k.startswith('value') else v['new']}"
                                   for k, v in ch["fields"].items())
                lines.append(f"  - {_md(key)}: {_md(fields)}")
            for label, group in (("added", rows["added"]), ("removed", rows["removed"])):
                for r in group:
                    key = _key_text({k: r.get(k) for k in rows["key"]})
                    lines.append(f"  - {label}: {_md(key)}: {_num(r.get('value'))} ({r.get('vintage')})")
            out += lines[:max_rows]
            if len(lines) > max_rows:
                out.append(f"  - … and {len(lines) - max_rows} more (see `--json`)")
        out.append("")
    if d.tables:
        out += ["### Tables", ""] + [f"- `{t['name']}`: {', '.join(t['files'])}" for t in d.tables] + [""]
    if d.added or d.removed:
        out += ["### Files", ""] + [f"- added `{f}`" for f in d.added] + [f"- removed `{f}`" for f in d.removed]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- HTML: both images side by side ------------------------------------------------------

def _svg_data(folder: str, name: str) -> str:
    """A figure's SVG as a data: URL, so the page carries its images; '' when there is none."""
    import base64

    path = Path(folder) / f"{name}.svg"
    if not path.is_file():
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _changed_rows(rows: dict) -> list[dict]:
    """A figure's row diff as table rows: one per changed field, then the rows added and removed."""
    out = []
    for ch in rows["changed"]:
        key = _key_text(ch["key"])
        out += [{"key": key, "field": name, "old": str(v["old"]), "new": str(v["new"])}
                for name, v in ch["fields"].items()]
    for label, group in (("added", rows["added"]), ("removed", rows["removed"])):
        for r in group:
            value = str(r.get("value"))
            out.append({"key": _key_text({k: r.get(k) for k in rows["key"]}), "field": label,
                        "old": "" if label == "added" else value, "new": value if label == "added" else ""})
    return out


def html_page(d: BuildDiff) -> str:
    """A self-contained page: per changed figure the old and new image side by side (embedded,
    so the page works as a CI artifact on its own) and its changed rows; then the claims."""
    from ..templating import content_security_policy, render, stylesheet

    css = stylesheet("diff.css")
    figures = [{"name": f["name"], "change": f["change"], "old_image": _svg_data(d.old, f["name"]),
                "new_image": _svg_data(d.new, f["name"]), "rows": _changed_rows(f["rows"])} for f in d.figures]
    # only the images embedded in the page itself, and its one style sheet
    claims = [{"id": c["id"], "page": str(c["page"]), "verdict": {k: str(v) for k, v in c["verdict"].items()}}
              for c in d.claims]
    return render("diff.html.j2", policy=content_security_policy(css, images="data:"), css=css, old=d.old,
                  new=d.new, changed=d.changed, figures=figures, claims=claims, tables=d.tables, added=d.added,
                  removed=d.removed)
