"""What resolving a dataset's ``[statbank]`` mapping against one table found, and the error
when the two do not match: the interface the mapping (:mod:`.mapping`) and its hooks
(:mod:`.hooks`) share, so neither imports the other's module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import FetchError
from .tableinfo import TableInfo, Variable


class TableShapeError(FetchError):
    """A StatBank table and a dataset's ``[statbank]`` mapping do not match.

    ``what`` says what was expected and found, ``key`` which mapping key it concerns (a path
    into dataset.toml, for its line). The message is neutral; :mod:`.mapping_check` frames it
    as the table's change or the mapping's mistake.
    """

    def __init__(self, table: str, what: str, key: tuple[str, ...] = ("statbank",)):
        self.table = table
        self.what = what
        self.key = key
        super().__init__(f"StatBank table {table} does not match the [statbank] mapping ({'.'.join(key)}): {what}")

    def with_message(self, message: str) -> TableShapeError:
        """The same mismatch told another way (see :mod:`.mapping_check`)."""
        self.args = (message,)
        return self


def shape_error(info: TableInfo, what: str, indicator: str = "", key: tuple[str, ...] = ("statbank",)) -> TableShapeError:
    return TableShapeError(info.id, what, key)


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

    def record(self, mapping) -> dict[str, Any]:
        """What was resolved against ``mapping`` (the :class:`~.mapping.Mapping`), for the
        provenance (``extra["statbank_mapping"]``)."""
        return {
            "table": self.info.id,
            "dimensions": {c: v for v, c in self.columns.items() if not c.startswith("_")},
            "geo": self.geo_variable,
            "unit": {self.unit_var_id: self.units} if self.units else self.unit,
            "fixed": self.fixed,
            "eliminated": self.eliminated,
            "hooks": mapping.hooks,
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
