"""The shapes of a recipe's values (:mod:`udsattestat.toml_schema` specs): what a text, a
period, a selection, an output name or a number may be, and the form each is read into.

A recipe is written by hand, so the forms are forgiving where the meaning is plain (``since =
2015`` as well as ``"2015"``; one text for both languages or ``{ da = …, en = … }``; one code
or a list) and every value is read into one form, so nothing downstream guesses.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from ..languages import LANGS
from ..toml_schema import Key, ListOf, Spec, Str, Table, kind

#: `to` and `until` may say "last": the last period the view has (as of the report's date,
#: the latest period then published; in the latest view, the latest period now).
LAST = "last"
#: Names the build writes itself; a figure or table may not take them.
RESERVED_NAMES = ("index", "claims", "manifest")
# A name becomes a file name in the output directory: no separators, no dot-dot, no
# leading dot (hidden files, "." and ".."), so nothing can land outside the directory.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}\Z", re.ASCII)
#: The report's date: a year, a month or a day, ASCII digits only.
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?\Z", re.ASCII)


def short(value: Any) -> str:
    """A value for an error message: its repr, cut short (a recipe value may be a big table)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Text(Str):
    """A non-empty text."""

    def __init__(self):
        super().__init__(nonempty=True)


class LangText(Spec):
    """A text a reader sees: one string (the same in both languages) or ``{ da = …, en = … }``;
    read as {da, en} (a language left out is left out)."""

    LANG_TABLE = Table({lang: Key(Text(), f"the text in {lang}") for lang in LANGS})

    def read(self, value, path, ctx):
        if isinstance(value, str):
            Text().read(value, path, ctx)
            return {"da": value, "en": value}
        if isinstance(value, dict):
            out = self.LANG_TABLE.read(value, path, ctx)
            if not out:
                ctx.fail(path, "give the text in da and/or en")
            return out
        ctx.fail(path, f"expected text or {{ da = \"…\", en = \"…\" }}, found {kind(value)}")

    def fits(self, value):
        return isinstance(value, (str, dict))

    def describe(self):
        return "text or da/en texts"


class Period(Spec):
    """A period code such as "2019" or "2019Q3" (a whole number reads as a year); ``last``
    where ``allow_last``."""

    def __init__(self, allow_last: bool = False):
        self.allow_last = allow_last

    def read(self, value, path, ctx):
        from ..periods import PeriodError, parse_period

        if self.allow_last and value == LAST:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # since = 2015 reads as naturally as since = "2015"
        if not isinstance(value, str):
            ctx.fail(path, f"expected a period such as \"2019\", found {kind(value)}")
        try:
            parse_period(value)
        except PeriodError as exc:
            ctx.fail(path, str(exc))
        return value

    def fits(self, value):
        return isinstance(value, (str, int)) and not isinstance(value, bool)

    def describe(self):
        return "period"


