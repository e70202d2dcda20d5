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
