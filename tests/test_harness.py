"""The test suite's own machinery, tested: what a green run is allowed to skip, and the
floors that make a property test prove it reached its parser.
"""

from __future__ import annotations

import _socket
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import offline
import pytest
from conftest import NetworkBlocked, missing, require_tool
from hypothesis import strategies as st
from reach import QUICK, explore, half_and_half, require

ROOT = Path(__file__).resolve().parent.parent


# -- tools a test drives: skip locally, fail under CI=true ---------------------------------


@pytest.mark.parametrize("ci", ["true", "TRUE", "1"])
def test_a_missing_tool_fails_under_ci(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=r"no pdftoppm binary .*poppler-utils.*CI=true"):
        require_tool("pdftoppm", None)


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_a_missing_tool_skips_locally_saying_how_to_install_it(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match=r"no chromium binary \(install it: apt-get .*install -y chromium\)"):
        require_tool("chromium", None)
    with pytest.raises(pytest.skip.Exception):
        require_tool("chromium", "/nonexistent/chromium")


def test_a_tool_that_exists_is_returned(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    program = tmp_path / "pdftoppm"
    program.write_text("")
    assert require_tool("pdftoppm", program) == str(program)


def _run_ci_script_until_apt(tmp_path, apt_get: str) -> subprocess.CompletedProcess:
    """.ci/run with a PATH holding no chromium and the given apt-get, stopped before pip."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in {"apt-get": apt_get, "dirname": 'echo "$(/usr/bin/dirname "$@")"',
                       # stand-ins that end the script where the real one would start installing
                       "python3": "echo python3-reached; exit 3"}.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    return subprocess.run(["/bin/bash", str(ROOT / ".ci" / "run")], env={"PATH": str(bin_dir)},
                          capture_output=True, text=True, timeout=60)


def test_ci_stops_when_the_browser_cannot_be_installed(tmp_path):
    res = _run_ci_script_until_apt(tmp_path, 'echo "E: Unable to locate package chromium" >&2; exit 100')
    assert res.returncode != 0, res.stdout + res.stderr
    assert "python3-reached" not in res.stdout  # the tests never ran, so CI cannot go green
    assert "Unable to locate package chromium" in res.stderr


def test_ci_runs_the_tests_once_the_install_succeeds(tmp_path):
    res = _run_ci_script_until_apt(tmp_path, "exit 0")
    assert "python3-reached" in res.stdout, res.stdout + res.stderr


def test_ci_sets_ci_true_for_the_suite():
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "export CI=true" in script
    assert "|| echo" not in script  # no failure turned into a note


# -- property tests prove they reach their target -----------------------------------------


def test_require_fails_a_property_that_never_reaches_its_parser():
    # The defect of #24: every example refused at the header, so the checks after the
    # parse never ran. The floor turns that into a failure.
    seen = explore(st.integers(), check=lambda n: "refused at the header")
    assert seen == Counter({"refused at the header": sum(seen.values())})
    with pytest.raises(AssertionError, match="did not reach its target"):
        require(seen, parsed=0.1)


def test_require_counts_shares_of_the_examples_run():
    require(Counter(parsed=30, refused=70), parsed=0.3, refused=0.7)
    with pytest.raises(AssertionError, match=r"'parsed': 29"):
        require(Counter(parsed=29, refused=71), parsed=0.3)
    with pytest.raises(AssertionError, match="ran no examples"):
        require(Counter(), parsed=0.1)


def test_explore_fails_on_a_failed_check_and_on_a_check_that_says_nothing():
    def check(n):
        assert n < 10
        return "ok"

    with pytest.raises(AssertionError):
        explore(st.integers(0, 100), check=check)
    with pytest.raises(AssertionError, match="must say what happened"):
        explore(st.integers(), check=lambda n: None)


def test_half_and_half_gives_each_side_about_half():
    three_ways = st.one_of(st.integers().map(lambda _: "a"), st.text().map(lambda _: "b"),
                           st.floats().map(lambda _: "c"))
    seen = explore(half_and_half(three_ways, st.integers().map(lambda _: "d")), check=lambda x: x[0], budget=QUICK)
    assert seen["d"] > 0.3 * sum(seen.values())  # one_of would give it a quarter


def test_the_old_values_strategy_would_now_fail():
    # The header the values.csv strategy used before #24 (no precision column): the reader
    # refuses it at line 1, and the floor says so instead of passing.
    from hostile import META

    from udsattestat.bundle import DatasetFileError, meta_from_doc, rows_from_bytes

    meta = meta_from_doc(Path("demo"), META)
    old_header = "period,geo,age,value,value_low,value_high,unit,status,confidence,vintage,source,locator,note"
    row = "2019,DK,TOT,6431,,,persons,published,V,v1,s1,p. 5,"

    def check(rows):
        try:
            rows_from_bytes(meta, "\n".join([old_header, *rows]).encode())
        except DatasetFileError as exc:
            return "refused at the header" if exc.line == 1 else "refused at a row"
        return "parsed"

    seen = explore(st.lists(st.just(row), max_size=3), check=check)
    with pytest.raises(AssertionError, match="did not reach its target"):
        require(seen, parsed=0.25)


# -- the network guard ---------------------------------------------------------------------

# TEST-NET addresses (RFC 5737) and a reserved name (RFC 2606): nothing answers there even if
# the guard failed, so a broken guard shows as a failed assertion, not as traffic.
AWAY = ("192.0.2.1", 53)
NAME = "udsattestat.invalid"


@pytest.mark.parametrize("lookup", [
    lambda: socket.gethostbyname(NAME),
    lambda: socket.gethostbyname_ex(NAME),
    lambda: socket.gethostbyaddr("192.0.2.1"),
    lambda: socket.getnameinfo(AWAY, 0),
    lambda: socket.getaddrinfo(NAME, 80),
    lambda: socket.getaddrinfo("192.0.2.1", 80),
    lambda: _socket.gethostbyname(NAME),
    lambda: _socket.getaddrinfo(NAME, 80),
    lambda: socket.create_connection((NAME, 80), timeout=1),
], ids=["gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo", "getaddrinfo", "getaddrinfo-ip",
        "_socket.gethostbyname", "_socket.getaddrinfo", "create_connection"])
def test_the_guard_blocks_the_resolver(lookup):
    with pytest.raises(NetworkBlocked, match="tests must not use the network"):
        lookup()


def test_the_guard_blocks_tcp_and_udp_away_from_loopback():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
        with pytest.raises(NetworkBlocked):
            tcp.connect(AWAY)
        with pytest.raises(NetworkBlocked):
            tcp.connect_ex(AWAY)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        with pytest.raises(NetworkBlocked, match="send a datagram"):
            udp.sendto(b"x", AWAY)
        with pytest.raises(NetworkBlocked, match="send a datagram"):
            udp.sendto(b"x", 0, AWAY)
        with pytest.raises(NetworkBlocked, match="send a datagram"):
            udp.sendmsg([b"x"], [], 0, AWAY)
        with pytest.raises(NetworkBlocked):
            udp.connect(AWAY)  # a connected UDP socket would send with plain send()


def test_the_guard_blocks_an_http_client():
    import requests

    with pytest.raises(NetworkBlocked):
        requests.get(f"http://{NAME}/", timeout=1)


def test_the_guard_lets_loopback_through():
    assert socket.gethostbyname("localhost").startswith("127.")
    assert socket.getaddrinfo("127.0.0.1", 80)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(5)
        sender.sendto(b"ping", receiver.getsockname())
        assert receiver.recv(16) == b"ping"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass


def test_programs_the_tests_start_have_no_proxy(monkeypatch):
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("KEEP_ME", "1")
    env = offline.offline_env()
    assert not any(name.lower().endswith("_proxy") for name in env) and env["KEEP_ME"] == "1"


def test_programs_the_tests_start_cannot_resolve_or_connect():
    if not offline.isolated():
        missing("this kernel allows no network namespace (unshare --net, or --map-root-user --net)")
    probe = ("import socket\n"
             "for attempt in (lambda: socket.getaddrinfo('example.org', 80),\n"
             "                lambda: socket.create_connection(('192.0.2.1', 53), timeout=3)):\n"
             "    try:\n"
             "        attempt()\n"
             "        print('reached')\n"
             "    except OSError as exc:\n"
             "        print('blocked', type(exc).__name__)\n")
    out = offline.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("blocked") for line in lines), out.stdout


def test_chromium_reaches_loopback_and_nothing_else(tmp_path):
    import functools
    import http.server
    import threading

    from cdp import Browser, find_chromium

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<!doctype html><title>here</title>")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    browser = Browser(require_tool("chromium", find_chromium()), tmp_path / "profile")
    try:
        here = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        browser.open(here)
        fetch = ("fetch('{}', {{mode: 'no-cors', cache: 'no-store'}})"
                 ".then(() => 'reached', e => 'blocked: ' + e.message)")
        assert browser.evaluate(fetch.format(here)) == "reached"  # the test's own server
        away = ("http://example.org/", "https://example.org/", "http://192.0.2.1/", "http://[2001:db8::1]/")
        for url in away:
            assert browser.evaluate(fetch.format(url)).startswith("blocked"), url
        # Blocked by the dead proxy of the flags, not by whatever this machine's network does.
        sent = {e["params"]["requestId"]: e["params"]["request"]["url"] for e in browser.events
                if e.get("method") == "Network.requestWillBeSent"}
        failed = {sent.get(e["params"]["requestId"]): e["params"]["errorText"] for e in browser.events
                  if e.get("method") == "Network.loadingFailed"}
        assert {url: failed.get(url) for url in away} == dict.fromkeys(away, "net::ERR_PROXY_CONNECTION_FAILED")
    finally:
        browser.quit()
        server.shutdown()
        server.server_close()
