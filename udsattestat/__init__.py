"""udsattestat: Danish social-policy statistics with their provenance.

Import is light on purpose (the CLI must start fast): the API functions import their
module (:mod:`udsattestat.api`) on first call, and polars, pandas, pyarrow and matplotlib
are imported only by the functions that need them.

    >>> import udsattestat
    >>> df = udsattestat.load("homelessness")       # a polars DataFrame
    >>> udsattestat.provenance(df).source_line("en")
"""

import sys
from types import ModuleType

__version__ = "0.1.0"

__all__ = ["__version__", "catalog", "info", "load", "provenance", "read_parquet", "write_parquet"]


def _lazy(name: str):
    def call(*args, **kwargs):
        from . import api

        return getattr(api, name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"See :func:`udsattestat.api.{name}` (imported on first call)."
    return call


catalog, info, load, provenance, read_parquet, write_parquet = map(_lazy, __all__[1:])


class _Package(ModuleType):
    # Two API functions share their name with a submodule (udsattestat.provenance,
    # udsattestat.catalog); importing the submodule later must not replace the function.
    def __setattr__(self, name, value):
        if name in __all__ and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
