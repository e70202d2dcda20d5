"""The ``udsattestat`` command line.

Commands live in small modules grouped by topic and are imported only when run, so
``udsattestat --help`` never imports polars, pandas, pyarrow or matplotlib.
"""

from __future__ import annotations

import errno
import importlib
import sys

import click

from .._version import __version__
from ..errors import UdsatError
from ..exits import ERROR, INTERRUPTED

#: command name -> "module:attribute", imported on first use.
COMMANDS = {
    "list": "udsattestat.cli.core:list_cmd",
    "info": "udsattestat.cli.core:info_cmd",
    "fetch": "udsattestat.cli.core:fetch_cmd",
    "show": "udsattestat.cli.core:show_cmd",
    "export": "udsattestat.cli.core:export_cmd",
    "statbank": "udsattestat.cli.statbank:statbank_group",
    "eurostat": "udsattestat.cli.eurostat:eurostat_group",
    "chart": "udsattestat.cli.charts:chart_cmd",
    "table": "udsattestat.cli.charts:table_cmd",
    "build": "udsattestat.cli.recipes:build_cmd",
    "verify": "udsattestat.cli.recipes:verify_cmd",
    "recipe": "udsattestat.cli.recipes:recipe_group",
    "claims": "udsattestat.cli.claims:claims_group",
    "dataset": "udsattestat.cli.datasets:dataset_group",
    "cache": "udsattestat.cli.cache:cache_group",
    "diff": "udsattestat.cli.workflow:diff_cmd",
    "update": "udsattestat.cli.workflow:update_cmd",
}

def summary(name: str) -> str:
    """A command's one-line summary: the first paragraph of its docstring, read from its
    module's source text, so ``--help`` imports no command module (parsing them with ``ast``
    took half a second) and the text is written once, in the docstring."""
    import importlib.util
    import re

    module, _, attr = COMMANDS[name].partition(":")
    spec = importlib.util.find_spec(module)
    with open(spec.origin, encoding="utf-8") as fh:
        source = fh.read()
    found = re.search(rf'^def {re.escape(attr)}\(.*?\):\n\s*"""(.*?)(?:\n\s*\n|""")', source, re.S | re.M)
    return " ".join(found.group(1).split()) if found else ""


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx, formatter):
        rows = [(name, summary(name)) for name in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        # Library errors are a user's to act on: one line, no traceback, a non-zero code.
        # Library warnings (e.g. a plain-http base URL) likewise: one line, no source location.
        import warnings

        def one_line(message, category, *args, **kwargs):
            click.echo(f"Warning: {message}", err=True)

        warnings.showwarning = one_line
        # the command line as given (click empties these when it dispatches), for a hint
        given = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        try:
            return super().invoke(ctx)
        except UdsatError as exc:
            click.echo(f"Error: {run_again(ctx, given, exc) or exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            # Every write says which file a full disk stopped; this is the net under them all.
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            where = f" writing {exc.filename!r}" if exc.filename else ""
            click.echo(f"Error: {exc.strerror}{where}; free some space and run the command again", err=True)
            ctx.exit(ERROR)
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing was left half-written.", err=True)
            ctx.exit(INTERRUPTED)


def run_again(ctx, given: list[str], exc: UdsatError) -> str:
    """For a live-only dataset read without --live: the error naming this same command line
    with --live (a hint that works, whatever the command); "" for any other error."""
    from ..errors import LiveOnlyError

    if not isinstance(exc, LiveOnlyError) or not given:
        return ""
    import shlex

    options = [part for folder in ctx.params.get("datasets") or () for part in ("--datasets", folder)]
    again = shlex.join(["udsattestat", *options, *given, "--live"])
    return str(LiveOnlyError(exc.indicator, exc.source, f"{again} (add --offline to replay the last live read "
                                                        "without the network)"))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="udsattestat")
@click.option("--datasets", "datasets", multiple=True, metavar="DIR", type=click.Path(file_okay=False),
              help="A folder of your own dataset folders, searched before the bundle; repeatable "
                   "[default: $UDSATTESTAT_DATASETS_PATH, else ./datasets if there is one].")
def main(datasets):
    """Danish social-policy statistics with their sources: homelessness, poverty,
    drug-related deaths and the ways of counting socially vulnerable people.

    Everything works offline on the bundled data; live fetching is asked for with --live
    or the statbank/eurostat commands.

    Example:


    \b
        udsattestat list
        udsattestat fetch homelessness
        udsattestat --datasets ~/my-datasets list
    """
    from ..searchpath import choose

    choose(datasets or None)  # every run sets it: nothing carries over between runs in one process


def run():  # console-script entry point
    sys.exit(main())
