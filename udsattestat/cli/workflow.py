"""The CI workflow commands: diff (what changed between two builds) and update."""

from __future__ import annotations

from contextlib import contextmanager

import click

from ..errors import OutputError, SelectionError
from ..exits import CHANGED, OK
from .options import json_option, out_option, recipe_lang_option

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.


def write_diff_outputs(d, *, as_json: bool, html: str | None) -> None:
    """Print the diff (Markdown or JSON) and write the side-by-side page if asked."""
    from ..recipes.diff import html_page, markdown

    if html:
        from ..atomic import atomic_path

        try:
            with atomic_path(html) as tmp:
                with open(tmp, "w", encoding="utf-8") as fh:
                    fh.write(html_page(d))
        except OSError as exc:
            raise OutputError(f"cannot write {html!r}: {exc.strerror or exc}") from None
    click.echo(d.to_json() if as_json else markdown(d), nl=False)


@click.command("diff")
@click.argument("old", type=click.Path(file_okay=False))
@click.argument("new", type=click.Path(file_okay=False))
@json_option("the full diff (every changed row)")
@click.option("--html", "html", type=click.Path(dir_okay=False), default=None,
              help="Also write a page with old and new figures side by side and their changed rows.")
def diff_cmd(old, new, as_json, html):
    """Compare two builds of a recipe: claims whose verdict or numbers changed, figures whose
    rows changed, tables changed, files added or removed.

    Prints Markdown (for a pull-request comment) or --json. Exit code: 0 nothing changed,
    4 something changed; errors as every command (2 a folder that is not a build).

    Example:

    \b
        udsattestat diff published/ out/forandringskraft-2021
        udsattestat diff published/ out/forandringskraft-2021 --json
        udsattestat diff published/ out/forandringskraft-2021 --html diff.html
    """
    from ..recipes.diff import diff_builds

    d = diff_builds(old, new)
    write_diff_outputs(d, as_json=as_json, html=html)
    click.get_current_context().exit(CHANGED if d.changed else OK)


@contextmanager
def kept_aside(folder):
    """A copy of a build folder that survives the build replacing it (for ``--compare DIR``
    where DIR is the build's own output); removed afterwards."""
    import shutil
    import tempfile
    from pathlib import Path

    tmp = Path(tempfile.mkdtemp(prefix="udsattestat-compare-"))
    try:
        copy = tmp / Path(folder).name
        shutil.copytree(folder, copy, symlinks=True)
        yield copy
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@click.command("update")
@click.argument("recipes", nargs=-1, type=click.Path(dir_okay=False))
@out_option("The build folder to update (one recipe only) [default: out/<recipe name>].", required=False,
            file=False)
@click.option("--dry-run", is_flag=True, help="Say which live tables changed and would be fetched; fetch nothing.")
@recipe_lang_option
def update_cmd(recipes, out, dry_run, lang):
    """Ask each live source whether its table changed since the last build; fetch only those
    that did, rebuild, and print what changed (as 'udsattestat diff').

    With no RECIPE, every shipped recipe. StatBank is asked for its tableinfo 'updated',
    Eurostat for its 'updated' stamp; a table whose release is the one the last build used
    is replayed from its snapshot, not fetched. Exit code as 'diff': 0 nothing changed,
    4 the build changed (with --dry-run: a table would be fetched); errors as every command
    (1 a network error, as 'fetch').

    Example:

    \b
        udsattestat update --dry-run
        udsattestat update recipes/forandringskraft-2021.toml --out site/
    """
    changed = _update(recipes, out, dry_run, lang)
    click.get_current_context().exit(CHANGED if changed else OK)


def _update(recipes, out, dry_run: bool, lang) -> bool:
    from pathlib import Path

    from ..recipes import build
    from ..recipes.build import default_out
    from ..recipes.diff import diff_builds, markdown
    from ..recipes.reader import load_recipe
    from ..recipes.update import check

    if not recipes:
        from ..recipes.reader import shipped_recipes

        recipes = [str(p) for p in shipped_recipes()]
    if out and len(recipes) != 1:
        raise SelectionError("--out names one build folder; give one recipe with it")
    any_change = False
    for path in recipes:
        recipe = load_recipe(path)
        out_dir = Path(out) if out else default_out(recipe.path)
        lang_ = lang or recipe.report.language
        checks = check(recipe, out_dir, lang=lang_)
        click.echo(f"{recipe.path.name} → {out_dir}")
        for c in checks:
            click.echo(f"  {c.line()}")
        if not checks:
            click.echo("  no live indicators: nothing to update")
            continue
        changed = [c.indicator for c in checks if c.changed]
        if dry_run:
            click.echo(f"  would fetch: {', '.join(changed) or 'nothing'}")
            any_change |= bool(changed)
            continue
        if not changed:
            click.echo("  up to date: every live table is the release the last build used")
            continue
        replay = [c.indicator for c in checks if not c.changed]
        with kept_aside_if_built(out_dir) as previous:
            result = build(recipe.path, out_dir, lang=lang_, live=True, replay=replay)
            click.echo(f"  fetched: {', '.join(changed)}; replayed: {', '.join(replay) or 'none'}; "
                       f"drawn again: {', '.join(result.drawn) or 'none'}")
            if previous is not None:
                d = diff_builds(previous, out_dir)
                d.old = f"{out_dir} (before update)"
                click.echo(markdown(d), nl=False)
                any_change |= d.changed
            else:
                any_change = True
    return any_change


@contextmanager
def kept_aside_if_built(folder):
    """:func:`kept_aside` when ``folder`` holds a build, else None."""
    from pathlib import Path

    from ..recipes.manifest import MANIFEST

    if (Path(folder) / MANIFEST).is_file():
        with kept_aside(folder) as copy:
            yield copy
    else:
        yield None
