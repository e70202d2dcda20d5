"""Where the bundled dataset folders are, and the two files each one holds.

At the bottom of the import graph (only ``os``): the catalogue (:mod:`udsattestat.catalog`,
imported on every CLI start) and the dataset reader (:mod:`udsattestat.bundle`) both find
the folders here.
"""

from __future__ import annotations

import os

from .errors import DatasetFileError

META_FILE = "dataset.toml"
VALUES_FILE = "values.csv"
DATASETS_ENV = "UDSATTESTAT_DATASETS_DIR"


def datasets_root() -> str:
    """Where the datasets are: ``$UDSATTESTAT_DATASETS_DIR`` if set (your own or a test's),
    else inside the installed wheel, else the source checkout's ``datasets/``."""
    override = os.environ.get(DATASETS_ENV)
    if override:
        if not os.path.isdir(override):
            raise DatasetFileError(override, f"${DATASETS_ENV} is not a directory; unset it or fix the path")
        return override
    here = os.path.dirname(os.path.realpath(__file__))
    for candidate in (os.path.join(here, "_datasets"), os.path.join(os.path.dirname(here), "datasets")):
        if os.path.isdir(candidate):
            return candidate
    raise DatasetFileError(here, "bundled datasets not found; reinstall udsattestat")
