"""``dataset check``: a dataset folder checked the way every command will read it."""

from __future__ import annotations

import re

import click

from ..errors import UdsatError
from ..exits import ERROR
from ..jsondocs import dumps
from .options import data_dir_option, json_option, live_metadata_option, offline_option, timeout_option

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.


@click.group("dataset")
def dataset_group():
    """Check dataset folders (dataset.toml + values.csv), or draft one from a StatBank table.

    Example:


    \b
        udsattestat dataset check datasets/poverty
        udsattestat dataset check
        udsattestat dataset new folk-areas --statbank FOLK1A --keep OMRÅDE
    """


@dataset_group.command("check")
@click.argument("folders", nargs=-1, type=click.Path(file_okay=False))
@live_metadata_option
@timeout_option
@json_option("one result per folder")
def check_cmd(folders, live, as_json):
    """Check dataset FOLDERS (default: every dataset on the search path): the dataset.toml schema
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

    from ..bundle import check_folder
    from ..searchpath import locate

    if not folders:  # every dataset the commands would read: yours, then the bundle's
        folders = tuple(folder for folder, _label in locate().values())
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
        click.echo(dumps("dataset-check", {"folders": results}), nl=False)
    else:
        for r in results:
            if r["ok"]:
                source = f"; live {r['live']}" if r["live"] else ""
                mapping = f"; {r['mapping']}" if r["mapping"] else ""
                click.echo(f"ok    {r['folder']}: {r['rows']} rows, {len(r['vintages'])} vintage(s){source}{mapping}")
            else:
                click.echo(f"error {r['error']}")
    if failed:
        raise click.exceptions.Exit(ERROR)  # a dataset file to fix, as every command reads it


def _check_mapping(folder, live: bool) -> str | None:
    """A live dataset's mapping against its table (see ``Provider.check``); None if it has none."""
    from ..bundle import read_meta
    from ..providers import provider

    meta = read_meta(folder)
    return provider(meta.provider).check(meta, live=live) if meta.provider else None


@dataset_group.command("new")
@click.argument("indicator")
@click.option("--statbank", "table", required=True, metavar="TABLE",
              help="The StatBank table whose metadata the draft is written from (e.g. FOLK1A).")
@click.option("--keep", "keep", multiple=True, metavar="VARIABLE",
              help="Only these variables become dimensions (repeatable); StatBank sums the others away "
                   "where the table allows [default: every variable].")
@click.option("--into", "into", default="datasets", show_default=True, type=click.Path(file_okay=False),
              help="The folder of dataset folders to write into (./datasets is searched before the bundle).")
@data_dir_option
@offline_option
@timeout_option
def new_cmd(indicator, table, keep, into, data_dir, offline):
    """Write a draft dataset (dataset.toml + values.csv) from a StatBank table's metadata.

    Every variable, code and label of the table (both languages), its title, description,
    unit and licence, and the [statbank] mapping: a live-only dataset that 'dataset check'
    accepts as it is. Edit it before fetching (keep the codes you want); the comments at
    its top say how. An existing folder is never overwritten.

    Example:


    \b
        udsattestat dataset new folk-areas --statbank FOLK1A --keep OMRÅDE
        udsattestat dataset check datasets/folk-areas
    """
    from datetime import UTC, datetime
    from pathlib import Path

    from ..atomic import atomic_write_text
    from ..bundle import CSV_HEAD, CSV_TAIL, META_FILE, VALUES_FILE, meta_from_bytes
    from ..errors import OutputError, SelectionError
    from ..providers import provider
    from ..searchpath import folder_of
    from ..statbank.draft import draft, draft_dimensions
    from ..store import data_dir as resolve

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", indicator):
        raise SelectionError(f"dataset id {indicator!r}: use lowercase letters, digits and '-' "
                             "(it is the folder's name and what you type)")
    folder = Path(into) / indicator
    other = folder_of(indicator)
    if folder.exists():
        raise OutputError(f"{folder} exists; give another id, or delete or rename that folder")
    if not Path(into).is_dir() and Path(into).exists():
        raise OutputError(f"--into {into!r} is a file; give a folder")
    info = provider("statbank").info(table.upper(), data_dir=resolve(data_dir, create=False), offline=offline)
    unknown = [k for k in keep if k.upper() not in {v.id.upper() for v in info["da"].variables}]
    if unknown:
        raise SelectionError(f"--keep {unknown[0]}: {table.upper()} has no such variable; it has "
                             + ", ".join(v.id for v in info["da"].variables))
    command = " ".join(["udsattestat dataset new", indicator, "--statbank", table.upper(),
                        *(f"--keep {k}" for k in keep)])
    text = draft(indicator, info, command=command, today=datetime.now(UTC).date().isoformat(),
                 keep=list(keep) or None)
    meta_from_bytes(folder, text.encode("utf-8"))  # the draft passes the schema, or nothing is written
    header = ",".join([*CSV_HEAD, *draft_dimensions(info, list(keep) or None), *CSV_TAIL]) + "\n"
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror}") from None
    atomic_write_text(folder / META_FILE, text)
    atomic_write_text(folder / VALUES_FILE, header)
    click.echo(f"{folder}: a draft of {len(text.splitlines())} lines from StatBank {table.upper()} "
               f"({info['en'].text}). Edit it, then: udsattestat dataset check {folder}")
    if other is not None:  # the id is taken elsewhere on the search path: say which one wins
        click.echo(f"Warning: {other} has the id {indicator!r} too; the first on the search path is used "
                   "(docs/dataset.md); give this one another id to keep both", err=True)
