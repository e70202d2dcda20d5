"""Building a recipe: Load inputs → check everything → render into a temp dir → swap in.

The whole build goes to a fresh directory beside the output directory; only when every
file is written does it replace the previous build (two renames), so a failed build
leaves the previous one as it was. A rebuild whose files are byte for byte the previous
ones leaves the directory untouched and says so.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import sweep_leftovers, temp_name
from ..cells import neutralise_frame
from ..checksums import sha256_file
from ..errors import OutputError, UdsatError
from ..export import localised_notes
from .claimdocs import claims_json, claims_markdown
from .claims import FAILS, consistency_tally, tally
from .coverage import coverage_markdown, report_coverage
from .data import RecipeData, asked
from .incremental import Previous, render_key
from .manifest import MANIFEST, build_manifest, dumps
from .model import Recipe
from .reader import load_recipe
from .validate import Checked, Selection, validate

DEFAULT_OUT_ROOT = Path("out")


@dataclass
class BuildResult:
    recipe: Recipe
    out_dir: Path
    changed: bool
    files: list[str]
    results: list = field(default_factory=list)
    figures: int = 0
    tables: int = 0
    #: indicators read live (bundled vintages + the live table); the others were bundled
    live: list[str] = field(default_factory=list)
    bundled: list[str] = field(default_factory=list)
    #: figure/table names drawn anew, and those whose files were taken from the previous build
    drawn: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    #: the report's numerical statements against the claims (recipes/coverage.py), or None
    coverage: dict | None = None

    @property
    def failing(self) -> list:
        return [r for r in self.results if r.verdict == FAILS]


def default_out(recipe_path: str | Path) -> Path:
    """out/<recipe name>, e.g. out/forandringskraft-2021."""
    return DEFAULT_OUT_ROOT / Path(recipe_path).stem


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output directory we could damage: a link, a file, someone else's folder."""
    if out_dir.name in ("", ".", "..") or out_dir.resolve() == Path.cwd().resolve():
        raise OutputError(f"give the build its own directory (e.g. out/report), not {str(out_dir)!r}")
    if out_dir.is_symlink():
        raise OutputError(f"output directory {str(out_dir)!r} is a symbolic link; give a real directory")
    if out_dir.exists():
        if not out_dir.is_dir():
            raise OutputError(f"output {str(out_dir)!r} is a file; give a directory")
        if any(out_dir.iterdir()) and not (out_dir / MANIFEST).is_file():
            raise OutputError(
                f"output directory {str(out_dir)!r} is not empty and holds no previous build "
                f"({MANIFEST} missing); give a new or empty directory, since a build replaces it whole"
            )
    parent = out_dir.parent
    if parent.exists() and not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write into {str(parent)!r}; it is not writable")


def safe_target(root: Path, filename: str) -> Path:
    """root/filename, refusing anything that would land outside root or through a link."""
    if not filename or "/" in filename or "\\" in filename or filename in (".", "..") or filename.startswith("."):
        raise OutputError(f"output name {filename!r} would leave the output directory")
    target = root / filename
    if target.is_symlink():
        raise OutputError(f"output {filename!r} is a symbolic link; refusing to write through it")
    if target.resolve().parent != root.resolve():
        raise OutputError(f"output name {filename!r} would leave the output directory")
    return target


@contextlib.contextmanager
def build_lock(out_dir: Path):
    """One build at a time into ``out_dir``: a second one fails at once, saying which process
    holds it. The lock is ``.<name>.lock`` beside the folder while a build runs; it is
    released when its process ends, however that ends, so a killed build never blocks the
    next (the file it leaves is taken over)."""
    import fcntl

    path = out_dir.parent / f".{out_dir.name}.lock"
    for _ in range(5):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot lock the build {str(out_dir)!r}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise OutputError(
                f"another build is writing {str(out_dir)!r} (process {holder}); wait for it to finish "
                "or build into another --out"
            ) from None
        # The holder before us may have removed the file between our open and our lock:
        # then we hold a lock on a file nobody else can see; take the one at the path.
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    else:  # pragma: no cover - five lost races in a row
        raise OutputError(f"cannot lock the build {str(out_dir)!r}: another build keeps taking it; try again")
    try:
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)  # who holds it, for the message above
        except OSError as exc:  # a full disk or quota: nothing of the build is written yet
            raise OutputError(f"cannot write the build lock {str(path)!r}: {exc.strerror or exc}; "
                              "the previous build is unchanged") from None
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still locked, so no one can be holding the old file
        os.close(fd)


