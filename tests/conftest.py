"""Shared test fixtures. Tests never reach the network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def cli():
    from udsattestat.cli import main

    return main


@pytest.fixture
def datasets_copy(tmp_path, monkeypatch):
    """A writable copy of the bundled datasets, selected via $UDSATTESTAT_DATASETS_DIR."""
    target = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", target)
    monkeypatch.setenv("UDSATTESTAT_DATASETS_DIR", str(target))
    return target


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    # Never write into the developer's ./data during tests.
    monkeypatch.setenv("UDSATTESTAT_DATA_DIR", str(tmp_path / "data"))
