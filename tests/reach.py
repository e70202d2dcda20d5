"""Property tests that prove they reach their target.

A property test that feeds a parser generated input can pass without testing anything:
if every input is refused at line 1 (a header the strategy no longer matches, a key the
schema renamed), the assertions after the parse never run. :func:`explore` runs a
hypothesis property and counts what became of each example — the check returns a label
such as ``"parsed"`` or ``"refused"`` — and :func:`require` fails the test when a label
falls below its floor, naming the counts:

    seen = explore(values_csv(), check=values_outcome)
    require(seen, parsed=0.25, refused=0.25)

Floors are shares of the examples run, set well below what a run measures (the counts are
in the failure message and in the issue note of #24), so a strategy that drifts away from
its parser fails loudly instead of passing quietly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: The usual budget: enough examples for the floors to be stable, quick enough for every run.
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: For a test that runs two properties (valid inputs, then hostile ones).
HALF = settings(QUICK, max_examples=100)


def explore(*strategies: st.SearchStrategy, check: Callable[..., str], budget: settings = QUICK) -> Counter:
    """Run ``check`` on examples drawn from ``strategies``; count the labels it returns.

    ``check`` asserts the property and returns what happened to the example (a label);
    a failed assertion or an unexpected exception fails the test as in any ``@given`` test.
    """
    seen: Counter = Counter()

    @budget
    @given(st.tuples(*strategies))
    def run(example):
        outcome = check(*example)
        assert isinstance(outcome, str), f"the check must say what happened to the example, got {outcome!r}"
        seen[outcome] += 1

    run()
    return seen


def half_and_half(first: st.SearchStrategy, second: st.SearchStrategy) -> st.SearchStrategy:
    """Examples from either strategy, about half and half (``st.one_of`` flattens a nested
    ``one_of`` and gives each of its branches an equal share). Only about: hypothesis steers
    away from examples it has tried, so the side with fewer distinct examples gets fewer —
    where a floor matters, run the valid and the hostile inputs as two properties instead."""
    return st.booleans().flatmap(lambda pick: first if pick else second)


def require(seen: Counter, **floors: float) -> None:
    """Fail unless each label was the outcome of at least ``floor`` (a share) of the examples."""
    total = sum(seen.values())
    assert total, "the property ran no examples"
    short = {label: seen[label] for label, floor in floors.items() if seen[label] < floor * total}
    assert not short, (
        f"the property did not reach its target often enough: {dict(seen)} of {total} examples; "
        f"needed at least {floors} (shares); the strategy no longer fits what the parser accepts"
    )
