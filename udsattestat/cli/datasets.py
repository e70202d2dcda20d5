"""``dataset check``: a dataset folder checked the way every command will read it."""

from __future__ import annotations

import click

from ..errors import UdsatError
from ..exits import ERROR
from ..jsondocs import dumps
from .options import json_option

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.


@click.group("dataset")
def dataset_group():
    """Check dataset folders (dataset.toml + values.csv) before you use or ship them.

    Example:


    \b
        udsattestat dataset check datasets/poverty
        udsattestat dataset check
    """


@dataset_group.command("check")
@click.argument("folders", nargs=-1, type=click.Path(file_okay=False))
@json_option("one result per folder")
def check_cmd(folders, as_json):
    """Check dataset FOLDERS (default: every bundled dataset): the dataset.toml schema
    (unknown or misspelt keys, types, cross-references), every values.csv row, the tidy table.

    Each problem is one line naming the file, the line and what to fix; the exit code is 1
    if any folder fails.

    Example:


    \b
        udsattestat dataset check datasets/child-poverty
    """
    from pathlib import Path

    from ..bundle import check_folder, datasets_dir

    if not folders:
        root = datasets_dir()
        folders = tuple(str(p) for p in sorted(root.iterdir()) if (p / "dataset.toml").is_file())
    results, failed = [], 0
    for folder in folders:
        try:
            summary = check_folder(Path(folder))
            results.append({"folder": folder, "ok": True, **summary})
        except UdsatError as exc:
            failed += 1
            results.append({"folder": folder, "ok": False, "error": str(exc)})
    if as_json:
        click.echo(dumps("dataset-check", {"folders": results}), nl=False)
    else:
        for r in results:
            if r["ok"]:
                live = f"; live {r['live']}" if r["live"] else ""
                click.echo(f"ok    {r['folder']}: {r['rows']} rows, {len(r['vintages'])} vintage(s){live}")
            else:
                click.echo(f"error {r['error']}")
    if failed:
        raise click.exceptions.Exit(ERROR)  # a dataset file to fix, as every command reads it
