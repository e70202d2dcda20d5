"""The code style is enforced by ruff (config in pyproject.toml), in the same test run."""

import shutil
import sys
from pathlib import Path

import offline
from conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    ruff = require_tool("ruff", shutil.which("ruff") or (Path(sys.executable).parent / "ruff"))
    res = offline.run([ruff, "check", "udsattestat", "tests", "benchmarks"], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
