"""The catalogue of indicators: every bundled dataset folder, read from its metadata."""

from __future__ import annotations

from dataclasses import dataclass

from .bundle import datasets_dir, read_meta
from .errors import UnknownIndicatorError


@dataclass(frozen=True)
class Entry:
    id: str
    title: dict[str, str]
    unit: str
    producer: str
    live: str | None


def indicator_ids() -> list[str]:
    root = datasets_dir()
    return sorted(p.name for p in root.iterdir() if (p / "dataset.toml").is_file())


def check_indicator(indicator: str) -> str:
    """Return ``indicator`` if it exists, else raise with the closest ids as suggestions."""
    known = indicator_ids()
    if indicator in known:
        return indicator
    lowered = {k.lower(): k for k in known}
    if indicator.lower() in lowered:
        return lowered[indicator.lower()]
    import difflib  # only for a typo

    close = difflib.get_close_matches(indicator.lower(), known, n=3, cutoff=0.5)
    close += [k for k in known if indicator.lower() in k and k not in close]
    raise UnknownIndicatorError(indicator, close[:3], known)


def entries() -> list[Entry]:
    out = []
    for ind in indicator_ids():
        meta = read_meta(datasets_dir() / ind)
        r = meta.raw
        out.append(Entry(ind, dict(r["title"]), r["unit"], meta.text("producer", "en"), meta.live))
    return out
