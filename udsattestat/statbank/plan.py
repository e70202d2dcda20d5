"""Plan a data request before fetching: which values, how many cells, which format.

The selection syntax is the API's own: a code, ``*`` (all), ``2020*``/``*K1`` (wildcards),
``>=2010K1<=2015K4`` (a range, by the table's own order), ``(1)`` (the latest),
``(-n+3)`` (the latest three). Each is expanded against tableinfo so the plan knows the
exact codes — to count cells, to catch a wrong code before the API does, and to restore
the combinations a BULK response leaves out.

Non-streaming formats are capped (1,000,000 cells in 2025, but it has changed four times
since 2016): the cap is learnt from the API's REQUEST-LIMIT error and remembered, and this
module only falls back to the last known value. Over the cap the plan switches to BULK,
which needs a value for every variable: variables left out (which CSV would eliminate,
i.e. sum over) are then fetched in full and kept as dimensions; the plan says so.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SelectionError
from .tableinfo import TableInfo, Variable

#: The cap DST documented in 2025; only a fallback until the API's error tells us better.
DEFAULT_CELL_CAP = 1_000_000
STREAMING_FORMATS = ("BULK",)

_RANGE = re.compile(r"^(?:(>=|>)([^<>]+))?(?:(<=|<)([^<>]+))?$")
_LATEST = re.compile(r"^\((?:-n\+)?(\d+)\)$")


def expand(variable: Variable, expression: str) -> list[str]:
    """The codes one selection expression picks from a variable, in the table's order."""
    codes = variable.codes
    expr = expression.strip()
    if expr == "*":
        return list(codes)
    m = _LATEST.match(expr)
    if m:
        n = int(m.group(1))
        if n < 1:
            raise SelectionError(f"{variable.id}: {expr!r} selects nothing; use (1) for the latest")
        return list(codes[-n:])
    if "*" in expr or "?" in expr:
        picked = [c for c in codes if fnmatch.fnmatchcase(c.upper(), expr.upper())]
        if not picked:
            raise SelectionError(f"{variable.id}: {expr!r} matches no code; {_some_codes(variable)}")
        return picked
    if expr.startswith((">", "<")):
        m = _RANGE.match(expr)
        if not m or not (m.group(2) or m.group(4)):
            raise SelectionError(f"{variable.id}: cannot read range {expr!r}; write e.g. >=2015<=2022")
        lo = _position(variable, m.group(2)) if m.group(2) else 0
        hi = _position(variable, m.group(4)) if m.group(4) else len(codes) - 1
        if m.group(1) == ">":
            lo += 1
        if m.group(3) == "<":
            hi -= 1
        picked = list(codes[lo : hi + 1])
        if not picked:
            raise SelectionError(f"{variable.id}: range {expr!r} selects nothing")
        return picked
    return [codes[_position(variable, expr)]]


def _position(variable: Variable, code: str) -> int:
    upper = [c.upper() for c in variable.codes]
    try:
        return upper.index(code.strip().upper())
    except ValueError:
        raise SelectionError(
            f"{variable.id} has no code {code.strip()!r}; {_some_codes(variable)} "
            f"(see 'udsattestat statbank info')"
        ) from None


def _some_codes(variable: Variable) -> str:
    codes = variable.codes
    shown = ", ".join(codes[:12]) + (f", … ({len(codes)} in all)" if len(codes) > 12 else "")
    return f"codes are {shown}"


@dataclass
class VariablePlan:
    variable: Variable
    expressions: list[str]
    codes: list[str]
    #: why this variable is in the request: "asked", "filled" (BULK needs it), "default".
    reason: str = "asked"


@dataclass
class Plan:
    table: str
    lang: str
    format: str
    variables: list[VariablePlan]
    eliminated: list[str]
    cells: int
    rows: int
    cap: int
    notes: list[str] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        """The POST body for ``/data``; always by code, never by label."""
        return {
            "table": self.table,
            "format": self.format,
            "lang": self.lang,
            "valuePresentation": "Code",
            "variables": [{"code": vp.variable.id, "values": vp.expressions} for vp in self.variables],
        }

    @property
    def header(self) -> list[str]:
        """The header the response must have: variable ids in upper case, then INDHOLD."""
        return [vp.variable.id.upper() for vp in self.variables] + ["INDHOLD"]

    def describe(self) -> str:
        lines = [
            f"table {self.table}: {self.rows:,} rows × {len(self.variables) + 1} columns = "
            f"{self.cells:,} cells (cap for non-streaming formats: {self.cap:,})",
            f"format {self.format}, 1 request, lang={self.lang}, by code",
        ]
        for vp in self.variables:
            shown = ",".join(vp.expressions)
            lines.append(f"  {vp.variable.id}={shown}  → {len(vp.codes)} value(s){'' if vp.reason == 'asked' else f' ({vp.reason})'}")
        for name in self.eliminated:
            lines.append(f"  {name}: eliminated (summed by the API)")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def parse_var_options(options: tuple[str, ...] | list[str]) -> dict[str, list[str]]:
    """``("OMRÅDE=000,101", "Tid=2020*")`` → ``{"OMRÅDE": ["000", "101"], "Tid": ["2020*"]}``."""
    out: dict[str, list[str]] = {}
    for opt in options:
        name, sep, values = opt.partition("=")
        name = name.strip()
        chosen = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not name or not chosen:  # "Tid=," names no value: refused, not an empty selection
            raise SelectionError(f"--var {opt!r}: write CODE=V1,V2 (e.g. --var Tid=2020*)")
        out.setdefault(name, []).extend(chosen)
    return out


