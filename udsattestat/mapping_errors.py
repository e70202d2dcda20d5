"""What a live mapping error says, for StatBank and Eurostat alike: where in dataset.toml the
mapping says it (file, line, dotted key) and the nearest code or id the table has."""

from __future__ import annotations

from pathlib import Path


def did_you_mean(wrong: str, valid: list[str]) -> str:
    """``; did you mean 'X'?`` for the closest of ``valid`` (case-insensitive), or nothing."""
    import difflib

    upper = {v.upper(): v for v in valid}
    close = difflib.get_close_matches(wrong.upper(), list(upper), n=1, cutoff=0.6)
    return f"; did you mean {upper[close[0]]!r}?" if close else ""


def where_in_file(meta, key: tuple[str, ...]) -> str:
    """``datasets/x/dataset.toml, line 12: statbank.dimensions.age.variable``."""
    from .toml_schema import line_of

    toml = Path(meta.path) / "dataset.toml"
    try:
        lines = toml.read_text("utf-8").splitlines()
    except OSError:
        lines = []
    line = line_of(lines, key) if lines else None
    return f"{toml}{f', line {line}' if line else ''}: {'.'.join(key)}"
