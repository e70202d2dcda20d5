"""manifest.json: what a build read and what it wrote, with checksums.

Nothing in it depends on the clock or the machine's paths, so the same inputs give the
same bytes: that is what lets a rebuild say "no byte changed".
"""

from __future__ import annotations

import hashlib
import json

MANIFEST = "manifest.json"


def renderer_versions() -> dict[str, str]:
    # The renderers decide the bytes of SVG/PNG/XLSX; a version change explains a changed file.
    import importlib.metadata as md

    out = {}
    for pkg in ("matplotlib", "polars", "xlsxwriter"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out


def _stable(value):
    """Keys sorted and per-run flags dropped: a replay of a snapshot gives the same bytes as its fetch."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in sorted(value.items()) if k != "replayed"}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def build_manifest(recipe, *, lang: str, live: bool, provs: dict, vintages_used: dict[str, set],
                   outputs: dict[str, str], tally: dict[str, int], renders: dict[str, str] | None = None,
                   consistency: dict[str, int] | None = None) -> dict:
    from .._version import __version__

    inputs = {}
    for ind in sorted(provs):
        prov = provs[ind]
        inputs[ind] = {
            "origin": prov.origin,
            "query": _stable(prov.query),
            "retrieved": prov.retrieved,
            "raw_sha256": dict(sorted(prov.raw_sha256.items())),
            "vintages_used": {
                v: prov.vintages.get(v, {}).get("published") or None for v in sorted(vintages_used.get(ind, ()))
            },
        }
        live_snapshot = prov.extra.get("live")
        if live_snapshot:
            # bundled vintages + a live table: which snapshot, its checksum and when it was fetched
            inputs[ind]["live"] = _stable(live_snapshot)
    return {
        "tool": "udsattestat",
        "tool_version": __version__,
        "renderers": renderer_versions(),
        "recipe": {"file": recipe.path.name, "sha256": hashlib.sha256(recipe.source_bytes).hexdigest()},
        "report": {"title": recipe.report.title, "date": recipe.report.date,
                   "as_of": recipe.report.as_of.isoformat() if recipe.report.as_of else None},
        "lang": lang,
        "live": live,
        "live_indicators": sorted(ind for ind in provs if provs[ind].extra.get("live")),
        "inputs": inputs,
        "claims": tally,
        # the report's figures against each other, counted apart from the verdicts
        **({"consistency": consistency} if consistency else {}),
        "outputs": dict(sorted(outputs.items())),
        # figure/table name -> render key: what its files were drawn from (recipes/incremental.py)
        "renders": dict(sorted((renders or {}).items())),
    }


def dumps(manifest: dict) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
