"""Responses recorded from the real services, read exactly as they were recorded.

The files under tests/fixtures/recorded/ are public recordings kept byte for byte as
published (tests/fixtures/recorded/README.md names the repository, path, commit and
sha256 of each). Some are HTTP cassettes (Ruby VCR's YAML: the request, the response
headers and the body, base64 under ``!binary`` when not plain text); :func:`interaction`
returns the one exchange such a cassette holds, with the body bytes as the server sent
them. Plain bodies are read with :func:`recorded_bytes`.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

RECORDED = Path(__file__).parent / "fixtures" / "recorded"


class _VcrLoader(yaml.SafeLoader):
    """Safe YAML plus VCR's ``!binary`` tag (base64 of the raw body bytes)."""


_VcrLoader.add_constructor("!binary", lambda loader, node: base64.b64decode(loader.construct_scalar(node)))


@dataclass(frozen=True)
class Interaction:
    """One recorded request and the response to it."""

    file: str
    method: str
    uri: str
    request_body: bytes
    status: int
    headers: dict[str, str]
    body: bytes
    recorded_at: str

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    @property
    def content_type(self) -> str:
        return self.header("Content-Type") or ""

    def request_json(self):
        return json.loads(self.request_body) if self.request_body else None


def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else (value or "").encode("utf-8")


def cassette(*parts: str) -> list[Interaction]:
    """Every exchange in a VCR cassette under tests/fixtures/recorded/."""
    path = RECORDED.joinpath(*parts)
    doc = yaml.load(path.read_bytes(), Loader=_VcrLoader)
    out = []
    for item in doc["http_interactions"]:
        req, resp = item["request"], item["response"]
        headers = {k: ", ".join(v) if isinstance(v, list) else str(v) for k, v in (resp.get("headers") or {}).items()}
        body = _bytes(resp["body"]["string"])
        length = next((v for k, v in headers.items() if k.lower() == "content-length"), None)
        # The recording is whole: the body has exactly the length the server announced.
        assert length is None or int(length) == len(body), f"{path.name}: body is {len(body)} bytes, Content-Length {length}"
        out.append(Interaction(
            file=path.name, method=req["method"].upper(), uri=req["uri"], request_body=_bytes(req["body"]["string"]),
            status=int(resp["status"]["code"]), headers=headers, body=body, recorded_at=item.get("recorded_at", ""),
        ))
    return out


def interaction(*parts: str) -> Interaction:
    """The single exchange of a one-request cassette."""
    found = cassette(*parts)
    assert len(found) == 1, f"{parts[-1]} holds {len(found)} exchanges, expected one"
    return found[0]


def recorded_bytes(*parts: str) -> bytes:
    """A recorded body kept as a plain file."""
    return RECORDED.joinpath(*parts).read_bytes()


#: Headers the loopback server sets itself (framing) rather than copying from the recording.
_FRAMING = {"content-length", "transfer-encoding", "content-type", "connection", "date", "server"}


def replay(httpserver, uri: str, rec: Interaction, *, method: str | None = None, oneshot: bool = False, **match):
    """Serve a recorded response (status, content type, headers, body bytes) at ``uri``."""
    kwargs = {"method": method or rec.method, **match}
    expect = httpserver.expect_oneshot_request if oneshot else httpserver.expect_request
    expect(uri, **kwargs).respond_with_data(
        rec.body, status=rec.status, content_type=rec.content_type,
        headers={k: v for k, v in rec.headers.items() if k.lower() not in _FRAMING},
    )
