"""A StatBank table's metadata (the ``tableinfo`` response), read once and looked up by code.

Labels are not unique within a variable (several places called "Assens"), so everything is
keyed by code; labels are only ever joined on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import FetchError, SelectionError


@dataclass(frozen=True)
class Variable:
    id: str
    text: str
    elimination: bool
    time: bool
    values: tuple[tuple[str, str], ...]
    map: str | None = None

    @property
    def codes(self) -> list[str]:
        return [c for c, _ in self.values]

    def labels(self) -> dict[str, str]:
        return dict(self.values)

    @property
    def column(self) -> str:
        """The tidy column name: the id in lower case (``OMRÅDE`` → ``område``)."""
        return self.id.lower()


@dataclass
class TableInfo:
    id: str
    text: str
    description: str
    unit: str
    updated: str
    suppressed_value: str | None
    variables: list[Variable]
    documentation_url: str | None = None
    footnote: str | None = None
    #: DST marks some footnotes mandatory: they must go with the figures wherever shown.
    footnote_mandatory: bool = False
    active: bool = True
    lang: str = "da"
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data: Any, *, lang: str = "da", url: str | None = None) -> TableInfo:
        """Read a tableinfo document. Total: a TableInfo or a :class:`FetchError` with the
        JSON path of the first thing that is not as the API documents it."""
        shape = _Shape(url)
        doc = shape.table("$", data)
        raw_vars = shape.list("$.variables", doc.get("variables"))
        variables = []
        for i, v in enumerate(raw_vars):
            where = f"$.variables[{i}]"
            v = shape.table(where, v)
            var_id = shape.code(f"{where}.id", v.get("id"))
            values = []
            for j, x in enumerate(shape.list(f"{where}.values", v.get("values", []))):
                x = shape.table(f"{where}.values[{j}]", x)
                code = shape.code(f"{where}.values[{j}].id", x.get("id"))
                values.append((code, shape.text(f"{where}.values[{j}].text", x.get("text"), code)))
            variables.append(Variable(
                id=var_id,
                text=shape.text(f"{where}.text", v.get("text"), var_id),
                elimination=shape.flag(f"{where}.elimination", v.get("elimination"), False),
                time=shape.flag(f"{where}.time", v.get("time"), False),
                values=tuple(values),
                map=shape.text(f"{where}.map", v.get("map"), None),
            ))
        doc_info = doc.get("documentation")
        sup = doc.get("suppressedDataValue")
        footnote, mandatory = shape.footnote("$.footnote", doc.get("footnote"))
        table_id = shape.code("$.id", doc.get("id"))
        return cls(
            id=table_id.upper(),
            text=shape.text("$.text", doc.get("text"), table_id),
            description=shape.text("$.description", doc.get("description"), ""),
            unit=shape.text("$.unit", doc.get("unit"), ""),
            updated=shape.text("$.updated", doc.get("updated"), ""),
            suppressed_value=shape.text("$.suppressedDataValue", sup, None),
            variables=variables,
            documentation_url=shape.text("$.documentation.url", doc_info.get("url"), None)
            if isinstance(doc_info, dict) else None,
            footnote=footnote,
            footnote_mandatory=mandatory,
            active=shape.flag("$.active", doc.get("active"), True),
            lang=lang,
            raw=doc,
        )

    def variable(self, var_id: str) -> Variable:
        """A variable by id, case-insensitively (``tid`` finds ``Tid``)."""
        for v in self.variables:
            if v.id.upper() == var_id.upper():
                return v
        names = ", ".join(v.id for v in self.variables)
        raise SelectionError(f"table {self.id} has no variable {var_id!r}; its variables are {names}")

    @property
    def time_variable(self) -> Variable | None:
        return next((v for v in self.variables if v.time), None)

    @property
    def geo_variable(self) -> Variable | None:
        """The geographic variable (tableinfo gives ``map`` only for these)."""
        return next((v for v in self.variables if v.map), None)

    @property
    def updated_date(self) -> str:
        return self.updated[:10]


class _Shape:
    """Type checks for tableinfo with errors that give the JSON path (``$.variables[1].id``)."""

    def __init__(self, url: str | None):
        self.url = url

    def fail(self, where: str, message: str):
        raise FetchError(f"tableinfo is not in the expected shape at {where}: {message}; "
                         "the API may have changed", url=self.url)

    def table(self, where: str, value: Any) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"expected an object, got {_kind(value)}")
        return value

    def list(self, where: str, value: Any) -> list:
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {_kind(value)}")
        return value

    def code(self, where: str, value: Any) -> str:
        # Codes are text ("0017" keeps its zeros); a bare integer is accepted as its digits.
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"expected a non-empty code, got {_kind(value)}")
        return value

    def text(self, where: str, value: Any, default):
        if value is None or value == "":
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(where, f"expected text, got {_kind(value)}")
        return str(value)

    def footnote(self, where: str, value: Any) -> tuple[str | None, bool]:
        """``null``, or ``{"text": …, "mandatory": true}`` as the API sends it (recorded
        responses, tests/fixtures/recorded/README.md); bare text is accepted too."""
        if isinstance(value, dict):
            return (self.text(f"{where}.text", value.get("text"), None),
                    self.flag(f"{where}.mandatory", value.get("mandatory"), False))
        return self.text(where, value, None), False

    def flag(self, where: str, value: Any, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(where, f"expected true or false, got {_kind(value)}")
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
