"""A dataset's ``[statbank]`` mapping: how StatBank tables become the dataset's tidy table.

The mapping is data (see docs/add-an-indicator.md), read here into typed parts and, at
fetch time, *resolved* against the table's tableinfo. Variable ids and codes in the
mapping are what the notes expect; where a code is only known by its meaning it is given
by its text (``{ text = "regex" }``) and found in tableinfo. Anything that does not
resolve to exactly one variable or code is a :class:`TableShapeError` naming what was
found and the mapping key it concerns (``statbank.dimensions.age.variable``) — the fetch
stops rather than fetching the wrong series. Whether that is the table's change or the
mapping's mistake is decided by whoever knows the history (:mod:`.mapping_check`).

Quirks a description cannot express live in small hook modules the mapping names
(:mod:`udsattestat.statbank.hooks`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import SelectionError
from ..mapping_errors import did_you_mean
from .hooks import HOOKS
from .resolved import Resolved, TableShapeError, shape_error  # noqa: F401  (TableShapeError: the mapping's error)
from .tableinfo import TableInfo, Variable


@dataclass(frozen=True)
class CodeRule:
    """One code, given as the code itself or by its tableinfo text (regexes, case-insensitive)."""

    code: str | None = None
    text: str | None = None
    not_text: str | None = None
    #: where the rule is written in dataset.toml (for the line of an error)
    key: tuple[str, ...] = ("statbank",)

    @classmethod
    def parse(cls, value: Any, key: tuple[str, ...] = ("statbank",)) -> CodeRule:
        if isinstance(value, str):
            return cls(code=value, key=key)
        return cls(code=value.get("code"), text=value.get("text"), not_text=value.get("not_text"), key=key)

    def describe(self) -> str:
        text = f"text ~ /{self.text}/" + (f" and not /{self.not_text}/" if self.not_text else "") if self.text else ""
        if self.code is not None:
            return repr(self.code) + (f", else {text}" if text else "")
        return text

    def find(self, info: TableInfo, var: Variable, what: str, indicator: str) -> str:
        """The code by id; its text is only a fallback, for a table that renamed the code."""
        if self.code is not None and (self.code in var.codes or self.text is None):
            if self.code not in var.codes:
                raise shape_error(info, f"{var.id} has no code {self.code!r} for {what}{did_you_mean(self.code, var.codes)} "
                                        f"(codes: {', '.join(var.codes[:20])}{' …' if len(var.codes) > 20 else ''})",
                                  indicator, self.key)
            return self.code
        hits = [c for c, t in var.values
                if re.search(self.text or "", t, re.I) and not (self.not_text and re.search(self.not_text, t, re.I))]
        if len(hits) != 1:
            texts = "; ".join(f"{c}={t}" for c, t in var.values[:20])
            raise shape_error(info, f"expected one {what} value in {var.id} ({self.describe()}), "
                                    f"found {len(hits)} ({texts})", indicator, self.key)
        return hits[0]


@dataclass(frozen=True)
class VariableRule:
    """Which tableinfo variable: by id (case-insensitive), else by a regex on its text."""

    id: str | None = None
    text: str | None = None
    key: tuple[str, ...] = ("statbank",)

    def find(self, info: TableInfo, taken: set[str], what: str, indicator: str) -> Variable:
        free = [v for v in info.variables if not v.time and v.id not in taken]
        hits = [v for v in free if self.id and v.id.upper() == self.id.upper()]
        if not hits and self.text:
            hits = [v for v in free if re.search(self.text, v.text, re.I)]
        if len(hits) != 1:
            found = ", ".join(f"{v.id} ({v.text})" for v in info.variables)
            want = " or ".join(x for x in (self.id and f"id {self.id}", self.text and f"text ~ /{self.text}/") if x)
            hint = did_you_mean(self.id, [v.id for v in free]) if self.id and not hits else ""
            raise shape_error(info, f"expected one {what} variable ({want}), found {len(hits)} among {found}{hint}",
                              indicator, self.key)
        return hits[0]


@dataclass(frozen=True)
class DimensionRule:
    """A dataset dimension (or ``geo``) filled from one StatBank variable."""

    dim: str
    variable: VariableRule
    #: ``None``: the codes the dataset declares; ``"*"``: every code in tableinfo; or a list.
    codes: list[str] | str | None = None
    #: codes whose tableinfo text matches are left out (e.g. regions among municipalities)
    exclude: str | None = None
    #: our code -> their code (by code or text), e.g. DK <- the whole-country code
    recode: dict[str, CodeRule] = field(default_factory=dict)
    #: how many codes must be kept (a check against a table that lost or gained areas)
    count: int | None = None
    key: tuple[str, ...] = ("statbank", "dimensions")


@dataclass(frozen=True)
class Mapping:
    tables: dict[str, str | None]          # table id -> unit of its whole content (or None: see unit_variable)
    dimensions: list[DimensionRule]
    unit_variable: VariableRule | None
    units: dict[str, CodeRule]             # our unit -> content code of the unit variable
    fixed: dict[str, tuple[VariableRule, CodeRule]]
    hooks: list[str]
    hook_options: dict[str, dict]
    language: str | None
    since: str | None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Mapping:
        """From the ``[statbank]`` table (already checked by :mod:`udsattestat.dataset_schema`)."""
        unit = raw.get("unit")
        if "tables" in raw:
            tables = {t.upper(): u for t, u in raw["tables"].items()}
        else:
            tables = {raw["table"].upper(): unit if isinstance(unit, str) else None}
        unit_var, units = None, {}
        if isinstance(unit, dict):
            unit_var = VariableRule(unit.get("variable"), unit.get("text"), ("statbank", "unit", "variable"))
            units = {u: CodeRule.parse(r, ("statbank", "unit", "codes", u)) for u, r in unit["codes"].items()}
        dims = []
        for dim, d in raw.get("dimensions", {}).items():
            at = ("statbank", "dimensions", dim)
            dims.append(DimensionRule(
                dim=dim, variable=VariableRule(d.get("variable"), d.get("text"), (*at, "variable")),
                codes=d.get("codes"), exclude=d.get("exclude"),
                recode={k: CodeRule.parse(v, (*at, "recode", k)) for k, v in d.get("recode", {}).items()},
                count=d.get("count"), key=at,
            ))
        fixed = {}
        for name, f in raw.get("fixed", {}).items():
            spec = f if isinstance(f, dict) else {}
            at = ("statbank", "fixed", name)
            fixed[name] = (VariableRule(spec.get("variable", name), spec.get("variable_text"), at), CodeRule.parse(f, at))
        hooks = list(raw.get("hooks", []))
        return cls(tables=tables, dimensions=dims, unit_variable=unit_var, units=units, fixed=fixed,
                   hooks=hooks, hook_options={h: dict(raw.get(h, {})) for h in hooks},
                   language=raw.get("language"), since=str(raw["since"]) if "since" in raw else None)


def _codes_for(rule: DimensionRule, var: Variable, declared: list[str], info: TableInfo, indicator: str) -> list[str]:
    recoded = {r.find(info, var, f"{rule.dim}={ours}", indicator): ours for ours, r in rule.recode.items()}
    if rule.codes == "*":
        codes = [c for c, t in var.values if not (rule.exclude and re.search(rule.exclude, t, re.I))
                 or c in recoded]
    else:
        wanted = rule.codes if isinstance(rule.codes, list) else declared
        theirs = {ours: theirs for theirs, ours in recoded.items()}
        codes = [theirs.get(c, c) for c in wanted]
        missing = [c for c in codes if c not in var.codes]
        if missing:
            key = (*rule.key, "codes") if isinstance(rule.codes, list) else ("dimensions", rule.dim, "codes")
            raise shape_error(info, f"{var.id} has no code(s) {', '.join(missing)}{did_you_mean(missing[0], var.codes)} "
                                    f"(codes: {', '.join(var.codes[:20])}{' …' if len(var.codes) > 20 else ''})",
                              indicator, key)
    if rule.count is not None and len(codes) != rule.count:
        raise shape_error(info, f"{var.id} gives {len(codes)} codes for {rule.dim}, the mapping expects {rule.count}",
                          indicator, (*rule.key, "count"))
    return codes


def resolve(mapping: Mapping, info: TableInfo, *, indicator: str, declared: dict[str, list[str]],
            table_unit: str | None) -> Resolved:
    """Find every mapped variable and code in ``info``; hooks claim what the mapping cannot say."""
    res = Resolved(info=info, unit=table_unit)
    time = info.time_variable
    if time is None:
        raise shape_error(info, "no time variable", indicator, ("statbank", "table"))
    for rule in mapping.dimensions:
        var = rule.variable.find(info, res.claimed, rule.dim, indicator)
        res.claimed.add(var.id)
        codes = _codes_for(rule, var, declared.get(rule.dim, []), info, indicator)
        res.selection[var.id] = codes
        res.columns[var.id] = "_geo" if rule.dim == "geo" else rule.dim
        if rule.dim == "geo":
            res.geo_variable = var.id
        recoded = {r.find(info, var, f"{rule.dim}={ours}", indicator): ours for ours, r in rule.recode.items()}
        if recoded:
            res.recodes[rule.dim] = recoded
    if mapping.unit_variable is not None:
        var = mapping.unit_variable.find(info, res.claimed, "unit", indicator)
        res.claimed.add(var.id)
        res.units = {rule.find(info, var, f"'{unit}'", indicator): unit for unit, rule in mapping.units.items()}
        res.selection[var.id] = list(res.units)
        res.columns[var.id] = "_unit"
    for name, (vrule, crule) in mapping.fixed.items():
        var = vrule.find(info, res.claimed, name, indicator)
        res.claimed.add(var.id)
        code = crule.find(info, var, name, indicator)
        res.fix(var, code, by="mapping")
    for hook in mapping.hooks:
        HOOKS[hook].resolve(res, mapping.hook_options.get(hook, {}), indicator=indicator)
    for var in info.variables:
        if var.time or var.id in res.claimed:
            continue
        if not var.elimination:
            raise shape_error(info, f"variable {var.id} ({var.text}) must be selected but the mapping does not "
                                    "say how (add it to [statbank.dimensions] or [statbank.fixed])", indicator,
                              ("statbank", "table"))
        res.eliminated.append(var.id)
    res.selection[time.id] = _time_codes(time, mapping.since)
    # keep the table's own variable order: the request body and the header follow it
    order = [v.id for v in info.variables]
    res.selection = dict(sorted(res.selection.items(), key=lambda kv: order.index(kv[0])))
    return res


def _time_codes(time: Variable, since: str | None) -> list[str]:
    if since is None:
        return ["*"]
    return [c for c in time.codes if c[: len(since)] >= since] or ["*"]


def narrow(res: Resolved, where: dict[str, list[str]], *, since: str | None = None, until: str | None = None,
           indicator: str = "") -> bool:
    """Ask the API only for what a view selects: ``where`` (our dimension → our codes, as
    ``--where`` gives them) and period bounds narrow the resolved selection, code by code.

    Returns False when this table has none of what is asked (e.g. ``--where unit=percent``
    and a table of persons): it need not be fetched. A code the table does not have is a
    :class:`~udsattestat.errors.SelectionError` that names the valid ones.
    """
    info = res.info
    for dim, asked in where.items():
        asked = [part for code in asked for part in code.split("+")]  # a sum asks for its parts
        if dim == "geo" and res.geo_variable is None:
            continue  # the whole table is one area (geo DK): nothing to ask
        var_id = next((v for v, c in res.columns.items() if c == ("_geo" if dim == "geo" else dim)), None)
        if dim == "unit":
            if res.unit is not None:
                if res.unit not in asked:
                    return False
                continue
            var_id, theirs_of = res.unit_var_id, {ours: theirs for theirs, ours in res.units.items()}
            wanted = [theirs_of[u] for u in asked if u in theirs_of]
            if not wanted:
                return False
        elif var_id is None:
            continue  # not a dimension this table fills (vintage, or a typo the view reports)
        else:
            recoded = res.recodes.get(dim, {})
            theirs_of = {ours: theirs for theirs, ours in recoded.items()}
            wanted = [theirs_of.get(code, code) for code in asked]
            offered = res.selection[var_id]
            unknown = [code for code, theirs in zip(asked, wanted, strict=True)
                       if theirs not in offered or (theirs in recoded and recoded[theirs] != code)]
            if unknown:
                valid = [recoded.get(c, c) for c in offered]
                whose = f" of {indicator!r}" if indicator else ""
                raise SelectionError(f"unknown code {unknown[0]!r} for {dim} (StatBank table {info.id}{whose})"
                                     f"{did_you_mean(unknown[0], valid)}; valid codes: {_some(valid)}")
        keep = set(wanted)
        res.selection[var_id] = [c for c in res.selection[var_id] if c in keep]
    if since is not None or until is not None:
        time = info.time_variable
        codes = time.codes if res.selection[time.id] == ["*"] else res.selection[time.id]
        kept = [c for c in codes if _within(c, since, until)]
        if not kept:
            return False
        res.selection[time.id] = kept
    return True


def _within(code: str, since: str | None, until: str | None) -> bool:
    """Whether a time code's period overlaps the bounds (a code that does not parse is kept:
    the parser reports it if a row uses it)."""
    from ..periods import PeriodError, parse_period

    try:
        p = parse_period(code)
        lo = parse_period(since).start if since else None
        hi = parse_period(until).end if until else None
    except PeriodError:
        return True
    return (lo is None or p.end >= lo) and (hi is None or p.start <= hi)


def _some(codes: list[str]) -> str:
    return ", ".join(codes[:20]) + (f", … ({len(codes)} in all)" if len(codes) > 20 else "")
