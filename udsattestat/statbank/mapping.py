"""A dataset's ``[statbank]`` mapping: how StatBank tables become the dataset's tidy table.

The mapping is data (see docs/add-an-indicator.md), read here into typed parts and, at
fetch time, *resolved* against the table's tableinfo. Variable ids and codes in the
mapping are what the notes expect; where a code is only known by its meaning it is given
by its text (``{ text = "regex" }``) and found in tableinfo. Anything that does not
resolve to exactly one variable or code is a :class:`~.resolved.TableShapeError` naming what was
found — the fetch stops rather than fetching the wrong series.

Quirks a description cannot express live in small hook modules the mapping names
(:mod:`udsattestat.statbank.hooks`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .hooks import HOOKS
from .resolved import Resolved, shape_error
from .tableinfo import TableInfo, Variable


@dataclass(frozen=True)
class CodeRule:
    """One code, given as the code itself or by its tableinfo text (regexes, case-insensitive)."""

    code: str | None = None
    text: str | None = None
    not_text: str | None = None

    @classmethod
    def parse(cls, value: Any) -> CodeRule:
        if isinstance(value, str):
            return cls(code=value)
        return cls(code=value.get("code"), text=value.get("text"), not_text=value.get("not_text"))

    def describe(self) -> str:
        text = f"text ~ /{self.text}/" + (f" and not /{self.not_text}/" if self.not_text else "") if self.text else ""
        if self.code is not None:
            return repr(self.code) + (f", else {text}" if text else "")
        return text

    def find(self, info: TableInfo, var: Variable, what: str, indicator: str) -> str:
        """The code by id; its text is only a fallback, for a table that renamed the code."""
        if self.code is not None and (self.code in var.codes or self.text is None):
            if self.code not in var.codes:
                raise shape_error(info, f"{var.id} has no code {self.code} for {what} "
                                        f"(codes: {', '.join(var.codes[:20])}{' …' if len(var.codes) > 20 else ''})",
                                  indicator)
            return self.code
        hits = [c for c, t in var.values
                if re.search(self.text or "", t, re.I) and not (self.not_text and re.search(self.not_text, t, re.I))]
        if len(hits) != 1:
            texts = "; ".join(f"{c}={t}" for c, t in var.values[:20])
            raise shape_error(info, f"expected one {what} value in {var.id} ({self.describe()}), "
                                    f"found {len(hits)} ({texts})", indicator)
        return hits[0]


@dataclass(frozen=True)
class VariableRule:
    """Which tableinfo variable: by id (case-insensitive), else by a regex on its text."""

    id: str | None = None
    text: str | None = None

    def find(self, info: TableInfo, taken: set[str], what: str, indicator: str) -> Variable:
        free = [v for v in info.variables if not v.time and v.id not in taken]
        hits = [v for v in free if self.id and v.id.upper() == self.id.upper()]
        if not hits and self.text:
            hits = [v for v in free if re.search(self.text, v.text, re.I)]
        if len(hits) != 1:
            found = ", ".join(f"{v.id} ({v.text})" for v in info.variables)
            want = " or ".join(x for x in (self.id and f"id {self.id}", self.text and f"text ~ /{self.text}/") if x)
            raise shape_error(info, f"expected one {what} variable ({want}), found {len(hits)} among {found}", indicator)
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
            unit_var = VariableRule(unit.get("variable"), unit.get("text"))
            units = {u: CodeRule.parse(r) for u, r in unit["codes"].items()}
        dims = []
        for dim, d in raw.get("dimensions", {}).items():
            dims.append(DimensionRule(
                dim=dim, variable=VariableRule(d.get("variable"), d.get("text")), codes=d.get("codes"),
                exclude=d.get("exclude"), recode={k: CodeRule.parse(v) for k, v in d.get("recode", {}).items()},
                count=d.get("count"),
            ))
        fixed = {}
        for name, f in raw.get("fixed", {}).items():
            spec = f if isinstance(f, dict) else {}
            fixed[name] = (VariableRule(spec.get("variable", name), spec.get("variable_text")), CodeRule.parse(f))
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
            raise shape_error(info, f"{var.id} has no code(s) {', '.join(missing)} "
                                    f"(codes: {', '.join(var.codes[:20])}{' …' if len(var.codes) > 20 else ''})",
                              indicator)
    if rule.count is not None and len(codes) != rule.count:
        raise shape_error(info, f"{var.id} gives {len(codes)} codes for {rule.dim}, the mapping expects {rule.count}",
                          indicator)
    return codes


def resolve(mapping: Mapping, info: TableInfo, *, indicator: str, declared: dict[str, list[str]],
            table_unit: str | None) -> Resolved:
    """Find every mapped variable and code in ``info``; hooks claim what the mapping cannot say."""
    res = Resolved(info=info, unit=table_unit)
    time = info.time_variable
    if time is None:
        raise shape_error(info, "no time variable", indicator)
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
                                    "say how (add it to [statbank.dimensions] or [statbank.fixed])", indicator)
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