class Where(Spec):
    """A selection: dimension = a code or a list of codes; read as {dimension: [codes]}."""

    def read(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.fail(path, "expected a table such as { situation = \"TOT\" }, found " + kind(value))
        out = {}
        for dim, codes in value.items():
            codes = [codes] if isinstance(codes, str) else codes
            if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
                ctx.fail((*path, dim), "expected a code or a list of codes")
            out[dim] = list(codes)
        return out

    def fits(self, value):
        return isinstance(value, dict)

    def describe(self):
        return "selection"


class Name(Spec):
    """An output name: it becomes a file name in the build's directory."""

    def read(self, value, path, ctx):
        name = Text().read(value, path, ctx)
        if "/" in name or "\\" in name or ".." in name or name.startswith("."):
            ctx.fail(path, f"{name!r} must stay inside the output directory: no '/', '..' or leading '.'")
        if not NAME_RE.match(name):
            ctx.fail(path, f"{name!r} may use only letters, digits, '-' and '_' (it becomes a file name)")
        if name.lower() in RESERVED_NAMES:
            ctx.fail(path, f"{name!r} is reserved for the build's own files ({', '.join(RESERVED_NAMES)})")
        return name

    def fits(self, value):
        return isinstance(value, str)

    def describe(self):
        return "name"


class Ident(Spec):
    """A claim's id: letters, digits, '-' and '_' (an anchor on the page, a key in claims.json)."""

    def read(self, value, path, ctx):
        ident = Text().read(value, path, ctx)
        if not NAME_RE.match(ident):
            ctx.fail(path, f"{ident!r} may use only letters, digits, '-' and '_'")
        return ident

    def fits(self, value):
        return isinstance(value, str)

    def describe(self):
        return "id"


class Number(Spec):
    """A finite number (an integer too large for a float is not one)."""

    def __init__(self, minimum: float | None = None):
        self.minimum = minimum

    def read(self, value, path, ctx):
        if not self.fits(value):
            ctx.fail(path, f"expected a number, found {short(value)}")
        try:
            finite = math.isfinite(value)
        except OverflowError:
            finite = False
        if not finite:
            ctx.fail(path, f"expected a finite number, found {short(value)}")
        if self.minimum is not None and value < self.minimum:
            ctx.fail(path, f"must be {self.minimum} or more")
        return value

    def fits(self, value):
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    def describe(self):
        return "number"


class PageOrMark(Spec):
    """A page ("5", "5–6", 5) or a footnote mark; read as given (``as_text``: as text)."""

    def __init__(self, what: str, as_text: bool = False):
        self.what = what
        self.as_text = as_text

    def read(self, value, path, ctx):
        if not self.fits(value):
            ctx.fail(path, f"expected {self.what}, found {kind(value)}")
        return str(value) if self.as_text else value

    def fits(self, value):
        return isinstance(value, (int, str)) and not isinstance(value, bool)

    def describe(self):
        return self.what


class Formats(Spec):
    """A figure's or table's ``formats = ["svg", "pdf"]``: known, not repeated, in the order
    given; read as a tuple. ``need``: a format the page shows, so it must be there."""

    def __init__(self, allowed: tuple[str, ...], need: str | None = None):
        self.allowed = allowed
        self.need = need

    def read(self, value, path, ctx):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            ctx.fail(path, f"expected a list such as {list(self.allowed[:2])!r}")
        bad = [v for v in value if v not in self.allowed]
        if bad:
            ctx.fail(path, f"{bad[0]!r} is not one of {', '.join(self.allowed)}")
        if len(set(value)) != len(value):
            ctx.fail(path, "lists a format twice")
        if self.need and self.need not in value:
            ctx.fail(path, f"must include {self.need!r}: the page shows it")
        return tuple(value)

    def fits(self, value):
        return isinstance(value, list)

    def describe(self):
        return "list of formats"


#: ``[report] date`` of a report that carries no date: claims are read against the latest data only
UNKNOWN_DATE = "unknown"


class ReportDate(Spec):
    """The report's date: "2021", "2021-11" or "2021-11-30" (a TOML date literal too), or
    "unknown" for a report that carries none (said so, never a guessed date)."""

    def read(self, value, path, ctx):
        from ..vintages import date_bounds

        if value == UNKNOWN_DATE:
            return value
        date = value
        if isinstance(date, datetime.date) and not isinstance(date, datetime.datetime):
            date = date.isoformat()  # a TOML date literal (2021-11-30) reads as a date object
        if isinstance(date, str | int) and not isinstance(date, bool) and DATE_RE.match(str(date)):
            try:
                date_bounds(str(date))
                return str(date)
            except ValueError:  # a month 13 or a 30 February
                pass
        ctx.fail(path, f"{short(value)} is not a date; write \"2021\", \"2021-11\" or \"2021-11-30\" "
                       f"(or \"{UNKNOWN_DATE}\" when the report carries none)")

    def fits(self, value):
        return True

    def describe(self):
        return "date"


class Reads(Spec):
    """The quoted words a check follows from: ``reads = "knap 250.000"`` or ``{ words = …,
    step = …, reason = … }``; read by the one rule of :mod:`udsattestat.qualifiers`."""

    TABLE = Table({"words": Key(Text(), "the quoted words", required=True),
                   "step": Key(Number(), "the rounding step, where the words do not give it"),
                   "reason": Key(LangText(), "why that step (a reader sees it: da/en)")})

    def read(self, value, path, ctx):
        from ..qualifiers import QualifierError, read

        if isinstance(value, dict):
            t = self.TABLE.read(value, path, ctx)
            words, step, reason = t["words"], t.get("step"), t.get("reason")
        else:
            words, step, reason = Text().read(value, path, ctx), None, None
        try:
            return read(words, step, reason)
        except QualifierError as exc:
            ctx.fail(path, str(exc))

    def fits(self, value):
        return isinstance(value, (str, dict))

    def describe(self):
        return "words or { words, step, reason }"


class OneOrMany(Spec):
    """One item or a non-empty list of them; read as a list."""

    def __init__(self, item: Spec):
        self.item = item
        self.many = ListOf(item)

    def read(self, value, path, ctx):
        if isinstance(value, list):
            if not value:
                ctx.fail(path, "the list is empty; give at least one")
            return self.many.read(value, path, ctx)
        return [self.item.read(value, path, ctx)]

    def fits(self, value):
        return self.item.fits(value) or isinstance(value, list)

    def describe(self):
        return f"{self.item.describe()} or a list of them"


class ArrayOfTables(Spec):
    """``[[name]]``: an array of tables, each read by ``item``."""

    def __init__(self, name: str, item: Spec):
        self.name = name
        self.item = ListOf(item)

    def read(self, value, path, ctx):
        if not isinstance(value, list):
            ctx.fail(path, f"write [[{self.name}]] (an array of tables), not [{self.name}]")
        return self.item.read(value, path, ctx)

    def fits(self, value):
        return isinstance(value, list)

    def describe(self):
        return f"[[{self.name}]]"


class AnyTable(Spec):
    """A table whose keys depend on other keys (checked by the record's rules), read as is."""

    def __init__(self, what: str):
        self.what = what

    def read(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.fail(path, f"expected {self.what}, found {kind(value)}")
        return value

    def fits(self, value):
        return isinstance(value, dict)

    def describe(self):
        return self.what


class FigureSize(Spec):
    """A figure's ``size = [width, height]`` in inches, within what the charts can draw."""

    def read(self, value, path, ctx):
        from ..charts import size_range, size_usable

        if not (isinstance(value, list) and size_usable(value)):
            ctx.fail(path, f"must be [width, height] in inches, each {size_range()}")
        return value

    def fits(self, value):
        return isinstance(value, list)

    def describe(self):
        return "[width, height]"
