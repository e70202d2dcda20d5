"""Time codes as producers publish them, turned into ``freq``, ``period_start``, ``period_end``.

StatBank codes: ``2025`` (year), ``2015H1`` (half), ``2025K1`` (quarter; its English label
``2025Q1`` is accepted too), ``2025M01`` (month), ``2025U01`` (ISO week),
``2000M01D01`` (day). Eurostat's ``2025-Q1``/``2025-03``/``2025-S1``/``2025-W01`` forms
are accepted as well. The period code is kept exactly as published; only the dates are
derived.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .errors import UdsatError

# re.ASCII: ``\d`` is 0-9 only. Unicode digits ("２０２４", "٢٠٢٤") would otherwise parse,
# and a period code that looks different from the one published is not the same code.
# ``\Z`` rather than ``$``: "2024\n" is not a period either.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    (freq, re.compile(pattern, re.ASCII))
    for freq, pattern in (
        ("A", r"^(\d{4})\Z"),
        ("H", r"^(\d{4})-?[HS]([12])\Z"),
        ("Q", r"^(\d{4})-?[KQ]([1-4])\Z"),
        ("M", r"^(\d{4})-?M?(\d{2})\Z"),
        ("W", r"^(\d{4})-?[UW](\d{2})\Z"),
        ("D", r"^(\d{4})M(\d{2})D(\d{2})\Z"),
        ("D", r"^(\d{4})-(\d{2})-(\d{2})\Z"),
    )
]


class PeriodError(UdsatError, ValueError):
    """A time code that matches none of the known forms, or names a date that does not exist."""


@dataclass(frozen=True)
class Period:
    code: str
    freq: str
    start: date
    end: date

    @property
    def year(self) -> int:
        return self.start.year


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(code: str) -> Period:
    """Parse one time code. Raises :class:`PeriodError` for anything not understood."""
    if isinstance(code, bool) or not isinstance(code, str | int):
        # A list or a table where a code belongs (a malformed recipe or API body).
        raise PeriodError(f"a time code must be text such as \"2025\", not {type(code).__name__}")
    return _parse(str(code))


@lru_cache(maxsize=65536)
def _parse(code: str) -> Period:
    text = code.strip()
    for freq, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        try:
            year = int(m.group(1))
            if freq == "A":
                return Period(text, freq, date(year, 1, 1), date(year, 12, 31))
            n = int(m.group(2))
            if freq == "H":
                first = 1 if n == 1 else 7
                return Period(text, freq, date(year, first, 1), _month_end(year, first + 5))
            if freq == "Q":
                first = 3 * (n - 1) + 1
                return Period(text, freq, date(year, first, 1), _month_end(year, first + 2))
            if freq == "M":
                if not 1 <= n <= 12:
                    break
                return Period(text, freq, date(year, n, 1), _month_end(year, n))
            if freq == "W":
                # ISO weeks: week 1 holds the year's first Thursday; 52 or 53 weeks a year.
                weeks = date(year, 12, 28).isocalendar().week
                if not 1 <= n <= weeks:
                    break
                start = date.fromisocalendar(year, n, 1)
                return Period(text, freq, start, start + timedelta(days=6))
            day = date(year, n, int(m.group(3)))
            return Period(text, freq, day, day)
        except (ValueError, OverflowError):  # no such date; past year 9999
            break
    raise PeriodError(
        f"cannot read time code {text!r}; expected forms like 2025, 2015H1, 2025K1, 2025M01, "
        "2025U01 or 2000M01D01"
    )

