"""A folder of recipes built in one run, with one index page that links every report's page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_write_text
from ..errors import OutputError
from .build import DEFAULT_OUT_ROOT, BuildResult, build
from .claimdocs import count_text
from .coverage import coverage_line
from .model import RecipeError
from .reader import load_recipe

WORDS = {
    "da": {"title": "Rapporter genskabt og kontrolleret", "lead": "Hver rapport er bygget fra sin opskrift; "
           "dens side viser figurer, tabeller og hver påstand med sit grundlag.", "by": "udgivet af",
           "claims": "Påstande", "coverage": "Taludsagn", "built": "Bygget med udsattestat"},
    "en": {"title": "Reports rebuilt and checked", "lead": "Each report is built from its recipe; its page shows "
           "the figures, the tables and every claim with its evidence.", "by": "published by",
           "claims": "Claims", "coverage": "Numerical statements", "built": "Built with udsattestat"},
}


@dataclass
class FolderResult:
    out_root: Path
    builds: list[BuildResult]
    index: Path


def recipes_in(folder: str | Path) -> list[Path]:
    found = sorted(p for p in Path(folder).glob("*.toml") if p.is_file())
    if not found:
        raise RecipeError(f"{folder}: no recipe (*.toml) in this folder; give a recipe file, or a folder of recipes")
    return found


def build_folder(folder, out_root=None, *, lang: str | None = None, live: bool = False, data_dir=None,
                 offline: bool = False) -> FolderResult:
    """Build every recipe of ``folder`` into ``out_root/<recipe name>/`` and write
    ``out_root/index.html``. Every recipe is read (and drafts refused) before any is built."""
    paths = recipes_in(folder)
    for p in paths:
        load_recipe(p).refuse_drafts()
    root = Path(out_root) if out_root is not None else DEFAULT_OUT_ROOT
    builds = [build(p, root / p.stem, lang=lang, live=live, data_dir=data_dir, offline=offline) for p in paths]
    page_lang = lang or builds[0].recipe.report.language
    index = root / "index.html"
    try:
        atomic_write_text(index, index_html(builds, root, page_lang))
    except OSError as exc:
        raise OutputError(f"cannot write {index}: {exc.strerror or exc}") from None
    return FolderResult(root, builds, index)


def index_html(builds: list[BuildResult], root: Path, lang: str) -> str:
    from .._version import __version__
    from ..presentation import date_text
    from ..templating import content_security_policy, render, stylesheet

    w = WORDS[lang]
    css = stylesheet("page.css")
    reports = []
    for b in builds:
        rep = b.recipe.report
        reports.append({
            "title": rep.title.get(lang) or rep.title.get("da") or rep.title.get("en") or b.recipe.stem,
            "href": f"{b.out_dir.relative_to(root).as_posix()}/index.html" if b.out_dir.is_relative_to(root)
            else (b.out_dir / "index.html").as_posix(),
            "meta": " · ".join(x for x in (rep.publisher and f"{w['by']} {rep.publisher}", date_text(rep.date, lang))
                               if x),
            "claims": count_text(b.results, lang) if b.results else "",
            "coverage": coverage_line(b.coverage, lang) if b.coverage else "",
        })
    return render("index.html.j2", lang=lang, w=w, css=css, policy=content_security_policy(css, images="'self'"),
                  reports=reports, version=__version__)
