"""Options shared by several commands, defined once so they mean the same everywhere."""

from __future__ import annotations

import click

from ..catalog import check_indicator
from ..errors import SelectionError, UdsatError
from ..languages import LANGS

# Each command imports inside its function what only it needs, so the other commands
# (and --help) start without loading it.

lang_option = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="da",
    show_default=True,
    help="Language of labels and number formatting.",
)
#: ``build``/``verify``: every claim in the summary, not only those a reader must see first.
verbose_option = click.option("--verbose", "-v", is_flag=True,
                              help="List every claim, not only those that fail, were revised or are undecided.")
#: ``build``: no progress line on standard error while rendering.
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress on standard error while rendering.")
#: ``build``/``verify``: the recipe says its language unless --lang is given.
recipe_lang_option = click.option(
    "--lang", type=click.Choice(LANGS), default=None,
    help="Language of labels and numbers [default: the recipe's report.language].",
)
data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where Parquet files go [default: $UDSATTESTAT_DATA_DIR or ./data]; raw snapshots go to the "
    "cache ($UDSATTESTAT_CACHE_DIR, see 'udsattestat cache list').",
)
where_option = click.option(
    "--where",
    "where",
    multiple=True,
    metavar="DIM=CODE,…",
    help="Keep rows whose dimension has one of these codes; repeatable.",
)
#: ``chart``: with several indicators, ``ID:`` scopes a filter to one of them.
where_scoped_option = click.option(
    "--where", "where", multiple=True, metavar="[ID:]DIM=CODE,…",
    help="Keep rows whose dimension has one of these codes; repeatable. With several indicators, "
         "prefix ID: to apply it to one of them only.",
)
vintage_option = click.option(
    "--vintage",
    default="latest",
    show_default=True,
    help="Which release of revised figures: latest, all, or a vintage id (see 'info').",
)
def _period(ctx, param, value):
    """A period bound is checked when the command line is read, before any data."""
    if value is None:
        return None
    from ..periods import PeriodError, parse_period

    try:
        parse_period(value)
    except PeriodError as exc:  # one line, like every other bad value (exit 2)
        raise SelectionError(f"{param.opts[0]}: {exc}") from None
    return value


since_option = click.option("--since", default=None, metavar="P", callback=_period, help="First period, e.g. 2015.")
until_option = click.option("--until", default=None, metavar="P", callback=_period, help="Last period.")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress output.")


def _set_timeout(ctx, param, value):
    if value is None:
        return None
    from ..net.http import parse_timeout, timeout_override

    try:
        timeout = parse_timeout(value)
    except UdsatError as exc:
        raise click.BadParameter(str(exc)) from None
    ctx.with_resource(timeout_override(timeout))  # every HTTP client of this command uses it
    return timeout


timeout_option = click.option(
    "--timeout",
    metavar="[CONNECT,]READ",
    default=None,
    expose_value=False,
    callback=_set_timeout,
    help="Seconds to wait for a connection and for the server to start answering "
    "[default: $UDSATTESTAT_TIMEOUT or 10,600]. A large extraction can take minutes to prepare.",
)


def indicator_argument(multiple: bool = False):
    def callback(ctx, param, value):
        if multiple:
            return tuple(check_indicator(v) for v in value)
        return check_indicator(value)

    return click.argument("indicator", nargs=-1 if multiple else 1, required=True, callback=callback)


def json_option(what: str = "the result"):
    """``--json``: the same content for scripts (the flag is ``as_json``)."""
    return click.option("--json", "as_json", is_flag=True, help=f"Print {what} as JSON.")


def out_option(what: str, *, required: bool = True, file: bool = True, default=None, either: bool = False):
    """``--out``: a file (or, with ``file=False``, a folder; with ``either``, whichever
    another option chooses, e.g. ``statbank fetch --partition-by``) written atomically."""
    kind = click.Path() if either else click.Path(dir_okay=not file, file_okay=file)
    # An explicit default=None counts as a default in Click ≥ 8.3, so "required" would no longer
    # be enforced and a missing --out reached the command as None: pass a default only if given.
    extra = {} if default is None else {"default": default}
    return click.option("--out", "out", required=required, type=kind, help=what, **extra)


partition_option = click.option(
    "--partition-by", type=click.Choice(["period"]), default=None,
    help="Write a Hive-partitioned Parquet dataset (a folder, one sub-folder per period) instead of one file.",
)
live_option = click.option(
    "--live", is_flag=True,
    help="Indicators with a live source: the bundled vintages plus the producer's live table.",
)
#: ``info``/``dataset check``: ask the live source about its table now (metadata only, no data).
live_metadata_option = click.option(
    "--live", is_flag=True,
    help="Ask the live source about its table(s) now (metadata only: tableinfo or structure), not the cache.",
)
offline_option = click.option(
    "--offline", is_flag=True, help="Replay the last snapshot; never touch the network (with --live: for the live table).",
)
refresh_option = click.option(
    "--refresh", is_flag=True, help="Fetch anew even if the last snapshot is still current.",
)
