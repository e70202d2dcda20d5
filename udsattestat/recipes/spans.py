"""Numbers that may be published as ranges ("70.000–100.000"), and checks on them.

A value is a :class:`Span` [lo, hi]; a point is a span with lo == hi. Arithmetic is
interval arithmetic, so a result contains every value the inputs allow. A check on a span
is three-valued: it *holds* when every value in the span passes, *fails* when none does,
and is *undecided* (``None``) otherwise — a range is never read as the point that would
suit the claim.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    lo: float
    hi: float

    @classmethod
    def of(cls, x) -> Span:
        return x if isinstance(x, Span) else cls(float(x), float(x))

    @classmethod
    def around(cls, x: float, precision: float) -> Span:
        """[x − precision/2, x + precision/2]: what a figure rounded to ``precision`` stands for.

        The precision is the publisher's rounding step, recorded with the value (tidy column
        ``precision``): AE-Rådet's "248.000", written to the thousand, is 247,500–248,500;
        a rate written to one decimal, "54.8", is 54.75–54.85. Never derived from how many
        digits a report's sentence happens to use.
        """
        x, half = float(x), abs(float(precision)) / 2
        return cls(x - half, x + half)

    @classmethod
    def rounded(cls, x: float) -> Span:
        """Every value that rounds to ``x`` at its last significant digit.

        Only a fallback for a value marked ``approximate`` whose precision was not recorded
        (an older data directory): "about 200,000" may then be anything from 150,000 to
        250,000. The interval is wide, so it decides little, but it never decides wrongly.
        """
        from decimal import Decimal

        x = float(x)
        if x == 0:
            return cls(0.0, 0.0)
        exponent = Decimal(repr(x)).normalize().as_tuple().exponent
        half = 10.0 ** exponent / 2
        return cls(x - half, x + half)

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    def plain(self):
        """A float for a point, else the span itself."""
        return self.lo if self.is_point else self

    def widen(self, precision: float) -> Span:
        """Both ends rounded to ``precision``: a published range "70–100.000" to the thousand."""
        half = abs(float(precision)) / 2
        return Span(self.lo - half, self.hi + half)

    def __add__(self, other: Span) -> Span:
        return Span(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Span) -> Span:
        return Span(self.lo - other.hi, self.hi - other.lo)

    def __mul__(self, other: Span) -> Span:
        q = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi]
        return Span(min(q), max(q))

    def __truediv__(self, other: Span) -> Span:
        if other.lo <= 0 <= other.hi:
            raise ZeroDivisionError("the divisor can be 0")
        q = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Span(min(q), max(q))

    def scale(self, factor: float, shift: float = 0.0) -> Span:
        a, b = self.lo * factor + shift, self.hi * factor + shift
        return Span(min(a, b), max(a, b))


def span_min(values: list[Span]) -> Span:
    return Span(min(v.lo for v in values), min(v.hi for v in values))


def span_max(values: list[Span]) -> Span:
    return Span(max(v.lo for v in values), max(v.hi for v in values))


def check_span(op: str, x: Span, *, value: float | None = None, tolerance: float = 0.0,
         low: float | None = None, high: float | None = None) -> bool | None:
    """True: every value in ``x`` passes; False: none does; None: some do, some do not."""
    if op == "between":
        ok, bad = low <= x.lo and x.hi <= high, x.hi < low or x.lo > high
    elif op == "==":
        # written with distances, not shifted bounds, so a point gives exactly |x − v| <= tol
        ok = abs(x.lo - value) <= tolerance and abs(x.hi - value) <= tolerance
        bad = (x.hi < value and value - x.hi > tolerance) or (x.lo > value and x.lo - value > tolerance)
    elif op == ">":
        ok, bad = x.lo > value, x.hi <= value
    elif op == "<":
        ok, bad = x.hi < value, x.lo >= value
    elif op == ">=":
        ok, bad = x.lo >= value, x.hi < value
    elif op == "<=":
        ok, bad = x.hi <= value, x.lo > value
    else:  # pragma: no cover - the recipe reader admits no other operator
        raise ValueError(op)
    return True if ok else False if bad else None


def all3(results) -> bool | None:
    """Three-valued "and": False if any is False, True if all are True, else None."""
    results = list(results)
    if any(r is False for r in results):
        return False
    if all(r is True for r in results):
        return True
    return None
