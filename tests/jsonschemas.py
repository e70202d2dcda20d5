"""Every ``--json`` output read through its published JSON Schema (docs/schemas/, docs/cli.md):
the tests that read an output check it against the schema a script would rely on."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

SCHEMAS = Path(__file__).resolve().parent.parent / "docs" / "schemas"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))


def checked(name: str, text: str) -> dict:
    """The document in ``text``, after checking it against docs/schemas/<name>.schema.json."""
    doc = json.loads(text)
    jsonschema.Draft202012Validator(schema(name)).validate(doc)
    return doc
