"""The download progress bar: shown on a terminal only, never with --quiet or in a pipe."""

from __future__ import annotations

import io

from udsattestat.net.progress import download_progress


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_nothing_when_not_a_tty():
    stream = io.StringIO()
    with download_progress("X", stream=stream) as (on_bytes, on_rows):
        on_bytes(10, 100)
        on_rows(5)
    assert stream.getvalue() == ""


def test_nothing_with_quiet_even_on_a_tty():
    stream = FakeTTY()
    with download_progress("X", quiet=True, stream=stream) as (on_bytes, on_rows):
        on_bytes(10, 100)
    assert stream.getvalue() == ""


def test_bar_on_a_tty():
    stream = FakeTTY()
    with download_progress("FOLK1A (BULK)", stream=stream) as (on_bytes, on_rows):
        on_bytes(512, 1024)
        on_rows(1234)
    assert "FOLK1A (BULK)" in stream.getvalue()
