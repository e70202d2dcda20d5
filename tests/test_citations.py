"""Citations complete and dates as a reader writes them: every bundled source cited with
who, year, title and — where the dataset gives them — page, the source that quoted it,
ISBN and URL; dates on a Danish page in Danish ("november 2021"), never ISO."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from udsattestat.api import load_with_provenance
from udsattestat.catalog import indicator_ids
from udsattestat.presentation import MONTH_NAMES, citation_text, date_text


def _all_citations():
    for ind in indicator_ids():
        try:
            _frame, prov = load_with_provenance(ind)
        except Exception:  # a live-only dataset has nothing bundled to cite
            continue
        for sid, c in prov.citations.items():
            yield ind, sid, c, prov


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_bundled_citation_is_complete(lang):
    seen = 0
    for ind, sid, c, prov in _all_citations():
        text = citation_text(prov, sid, lang)
        seen += 1
        where = f"{ind}/{sid}: {text}"
        who = c.get("author") or c.get("publisher")
        assert not text.startswith("("), where  # "(2022) Hjemløshed i Danmark 2022" had no author
        if who:
            assert text.startswith(who), where
        if c.get("year"):
            assert f"({c['year']})" in text, where
        if c.get("url"):
            assert c["url"] in text, where
        if c.get("isbn"):
            assert c["isbn"] in text, where
        if c.get("via"):
            assert {"da": "Gengivet i", "en": "Quoted in"}[lang] in text, where
        assert "; published" not in text and "; udgivet" not in text, where
    assert seen > 50


@pytest.mark.parametrize("iso, da, en", [
    ("2021-11", "november 2021", "November 2021"),
    ("2021-11-30", "30. november 2021", "30 November 2021"),
    ("2017", "2017", "2017"),
    ("", "", ""),
    (None, "", ""),
])
def test_dates_in_words(iso, da, en):
    assert date_text(iso, "da") == da and date_text(iso, "en") == en


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_any_date_reads_with_its_month_name(d):
    for lang in ("da", "en"):
        text = date_text(d.isoformat(), lang)
        assert str(d.year) in text and MONTH_NAMES[lang][d.month - 1] in text and str(d.day) in text
        assert not re.search(r"\d{4}-\d{2}", text)
        assert date_text(d.isoformat()[:7], lang) == f"{MONTH_NAMES[lang][d.month - 1]} {d.year}"


def test_the_danish_page_writes_no_iso_date_in_its_sources():
    try:
        from .recipe_helpers import seed_build
    except ImportError:
        from recipe_helpers import seed_build  # type: ignore[no-redef]
    out, _res = seed_build()
    page = (out / "index.html").read_text("utf-8")
    header = page[page.index("<header>"):page.index("</header>")]
    sources = page[page.index('<section id="sources">'):]
    visible = re.sub(r'href="[^"]*"|<[^>]+>', " ", header + sources)
    visible = re.sub(r"https?://\S+", " ", visible)
    assert "Udgivet november 2021" in header
    assert not re.findall(r"\b\d{4}-\d{2}(?:-\d{2})?\b", visible)
