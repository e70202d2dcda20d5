"""README.md and docs/build.md show the real output of the seed build; this keeps them in step.

The documented block is compared line by line with a fresh `udsattestat build
recipes/forandringskraft-2021.toml`. The only part that varies between runs is the
output directory (a temporary one here, `out/forandringskraft-2021` in the docs), so that
is the only thing replaced. After a deliberate change of data or recipe, regenerate both
blocks with:  python tests/test_build_docs.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:  # tests/ may or may not be a package
    from .recipe_helpers import seed_build
except ImportError:
    from recipe_helpers import seed_build  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "build.md"]
MARKER = "<!-- build-output: the real output of the seed build, kept in step by tests/test_build_docs.py -->"
COMMAND = "$ udsattestat build recipes/forandringskraft-2021.toml"
BLOCK = re.compile(re.escape(MARKER) + r"\n```\n(.*?)```", re.S)


def fresh_output() -> list[str]:
    out, res = seed_build()
    text = res.output.replace(str(out), "out/forandringskraft-2021")
    return [COMMAND, *text.rstrip("\n").split("\n")]


def documented(path: Path) -> list[str]:
    m = BLOCK.search(path.read_text(encoding="utf-8"))
    assert m, f"{path.name}: no build-output block after the marker {MARKER!r}"
    return m.group(1).rstrip("\n").split("\n")


def test_documented_build_output_is_the_real_output():
    real = fresh_output()
    for path in DOCS:
        doc = documented(path)
        assert doc == real, (
            f"{path.relative_to(ROOT)} shows a build output that is not the real one; "
            f"regenerate it with: python tests/test_build_docs.py"
        )


def _rewrite() -> None:
    block = "\n".join(fresh_output())
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        new, n = BLOCK.subn(lambda _m: f"{MARKER}\n```\n{block}\n```", text)
        if n != 1:
            sys.exit(f"{path}: expected one build-output block after the marker, found {n}")
        path.write_text(new, encoding="utf-8")
        print(f"updated {path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    _rewrite()
