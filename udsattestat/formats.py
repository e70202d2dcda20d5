"""One rule for ``--format`` and the output file's suffix, shared by ``export``, ``table``
and ``chart``: without ``--format`` the suffix decides; with it, the suffix must be the
format's own. Anything else is one line saying which of the two to change, before any
work is done, so ``export poverty --out p.xlsx --format csv`` never writes CSV into a
file called p.xlsx.
"""

from __future__ import annotations

from pathlib import PurePath

from .errors import OutputError


def resolve_format(out, fmt: str | None, suffixes: dict[str, str]) -> str:
    """The format to write ``out`` in. ``suffixes`` maps each format to its file suffix
    (several formats may share one, e.g. csv and csv-excel both write .csv; the first
    listed is the one a bare suffix means)."""
    if str(out) == "-":  # standard output has no suffix: --format says it all
        if fmt is None:
            raise OutputError("cannot tell the format of '-'; give --format (standard output takes the text formats)")
        if fmt not in suffixes:
            raise OutputError(f"unknown format {fmt!r}; use one of: {', '.join(suffixes)}")
        return fmt
    name = PurePath(str(out)).name
    suffix = PurePath(name).suffix.lower()
    by_suffix: dict[str, str] = {}
    for f, s in suffixes.items():
        by_suffix.setdefault(s, f)
    if fmt is None:
        if suffix not in by_suffix:
            known = ", ".join(dict.fromkeys(suffixes.values()))
            raise OutputError(f"cannot tell the format of {name!r} from its suffix; end the file name in one of "
                              f"{known}, or give --format")
        return by_suffix[suffix]
    if fmt not in suffixes:
        raise OutputError(f"unknown format {fmt!r}; use one of: {', '.join(suffixes)}")
    want = suffixes[fmt]
    if suffix != want:
        stem = PurePath(name).stem if suffix in by_suffix else name
        if suffix in by_suffix:
            fix = (f"change --out to {stem}{want}, or drop --format to write {by_suffix[suffix]} "
                   f"as the suffix says")
        else:
            fix = f"change --out to {stem}{want}"
        raise OutputError(f"--format {fmt} writes a {want} file but the file name is {name!r}; {fix}")
    return fmt
