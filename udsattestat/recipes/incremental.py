"""Incremental builds: a figure or table is drawn again only when something it depends on
changed; otherwise its files are taken, byte for byte, from the previous build.

What a drawing depends on, hashed into its *render key* (kept in the manifest):
- its recipe entry (every field, as parsed) and the language;
- the rows it shows (the bytes of its tidy CSV) and the provenance parts it prints (titles,
  citations of the sources shown, notes, unit labels — not checksums or retrieval times,
  which no drawing shows);
- the code that draws it: udsattestat's version, the renderers' versions (matplotlib,
  polars, xlsxwriter) and a fingerprint of the drawing code and house style, so a changed
  chart module redraws even before the version number moves.

A previous file is reused only when the previous manifest lists it with the same sha256
as the file on disk: an edited or damaged build is never copied forward.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from functools import lru_cache
from pathlib import Path

from ..checksums import sha256_file
from .manifest import MANIFEST

#: Source files whose code decides how figures and tables look.
_DRAWING_CODE = ("charts", "tables.py", "formatting.py", "export.py")


@lru_cache(maxsize=1)
def drawing_fingerprint() -> str:
    """sha256 over the drawing code, the house style and the renderers' versions."""
    from .._version import __version__
    from .manifest import renderer_versions

    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(f"udsattestat {__version__}\n".encode())
    h.update(json.dumps(renderer_versions(), sort_keys=True).encode())
    for name in _DRAWING_CODE:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.suffix in (".py", ".mplstyle")) if path.is_dir() else [path]
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def _shown(prov) -> dict:
    """The provenance as a drawing can show it: no checksums, retrieval times or queries."""
    if isinstance(prov, dict):
        return {k: _shown(v) for k, v in sorted(prov.items())}
    data = dataclasses.asdict(prov)
    for key in ("raw_sha256", "retrieved", "query"):
        data.pop(key, None)
    data.get("extra", {}).pop("live", None)  # snapshot paths and checksums
    return data


def render_key(kind: str, entry, lang: str, rows: bytes, prov, formats: tuple[str, ...]) -> str:
    """The render key of one figure or table (see the module docstring)."""
    doc = {
        "kind": kind,
        "entry": dataclasses.asdict(entry),
        "lang": lang,
        "formats": list(formats),
        "rows": hashlib.sha256(rows).hexdigest(),
        "provenance": _shown(prov),
        "code": drawing_fingerprint(),
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Previous:
    """The previous build in ``out_dir``, as far as its manifest vouches for its files."""

    def __init__(self, out_dir: Path):
        self.dir = out_dir
        self.keys: dict[str, str] = {}
        self.outputs: dict[str, str] = {}
        try:
            manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
            self.keys = dict(manifest.get("renders", {}))
            self.outputs = dict(manifest.get("outputs", {}))
        except (OSError, ValueError, AttributeError, TypeError):
            pass  # no previous build, or one we cannot trust: draw everything
        #: name -> "reused" or "drawn", for the build's report
        self.done: dict[str, str] = {}

    def reuse(self, name: str, key: str, files: list[str], root: Path) -> bool:
        """Copy ``files`` from the previous build into ``root`` if ``name`` had ``key`` there
        and every file is still the one the manifest lists; False means: draw it."""
        if self.keys.get(name) != key:
            return False
        sources = [self.dir / f for f in files]
        for src, f in zip(sources, files, strict=True):
            if f not in self.outputs or src.is_symlink() or not src.is_file() or sha256_file(src) != self.outputs[f]:
                return False
        for src, f in zip(sources, files, strict=True):
            shutil.copyfile(src, root / f)
        self.done[name] = "reused"
        return True

    def drawn(self, name: str) -> None:
        self.done[name] = "drawn"
