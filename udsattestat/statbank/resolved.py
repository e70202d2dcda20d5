"""What resolving a dataset's ``[statbank]`` mapping against one table found, and the error
when the table no longer has the shape the mapping describes: the interface the mapping
(:mod:`.mapping`) and its hooks (:mod:`.hooks`) share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import FetchError
from .tableinfo import TableInfo, Variable


class TableShapeError(FetchError):
    """A StatBank table no longer has the shape a dataset's ``[statbank]`` mapping describes."""


def shape_error(info: TableInfo, what: str, indicator: str = "") -> TableShapeError:
    where = f"[statbank] in datasets/{indicator}/dataset.toml" if indicator else "the dataset's [statbank] mapping"
    return TableShapeError(
        f"StatBank table {info.id} changed shape: {what}; see 'udsattestat statbank info {info.id}' "
        f"and {where} (the bundled data still work without --live)"
    )


@dataclass
class Resolved:
    """A mapping resolved against one table's tableinfo: what to ask for and how to read it."""

    info: TableInfo
    selection: dict[str, list[str]] = field(default_factory=dict)
    #: variable id -> tidy column (dimension id; ``_geo``, ``_unit`` or ``_fixed_<id>`` for the rest)
    columns: dict[str, str] = field(default_factory=dict)
    #: dimension -> {their code: our code}
    recodes: dict[str, dict[str, str]] = field(default_factory=dict)
    geo_variable: str | None = None
    unit: str | None = None                 # the unit of the whole table, if there is no unit variable
    units: dict[str, str] = field(default_factory=dict)   # content code -> our unit
    fixed: dict[str, dict[str, str]] = field(default_factory=dict)  # var -> {code, label, by}
    eliminated: list[str] = field(default_factory=list)
    claimed: set[str] = field(default_factory=set)

    def record(self, hooks: list[str]) -> dict[str, Any]:
        """What was resolved, for the provenance (``extra["statbank_mapping"]``)."""
        return {
            "table": self.info.id,
            "dimensions": {c: v for v, c in self.columns.items() if not c.startswith("_")},
            "geo": self.geo_variable,
            "unit": {self.unit_var_id: self.units} if self.units else self.unit,
            "fixed": self.fixed,
            "eliminated": self.eliminated,
            "hooks": hooks,
        }

    def fix(self, var: Variable, code: str, *, by: str) -> None:
        """Hold ``var`` at one ``code`` (recorded with who decided it: the mapping or a hook)."""
        self.claimed.add(var.id)
        self.selection[var.id] = [code]
        self.columns[var.id] = f"_fixed_{var.id}"
        self.fixed[var.id] = {"code": code, "label": var.labels()[code], "by": by}

    @property
    def unit_var_id(self) -> str | None:
        return next((v for v, c in self.columns.items() if c == "_unit"), None)
