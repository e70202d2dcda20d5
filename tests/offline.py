"""Keep the test run off the network: in this process, and in the programs it starts.

In process, :func:`guard` makes every way out fail the test at once with
:class:`NetworkBlocked` — a TCP or UDP connection, a datagram sent (``sendto``,
``sendmsg``), and every resolver call (``getaddrinfo``, ``gethostbyname``,
``gethostbyname_ex``, ``gethostbyaddr``, ``getnameinfo``) — for anything but loopback
(127.0.0.0/8, ::1, ``localhost``) and Unix sockets.

Programs the tests start (ruff, pdftoppm, a Python child, a shell line of the docs) run
through :func:`offline_command` and :func:`offline_env`: no proxy variables, and where the
kernel allows it (root, or unprivileged user namespaces) a network namespace of their own,
where the only interface is a loopback that is down — no route, no resolver. Chromium
must reach the test's loopback servers, so it runs with the flags in
:data:`CHROMIUM_OFFLINE_FLAGS` instead: a resolver that answers "not found" for every name
but localhost, and a dead proxy for every request that is not to loopback.
"""

from __future__ import annotations

import _socket
import functools
import ipaddress
import os
import shutil
import socket
import subprocess


class NetworkBlocked(AssertionError):
    """Raised when a test tries to reach anything but loopback."""


LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def is_loopback(host) -> bool:
    """Whether ``host`` (a name, an address, or a socket address tuple) stays on this machine."""
    if isinstance(host, tuple):
        host = host[0] if host else None
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return False
    if host.lower().rstrip(".") in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already touch the network


def _stays_local(sock, address) -> bool:
    if sock.family == getattr(socket, "AF_UNIX", None) or isinstance(address, (str, bytes)):
        return True  # a Unix socket path
    return is_loopback(address)


def _blocked(what: str, target) -> NetworkBlocked:
    return NetworkBlocked(f"test tried to {what} {target!r}; tests must not use the network")


def guard(monkeypatch) -> None:
    """Block every way to the network but loopback for the rest of the test."""
    real = socket.socket

    def connect(self, address, _real=real.connect):
        if not _stays_local(self, address):
            raise _blocked("connect to", address)
        return _real(self, address)

    def connect_ex(self, address, _real=real.connect_ex):
        if not _stays_local(self, address):
            raise _blocked("connect to", address)
        return _real(self, address)

    def sendto(self, data, *args, _real=real.sendto):
        address = args[-1] if args else None  # sendto(data, address) or sendto(data, flags, address)
        if not _stays_local(self, address):
            raise _blocked("send a datagram to", address)
        return _real(self, data, *args)

    def sendmsg(self, buffers, *args, _real=real.sendmsg):
        address = args[2] if len(args) > 2 else None  # sendmsg(buffers, ancdata, flags, address)
        if address is not None and not _stays_local(self, address):
            raise _blocked("send a datagram to", address)
        return _real(self, buffers, *args)

    for name, method in {"connect": connect, "connect_ex": connect_ex, "sendto": sendto, "sendmsg": sendmsg}.items():
        monkeypatch.setattr(real, name, method)

    def resolver(name, real_function, allow_none=False):
        @functools.wraps(real_function)
        def guarded(host, *args, **kwargs):
            if (host is None and allow_none) or is_loopback(host):
                return real_function(host, *args, **kwargs)
            raise _blocked("resolve", host)
        return guarded

    for module in (socket, _socket):  # socket's own wrappers call _socket's functions
        monkeypatch.setattr(module, "getaddrinfo", resolver("getaddrinfo", module.getaddrinfo, allow_none=True))
        for name in ("gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
            monkeypatch.setattr(module, name, resolver(name, getattr(module, name)))
        monkeypatch.setattr(module, "getnameinfo", resolver("getnameinfo", module.getnameinfo))


# -- programs the tests start --------------------------------------------------------------

#: Variables through which a program would find a way out (or a proxy that is one).
PROXY_VARIABLES = ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy", "socks_proxy",
                   "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "ALL_PROXY", "NO_PROXY", "SOCKS_PROXY")


def offline_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) without any proxy setting."""
    env = dict(os.environ if env is None else env)
    for name in PROXY_VARIABLES:
        env.pop(name, None)
    return env


@functools.cache
def _unshare_prefix() -> tuple[str, ...]:
    """How to start a program in a network namespace of its own, or () where the kernel says no."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "--net"), (unshare, "--map-root-user", "--net")):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            pass
    return ()


def offline_command(argv: list[str]) -> list[str]:
    """``argv`` started in a network namespace with no way out, where the machine allows it."""
    return [*_unshare_prefix(), *map(str, argv)]


def isolated() -> bool:
    """Whether :func:`offline_command` really cuts programs off (else only the env does)."""
    return bool(_unshare_prefix())


def run(argv: list, **kwargs) -> subprocess.CompletedProcess:
    """``subprocess.run`` for a program a test starts: no network, no proxy."""
    kwargs["env"] = offline_env(kwargs.get("env"))
    return subprocess.run(offline_command(argv), **kwargs)


#: Chromium's own way to be offline but for loopback (it serves the test pages and the
#: DevTools endpoint there, so it cannot have a namespace of its own): every name but
#: localhost resolves to "not found", every request not to loopback goes to a proxy on a
#: closed port, and WebRTC may not send UDP around the proxy.
CHROMIUM_OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",  # loopback bypasses a proxy implicitly
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--dns-prefetch-disable",
)