def make_plan(
    info: TableInfo,
    selection: dict[str, list[str]],
    *,
    lang: str,
    cap: int = DEFAULT_CELL_CAP,
    force_format: str | None = None,
) -> Plan:
    """Expand the selection against tableinfo and choose CSV or BULK by the cell count."""
    chosen: dict[str, list[str]] = {}
    for name, exprs in selection.items():
        var = info.variable(name)
        chosen.setdefault(var.id, []).extend(exprs)
    planned: list[VariablePlan] = []
    left_out: list[Variable] = []
    notes: list[str] = []
    for var in info.variables:
        if var.id in chosen:
            exprs = chosen[var.id]
            codes: list[str] = []
            for e in exprs:
                codes += [c for c in expand(var, e) if c not in codes]
            planned.append(VariablePlan(var, exprs, codes))
        elif var.time:
            # The API gives only the latest period when time is not selected; say so openly.
            planned.append(VariablePlan(var, ["(1)"], expand(var, "(1)"), reason="latest only; not selected"))
        elif not var.elimination:
            planned.append(VariablePlan(var, ["*"], list(var.codes), reason="all; cannot be eliminated"))
        else:
            left_out.append(var)
    rows = 1
    for vp in planned:
        rows *= max(1, len(vp.codes))
    cells = rows * (len(planned) + 1)
    fmt = (force_format or "").upper() or ("CSV" if cells <= cap else "BULK")
    if fmt in STREAMING_FORMATS and left_out:
        # Streaming formats refuse to eliminate: fetch every value and keep the variable.
        for var in left_out:
            planned.append(VariablePlan(var, ["*"], list(var.codes), reason="all; BULK cannot eliminate"))
        planned.sort(key=lambda vp: info.variables.index(vp.variable))
        notes.append(
            "BULK needs every variable: "
            + ", ".join(v.id for v in left_out)
            + " fetched in full and kept as dimension(s) instead of being summed"
        )
        left_out = []
        rows = 1
        for vp in planned:
            rows *= max(1, len(vp.codes))
        cells = rows * (len(planned) + 1)
    if fmt not in ("CSV", *STREAMING_FORMATS):
        raise SelectionError(f"format {fmt!r} is not supported; use CSV or BULK")
    if fmt == "CSV" and cells > cap:
        raise SelectionError(
            f"{cells:,} cells is over the cap of {cap:,} for CSV; drop --format CSV to stream with BULK"
        )
    return Plan(info.id, lang, fmt, planned, [v.id for v in left_out], cells, rows, cap, notes)


# -- the cap, as the API last told it ----------------------------------------------------

_CAP_PATTERNS = (
    re.compile(r"(?:begrænsningen på|limit of|limitation of)\s*([\d.,\s]+?)\s*(?:celler|cells)", re.I),
    re.compile(r"([\d][\d.,]*)\s*(?:celler|cells)\s*(?:for|til)", re.I),
)


def cap_from_message(message: str) -> int | None:
    """The cell cap stated in a REQUEST-LIMIT message ("… begrænsningen på 1.000.000 celler …")."""
    for pattern in _CAP_PATTERNS:
        m = pattern.search(message or "")
        if m:
            digits = re.sub(r"\D", "", m.group(1))
            if digits:
                return int(digits)
    return None


def load_cap(path: Path) -> int:
    try:
        cap = int(json.loads(path.read_text(encoding="utf-8"))["cell_cap"])
        return cap if cap > 0 else DEFAULT_CELL_CAP
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_CELL_CAP


def save_cap(path: Path, cap: int, message: str) -> None:
    from datetime import UTC, datetime

    from ..atomic import atomic_write_text

    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"cell_cap": cap, "learnt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "message": message}
    atomic_write_text(path, json.dumps(record, ensure_ascii=False, indent=2))
