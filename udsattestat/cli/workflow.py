"""The CI workflow commands: diff (what changed between two builds) and update."""

from __future__ import annotations

from contextlib import contextmanager

import click

#: `diff` exit codes, as diff(1) and `git diff --exit-code`: 0 same, 1 changed, 2 trouble.
SAME, CHANGED, TROUBLE = 0, 1, 2


def write_diff_outputs(d, *, as_json: bool, html: str | None) -> None:
    """Print the diff (Markdown or JSON) and write the side-by-side page if asked."""
    from ..recipes.diff import html_page, markdown

    if html:
        from ..atomic import atomic_path
        from ..errors import OutputError

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
@click.option("--json", "as_json", is_flag=True, help="Print the full diff as JSON instead of Markdown.")
@click.option("--html", "html", type=click.Path(dir_okay=False), default=None,
              help="Also write a page with old and new figures side by side and their changed rows.")
def diff_cmd(old, new, as_json, html):
    """Compare two builds of a recipe: claims whose verdict or numbers changed, figures whose
    rows changed, tables changed, files added or removed.

    Prints Markdown (for a pull-request comment) or --json. Exit code: 0 nothing changed,
    1 something changed, 2 an error (e.g. a folder that is not a build).

    Example:

    \b
        udsattestat diff published/ out/forandringskraft-2021
        udsattestat diff published/ out/forandringskraft-2021 --json
        udsattestat diff published/ out/forandringskraft-2021 --html diff.html
    """
    from ..errors import UdsatError
    from ..recipes.diff import diff_builds

    ctx = click.get_current_context()
    try:
        d = diff_builds(old, new)
        write_diff_outputs(d, as_json=as_json, html=html)
    except UdsatError as exc:
        click.echo(f"Error: {exc}", err=True)
        ctx.exit(TROUBLE)  # never 1: that means "changed"
    ctx.exit(CHANGED if d.changed else SAME)


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
