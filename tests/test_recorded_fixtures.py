"""The recorded fixtures are exactly the published bytes their README says they are."""

from __future__ import annotations

import hashlib
import re

from recordings import RECORDED

README = RECORDED / "README.md"


def listed() -> dict[str, str]:
    """``file → sha256`` from the README's tables (first column a path, second its sha256)."""
    rows = re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|", README.read_text("utf-8"), flags=re.M)
    return dict(rows)


def test_every_recorded_file_is_listed_with_its_sha256():
    files = {p.relative_to(RECORDED).as_posix() for p in RECORDED.rglob("*") if p.is_file() and p != README}
    table = listed()
    assert files == set(table), f"not in the README: {sorted(files - set(table))}; missing: {sorted(set(table) - files)}"
    for name, digest in table.items():
        assert hashlib.sha256((RECORDED / name).read_bytes()).hexdigest() == digest, f"{name} is not the recorded bytes"
