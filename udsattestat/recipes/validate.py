"""Checks of a recipe against the data, all made before anything is written.

Unknown indicators, chart kinds, dimensions, codes and vintages, periods outside the data
and claims whose periods have no data are errors that say where in the recipe they are
and what is valid.

What the checks select is what the build draws: :func:`validate` returns each figure's and
table's rows (and each table laid out in the build's language), so a build selects and
lays out every table once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import SelectionError, UdsatError
from .model import Recipe, RecipeError


@dataclass
class Selection:
    """The rows one figure or table draws, as checked.

    ``frame``/``prov``: what is drawn (a figure of several indicators has their rows
    together and ``prov`` as {indicator: provenance}); ``parts``: each indicator's own rows
    and provenance (for the sources the page cites); ``grid``: a table's layout."""

    frame: Any
    prov: Any
    parts: dict[str, tuple[Any, Any]]
    grid: Any = None


@dataclass
class Checked:
    """A recipe checked against the data: claim results, and what each figure and table draws."""

    results: list
    figures: dict[str, Selection] = field(default_factory=dict)
    tables: dict[str, Selection] = field(default_factory=dict)


def _at(recipe: Recipe, where: str, exc: UdsatError) -> RecipeError:
    """``exc`` located in the recipe. Its exit code stays the cause's (docs/cli.md): a fetch
    that failed is 1 from build as from fetch, a wrong code in the recipe 2."""
    located = RecipeError(f"{recipe.path}: {where}: {exc}")
    located.exit_code = exc.exit_code
    return located


def selected_frame(recipe: Recipe, data, indicator: str, where: dict, since, until, vintage: str, place: str):
    """The rows a figure or table draws, with errors located in the recipe."""
    from ..catalog import check_indicator
    from ..selection import apply_period_bounds, apply_where, check_not_empty

    try:
        check_indicator(indicator)
        if vintage not in ("latest", "report"):
            _, prov = data.get(indicator)
            if vintage not in prov.vintages:
                raise SelectionError(
                    f"unknown vintage {vintage!r}; use 'latest', 'report' (as of the report's date) "
                    f"or one of: {', '.join(sorted(prov.vintages))}"
                )
        frame, prov = data.view(indicator, vintage, recipe.report.as_of)
        frame = apply_where(frame, where)
        frame = apply_period_bounds(frame, since, until)
        frame = check_not_empty(frame, f"selection of {indicator}")
    except UdsatError as exc:
        raise _at(recipe, place, exc) from None
    return frame, prov


def check_figures(recipe: Recipe, data) -> dict[str, Selection]:
    from ..charts import KINDS
    from ..charts.kinds import for_several, get
    from ..schema import dimension_columns

    out = {}
    for fig in recipe.figures:
        place = f"figure {fig.name!r}"
        if fig.kind not in KINDS:
            raise RecipeError(f"{recipe.path}: {place}: unknown kind {fig.kind!r}; valid kinds: {', '.join(KINDS)}")
        several = get(fig.kind).several_indicators  # what the kind says it draws
        if len(fig.indicators) > 1 and not several:
            raise RecipeError(f"{recipe.path}: {place}: kind {fig.kind} draws one indicator; "
                              f"indicators = [...] needs kind = \"{for_several()}\"")
        parts = {}
        for ind in fig.indicators:
            frame, prov = selected_frame(recipe, data, ind, fig.where[ind], fig.since, fig.until, fig.vintage, place)
            series = fig.options.get("series")
            if series and series not in ["geo", "indicator", *dimension_columns(frame.columns)]:
                raise RecipeError(
                    f"{recipe.path}: {place}: options.series {series!r} is not a dimension of {ind}; "
                    f"valid: {', '.join(['geo', *dimension_columns(frame.columns)])}"
                )
            parts[ind] = (frame, prov)
        if len(parts) == 1:
            frame, prov = next(iter(parts.values()))
        else:
            import polars as pl

            frame = pl.concat([f for f, _ in parts.values()], how="diagonal_relaxed")
            prov = {ind: p for ind, (_, p) in parts.items()}
        out[fig.name] = Selection(frame, prov, parts)
    return out


def check_tables(recipe: Recipe, data, lang: str) -> dict[str, Selection]:
    from ..tables import build_grid

    out = {}
    for tab in recipe.tables:
        place = f"table {tab.name!r}"
        frame, prov = selected_frame(recipe, data, tab.indicator, tab.where, tab.since, tab.until, tab.vintage, place)
        if tab.change:
            have = set(frame["period"].to_list())
            for p in tab.change:
                if p not in have:
                    raise RecipeError(f"{recipe.path}: {place}: change period {p} has no data; "
                                      f"the table has {', '.join(sorted(have))}")
        # Laid out here, in the language the build writes: the table module's own checks
        # (pivot, one value per cell, …) fail before anything is written, and the build
        # writes every format from this one grid.
        try:
            # the recipe's title for the table heads its files too (two tables of one dataset differ)
            grid = build_grid(frame, prov, lang=lang, pivot=tab.pivot, change=tab.change,
                              title=tab.title.get(lang) or None)
        except UdsatError as exc:
            raise _at(recipe, place, exc) from None
        out[tab.name] = Selection(frame, prov, {tab.indicator: (frame, prov)}, grid)
    return out


def check_claims(recipe: Recipe, data):
    """Validate every claim's selection and evaluate it; returns the results."""
    from ..catalog import check_indicator
    from ..selection import apply_where
    from .claims import evaluate

    results = []
    for claim in recipe.claims:
        place = f"claim {claim.id!r}"
        if not claim.indicator:  # no_data (source not bundled) or stated (the report's own numbers)
            results.append(evaluate(claim, data, recipe.report))
            continue
        try:
            check_indicator(claim.indicator)
            frame, _ = data.get(claim.indicator)
            apply_where(frame, claim.where)
            for extra in (claim.part, claim.item):
                if extra:
                    apply_where(frame, extra)
        except UdsatError as exc:
            raise _at(recipe, place, exc) from None
        try:
            results.append(evaluate(claim, data, recipe.report))
        except RecipeError as exc:
            raise RecipeError(f"{recipe.path}: {exc}") from None
    return results


def validate(recipe: Recipe, data, *, lang: str | None = None, claims_only: bool = False) -> Checked:
    """Every data check of the recipe: the claim results (they are computed anyway) and,
    unless ``claims_only``, what each figure and table draws, tables laid out in ``lang``
    (default: the recipe's language)."""
    if claims_only:
        return Checked(check_claims(recipe, data))
    figures = check_figures(recipe, data)
    tables = check_tables(recipe, data, lang or recipe.report.language)
    return Checked(check_claims(recipe, data), figures, tables)
