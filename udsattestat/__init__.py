"""udsattestat: Danish social-policy statistics with their provenance.

Import is light on purpose (the CLI must start fast): polars, pandas, pyarrow and
matplotlib are imported only by the functions that need them.

    >>> import udsattestat
    >>> df = udsattestat.load("homelessness")       # a polars DataFrame
    >>> udsattestat.provenance(df).source_line("en")
"""

__version__ = "0.1.0"

from .api import catalog, info, load, provenance, read_parquet, write_parquet  # noqa: E402

__all__ = ["__version__", "catalog", "info", "load", "provenance", "read_parquet", "write_parquet"]
