"""Recipe commands: build, verify, recipe check.

Exit codes (docs/cli.md): 0 success; 1 a build that could not be written; 2 a recipe or
selection error (nothing written); 3 a claim has a verdict named by ``--fail-on`` (default
``fails,undecided``; ``build`` still writes the build so the verdicts can be read).
``revised`` (held as published, changed by a later revision), ``no-data`` (source not
bundled) and ``not-comparable`` never fail a run unless ``--fail-on`` names them.
"""

from __future__ import annotations

import click

from ..errors import UdsatError
from ..exits import CLAIMS_FAIL
from ..jsondocs import dumps
from ..verdicts import (
    FAILS,
    HOLDS,
    NO_DATA,
    NOT_COMPARABLE,
    REVISED,
    UNDECIDED,
    VERDICTS,
)
from .options import (
    data_dir_option,
    json_option,
    live_option,
    offline_option,
    out_option,
    quiet_option,
    recipe_lang_option,
    verbose_option,
)

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.


class ClaimsFailError(UdsatError):
    """One or more claims have a verdict the run was told to fail on (--fail-on)."""

    exit_code = CLAIMS_FAIL


#: --fail-on words: every verdict but holds, spelt as claims.json spells it
FAIL_ON_WORDS = {v: v for v in VERDICTS if v != HOLDS}
DEFAULT_FAIL_ON = "fails,undecided"
#: why a verdict is in the error line
WHY = {FAILS: "fail", REVISED: "held as published but were changed by a later revision",
       UNDECIDED: "undecided (a published range, or the rounding interval of a rounded figure, straddles the check)",
       NO_DATA: "have no data (source not bundled)", NOT_COMPARABLE: "are not comparable"}


def _parse_fail_on(ctx, param, value):
    if value is None:
        return None
    words = [w.strip().lower().replace(" ", "-").replace("_", "-") for w in value.split(",") if w.strip()]
    if words == ["none"]:
        return frozenset()
    bad = [w for w in words if w not in FAIL_ON_WORDS]
    if bad or not words:
        raise click.BadParameter(f"{bad[0] if bad else value!r} is not a verdict; give a comma-separated list of "
                                 f"{', '.join(FAIL_ON_WORDS)}, or none")
    return frozenset(FAIL_ON_WORDS[w] for w in words)


fail_on_option = click.option(
    "--fail-on", "fail_on", default=None, callback=_parse_fail_on, metavar="VERDICTS",
    help=f"Comma-separated verdicts that make the command exit 3: {', '.join(FAIL_ON_WORDS)}, or none "
         f"[default: {DEFAULT_FAIL_ON}]. holds never fails a run.")

recipe_argument = click.argument("recipe", type=click.Path(dir_okay=False))
lang_choice = recipe_lang_option


def fail_on_set(fail_on, allow_failing_claims: bool = False) -> frozenset:
    """The verdicts that fail this run: --fail-on, else the deprecated flag, else the default."""
    if allow_failing_claims:
        click.echo("Warning: --allow-failing-claims is deprecated; use --fail-on none "
                   "(or name the verdicts that should fail the run).", err=True)
        if fail_on is None:
            return frozenset()
    return _parse_fail_on(None, None, DEFAULT_FAIL_ON) if fail_on is None else fail_on


def _fail(results, fail_on: frozenset, out_dir=None) -> None:
    parts = []
    for verdict in VERDICTS:
        ids = [r.claim.id for r in results if r.verdict == verdict]
        if verdict in fail_on and ids:
            parts.append(f"{len(ids)} claim(s) {WHY[verdict]}: {', '.join(ids)}")
    if parts:
        where = f"; the build is in {out_dir}" if out_dir else ""
        words = ",".join(w for w, v in FAIL_ON_WORDS.items() if v in fail_on)
        raise ClaimsFailError("; ".join(parts) + where + f" (exit 3 on --fail-on {words}; --fail-on none accepts all)")


@click.command("build")
@click.argument("recipe", type=click.Path())
@out_option("Output directory [default: out/<recipe name>].", required=False, file=False)
@live_option
@offline_option
@lang_choice
@data_dir_option
@fail_on_option
@click.option("--allow-failing-claims", is_flag=True, hidden=True,
              help="Deprecated: the same as --fail-on none.")
