"""Checks of a recipe against the data, all made before anything is written.

Unknown indicators, chart kinds, dimensions, codes and vintages, periods outside the data
and claims whose periods have no data are errors that say where in the recipe they are
and what is valid.
"""

from __future__ import annotations

from ..errors import SelectionError, UdsatError
from .model import Recipe, RecipeError


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


def check_figures(recipe: Recipe, data) -> None:
    from ..charts import KINDS
    from ..schema import dimension_columns

    for fig in recipe.figures:
        place = f"figure {fig.name!r}"
        if fig.kind not in KINDS:
            raise RecipeError(f"{recipe.path}: {place}: unknown kind {fig.kind!r}; valid kinds: {', '.join(KINDS)}")
        for ind in fig.indicators:
            frame, _ = selected_frame(recipe, data, ind, fig.where[ind], fig.since, fig.until, fig.vintage, place)
            series = fig.options.get("series")
            if series and series not in ["geo", "indicator", *dimension_columns(frame.columns)]:
                raise RecipeError(
                    f"{recipe.path}: {place}: options.series {series!r} is not a dimension of {ind}; "
                    f"valid: {', '.join(['geo', *dimension_columns(frame.columns)])}"
                )


def check_tables(recipe: Recipe, data) -> None:
    from ..tables import render_table

    for tab in recipe.tables:
        place = f"table {tab.name!r}"
        frame, prov = selected_frame(recipe, data, tab.indicator, tab.where, tab.since, tab.until, tab.vintage, place)
        if tab.change:
            have = set(frame["period"].to_list())
            for p in tab.change:
                if p not in have:
                    raise RecipeError(f"{recipe.path}: {place}: change period {p} has no data; "
                                      f"the table has {', '.join(sorted(have))}")
        # A dry render in memory: the table module's own checks (pivot, …) fail here,
        # before the build writes anything.
        try:
            render_table(frame, prov, fmt="md", lang=recipe.report.language, pivot=tab.pivot, change=tab.change)
        except UdsatError as exc:
            raise _at(recipe, place, exc) from None


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


def validate(recipe: Recipe, data, *, claims_only: bool = False):
    """Every data check of the recipe; returns the claim results (they are computed anyway)."""
    if not claims_only:
        check_figures(recipe, data)
        check_tables(recipe, data)
    return check_claims(recipe, data)