def _svg_size(path: Path) -> tuple[int, int] | None:
    """The chart's natural size in CSS px (its viewBox is in points, 1 pt = 4/3 px): the
    page shows it at that size, so its text has the same CSS size on every screen."""
    head = path.read_bytes()[:2000].decode("utf-8", "replace")
    m = re.search(r'viewBox="\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)"', head)
    return (round(float(m.group(1)) * 4 / 3), round(float(m.group(2)) * 4 / 3)) if m else None


def _svg_description(path: Path) -> str:
    """The chart's ``<desc>`` (what it shows, in words), for the page's alt text."""
    from html import unescape

    head = path.read_bytes()[:20000].decode("utf-8", "replace")
    m = re.search(r"<desc[^>]*>(.*?)</desc>", head, flags=re.S)
    return unescape(m.group(1)) if m else ""


def _same_tree(a: Path, b: Path) -> bool:
    if not b.is_dir():
        return False
    names_a = sorted(p.name for p in a.iterdir())
    names_b = sorted(p.name for p in b.iterdir())
    if names_a != names_b:
        return False
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in names_a)


def _swap_in(tmp: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=temp_name(out_dir.name), suffix=".old", dir=out_dir.parent))
    os.rmdir(old)
    os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except BaseException:
        os.replace(old, out_dir)  # put the previous build back
        raise
    shutil.rmtree(old, ignore_errors=True)


class _Collector:
    """What the build used: provenance, vintages and sources per indicator."""

    def __init__(self):
        self.provs: dict = {}
        self.vintages: dict[str, set] = {}
        self.sources: dict[str, set] = {}

    def frame(self, indicator: str, frame, prov) -> None:
        self.provs.setdefault(indicator, prov)
        self.vintages.setdefault(indicator, set()).update(frame["vintage"].drop_nulls().to_list())
        self.sources.setdefault(indicator, set()).update(frame["source"].drop_nulls().to_list())

    def claim_inputs(self, indicator: str, prov, inputs: list[dict]) -> None:
        self.provs.setdefault(indicator, prov)
        self.vintages.setdefault(indicator, set()).update(i["vintage"] for i in inputs if i["vintage"])
        self.sources.setdefault(indicator, set()).update(i["source"] for i in inputs if i["source"])


def render_figures(recipe: Recipe, selected: dict[str, Selection], lang: str, root: Path, used: _Collector,
                   previous: Previous, renders: dict[str, str], progress=None) -> list[dict]:
    out = []
    for k, fig in enumerate(recipe.figures):
        if progress:
            progress("figure", fig.name, k, len(recipe.figures))
        sel = selected[fig.name]
        for ind, (frame, prov) in sel.parts.items():
            used.frame(ind, frame, prov)
        frame, prov = sel.frame, sel.prov
        title = fig.title.get(lang) or None
        # The plotted rows, tidy, each naming its source, vintage and status: the figure's data.
        rows = neutralise_frame(localised_notes(frame, prov, lang)).write_csv().encode("utf-8")  # no formulas from labels
        formats = tuple(fig.formats)
        files = [f"{fig.name}.{ext}" for ext in formats] + [f"{fig.name}.csv"]
        # The phone rendition goes with the SVG; the page offers it, it is no download of its own.
        phone_name = f"{fig.name}-phone.svg"
        key = renders[fig.name] = render_key("figure", fig, lang, rows, prov, formats)
        if not previous.reuse(fig.name, key, [*files, phone_name], root):
            _draw_figure(fig, frame, prov, lang, title, root)
            safe_target(root, f"{fig.name}.csv").write_bytes(rows)
            previous.drawn(fig.name)
        size = _svg_size(root / f"{fig.name}.svg")
        phone_size = _svg_size(root / phone_name)
        out.append({"name": fig.name, "title": title, "svg": f"{fig.name}.svg", "files": files,
                    "description": _svg_description(root / f"{fig.name}.svg"),
                    "width": size[0] if size else None, "height": size[1] if size else None,
                    "phone_svg": phone_name, "phone_width": phone_size[0] if phone_size else None,
                    "phone_height": phone_size[1] if phone_size else None})
    return out


