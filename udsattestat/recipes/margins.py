"""How far a verdict is from changing: its margin in rounding steps.

A verdict is only as strong as the distance between the evidence and the check. For a
holds or fails (and for the report's figures agreeing or not), :func:`margin` moves one
input at a time, up and then down, by whole rounding steps of that input — its recorded
``precision``, the step of a quoted number's words, else the last digit it is written to
(a count to the person, 54.8 to the tenth) — and finds the fewest steps that change the
verdict. "holds with a margin of 67 steps" means no input moved by 66 steps changes it;
"fragile" means one step does. When no single input can change it (every change of a series
a rise fails on two falls), two inputs are moved together, each by the same number of its
own steps.

Pure arithmetic on intervals: it knows nothing of claims, recipes or data, and is given
the spans and a function from spans to a status.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from .spans import Span


@dataclass(frozen=True)
class Margin:
    """The fewest rounding steps of one input that change the verdict, and what it becomes."""

    steps: int
    input: int  # index of the input moved
    direction: int  # +1: the input higher, -1: lower
    step: float  # that input's rounding step
    becomes: str  # the status after the move
    #: a second input moved with the first, when one alone cannot change the verdict:
    #: (index, direction, step)
    also: tuple[int, int, float] | None = None

    @property
    def fragile(self) -> bool:
        """One step of one input changes the verdict."""
        return self.steps <= 1

    def to_json(self, record: dict | None = None) -> dict:
        out = {"steps": self.steps, "fragile": self.fragile, "step": self.step,
               "move": self.direction * self.steps * self.step, "becomes": self.becomes}
        if record is not None:
            out["input"] = {k: record.get(k) for k in ("period", "stated", "member", "vintage") if record.get(k)}
        if self.also is not None:
            out["also"] = {"move": self.also[1] * self.steps * self.also[2], "step": self.also[2]}
        return out


def record_step(record: dict, span: Span) -> float:
    """The rounding step of one input: its precision, a quoted number's step, else its last digit."""
    precision = record.get("precision")
    if precision and not (isinstance(precision, float) and math.isnan(precision)):
        return float(precision)
    if record.get("step"):
        return float(record["step"])
    value = span.hi if not span.is_point else span.lo
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return 10.0 ** min(0, int(exponent)) if isinstance(exponent, int) else 1.0


def _shifted(span: Span, by: float) -> Span:
    return Span(span.lo + by, span.hi + by)


def margin(spans: list[Span], steps: list[float], status_of, base: str,
           movable: list[int] | None = None) -> Margin | None:
    """The smallest move of one input (in its steps) after which ``status_of`` is not ``base``.

    ``status_of(spans)`` gives the verdict's status for the spans (None when the measure is
    undefined, e.g. a divisor that may be 0). Moves stay within ten times an input's size
    upwards and above zero downwards (a count or a share does not go below 0). When no move
    of one input changes it, two inputs move together; None when that cannot either.
    ``movable`` (default: every input) are the inputs that may move: the evidence, not a
    number the claim itself states beside it.
    """
    movable = list(range(len(spans))) if movable is None else movable
    best: Margin | None = None
    for i in movable:
        step = steps[i]
        for direction in (1, -1):
            found = _fewest_steps(spans, [(i, direction, step)], status_of, base)
            if found and (best is None or found[0] < best.steps):
                best = Margin(found[0], i, direction, step, found[1])
    if best is not None or len(spans) > 12:
        return best
    for i in movable:
        for j in (j for j in movable if j > i):
            for di in (1, -1):
                for dj in (1, -1):
                    found = _fewest_steps(spans, [(i, di, steps[i]), (j, dj, steps[j])], status_of, base)
                    if found and (best is None or found[0] < best.steps):
                        best = Margin(found[0], i, di, steps[i], found[1], (j, dj, steps[j]))
    return best


def _room(span: Span, direction: int, step: float) -> int:
    """How many steps an input may move: up to ten times its size, down to 0."""
    size = max(abs(span.lo), abs(span.hi))
    room = (10 * size + 10 * step) if direction > 0 else (span.lo if span.lo > 0 else 10 * size + 10 * step)
    return int(room // step)


def _swept(span: Span, by: float) -> Span:
    """Every value the input takes on its way from where it is to ``by`` further."""
    return Span(min(span.lo, span.lo + by), max(span.hi, span.hi + by))


def _fewest_steps(spans, moves, status_of, base):
    """The fewest steps k (each input of ``moves`` by k of its own steps) that change the status.

    Moving an input can leave the status where it was on both sides of a narrow window ("56 %
    of the children is godt 36.000" fails below and above a band of child counts), so jumps
    of doubling size could step over the window. The search first finds the fewest steps whose
    *sweep* (every value on the way) changes the status: it only grows with k, so doubling and
    bisection find it, and no single move changes the status sooner (a move that changes it
    changes it for every wider span). From there the moves themselves are tried one by one.
    """
    k_max = min(_room(spans[i], d, step) for i, d, step in moves)
    if k_max < 1:
        return None

    def status_at(k, sweep):
        moved = list(spans)
        for i, direction, step in moves:
            moved[i] = (_swept if sweep else _shifted)(spans[i], direction * k * step)
        try:
            return status_of(moved)
        except ZeroDivisionError:
            return None

    def after(k):
        status = status_at(k, False)
        return status if status is not None and status != base else None

    def swept_changes(k):
        status = status_at(k, True)
        return status is None or status != base  # an undefined measure may hide a change: look

    k = _first(swept_changes, 0, k_max)
    start = 0
    if k is not None:
        for tried in range(k, min(k + 64, k_max) + 1):
            status = after(tried)
            if status is not None:
                return tried, status
        start = min(k + 64, k_max)
    # a status that does not widen with its inputs (a check that calls a straddle "fails"), or
    # a measure not monotone in the input: the moves themselves, by doubling
    k = _first(lambda j: after(j) is not None, start, k_max)
    return (k, after(k)) if k is not None else None


def _first(changes, lo: int, k_max: int) -> int | None:
    """The smallest k in (lo, k_max] with ``changes(k)`` (none at lo), by doubling and bisection."""
    k, below = lo + 1, lo
    while k < k_max and not changes(k):
        below, k = k, lo + 2 * (k - lo)
    k = min(k, k_max)
    if k <= below or not changes(k):
        return None
    while k - below > 1:
        mid = (below + k) // 2
        if changes(mid):
            k = mid
        else:
            below = mid
    return k
