"""udsattestat: Danish social-policy statistics with their provenance.

    >>> import udsattestat
    >>> df = udsattestat.load("homelessness")       # a polars DataFrame
    >>> udsattestat.provenance(df).source_line("en")

Import is light on purpose (the CLI starts with it): :mod:`udsattestat.api` imports polars,
pandas, pyarrow and matplotlib only inside the functions that need them.
"""

# Two API functions share their name with a submodule (udsattestat.catalog, .provenance).
# Python binds a submodule to its package only when it is first imported, so both are
# imported here first and the functions below take the names for good.
from . import catalog as _catalog_module  # noqa: F401
from . import provenance as _provenance_module  # noqa: F401
from ._version import __version__
from .api import catalog, info, load, provenance, read_parquet, write_parquet

__all__ = ["__version__", "catalog", "info", "load", "provenance", "read_parquet", "write_parquet"]
