"""Eurostat's observation flags and confidentiality statuses: what they mean, and the one
status a flagged cell gets in the shared vocabulary (:data:`udsattestat.schema.STATUSES`).

Eurostat sends the observation flag and the confidentiality status joined in one string,
``FLAG|CONF``: ``"p"`` (provisional), ``"|C"`` (a confidential, withheld cell), ``"e|C"``.
Older answers and SDMX files use a lowercase ``c`` letter for the same. Every flag string is
kept verbatim in a ``flags`` column and mapped to one ``status`` by
:data:`STATUS_PRECEDENCE`; a confidential cell is ``suppressed`` whatever its observation
flag. Flags we do not know are kept, change no status, and are counted once per fetch by
:func:`unknown_flags` (never a note on every row). Both readers (JSON-stat and SDMX-CSV) use
these rules.
"""

from __future__ import annotations

from collections import Counter

#: Flag → status in the shared vocabulary (udsattestat.schema.STATUSES).
#: ``n`` (not significant) has no status of its own; it says the figure must not be read as
#: a reliable difference, which is what ``low_reliability`` tells a chart reader.
#: ``s`` (Eurostat estimate) and ``f`` (forecast) are estimates too. ``|X`` entries are
#: confidentiality statuses (SDMX code list CL_CONF_STATUS): every one but ``F`` (free)
#: means the value is withheld.
FLAG_STATUS = {
    "c": "suppressed",
    "u": "low_reliability",
    "n": "low_reliability",
    "b": "break",
    "p": "provisional",
    "e": "estimated",
    "s": "estimated",
    "f": "estimated",
    **{f"|{code}": "suppressed" for code in "ACDEGMNOST"},
}

#: When a cell carries several flags ("bu", "ep"), the status is the one earliest here: the
#: one that most limits what a reader may conclude. A withheld value first; then a value
#: that is not reliable at all; then a break (not comparable over time); then a value that
#: will be revised; then an estimate. Every flag stays in ``flags`` whatever is chosen.
STATUS_PRECEDENCE = ("suppressed", "low_reliability", "break", "provisional", "estimated")

#: What Eurostat's flags mean: observation flags (code list ESTAT/OBS_FLAG) and, after a
#: ``|``, confidentiality statuses (SDMX CL_CONF_STATUS). Used in row notes and caveats; the
#: response's own ``extension.status.label`` wins where it says more.
FLAG_MEANINGS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "i": "see metadata",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
    ":": "not available",
    "|A": "confidential (primary confidentiality, small counts)",
    "|C": "confidential",
    "|D": "confidential (secondary confidentiality)",
    "|E": "confidential (declared so by the data provider)",
    "|G": "confidential (dominance by one, two or more units)",
    "|M": "confidential (other measures of concealment)",
    "|N": "not for publication",
    "|O": "confidential (dominance by one unit)",
    "|S": "confidential (secondary confidentiality, set by the receiver)",
    "|T": "confidential (dominance by two units)",
    "|F": "free (not confidential)",
}

def flag_tokens(flags: str | None) -> list[str]:
    """A flag string as its parts: ``"ep|C"`` → ``["e", "p", "|C"]`` (each letter, then ``|CONF``).

    Order and repeats are dropped; the verbatim string stays in the ``flags`` column.
    """
    if not flags:
        return []
    obs, sep, conf = flags.strip().partition("|")
    out = [ch for ch in obs if not ch.isspace()]
    conf = conf.strip()
    if conf:
        out.append("|" + conf)
    return list(dict.fromkeys(out))


def join_flags(*flags: str | None) -> str | None:
    """Several cells' flags as one string (a rate from two inputs): letters merged, one ``|CONF``.

    A withholding confidentiality status wins over ``|F`` (free).
    """
    tokens = [t for f in flags for t in flag_tokens(f)]
    letters = "".join(dict.fromkeys(t for t in tokens if not t.startswith("|")))
    confs = [t for t in dict.fromkeys(tokens) if t.startswith("|")]
    conf = next((c for c in confs if FLAG_STATUS.get(c) == "suppressed"), confs[0] if confs else "")
    return (letters + conf) or None


def status_for(flags: str | None, has_value: bool = True) -> str:
    """The one status of a cell from its flags (see :data:`STATUS_PRECEDENCE`).

    A cell with no value that is not flagged confidential was left out for another reason
    (Eurostat's ``:`` "not available", ``z`` "not applicable"): it is ``omitted``.
    """
    found = {FLAG_STATUS[t] for t in flag_tokens(flags) if t in FLAG_STATUS}
    if not has_value and "suppressed" not in found:
        return "omitted"
    for status in STATUS_PRECEDENCE:
        if status in found:
            return status
    return "published"


def describe_flags(flags: str | None, meanings: dict[str, str]) -> str | None:
    """The row note for a flag string: each known flag spelled out; unknown ones are left to the caveats."""
    known = [f"flag {t}: {meanings[t]}" for t in flag_tokens(flags) if t in meanings]
    return "; ".join(known) or None


def unknown_flags(flags, meanings: dict[str, str]) -> dict[str, int]:
    """Flags no code list we know defines → how many cells carry each (for one caveat per fetch).

    ``flags`` is the ``flags`` column (any iterable of strings or None); the count works on
    its distinct values, so a million rows cost as much as their handful of flag strings.
    """
    import polars as pl

    series = flags if isinstance(flags, pl.Series) else pl.Series("flags", list(flags), dtype=pl.String)
    counts: Counter[str] = Counter()
    for value, n in series.drop_nulls().value_counts().iter_rows():  # Categorical or String alike
        for token in flag_tokens(value):
            if token not in meanings:
                counts[token] += n
    return dict(sorted(counts.items()))
