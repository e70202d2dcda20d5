"""What build and verify print: a summary a reader takes in at a glance, in the output's
language — the counts by verdict, then each claim that fails, was revised or is undecided
on one line (quote, page, what the data say), then where the page and claims.md are.
``--verbose`` lists every claim. On a terminal the lines fit its width (rich cuts a quote
with '…'); piped, nothing is cut. Progress goes to standard error, on a terminal only.
"""

from __future__ import annotations

import contextlib

import click

from ..presentation import TERMINAL_WORDS as WORDS
from ..recipes.readable import FIRST, in_order, reason
from ..verdicts import AGREE, DISAGREE, FAILS, HOLDS, NO_DATA, NOT_COMPARABLE, REVISED, UNDECIDED
from .plain import is_terminal, rich_text

STYLES = {HOLDS: "green", FAILS: "bold red", DISAGREE: "bold red", REVISED: "blue", UNDECIDED: "magenta",
          NO_DATA: "dim", NOT_COMPARABLE: "yellow", AGREE: "green"}
def count_line(results, lang: str) -> str:
    """ "17 holder, 2 holder ikke, 2 ændret ved revision, …" — every verdict, always; then the
    report's figures against each other, counted apart, when the recipe has such checks."""
    from ..recipes.claims import CONSISTENCY_VERDICTS, VERDICTS, consistency_tally, tally

    w = WORDS[lang]
    n = tally(results)
    line = ", ".join(f"{n[v]} {w['verdicts'][v]}" for v in VERDICTS) + "."
    agree = consistency_tally(results)
    if any(agree.values()):
        line += " " + w["consistency"].format(counts=", ".join(f"{agree[v]} {w['verdicts'][v]}"
                                                               for v in CONSISTENCY_VERDICTS))
    return line


def margin_words(r, lang: str) -> str:
    """"; margin 52 steps of 1 (2009 lower → fails)" and, for a change, what the neighbouring
    published periods say: every decided verdict shows how far it is from changing."""
    from ..recipes.claims import margin_text, neighbours_text

    d = r.deciding
    if d is None or r.verdict == "not comparable":
        return ""
    text = f"; {margin_text(d, lang)}"
    return text + (f"; {neighbours_text(r.claim, d, lang)}" if d.neighbours else "")


def claim_lines(results, lang: str, verbose: bool):
    """The claims a reader must see (all with ``verbose``), one rich line each: verdict,
    page, the quote and what the data say. On a terminal each line fits its width: a long
    quote is shortened first, so the reason stays in view, then the line is cut with '…'."""
    import shutil

    from rich.text import Text

    w = WORDS[lang]
    shown = in_order(results if verbose else [r for r in results if r.verdict in FIRST])
    # one claim's verdict ("holds"), where the count line says "18 hold"
    one = {**w["verdicts"], **w.get("verdict_one", {})}
    labels = [one.get(r.verdict, r.verdict) + (f" ({w['later']})" if r.on_later_data else "") for r in shown]
    pages = [f"{w['page_abbr']} {r.claim.page}" for r in shown]
    lw, pw = max((len(x) for x in labels), default=0), max((len(x) for x in pages), default=0)
    width = shutil.get_terminal_size((80, 24)).columns - 1 if is_terminal() else None
    room = width - (2 + lw + 1 + pw + 1) if width else None
    lines = []
    for r, label, page in zip(shown, labels, pages, strict=True):
        quote = " ".join(r.claim.quote.split())
        why = reason(r, lang) + margin_words(r, lang)
        if room is not None and why and len(quote) + len(why) + 5 > room:
            keep = max(room // 3, room - len(why) - 5)
            quote = quote if len(quote) <= keep else quote[:max(keep - 1, 8)].rstrip() + "…"
        line = Text("  ")
        line.append(label.ljust(lw), style=STYLES.get(r.verdict, ""))
        line.append(f" {page.ljust(pw)} “{quote}”" + (f" — {why}" if why else ""))
        if width:
            line.truncate(width, overflow="ellipsis")
        lines.append(line)
    return lines, len(results) - len(shown)


def echo_claims(results, lang: str, verbose: bool = False) -> None:
    from ..presentation import date_text

    w = WORDS[lang]
    if not results:
        click.echo(w["no_claims"])
        return
    as_of = results[0].as_of_date
    click.echo(w["claims"].format(as_of=date_text(as_of, lang)) if as_of else w["claims_undated"])
    click.echo("  " + count_line(results, lang))
    lines, hidden = claim_lines(results, lang, verbose)
    for line in lines:
        click.echo(rich_text(line))
    if hidden and not verbose:
        click.echo("  " + w["more_one" if hidden == 1 else "more"].format(n=hidden))


def echo_build(result, lang: str, verbose: bool = False, live: bool = False) -> None:
    w = WORDS[lang]
    recipe = result.recipe
    if result.changed:
        fig_formats = ", ".join(dict.fromkeys([*(f for fig in recipe.figures for f in fig.formats), "csv"]))
        tab_formats = ", ".join(dict.fromkeys(f for tab in recipe.tables for f in tab.formats)) or w["none"]
        click.echo(w["built"].format(out=result.out_dir, figures=result.figures, fig_formats=fig_formats,
                                     tables=result.tables, tab_formats=tab_formats, claims=len(result.results),
                                     files=len(result.files)))
    else:
        click.echo(w["unchanged"].format(out=result.out_dir, files=len(result.files)))
    if result.reused:
        click.echo(w["reused"].format(drawn=", ".join(result.drawn) or w["none"], reused=len(result.reused),
                                      total=len(result.drawn) + len(result.reused)))
    if live:
        click.echo(w["live"].format(live=", ".join(result.live) or w["none"],
                                    bundled=", ".join(result.bundled) or w["none"]))
    echo_claims(result.results, lang, verbose)
    if result.coverage is not None:
        from ..recipes.coverage import coverage_line

        click.echo(coverage_line(result.coverage, lang))
    click.echo(w["page"].format(path=result.out_dir / "index.html"))
    if result.results:
        click.echo(w["claims_md"].format(path=result.out_dir / "claims.md"))


@contextlib.contextmanager
def progress(lang: str, quiet: bool):
    """A ``progress(what, name, done, total)`` for :func:`udsattestat.recipes.build`: a line
    on standard error that rewrites itself, on a terminal and unless ``quiet``; else None."""
    import sys

    if quiet or not _stderr_is_terminal():
        yield None
        return
    from rich.console import Console  # imported only when progress is shown: start-up time

    console = Console(file=sys.stderr, highlight=False)
    w = WORDS[lang]
    with console.status("") as status:
        def update(what, name, done, total):
            status.update(f"{w[what]} {done + 1}/{total}: {name}")

        yield update


def _stderr_is_terminal() -> bool:
    import sys

    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


__all__ = ["count_line", "echo_build", "echo_claims", "is_terminal", "progress"]
