"""One CLI contract (docs/cli.md): every --json output names its schema, each schema is
published under docs/schemas/ and checked by the tests that read the output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from jsonschemas import SCHEMAS, schema

from udsattestat.jsondocs import VERSIONS, schema_id
from udsattestat.verdicts import VERDICTS

ROOT = Path(__file__).resolve().parent.parent


def test_every_document_has_its_published_schema():
    assert sorted(p.name for p in SCHEMAS.glob("*.schema.json")) == sorted(f"{n}.schema.json" for n in VERSIONS)
    for name in VERSIONS:
        s = schema(name)
        jsonschema.Draft202012Validator.check_schema(s)
        assert s["title"] == schema_id(name) == s["properties"]["schema"]["const"]
        assert "schema" in s["required"]


def test_every_json_option_has_a_schema_and_a_test_reading_it():
    cli = "".join(p.read_text("utf-8") for p in (ROOT / "udsattestat" / "cli").glob("*.py"))
    # each --json command prints one document; verify --json prints claims.json's, and build
    # --json the build's or, given a folder of recipes, the folder's (build-folder)
    assert cli.count("@json_option(") == len(VERSIONS) - 1
    tests = "".join(p.read_text("utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    unread = [n for n in VERSIONS if f'checked("{n}"' not in tests]
    assert not unread, f"no test checks these outputs against their schema: {unread}"


def test_verdicts_in_the_schemas_are_the_verdicts():
    assert schema("claims")["properties"]["verdicts"]["required"] == list(VERDICTS)
    claim = schema("claims")["properties"]["claims"]["items"]
    assert claim["properties"]["verdict"]["enum"] == list(VERDICTS)


def test_the_schema_ids_in_docs_are_the_real_ones():
    doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    shown = set(re.findall(r"`(udsattestat/[a-z-]+/\d+)`", doc))
    assert shown == {schema_id(n) for n in VERSIONS}


def test_schema_files_are_valid_json_text():
    for path in SCHEMAS.glob("*.schema.json"):
        assert json.loads(path.read_text("utf-8"))


def test_the_exit_code_table_in_docs_is_the_one_the_code_uses():
    from udsattestat.exits import MEANINGS

    doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", doc, re.M))
    assert {int(k): v for k, v in rows.items()} == MEANINGS


def test_every_error_exits_with_a_code_of_the_table():
    import importlib
    import pkgutil

    import udsattestat
    from udsattestat.errors import UdsatError
    from udsattestat.exits import MEANINGS

    for info in pkgutil.walk_packages(udsattestat.__path__, "udsattestat."):
        if info.name != "udsattestat.__main__":
            importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    codes = {cls.__name__: cls.exit_code for cls in [UdsatError, *subclasses(UdsatError)]}
    assert len(codes) > 10 and all(code in MEANINGS and code not in (0, 4, 130) for code in codes.values()), codes
