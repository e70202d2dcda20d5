"""What the tidier needs to know about a StatBank table besides its rows: the request's
variables, the dataset's columns, source and vintage. Read by the tidier (:mod:`.tidy`), the
``--complete`` bookkeeping (:mod:`.complete`) and the streaming writer (:mod:`.stream`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import CORE
from .body import ParseError
from .tableinfo import TableInfo, Variable


@dataclass
class TidyContext:
    """What the tidier needs to know besides the rows."""

    info: TableInfo
    variables: list[Variable]
    lang: str
    indicator: str
    unit: str
    source: str
    source_locator: str
    vintage: str
    vintage_date: str
    geo_default: tuple[str, str] = ("DK", "")
    omitted_note: str = ""
    column_names: dict[str, str] = field(default_factory=dict)

    def dims(self) -> list[Variable]:
        return [v for v in self.variables if not v.time and v is not self.geo]

    @property
    def geo(self) -> Variable | None:
        return next((v for v in self.variables if v.map), None)

    @property
    def time(self) -> Variable:
        t = next((v for v in self.variables if v.time), None)
        if t is None:
            raise ParseError(f"table {self.info.id} has no time variable in the request")
        return t

    def dim_column(self, var: Variable) -> str:
        name = self.column_names.get(var.id) or var.column
        if name in CORE or name.endswith("_label"):
            name = f"var_{name}"
        return name
