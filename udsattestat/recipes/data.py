"""The data a recipe reads: each indicator once per view (latest, or as of the report's date).

Loading goes through :func:`udsattestat.api.load_with_provenance`, so a recipe sees exactly
what ``udsattestat show`` shows, with the same vintage rules (a release dated only "2021"
is not known on 2021-11-30 unless its vintage has ``known_by``).

With ``--live``, an indicator that has a live source is read in the one live view
(:func:`udsattestat.live.load_live`, the same as ``fetch --live``): the bundled rows
(every vintage, each with its own source) *plus* the live rows, so "as of the report's
date" still finds the releases the report's authors could have read. Only what the recipe
selects is asked of the live source (:func:`asked`): the codes its claims, figures and tables
name, per dimension — a dimension some use leaves open is asked in full.
"""

from __future__ import annotations

from datetime import date

from .model import RecipeError


class RecipeData:
    """A cache of (frame, provenance) per indicator and view for one build."""

    def __init__(self, *, lang: str = "da", live: bool = False, data_dir=None, offline: bool = False,
                 replay=(), selections: dict[str, dict[str, list[str]]] | None = None):
        self.lang = lang
        self.live = live
        self.data_dir = data_dir
        self.offline = offline
        #: live indicators replayed from their snapshot (their source has not changed)
        self.replay = frozenset(replay)
        #: indicator -> dimension -> codes: what the recipe reads of it (see :func:`asked`)
        self.selections = selections or {}
        self._cache: dict[tuple[str, str, date | None], tuple] = {}
        self._combined: dict[str, tuple] = {}

    def get(self, indicator: str, *, vintage: str = "latest", as_of: date | None = None):
        key = (indicator, vintage, as_of)
        if key not in self._cache:
            if self.live and self.has_live(indicator):
                from .. import vintages

                frame, prov = self.combined(indicator)
                known = {k: v["known_by"] for k, v in prov.vintages.items() if v.get("known_by")}
                self._cache[key] = (vintages.select(frame, vintage, as_of, known), prov)
            else:
                from ..api import load_with_provenance

                self._cache[key] = load_with_provenance(
                    indicator, lang=self.lang, vintage=vintage, as_of=as_of, data_dir=self.data_dir, quiet=True)
        return self._cache[key]

    def combined(self, indicator: str):
        """Every bundled vintage plus the live table's rows, with one provenance for both."""
        if indicator not in self._combined:
            from ..api import load_with_provenance

            self._combined[indicator] = load_with_provenance(
                indicator, lang=self.lang, vintage="all", live=True, data_dir=self.data_dir,
                offline=self.offline or indicator in self.replay, quiet=True, where=self.selections.get(indicator))
        return self._combined[indicator]

    @staticmethod
    def has_live(indicator: str) -> bool:
        """--live applies to indicators with a live source; the others stay bundled."""
        from ..bundle import dataset_folder, read_meta
        from ..catalog import check_indicator

        return read_meta(dataset_folder(check_indicator(indicator))).provider is not None

    def live_indicators(self) -> list[str]:
        """The indicators read live in this build (empty without --live)."""
        return sorted(self._combined)

    def view(self, indicator: str, vintage: str, report_as_of: date):
        """A figure's or table's ``vintage``: "latest", "report" (as of the report's date) or an id."""
        if vintage == "report":
            if report_as_of is None:
                raise RecipeError(f"{indicator}: vintage = \"report\" reads the data as of the report's date, and "
                                  "this report's date is not known; use \"latest\" or a vintage id")
            return self.get(indicator, as_of=report_as_of)
        return self.get(indicator, vintage=vintage)

    def used(self) -> dict[str, object]:
        """indicator -> provenance, for every indicator read so far."""
        out = {}
        for (ind, _v, _a), (_frame, prov) in sorted(self._cache.items(), key=lambda kv: (kv[0][0], kv[0][1], str(kv[0][2]))):
            out.setdefault(ind, prov)
        return out


def asked(recipe) -> dict[str, dict[str, list[str]]]:
    """Per indicator, the codes of each dimension the recipe's claims, figures and tables select.

    A dimension is narrowed only when every use of the indicator names codes for it (their
    union is asked); one use that leaves it open asks for all of it. Never narrower than a use.
    """
    uses: dict[str, list[dict[str, list[str]]]] = {}
    for claim in recipe.claims:
        where = {d: list(c) for d, c in claim.where.items()}
        for d, codes in claim.part.items():  # the part a share claim reads besides the whole
            where[d] = [*where[d], *codes] if d in where else list(codes)
        if claim.item:  # a rank reads every member of the dimension it ranks over
            where.pop(claim.rank_by, None)
            where.update({d: [*where.get(d, []), *c] for d, c in claim.item.items() if d != claim.rank_by})
        uses.setdefault(claim.indicator, []).append(where)
    for figure in recipe.figures:
        for ind in figure.indicators:
            uses.setdefault(ind, []).append(dict(figure.where.get(ind, {})))
    for table in recipe.tables:
        uses.setdefault(table.indicator, []).append(dict(table.where))
    out: dict[str, dict[str, list[str]]] = {}
    for ind, wheres in uses.items():
        if not ind:  # a claim on the report's own numbers reads no indicator
            continue
        dims = set.intersection(*(set(w) for w in wheres))
        out[ind] = {d: list(dict.fromkeys(c for w in wheres for c in w[d])) for d in sorted(dims)}
    return out
