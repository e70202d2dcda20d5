"""Every command explains itself: a help text with an example, and a section in docs/."""

from pathlib import Path

import pytest

from udsattestat.cli import COMMANDS, summary

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help_with_example(runner, cli, name):
    res = runner.invoke(cli, [name, "--help"])
    assert res.exit_code == 0, res.output
    assert "Example" in res.output, f"'udsattestat {name} --help' has no Example block"
    assert summary(name), f"{name} has no docstring (its one-line summary in --help)"
    assert summary(name) in " ".join(res.output.split()), "the summary is the docstring's first paragraph"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_docs_section(name):
    pages = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    assert f"udsattestat {name}" in pages, f"no docs/ page documents 'udsattestat {name}'"


def test_top_level_help_lists_every_command(runner, cli):
    res = runner.invoke(cli, ["--help"])
    for name in COMMANDS:
        assert name in res.output


def _all_commands(cli):
    import click

    out = []
    stack = [((), cli)]
    while stack:
        path, cmd = stack.pop()
        out.append(path)
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                stack.append((path + (name,), cmd.get_command(ctx, name)))
    return out


def test_every_subcommand_has_docs(cli):
    """statbank search, cache verify, recipe list …: each command path is documented too."""
    pages = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    for path in _all_commands(cli):
        if path:
            assert f"udsattestat {' '.join(path)}" in pages, f"no docs/ page documents 'udsattestat {' '.join(path)}'"


def test_index_links_a_page_for_every_command():
    """docs/index.md links each command to its page, and that page documents it."""
    import re

    index = (DOCS / "index.md").read_text(encoding="utf-8")
    links = {}
    for text, target in re.findall(r"\[([^\]]+)\]\(([\w-]+\.md)\)", index):
        for word in re.split(r"[,\s]+", text):
            links.setdefault(word, target)
    for name in COMMANDS:
        assert name in links, f"docs/index.md links no page for the command {name!r}"
        page = (DOCS / links[name]).read_text(encoding="utf-8")
        assert f"udsattestat {name}" in page, f"docs/{links[name]} (linked for {name!r}) does not document it"


def test_help_examples_parse(runner, cli):
    """Every example line of every --help parses: its command and options exist, its values
    have the right type (the docs' examples are checked the same way, tests/test_docs_examples.py)."""
    import shlex

    import click
    from test_docs_examples import parse

    examples = 0
    for path in _all_commands(cli):
        res = runner.invoke(cli, [*path, "--help"])
        for line in res.output.splitlines():
            if line.strip().startswith("udsattestat "):
                examples += 1
                try:
                    parse(shlex.split(line, comments=True)[1:])
                except click.UsageError as exc:
                    raise AssertionError(f"{' '.join(path)} --help: {line.strip()!r}: {exc.format_message()}") from exc
    assert examples >= len(COMMANDS)


def test_examples_are_not_reflowed(runner, cli):
    # click rewraps paragraphs; an Example block must keep one command per line (\b).
    for path in _all_commands(cli):
        res = runner.invoke(cli, [*path, "--help"])
        for line in res.output.splitlines():
            assert line.count("udsattestat ") <= 1, f"{' '.join(path)} --help joins examples: {line!r}"


def test_every_chart_kind_has_docs():
    from udsattestat.charts import KINDS

    page = (DOCS / "chart.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"| `{kind}` |" in page, f"docs/chart.md has no row for chart kind {kind!r}"


def test_every_dataset_has_docs():
    from udsattestat.catalog import indicator_ids

    page = (DOCS / "datasets.md").read_text(encoding="utf-8")
    for ind in indicator_ids():
        assert f"| `{ind}` |" in page, f"docs/datasets.md has no row for dataset {ind!r}"


def test_shared_options_are_defined_once():
    """--json, --out, --live, --offline, --refresh, --since, --until, --where, --lang,
    --data-dir, --vintage and --quiet are defined in cli/options.py only."""
    import re

    shared = ("--json", "--out", "--live", "--offline", "--refresh", "--since", "--until", "--where", "--lang",
              "--data-dir", "--vintage", "--quiet")
    cli_dir = Path(__file__).resolve().parent.parent / "udsattestat" / "cli"
    for path in cli_dir.glob("*.py"):
        if path.name == "options.py":
            continue
        text = path.read_text(encoding="utf-8")
        for opt in shared:
            found = re.findall(rf'click\.option\(\s*"{opt}"', text)
            assert not found, f"{path.name} defines {opt} itself; use the one in cli/options.py"
