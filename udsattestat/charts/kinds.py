"""What each chart kind can do, declared by the kind itself.

Every kind module has a ``KIND = ChartKind(...)`` beside its ``build``; the CLI, the
recipes and the dataset defaults ask this registry instead of testing kind names, so
adding a kind is adding its module and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartKind:
    name: str
    #: Draws several indicators on one axis (each a tidy frame, told apart by ``indicator``).
    several_indicators: bool = False
    #: Dimensions a dataset's default selection ([chart] where) leaves open, because the
    #: kind draws every code of them (e.g. one panel per unit).
    open_dims: tuple[str, ...] = ()
    #: The dimension drawn as bars when the caller names no --series (a ranking of areas):
    #: the default selection leaves it open too.
    default_series: str | None = None


def get(name: str) -> ChartKind:
    """The capabilities a kind declares (its module's ``KIND``); an unknown kind is a
    one-line SelectionError naming the kinds."""
    from . import kind_spec

    return kind_spec(name)


def for_several() -> str:
    """The kind a chart of several indicators gets when none is named."""
    from . import KINDS

    return next(n for n in KINDS if get(n).several_indicators)
