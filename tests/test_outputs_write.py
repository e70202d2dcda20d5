"""Outputs safe to write: standard output, links, FIFOs and devices, full disks, killed
runs' leftovers and two builds at once; every command-line value checked before work."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from recipe_helpers import HOMELESS_WHERE, claim, write

from udsattestat.atomic import atomic_path, atomic_write_text, sweep_leftovers, temp_name
from udsattestat.cli import main
from udsattestat.errors import OutputError

HOLDING = claim("over-6000", 'measure = "value"\nperiod = "2019"\ncheck = { op = ">", value = 6000 }',
                where=HOMELESS_WHERE)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# ------------------------------------------------------------------ standard output

def test_export_to_stdout_text_formats(tmp_path):
    res = CliRunner().invoke(main, ["export", "poverty", "--format", "json", "--out", "-"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["provenance"]["indicator"] == "poverty" and doc["data"]
    assert "rows" in res.stderr and "rows" not in res.stdout  # the summary keeps out of the data
    csv_out = CliRunner().invoke(main, ["export", "poverty", "--format", "csv", "--out", "-"])
    assert csv_out.exit_code == 0 and csv_out.stdout.startswith("indicator,period,")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args,message", [
    (["export", "poverty", "--out", "-"], "cannot tell the format of '-'; give --format"),
    (["export", "poverty", "--format", "xlsx", "--out", "-"], "xlsx is a binary format"),
    (["table", "poverty", "--out", "-"], "standard output) takes a text table: give --format md"),
    (["table", "poverty", "--format", "xlsx", "--out", "-"], "takes a text table"),
    (["chart", "poverty", "--out", "-"], "takes an SVG chart: give --format svg"),
    (["chart", "poverty", "--format", "png", "--out", "-"], "takes an SVG chart"),
])
def test_stdout_refused_where_the_format_does_not_allow_it(args, message):
    res = run(*args)
    assert res.exit_code == 1 and message in res.output and "Traceback" not in res.output


def test_table_to_stdout():
    res = CliRunner().invoke(main, ["table", "poverty", "--where", "age=TOT", "--where", "unit=persons",
                                    "--format", "md", "--out", "-"])
    assert res.exit_code == 0, res.output
    assert res.stdout.lstrip().startswith(("|", "#", "**")) and "table of poverty" in res.stderr


def test_chart_svg_to_stdout_is_the_file_s_bytes(tmp_path):
    args = ["chart", "homelessness", "--lang", "en"]
    res = CliRunner().invoke(main, [*args, "--format", "svg", "--out", "-"])
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("<?xml") and "homelessness" in res.stderr and "chart" not in res.stdout[-200:]
    res_file = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "h.svg")])
    assert res_file.exit_code == 0, res_file.output
    assert res.stdout_bytes == (tmp_path / "h.svg").read_bytes()  # deterministic: the same bytes either way
    assert [p.name for p in tmp_path.iterdir()] == ["h.svg"]


# ------------------------------------------------------------------ links, FIFOs, devices

def test_symlink_output_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "v3.csv"
    real.write_text("old")
    os.chmod(real, 0o640)
    link = tmp_path / "latest.csv"
    link.symlink_to(real.name)
    assert run("export", "poverty", "--out", link).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == "v3.csv"
    assert real.read_text().startswith("indicator,") and (real.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_dangling_symlink_output_is_refused(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "missing" / "x.csv")
    res = run("export", "poverty", "--out", link)
    assert res.exit_code == 1 and "is a symbolic link to" in res.output and "which does not exist" in res.output
    assert link.is_symlink()  # untouched


def test_fifo_output_is_written_through(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    res = run("export", "poverty", "--out", fifo)
    reader.join(10)
    assert res.exit_code == 0, res.output
    assert got and got[0].startswith(b"indicator,")
    assert fifo.is_fifo()  # never replaced by a file


def test_character_device_output_is_written_through():
    with atomic_path("/dev/null") as tmp:
        tmp.write_bytes(b"x" * 10)
    assert Path("/dev/null").is_char_device()


def test_socket_output_is_refused(tmp_path):
    import socket

    path = tmp_path / "s.csv"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    try:
        res = run("export", "poverty", "--out", path)
        assert res.exit_code == 1 and "socket or block device" in res.output
    finally:
        sock.close()


# ------------------------------------------------------------------ full disk

def _full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_chart_on_a_full_disk_is_one_line_and_keeps_the_old_file(tmp_path, monkeypatch, fmt):
    import matplotlib.figure

    out = tmp_path / f"c.{fmt}"
    out.write_bytes(b"previous")
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", _full)
    res = run("chart", "poverty", "--where", "unit=persons", "--out", out)
    assert res.exit_code == 1 and res.output.count("\n") == 1, res.output
    assert res.output.startswith(f"Error: cannot write '{out}': No space left on device")
    assert out.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "md"])
def test_export_on_a_full_disk_is_one_line(tmp_path, monkeypatch, fmt):
    out = tmp_path / f"p.{fmt}"
    out.write_bytes(b"previous")
    real_open = open

    def full_open(file, mode="r", *args, **kwargs):
        if ".part" in str(file) and ("w" in mode or "a" in mode or "+" in mode):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(file, mode, *args, **kwargs)

    import builtins

    import polars as pl

    monkeypatch.setattr(builtins, "open", full_open)
    monkeypatch.setattr(pl.DataFrame, "write_csv", _full)
    monkeypatch.setattr(Path, "write_bytes", _full)
    res = run("export", "poverty", "--out", out)
    assert res.exit_code == 1 and "No space left on device" in res.output and res.output.count("\n") == 1
    assert out.read_bytes() == b"previous"


def test_polars_style_disk_full_is_recognised(tmp_path):
    target = tmp_path / "x.csv"
    with pytest.raises(OutputError, match="No space left on device"):
        with atomic_path(target):
            raise RuntimeError("I/O error: No space left on device (os error 28)")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ leftovers and locks

def test_leftovers_of_a_killed_run_are_swept_by_the_next(tmp_path):
    pid = dead_pid()
    stale = tmp_path / f".p.csv.{pid}.abc123.part"
    stale.write_text("half")
    building = tmp_path / f".out.{pid}.xyz.building"
    building.mkdir()
    (building / "index.html").write_text("half")
    mine = tmp_path / f"{temp_name('p.csv')}live.part"  # a live writer's file is kept
    mine.write_text("in progress")
    unrelated = tmp_path / ".hidden.part"
    unrelated.write_text("not ours")
    atomic_write_text(tmp_path / "p.csv", "x")
    assert not stale.exists() and building.exists()  # only p.csv's leftovers beside p.csv
    assert sweep_leftovers(tmp_path) == [building.name]
    assert mine.exists() and unrelated.exists()


def test_killed_build_leftovers_are_swept_by_the_next_build(tmp_path):
    recipe = write(tmp_path, HOLDING)
    pid = dead_pid()
    (tmp_path / f".out.{pid}.q1w2e3.building").mkdir()
    (tmp_path / f".out.{pid}.q1w2e3.old").mkdir()
    assert run("build", recipe, "--out", tmp_path / "out").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_two_builds_into_one_folder_cannot_interleave(tmp_path):
    from udsattestat.recipes.build import build_lock

    recipe = write(tmp_path, HOLDING)
    out = tmp_path / "out"
    with build_lock(out):  # as if another build were running
        res = run("build", recipe, "--out", out)
        assert res.exit_code == 1 and f"another build is writing '{out}' (process {os.getpid()})" in res.output
        assert not out.exists()
    assert run("build", recipe, "--out", out).exit_code == 0  # the lock ends with its holder
    assert not (tmp_path / ".out.lock").exists()


def test_lock_held_by_a_killed_process_does_not_block(tmp_path):
    recipe = write(tmp_path, HOLDING)
    (tmp_path / ".out.lock").write_text(f"{dead_pid()}\n")  # left by a kill -9
    assert run("build", recipe, "--out", tmp_path / "out").exit_code == 0


# ------------------------------------------------------------------ command-line values

@pytest.mark.parametrize("size", ["nanxnan", "infx4", "6xnan", "1e999x4", "-6x4", "6x", "x", "6x4x2", "0x0",
                                  "６x４", "nanxnancm"])
def test_chart_size_is_checked_before_drawing(tmp_path, size):
    res = run("chart", "poverty", "--size", size, "--out", tmp_path / "c.svg")
    assert res.exit_code == 2 and "--size" in res.output and "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []


def test_export_checks_the_output_before_reading_data(tmp_path, monkeypatch):
    import udsattestat.api

    def boom(*a, **k):
        raise AssertionError("data read before the output was checked")

    monkeypatch.setattr(udsattestat.api, "load_with_provenance", boom)
    res = run("export", "poverty", "--out", tmp_path / "missing" / "p.csv")
    assert res.exit_code == 1 and "does not exist; create it first" in res.output


@pytest.mark.parametrize("args", [["--since", "２０１５"], ["--until", "2015M13"], ["--since", "nan"]])
def test_period_bounds_are_checked_when_the_command_line_is_read(tmp_path, args):
    res = run("table", "poverty", *args, "--out", tmp_path / "t.md")
    assert res.exit_code == 2 and "cannot read time code" in res.output and "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_refuses_new_files_is_one_line(tmp_path, monkeypatch):
    """A pseudo-filesystem (/proc) lets the permission check pass but refuses the temporary
    file with ENOENT: that is a clear error, not a traceback."""
    import errno

    from udsattestat import atomic

    def refuse(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    res = run("table", "poverty", "--out", str(tmp_path / "t.md"))
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.startswith(f"Error: cannot write '{tmp_path / 't.md'}': No such file or directory")
    assert list(tmp_path.iterdir()) == []


def test_build_lock_on_a_full_disk_is_one_line(tmp_path, monkeypatch):
    """The lock records its holder's pid before anything is built: ENOSPC there is the same
    one-line error as everywhere else, the lock is released and the previous build kept."""
    from recipe_helpers import HOMELESS_WHERE, write

    recipe = write(tmp_path, f'\n[[figure]]\nname = "n"\nkind = "timeseries"\nindicator = "homelessness"\n'
                             f'{HOMELESS_WHERE}\n')
    out = tmp_path / "site"
    assert run("build", recipe, "--out", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(os, "pwrite", _full)
    res = run("build", recipe, "--out", out)
    assert res.exit_code == 1 and res.output.count("\n") == 1, res.output
    assert res.output.startswith(f"Error: cannot write the build lock '{tmp_path / '.site.lock'}': "
                                 "No space left on device; the previous build is unchanged")
    assert "Traceback" not in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml", "site"]  # no lock, no .building left
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    monkeypatch.undo()
    assert run("build", recipe, "--out", out).exit_code == 0  # the lock is free again


def test_a_full_disk_anywhere_is_one_line(monkeypatch):
    """The net under every command: a full disk that escaped a write's own message."""
    import importlib

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "/cache/catalog/x.json")

    # the module (udsattestat.catalog, the attribute, is the API function of that name)
    monkeypatch.setattr(importlib.import_module("udsattestat.catalog"), "locate", full)
    res = run("list")
    assert res.exit_code == 1 and res.output == ("Error: No space left on device writing '/cache/catalog/x.json'; "
                                                 "free some space and run the command again\n")