@click.option("--compare", "compare", type=click.Path(file_okay=False, exists=True), default=None,
              help="After building, print what changed against this build folder (as 'udsattestat diff'); "
                   "it may be DIR itself (the previous build).")
@json_option("what was built and every claim's verdict")
@verbose_option
@quiet_option
def build_cmd(recipe, out, live, offline, lang, data_dir, fail_on, allow_failing_claims, compare, as_json, verbose,
              quiet):
    """Build a recipe: figures (SVG, PNG, data CSV), tables (md, csv, xlsx), claims, manifest, index.html.

    RECIPE may be a folder of recipes: each is built into DIR/<recipe name> (DIR
    default out/), and DIR/index.html links every report's page.

    Everything is checked before anything is written; the build goes to a temporary
    directory and replaces DIR only when complete, so a failed build leaves the previous
    one intact. Rebuilding with unchanged inputs changes no byte and says so.

    It prints, in the build's language (--lang, else the recipe's), the counts by verdict,
    each claim that fails, was revised or is undecided on one line (--verbose: every claim),
    and where the page and claims.md are; on a terminal, progress while rendering (-q: none).

    Exit codes: 3 when a claim's verdict is one named by --fail-on (default: fails,undecided;
    the build is still written); revised (held as published, changed by a later
    revision), no-data and not-comparable are reported but do not fail the run unless
    named. 2 for a recipe error (nothing written), 1 when the build cannot be written.

    Example:

    \b
        udsattestat build recipes/forandringskraft-2021.toml
        udsattestat build recipes/homelessness-brief.toml --out site/brief --lang en
        udsattestat build recipes/forandringskraft-2021.toml --live   # poverty from StatBank IFOR51
        udsattestat build recipes/forandringskraft-2021.toml --compare published/
        udsattestat build recipes/ --out site --fail-on none    # every recipe, one index page
    """
    import contextlib
    from pathlib import Path

    from ..recipes import build

    fail_on = fail_on_set(fail_on, allow_failing_claims)
    if Path(recipe).is_dir():
        _build_folder(recipe, out, live, offline, lang, data_dir, fail_on, compare, as_json)
        return
    changes = None
    with contextlib.ExitStack() as stack:
        if compare:
            from .workflow import kept_aside

            previous = stack.enter_context(kept_aside(compare))
        from .claimlines import progress

        with progress(lang or _recipe_language(recipe), quiet or as_json) as step:
            result = build(recipe, out, lang=lang, live=live, data_dir=data_dir, offline=offline, progress=step)
        if compare:
            from ..recipes.diff import diff_builds, markdown

            d = diff_builds(previous, result.out_dir)
            d.old = compare  # name the folder the user gave, not the copy kept aside
            changes = markdown(d)
    if as_json:
        from ..recipes.claimdocs import claims_document

        claims = claims_document(result.results, result.recipe, result.coverage)
        doc = {"out": str(result.out_dir), "changed": result.changed, "files": result.files,
               "figures": result.figures, "tables": result.tables, "live": result.live, "bundled": result.bundled,
               # what claims.json holds (its report, verdicts and claims), under this document's schema
               **{k: v for k, v in claims.items() if k != "schema"}}
        if changes is not None:
            doc["changes"] = changes
        click.echo(dumps("build", doc), nl=False)
        _fail(result.results, fail_on, result.out_dir)
        return
    from .claimlines import echo_build

    echo_build(result, lang or result.recipe.report.language, verbose, live)
    if changes is not None:
        click.echo("")
        click.echo(changes, nl=False)
    _fail(result.results, fail_on, result.out_dir)