def _draw_figure(fig, frame, prov, lang: str, title: str | None, root: Path) -> None:
    # matplotlib is imported only when a figure is actually drawn: a rebuild that reuses
    # every figure never loads it.
    import matplotlib.pyplot as plt

    from .. import charts

    opts = fig.options
    drawing = charts.render(
        fig.kind, frame, prov, lang=lang, title=title, subtitle=fig.subtitle.get(lang) or None,
        series=opts.get("series"), highlight=opts.get("highlight"), base_period=opts.get("base_period"),
        notes=tuple(opts.get("notes", {}).get(lang, ())), size=tuple(opts["size"]) if "size" in opts else None,
    )
    try:
        for ext in fig.formats:
            charts.save(drawing, safe_target(root, f"{fig.name}.{ext}"))
    finally:
        plt.close(drawing.figure)
    # The same chart drawn for a phone's width, which the page offers to narrow screens so
    # its text stays readable (the report-width SVG would shrink it to about 5 px).
    phone = charts.render(
        fig.kind, frame, prov, lang=lang, title=title, subtitle=fig.subtitle.get(lang) or None,
        series=opts.get("series"), highlight=opts.get("highlight"), base_period=opts.get("base_period"),
        notes=tuple(opts.get("notes", {}).get(lang, ())), width=charts.PHONE_WIDTH,
    )
    try:
        charts.save(phone, safe_target(root, f"{fig.name}-phone.svg"))
    finally:
        plt.close(phone.figure)


