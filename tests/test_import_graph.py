"""The import graph the issue asks for: the layers and the no-cycles rule declared in
pyproject.toml ([tool.importlinter], imports inside functions included), presentation reads
only what travels with the data, and no hidden dynamic dispatch (only the two declared lazy
loaders use importlib)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "udsattestat"
#: Modules that draw, tabulate or publish data: they may not read datasets/.
PRESENTATION = [*sorted((PKG / "charts").glob("*.py")), PKG / "tables.py", PKG / "export.py",
                PKG / "presentation.py", PKG / "recipes" / "html.py"]
DATASET_READERS = {"read_meta", "load_bundled", "datasets_dir", "dataset_folder", "read_rows", "bundled_meta"}


def _imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names |= {a.name for a in node.names}
            if node.module and node.module.split(".")[-1] in ("bundle", "catalog"):
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def test_import_contracts_hold():
    """No cycle, and no import running back up the declared layers (see pyproject.toml)."""
    # import-linter's own command, in a child process: it changes sys.path and logging.
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports('pyproject.toml', no_cache=True, no_logo=True))")
    run = subprocess.run([sys.executable, "-c", code], cwd=PKG.parent, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout and "5 kept" in run.stdout, run.stdout


def test_presentation_never_reads_datasets():
    for path in PRESENTATION:
        if not path.exists():
            continue
        names = _imported_names(path)
        bad = sorted(names & DATASET_READERS) + sorted(n for n in names if n.endswith(("bundle", "catalog")))
        assert not bad, f"{path.relative_to(PKG)} imports {bad}: presentation must read the provenance"


def test_tables_do_not_import_chart_kinds():
    text = (PKG / "tables.py").read_text("utf-8")
    assert "from .charts" not in text and "import charts" not in text


def test_importlib_dispatch_only_where_declared():
    users = sorted(str(p.relative_to(PKG)) for p in PKG.rglob("*.py") if "import_module(" in p.read_text("utf-8"))
    # cli/__init__: the COMMANDS table loads a command's module when it runs;
    # charts/__init__: a kind discovered from its module file is loaded when drawn.
    assert users == ["charts/__init__.py", "cli/__init__.py"]
    live = (PKG / "live.py").read_text("utf-8") + (PKG / "providers.py").read_text("utf-8")
    assert "importlib" not in live


def test_no_indicator_id_in_provider_code():
    ids = [p.name for p in (PKG.parent / "datasets").iterdir() if (p / "dataset.toml").is_file()]
    for path in [*(PKG / "statbank").rglob("*.py"), *(PKG / "eurostat").rglob("*.py"), PKG / "live.py",
                 PKG / "providers.py"]:
        text = path.read_text("utf-8")
        for ind in ids:
            assert f'"{ind}"' not in text and f"'{ind}'" not in text, f"{path.name} names indicator {ind!r}"


def test_presentation_names_no_indicator_dimension_or_unit():
    """Charts and tables read dimensions, units and labels from what travels with the data:
    no dataset id, and no dimension or unit code that only a dataset declares, in their code."""
    import tomllib

    ids, dims, units = set(), set(), set()
    for toml in (PKG.parent / "datasets").glob("*/dataset.toml"):
        meta = tomllib.loads(toml.read_text("utf-8"))
        ids.add(meta["id"])
        dims.update(meta.get("dimensions", {}))
        units.update(meta.get("units", {}))
    # codes the schema itself knows (every tidy frame has geo; per cents are formatted alike)
    shared = {"geo", "percent"}
    for path in [*(PKG / "charts").glob("*.py"), PKG / "tables.py"]:
        text = path.read_text("utf-8")
        for name in sorted((ids | dims | units) - shared):
            assert f'"{name}"' not in text and f"'{name}'" not in text, f"{path.name} names {name!r}"
