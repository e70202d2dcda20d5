"""``udsattestat cache``: list, verify and clear the raw snapshots kept in the user cache."""

from __future__ import annotations

import click

from ..errors import SnapshotError, UdsatError
from ..jsondocs import dumps
from .options import json_option

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.


def _entries(root, provider: str | None):
    """(record path, snapshot or None, problem or None) for every record under ``root``."""
    from ..net.snapshots import all_records, check_snapshot, read_record

    out = []
    for rec in all_records(root):
        if provider and rec.parts[-4] != provider:
            continue
        try:
            snap = read_record(rec)
        except SnapshotError as exc:
            out.append((rec, None, str(exc)))
            continue
        try:
            check_snapshot(snap)
            out.append((rec, snap, None))
        except SnapshotError as exc:
            out.append((rec, snap, str(exc)))
    return out


provider_option = click.option("--provider", type=click.Choice(["statbank", "eurostat"]), default=None,
                               help="Only this provider's snapshots.")


@click.group("cache")
def cache_group():
    """List, verify and clear the raw snapshots kept in the cache.

    Every fetched body is kept unchanged beside a record (request, headers, sha256, time)
    in the user cache directory — ~/.cache/udsattestat on Linux — or $UDSATTESTAT_CACHE_DIR.
    --offline and snapshot reuse replay them, after checking each against its sha256.

    Example:

    \b
        udsattestat cache list
        udsattestat cache verify
        udsattestat cache clear --provider eurostat
    """


@cache_group.command("list")
@provider_option
@json_option("the snapshots")
def list_cmd(provider, as_json):
    """Show where the cache is and every snapshot in it (provider, table, retrieved, size).

    Example:

    \b
        udsattestat cache list --provider statbank
    """
    from ..net.cache import cache_dir

    root = cache_dir()
    rows = []
    for rec, snap, problem in _entries(root, provider):
        record = snap.record if snap is not None else {}
        rows.append({
            "provider": rec.parts[-4], "label": record.get("label", rec.parts[-3]),
            "retrieved": record.get("retrieved"), "size": record.get("size"),
            "file": str(snap.path.relative_to(root)) if snap is not None else None,
            "record": str(rec.relative_to(root)), "url": (record.get("request") or {}).get("url"),
            "ok": problem is None,
        })
    if as_json:
        click.echo(dumps("cache-list", {"cache": str(root), "snapshots": rows}), nl=False)
        return
    click.echo(f"Cache: {root}")
    if not rows:
        click.echo("No snapshots.")
        return
    for r in rows:
        size = f"{r['size']:,} B" if isinstance(r["size"], int) else "?"
        flag = "" if r["ok"] else "  DAMAGED (udsattestat cache verify)"
        click.echo(f"{r['provider']:<9} {r['label']:<14} {r['retrieved'] or '?':<21} {size:>14}  {r['file'] or r['record']}{flag}")
    total = sum(r["size"] for r in rows if isinstance(r["size"], int))
    click.echo(f"{len(rows)} snapshot(s), {total:,} bytes as recorded (identical bodies are stored once).")


@cache_group.command("verify")
@provider_option
def verify_cmd(provider):
    """Check every snapshot against the sha256 in its record; exit 1 if one does not match.

    A damaged snapshot is never replayed; fetch it again with --refresh, or remove it with
    'udsattestat cache clear'.

    Example:

    \b
        udsattestat cache verify --provider eurostat
    """
    from ..net.cache import cache_dir

    entries = _entries(cache_dir(), provider)
    bad = [(rec, problem) for rec, _, problem in entries if problem]
    for _, problem in bad:
        click.echo(f"damaged: {problem}", err=True)
    click.echo(f"{len(entries) - len(bad)} of {len(entries)} snapshot(s) match their sha256.")
    if bad:
        raise SnapshotError(f"{len(bad)} damaged snapshot(s) (listed above); fetch again with --refresh "
                            "or remove them with 'udsattestat cache clear'")


@cache_group.command("clear")
@provider_option
def clear_cmd(provider):
    """Remove the cached snapshots (all, or one provider's); outputs elsewhere are untouched.

    The next fetch downloads again; --offline has nothing to replay until then.

    Example:

    \b
        udsattestat cache clear --provider statbank
    """
    import shutil

    from ..net.cache import cache_dir

    root = cache_dir() / "raw"
    targets = [root / provider] if provider else [root]
    removed = 0
    for target in targets:
        if target.is_dir():
            removed += sum(1 for p in target.rglob("*") if p.is_file())
            try:
                shutil.rmtree(target)
            except OSError as exc:
                raise UdsatError(f"cannot remove {target}: {exc.strerror or exc}") from None
    click.echo(f"Removed {removed} file(s) from {root}" + (f" ({provider})" if provider else "") + ".")