def render_tables(recipe: Recipe, selected: dict[str, Selection], lang: str, root: Path, used: _Collector,
                  previous: Previous, renders: dict[str, str], progress=None) -> list[dict]:
    from ..tables import csv_metadata, metadata_name, render_grid

    out = []
    for k, tab in enumerate(recipe.tables):
        if progress:
            progress("table", tab.name, k, len(recipe.tables))
        sel = selected[tab.name]
        frame, prov, grid = sel.frame, sel.prov, sel.grid
        used.frame(tab.indicator, frame, prov)
        formats = tuple(tab.formats)
        # the CSV for programs is <table>.csv, the one for a spreadsheet <table>-excel.csv
        files = [f"{tab.name}-excel.csv" if fmt == "csv-excel" else f"{tab.name}.{fmt}" for fmt in formats]
        # the tidy CSV's title, notes and source line go beside it (CSVW metadata)
        sidecar = [metadata_name(f"{tab.name}.csv")] if "csv" in formats else []
        key = renders[tab.name] = render_key("table", tab, lang, frame.write_csv().encode("utf-8"), prov, formats)
        if not previous.reuse(tab.name, key, files + sidecar, root):
            # every file from the one grid validation laid out; the page lays out the same grid
            for fmt, name in zip(formats, files, strict=True):
                text = render_grid(grid, fmt, lang)
                safe_target(root, name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
            for name in sidecar:
                safe_target(root, name).write_bytes(csv_metadata(grid, f"{tab.name}.csv", lang).encode("utf-8"))
            previous.drawn(tab.name)
        files += sidecar
        title = tab.title.get(lang) or prov.title.get(lang) or tab.name
        out.append({"name": tab.name, "title": title, "files": files, "grid": grid})
    return out


def _write(root: Path, name: str, text: str) -> None:
    safe_target(root, name).write_bytes(text.encode("utf-8"))


def build(recipe_path, out=None, *, lang: str | None = None, live: bool = False, data_dir=None,
          offline: bool = False, replay=(), progress=None) -> BuildResult:
    """Build every figure, table and claim of a recipe into ``out`` (default out/<recipe name>).

    ``replay``: live indicators read from their last snapshot, not fetched (``update`` found
    their source unchanged). ``progress(what, name, done, total)`` is called before each
    figure ("figure") and table ("table") is rendered (the CLI shows it; the library prints
    nothing)."""
    recipe = load_recipe(recipe_path)
    recipe.refuse_drafts()
    lang = lang or recipe.report.language
    data = RecipeData(lang=lang, live=live, data_dir=data_dir, offline=offline, replay=replay,
                      selections=asked(recipe))
    checked = validate(recipe, data, lang=lang)  # every data error, before anything is written
    cov = report_coverage(recipe)
    out_dir = Path(out) if out is not None else default_out(recipe.path)
    check_out_dir(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the build beside {str(out_dir)!r}: {exc.strerror}") from None
    with build_lock(out_dir):
        return _build_locked(recipe, data, checked, out_dir, lang, live, cov, progress)


def _build_locked(recipe, data, checked: Checked, out_dir: Path, lang: str, live: bool,
                  cov: dict | None = None, progress=None) -> BuildResult:
    from . import html as html_page

    # What a killed build left (.<name>.<pid>.*.building/.old of a dead process) goes first.
    sweep_leftovers(out_dir.parent, out_dir.name)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=temp_name(out_dir.name), suffix=".building", dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(f"cannot create the build beside {str(out_dir)!r}: {exc.strerror}") from None
    previous = Previous(out_dir)
    renders: dict[str, str] = {}
    results = checked.results
    try:
        used = _Collector()
        figures = render_figures(recipe, checked.figures, lang, tmp, used, previous, renders, progress)
        tables = render_tables(recipe, checked.tables, lang, tmp, used, previous, renders, progress)
        for r in results:
            # every indicator the claim reads: its own, or each of a formula's (none for no
            # data or the report's own numbers)
            for ind in r.claim.indicators():
                _, prov = data.get(ind)
                for view in (r.as_of, r.latest):
                    if view is not None:
                        used.claim_inputs(ind, prov, [i for i in view.inputs
                                                      if (i.get("indicator") or r.claim.indicator) == ind])
                used.provs.setdefault(ind, prov)
        _write(tmp, "claims.json", claims_json(results, recipe, cov))
        _write(tmp, "claims.md", claims_markdown(results, recipe, lang, used.provs) + coverage_markdown(cov, lang))
        from .sparks import spark

        # a small evidence chart beside each claim about one value of a series
        sparks = {r.claim.id: s for r in results if (s := spark(r.claim, data, recipe.report.as_of))}
        _write(tmp, "index.html", html_page.page(
            recipe, lang=lang, figures=figures, tables=tables, results=results, provs=used.provs,
            vintages_used=used.vintages, sources_used=used.sources, coverage=cov, sparks=sparks))
        outputs = {p.name: sha256_file(p) for p in sorted(tmp.iterdir())}
        manifest = build_manifest(recipe, lang=lang, live=live, provs=used.provs, vintages_used=used.vintages,
                                  outputs=outputs, tally=tally(results), renders=renders,
                                  consistency=consistency_tally(results))
        _write(tmp, MANIFEST, dumps(manifest))
        for p in tmp.iterdir():
            os.chmod(p, 0o644)
        files = sorted(p.name for p in tmp.iterdir())
        if _same_tree(tmp, out_dir):
            shutil.rmtree(tmp)
            changed = False
        else:
            os.chmod(tmp, 0o755)
            _swap_in(tmp, out_dir)
            changed = True
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, UdsatError):
            # disk full, permissions: one line for the user; the previous build is intact
            raise OutputError(f"cannot write the build {str(out_dir)!r}: {exc.strerror or exc}; "
                              "the previous build is unchanged") from None
        raise
    live_used = sorted(ind for ind in used.provs if ind in data.live_indicators())
    bundled_used = sorted(ind for ind in used.provs if ind not in live_used)
    done = previous.done
    return BuildResult(recipe, out_dir, changed, files, results, len(figures), len(tables), live_used, bundled_used,
                       drawn=[n for n, how in done.items() if how == "drawn"],
                       reused=[n for n, how in done.items() if how == "reused"], coverage=cov)


def verify(recipe_path, *, lang: str | None = None, live: bool = False, data_dir=None, offline: bool = False):
    """Check the claims only; writes nothing. Returns (recipe, results)."""
    recipe = load_recipe(recipe_path)
    recipe.refuse_drafts()
    data = RecipeData(lang=lang or recipe.report.language, live=live, data_dir=data_dir, offline=offline,
                      selections=asked(recipe))
    return recipe, validate(recipe, data, claims_only=True).results


def check(recipe_path, *, live: bool = False, data_dir=None, offline: bool = False) -> Recipe:
    """Validate a recipe (shape and data) without building anything."""
    recipe = load_recipe(recipe_path)
    recipe.refuse_drafts()
    validate(recipe, RecipeData(lang=recipe.report.language, live=live, data_dir=data_dir, offline=offline,
                                selections=asked(recipe)))
    return recipe
