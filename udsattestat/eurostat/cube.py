"""A statistical cube as read from Eurostat, whatever the format: its dimensions in storage
order and one row per observation (:class:`Cube`), and the error a reader raises for a
response it cannot read without guessing (:class:`JsonStatError`, naming the JSON path of
the part at fault). :mod:`.jsonstat` and :mod:`.sdmxcsv` make cubes; :mod:`.tidy` turns one
into the tidy table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import FetchError
from .flags import FLAG_MEANINGS, flag_tokens, unknown_flags

#: Columns the parser adds beside the dimensions; a dimension may not use these names
#: (nor the underscore names :func:`tidy` works with).
RESERVED = ("value", "flags", "status", "note", "_time", "_flags", "_freq", "_start", "_end", "_note")

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(*parts: str | int) -> str:
    """``("dimension", "geo", "category")`` → ``$.dimension.geo.category`` (brackets where needed)."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


class JsonStatError(FetchError):
    """A response that is not a JSON-stat 2.0 dataset we can read without guessing.

    ``path`` is the JSON path of the part at fault (``$.value["12"]``), or None when the
    whole body is at fault (not JSON at all).
    """

    def __init__(self, message: str, *, url: str | None = None, path: str | None = None):
        self.path = path
        where = f" (at {path})" if path else ""
        super().__init__(f"not a readable JSON-stat 2.0 dataset: {message}{where}", url=url)


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]

    def label_of(self, code: str) -> str:
        return self.labels[self.codes.index(code)]


@dataclass
class Cube:
    """One parsed dataset: its dimensions in storage order and its observations.

    ``observations`` has one row per cell that has a value or a flag, in storage order,
    with a code and a ``<dim>_label`` column per dimension (dictionary-encoded), then
    ``value`` (Float64, null when withheld), ``flags`` (the flags as published, null when
    none) and ``status``.
    """

    label: str
    source: str
    updated: str
    dimensions: list[Dimension]
    roles: dict[str, list[str]]
    observations: Any  # polars.DataFrame
    extension: dict[str, Any] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.dimensions]

    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    def role(self, role: str, fallbacks: tuple[str, ...] = ()) -> str | None:
        """The dimension id with a JSON-stat role ("time", "geo"), else the first fallback id present."""
        for dim_id in self.roles.get(role, []):
            if dim_id in self.ids:
                return dim_id
        lowered = {i.lower(): i for i in self.ids}
        for name in fallbacks:
            if name.lower() in lowered:
                return lowered[name.lower()]
        return None

    def flag_labels(self) -> dict[str, str]:
        """Flag meanings as the response states them (Eurostat's ``extension.status.label``), else ours.

        Eurostat labels a confidentiality status the way it writes it (``"|C": "|confidential"``):
        the bar is dropped from the meaning. A label for a combination (``"p|C"``) is not
        split; each part keeps its own meaning.
        """
        status = self.extension.get("status") if isinstance(self.extension, dict) else None
        labels = status.get("label") if isinstance(status, dict) else None
        out = dict(FLAG_MEANINGS)
        if isinstance(labels, dict):
            for key, text in labels.items():
                tokens = flag_tokens(str(key))
                meaning = str(text).strip().strip("|").strip()
                if len(tokens) == 1 and meaning:
                    out[tokens[0]] = meaning
        return out

    def unknown_flags(self) -> dict[str, int]:
        return unknown_flags(self.observations["flags"], self.flag_labels())
