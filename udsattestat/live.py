"""Live fetchers, by provider. A dataset's ``live = "statbank:IFOR51"`` names its provider
and the provider's table; the provider module turns the live table into the same tidy
schema as the bundle, so everything downstream works on either.

A provider module exposes::

    fetch_indicator(meta: DatasetMeta, *, table: str, lang: str, data_dir: Path,
                    offline: bool, refresh: bool, quiet: bool) -> (polars.DataFrame, Provenance)
"""

from __future__ import annotations

import importlib

from .errors import UdsatError

PROVIDERS = {
    "statbank": "udsattestat.statbank.indicators",
    "eurostat": "udsattestat.eurostat.indicators",
}


def fetch_live(meta, *, lang: str, data_dir, offline: bool = False, refresh: bool = False, quiet: bool = True):
    spec = meta.live
    if not spec:
        raise UdsatError(
            f"{meta.id!r} has no live source; its values are transcribed from publications "
            "(drop --live to use the bundled data)"
        )
    provider, _, table = spec.partition(":")
    module_name = PROVIDERS.get(provider)
    if module_name is None:
        raise UdsatError(f"{meta.id!r} names unknown live provider {provider!r}")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        raise UdsatError(f"live fetching from {provider} is not available in this version") from None
    return module.fetch_indicator(
        meta, table=table, lang=lang, data_dir=data_dir, offline=offline, refresh=refresh, quiet=quiet
    )
