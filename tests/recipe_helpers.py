"""Small recipes written into tmp dirs by the recipe tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

REPORT = """
[report]
title = "Test report"
publisher = "Test"
date = "2021-11"
"""

HOMELESS_WHERE = 'where = { geo = "DK", population = "COUNTED", situation = "TOT", age = "TOT" }'
DRUG_WHERE = 'where = { register = "POLICE", cause = "TOT", unit = "deaths" }'


def write(tmp_path: Path, body: str, *, report: str = REPORT, name: str = "r.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(report) + textwrap.dedent(body), encoding="utf-8")
    return path


def claim(cid: str, body: str, indicator: str = "homelessness", where: str = HOMELESS_WHERE) -> str:
    return f"""
[[claim]]
id = "{cid}"
quote = "a sentence"
page = 7
indicator = "{indicator}"
{where}
{textwrap.dedent(body).strip()}
"""


_SEED_BUILD: dict = {}


def seed_build(lang: str | None = None):
    """The seed recipe built once per test session and language (it is the slowest build):
    (out, result). ``lang`` None: the recipe's own language (Danish).

    Tests only read it. Built with the default --fail-on (fails,undecided): it exits 3 while a claim fails or is undecided.
    """
    if lang not in _SEED_BUILD:
        import atexit
        import shutil
        import tempfile

        from click.testing import CliRunner

        from udsattestat.cli import main

        root = Path(tempfile.mkdtemp(prefix="udsattestat-seed-"))
        atexit.register(shutil.rmtree, root, True)
        out = root / "forandringskraft-2021"
        seed = Path(__file__).resolve().parent.parent / "recipes" / "forandringskraft-2021.toml"
        args = ["build", str(seed), "--out", str(out), *(["--lang", lang] if lang else [])]
        _SEED_BUILD[lang] = (out, CliRunner().invoke(main, args))
    return _SEED_BUILD[lang]
