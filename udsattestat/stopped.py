"""Has a live table stopped being updated?

A producer may stop a table (StatBank marks it ``active: false``) or simply stop updating
it: its last release then falls further and further behind its own rhythm. A table is
reported as stopped when it is marked inactive, or when more than two of its periods (plus
a quarter of a year's grace for publication delays) have passed since its last release —
an annual table last updated in 2023 is overdue by 2026 — or when its newest period is more
than three periods (plus the grace) behind although it was updated (only old years revised).
Both ``info --live`` and ``update``
say so, with the successor table a dataset names (``successor`` in its mapping), if any.
"""

from __future__ import annotations

from datetime import date

#: Days in one period of each frequency (the periods module's codes).
PERIOD_DAYS = {"A": 365, "H": 182, "Q": 91, "M": 30, "W": 7, "D": 1}
GRACE_DAYS = 90


def stopped_reason(*, updated: str, latest: str | None, active: bool = True,
                   today: date | None = None) -> dict[str, str] | None:
    """Why the table counts as stopped, in both languages, or None if it looks current.

    ``updated`` is the last release (ISO date or timestamp), ``latest`` the newest period code.
    """
    from .periods import PeriodError, parse_period

    if not active:
        return {"da": "tabellen er markeret som ikke aktiv (active: false) og opdateres ikke længere",
                "en": "the table is marked inactive (active: false) and is no longer updated"}
    try:
        last = date.fromisoformat(updated[:10])
        freq = parse_period(latest).freq if latest else "A"
    except (ValueError, PeriodError):
        return None
    today = today or date.today()
    days = (today - last).days
    period = PERIOD_DAYS[freq]
    if days > 2 * period + GRACE_DAYS:
        newest = f", newest period {latest}" if latest else ""
        nyeste = f", nyeste periode {latest}" if latest else ""
        return {"da": f"ikke opdateret siden {last} ({days} dage{nyeste}); en ny udgivelse er forsinket med mere "
                      "end to perioder — tabellen kan være stoppet",
                "en": f"not updated since {last} ({days} days{newest}); a new release is more than two periods "
                      "overdue — the table may have stopped"}
    # Updated, but its newest period is far behind: revisions of old years only.
    behind = (today - parse_period(latest).end).days if latest else 0
    if behind > 3 * period + GRACE_DAYS:
        return {"da": f"nyeste periode er {latest} ({behind} dage siden), skønt tabellen blev opdateret {last}: "
                      "den får ikke nye perioder — tabellen kan være stoppet",
                "en": f"its newest period is {latest} ({behind} days ago) although it was updated {last}: it gets "
                      "no new periods — the table may have stopped"}
    return None


def status_line(entry: dict, lang: str) -> str:
    """One line for ``info --live``/``update``: the table, its last release and newest period,
    and whether (and why) it counts as stopped, with its successor if the dataset names one."""
    words = {"da": ("opdateret", "nyeste periode", "STOPPET?", "efterfølger"),
             "en": ("updated", "newest period", "STOPPED?", "successor")}[lang]
    text = f"{entry['table']}: {words[0]} {entry['updated']}"
    if entry.get("latest"):
        text += f", {words[1]} {entry['latest']}"
    if entry.get("stopped"):
        text += f" — {words[2]} {entry['stopped'][lang]}"
        if entry.get("successor"):
            text += f"; {words[3]}: {entry['successor']}"
    return text
