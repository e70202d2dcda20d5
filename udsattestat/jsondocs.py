"""The JSON documents udsattestat prints (``--json``) and writes (``claims.json``).

Each is an object whose ``"schema"`` names its shape, ``udsattestat/<name>/<version>``, and
whose JSON Schema is published as ``docs/schemas/<name>.schema.json`` (docs/cli.md). A
script reading one can check the name and version before it trusts a key.
"""

from __future__ import annotations

import json
from typing import Any

#: document name -> the version of its shape. A new optional key keeps the version; a key
#: that changes meaning or goes away is a new version (and a new schema file).
VERSIONS = {
    "list": 1,
    "show": 1,
    "dataset-check": 1,
    "cache-list": 1,
    "statbank-search": 1,
    "statbank-info": 1,
    "eurostat-search": 1,
    "eurostat-info": 1,
    "build": 1,
    "build-folder": 1,  # `build FOLDER --json`: each recipe's build and the index page
    "claims": 1,  # `verify --json` and a build's claims.json
    "diff": 1,
    "claims-scan": 1,
}


def schema_id(name: str) -> str:
    """``udsattestat/<name>/<version>``, the value of a document's ``"schema"`` key."""
    return f"udsattestat/{name}/{VERSIONS[name]}"


def document(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with its ``"schema"`` first."""
    return {"schema": schema_id(name), **body}


def dumps(name: str, body: dict[str, Any]) -> str:
    """The document as the CLI prints it: UTF-8 text, indented, ending in a newline."""
    return json.dumps(document(name, body), ensure_ascii=False, indent=2) + "\n"
