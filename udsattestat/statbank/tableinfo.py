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
    active: bool = True
    lang: str = "da"
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data: Any, *, lang: str = "da", url: str | None = None) -> TableInfo:
        try:
            variables = [
                Variable(
                    id=str(v["id"]),
                    text=str(v.get("text") or v["id"]),
                    elimination=bool(v.get("elimination", False)),
                    time=bool(v.get("time", False)),
                    values=tuple((str(x["id"]), str(x.get("text", x["id"]))) for x in v.get("values", [])),
                    map=v.get("map"),
                )
                for v in data["variables"]
            ]
            doc = data.get("documentation") or {}
            sup = data.get("suppressedDataValue")
            return cls(
                id=str(data["id"]).upper(),
                text=str(data.get("text") or data["id"]),
                description=str(data.get("description") or ""),
                unit=str(data.get("unit") or ""),
                updated=str(data.get("updated") or ""),
                suppressed_value=None if sup is None else str(sup),
                variables=variables,
                documentation_url=doc.get("url") if isinstance(doc, dict) else None,
                footnote=data.get("footnote"),
                active=bool(data.get("active", True)),
                lang=lang,
                raw=data,
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise FetchError(
                f"tableinfo is not in the expected shape (missing {exc}); the API may have changed",
                url=url,
            ) from None

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
