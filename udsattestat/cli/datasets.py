"""``dataset check``: a dataset folder checked the way every command will read it."""

from __future__ import annotations

import json

import click

from .options import json_option, live_metadata_option, timeout_option


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
@live_metadata_option
@timeout_option
@json_option("one result per folder")
def check_cmd(folders, live, as_json):
    """Check dataset FOLDERS (default: every bundled dataset): the dataset.toml schema
    (unknown or misspelt keys, types, cross-references), every values.csv row, the tidy table,
    and a live mapping against the table's metadata (cached, or fetched with --live): every
    variable and code it names must be in the table.

    Each problem is one line naming the file, the line and what to fix (a code the table does
    not have comes with the nearest one it has); the exit code is 1 if any folder fails.

    Example:


    \b
        udsattestat dataset check datasets/child-poverty
        udsattestat dataset check datasets/child-poverty --live
    """
    from pathlib import Path

    from ..bundle import check_folder, datasets_dir
    from ..errors import UdsatError

    if not folders:
        root = datasets_dir()
        folders = tuple(str(p) for p in sorted(root.iterdir()) if (p / "dataset.toml").is_file())
    results, failed = [], 0
    for folder in folders:
        try:
            summary = check_folder(Path(folder))
            summary["mapping"] = _check_mapping(Path(folder), live)
            results.append({"folder": folder, "ok": True, **summary})
        except UdsatError as exc:
            failed += 1
            results.append({"folder": folder, "ok": False, "error": str(exc)})
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r["ok"]:
                live = f"; live {r['live']}" if r["live"] else ""
                mapping = f"; {r['mapping']}" if r["mapping"] else ""
                click.echo(f"ok    {r['folder']}: {r['rows']} rows, {len(r['vintages'])} vintage(s){live}{mapping}")
            else:
                click.echo(f"error {r['error']}")
    if failed:
        raise click.exceptions.Exit(1)


def _check_mapping(folder, live: bool) -> str | None:
    """A live dataset's mapping against its table (see ``Provider.check``); None if it has none."""
    from ..bundle import read_meta
    from ..providers import provider

    meta = read_meta(folder)
    return provider(meta.provider).check(meta, live=live) if meta.provider else None
