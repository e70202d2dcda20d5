"""Options shared by several commands, defined once so they mean the same everywhere."""

from __future__ import annotations

import click

from ..catalog import check_indicator

lang_option = click.option(
    "--lang",
    type=click.Choice(["da", "en"]),
    default="da",
    show_default=True,
    help="Language of labels and number formatting.",
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
vintage_option = click.option(
    "--vintage",
    default="latest",
    show_default=True,
    help="Which release of revised figures: latest, all, or a vintage id (see 'info').",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress output.")


def indicator_argument(multiple: bool = False):
    def callback(ctx, param, value):
        if multiple:
            return tuple(check_indicator(v) for v in value)
        return check_indicator(value)

    return click.argument("indicator", nargs=-1 if multiple else 1, required=True, callback=callback)