def _build_folder(folder, out, live, offline, lang, data_dir, fail_on, compare, as_json):
    """``build FOLDER``: every recipe in it, then the index page."""
    from ..errors import UdsatError
    from ..recipes.claimdocs import claims_document, count_text
    from ..recipes.coverage import coverage_line
    from ..recipes.folder import build_folder

    if compare:
        raise UdsatError("--compare works on one recipe's build; give a recipe file, or compare each report "
                         "with 'udsattestat diff OLD NEW'")
    done = build_folder(folder, out, lang=lang, live=live, data_dir=data_dir, offline=offline)
    results = [r for b in done.builds for r in b.results]
    if as_json:
        docs = [{"out": str(b.out_dir), "changed": b.changed, "files": b.files,
                 **{k: v for k, v in claims_document(b.results, b.recipe, b.coverage).items() if k != "schema"}}
                for b in done.builds]
        click.echo(dumps("build-folder", {"index": str(done.index), "builds": docs}), nl=False)
    else:
        for b in done.builds:
            state = "Built" if b.changed else "Unchanged"
            click.echo(f"{state} {b.out_dir}: {len(b.results)} claims ({count_text(b.results, 'en')}).")
            if b.coverage is not None:
                click.echo(f"  {coverage_line(b.coverage, 'en')}")
        click.echo(f"Open {done.index}")
    _fail(results, fail_on, done.out_root)


@click.command("verify")
@recipe_argument
@live_option
@offline_option
@data_dir_option
@fail_on_option
@lang_choice
@verbose_option
@json_option("every claim's verdict (as claims.json)")
def verify_cmd(recipe, live, offline, data_dir, fail_on, lang, verbose, as_json):
    """Check a recipe's claims against the data; write nothing.

    It prints, in --lang (else the recipe's language), the counts by verdict and each claim
    that fails, was revised or is undecided on one line; --verbose lists every claim.

    Exit codes: 3 when a claim's verdict is one named by --fail-on (default:
    fails,undecided); revised (held as published, changed by a later revision), no-data
    and not-comparable are reported but exit 0 unless named; 2 for a recipe error.

    Example:


    \b
        udsattestat verify recipes/forandringskraft-2021.toml
    """
    from ..recipes import verify

    fail_on = fail_on_set(fail_on)
    parsed, results = verify(recipe, lang=lang, live=live, data_dir=data_dir, offline=offline)
    if as_json:
        from ..recipes.claimdocs import claims_json

        click.echo(claims_json(results, parsed), nl=False)
    else:
        from .claimlines import echo_claims

        echo_claims(results, lang or parsed.report.language, verbose)
    _fail(results, fail_on)


@click.group("recipe")
def recipe_group():
    """Work with recipe files.

    Example:


    \b
        udsattestat recipe check recipes/forandringskraft-2021.toml
    """


@recipe_group.command("check")
@recipe_argument
@live_option
@offline_option
@data_dir_option
def check_cmd(recipe, live, offline, data_dir):
    """Validate a recipe (fields, indicators, kinds, codes, periods) without building.

    Example:


    \b
        udsattestat recipe check recipes/homelessness-brief.toml
    """
    from ..recipes import check

    r = check(recipe, live=live, data_dir=data_dir, offline=offline)
    click.echo(f"{recipe}: valid ({len(r.figures)} figures, {len(r.tables)} tables, {len(r.claims)} claims; "
               f"indicators: {', '.join(r.indicators())})")


@recipe_group.command("list")
def list_cmd():
    """List the shipped recipes: name, report, date, and what each builds.

    Example:


    \b
        udsattestat recipe list
    """
    from ..recipes.reader import load_recipe, recipes_dir, shipped_recipes

    names = shipped_recipes()
    if not names:
        click.echo("No shipped recipes found.")
        return
    for name in names:
        r = load_recipe(recipes_dir() / f"{name}.toml")
        title = r.report.title.get("en") or r.report.title.get("da")
        click.echo(f"{name}: {title} ({r.report.date}); {len(r.figures)} figures, {len(r.tables)} tables, "
                   f"{len(r.claims)} claims")


def _recipe_language(recipe) -> str:
    """The recipe's report.language, for the progress line before the build has read it
    (an unreadable recipe: English; the build then reports the error)."""
    from ..errors import UdsatError

    try:
        from ..recipes.reader import load_recipe

        return load_recipe(recipe).report.language
    except (UdsatError, OSError):
        return "en"
