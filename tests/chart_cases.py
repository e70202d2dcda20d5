"""The charts the image tests draw: every kind, on the bundled data, in both languages."""

from __future__ import annotations


def frames(lang):
    import polars as pl

    from udsattestat.api import load_with_provenance
    from udsattestat.selection import apply_where

    h, ph = load_with_provenance("homelessness", lang=lang)
    po, pp = load_with_provenance("poverty", lang=lang)
    d, pd = load_with_provenance("drug-deaths", lang=lang)
    u, pu = load_with_provenance("udsathed-definitions", lang=lang)
    h_tot = apply_where(h, {"population": ["COUNTED"], "situation": ["TOT"], "age": ["TOT"], "geo": ["DK"]})
    h_age = apply_where(h, {"population": ["COUNTED"], "situation": ["TOT"], "geo": ["DK"]})
    indexed = pl.concat(
        [h_tot, apply_where(po, {"unit": ["persons"], "age": ["TOT"]}),
         apply_where(d, {"register": ["POLICE"], "cause": ["TOT"], "unit": ["deaths"]})],
        how="diagonal_relaxed",
    )
    return {
        "timeseries": (h_age, ph, {"series": "age"}),
        # the report's own p. 5 figures, as the recipe draws them (the bundle also holds VIVE's)
        "definitions": (apply_where(u, {"group": ["ALL"]}).filter(pl.col("vintage") == "forandringskraft-2021"), pu,
                        {"size": (6.3, 5.0)}),
        "indexed": (indexed, {"homelessness": ph, "poverty": pp, "drug-deaths": pd}, {"base_period": "2019"}),
        "ranking": (apply_where(h_age, {}), ph, {"series": "age", "highlight": "18-24"}),
        "levels": (apply_where(po, {"unit": ["persons"]}), pp, {}),
    }
