"""Where datasets are found: your own folders before the bundle.

A dataset is a folder holding ``dataset.toml`` (and ``values.csv``); its name is its id.
Folders are searched in this order, and the first that has an id gives it:

1. yours: the folders named with ``--datasets DIR`` (repeatable; :func:`choose` from Python),
   else those in ``$UDSATTESTAT_DATASETS_PATH`` (separated like ``$PATH``), else the
   project's ``./datasets`` when the current directory has one;
2. the ``datasets/`` folder beside the recipe being read (:func:`beside`);
3. the bundle: the datasets shipped inside the package. ``$UDSATTESTAT_DATASETS_DIR`` names a
   folder used *instead of* the bundle (a copy of it, as the tests and ``diff`` use); then
   ``./datasets`` is not looked at either, only what is named.

An id in two folders is a warning naming both (the first is used), unless both hold the same
files. Only ``os`` at import: ``udsattestat list`` resolves the path on every start.
"""

from __future__ import annotations

import os
import warnings

from .errors import DatasetFileError

META_FILE = "dataset.toml"
VALUES_FILE = "values.csv"
#: The bundle's folder replaced (one folder; no ./datasets then).
BUNDLE_ENV = "UDSATTESTAT_DATASETS_DIR"
#: Your folders, before the bundle (``os.pathsep``-separated).
PATH_ENV = "UDSATTESTAT_DATASETS_PATH"
#: A project's own datasets, when the current directory has this folder.
PROJECT_FOLDER = "datasets"
BUNDLE = "bundle"

_chosen: list[str] | None = None  # --datasets
_beside: list[str] = []  # the datasets/ folder beside the last recipe read
_warned: set[tuple[str, str, str]] = set()  # each clash is said once per run


class DatasetClashWarning(UserWarning):
    """The same dataset id in two folders of the search path, with different files."""


def bundle_root() -> str:
    """The bundled datasets: ``$UDSATTESTAT_DATASETS_DIR`` if set, else inside the installed
    wheel, else the source checkout's ``datasets/``."""
    override = os.environ.get(BUNDLE_ENV)
    if override:
        if not os.path.isdir(override):
            raise DatasetFileError(override, f"${BUNDLE_ENV} is not a directory; unset it or fix the path")
        return override
    here = os.path.dirname(os.path.realpath(__file__))
    for candidate in (os.path.join(here, "_datasets"), os.path.join(os.path.dirname(here), "datasets")):
        if os.path.isdir(candidate):
            return candidate
    raise DatasetFileError(here, "bundled datasets not found; reinstall udsattestat")


def choose(folders) -> None:
    """Use these folders (``--datasets``) instead of ``$UDSATTESTAT_DATASETS_PATH`` and ./datasets;
    ``None`` goes back to those. Recipes' folders read before are forgotten (a new run)."""
    global _chosen
    _warned.clear()
    _beside.clear()
    if folders is None:
        _chosen = None
        return
    for folder in folders:
        if not os.path.isdir(folder):
            raise DatasetFileError(folder, "--datasets names no folder; give a folder of dataset folders")
    _chosen = [str(f) for f in folders]


def beside(recipe_path) -> None:
    """A recipe was read: the ``datasets/`` folder beside it is searched (before the bundle)
    until another recipe is read — the one being built or checked is the last one read."""
    folder = os.path.join(os.path.dirname(os.path.abspath(recipe_path)), PROJECT_FOLDER)
    _beside[:] = [folder] if os.path.isdir(folder) else []


def yours() -> list[str]:
    """Your folders, in order (step 1 of the module doc)."""
    if _chosen is not None:
        return list(_chosen)
    named = os.environ.get(PATH_ENV)
    if named:
        folders = [f for f in named.split(os.pathsep) if f]
        for folder in folders:
            if not os.path.isdir(folder):
                raise DatasetFileError(folder, f"${PATH_ENV} names no folder here; fix or unset it")
        return folders
    if not os.environ.get(BUNDLE_ENV) and os.path.isdir(PROJECT_FOLDER):
        return [os.path.join(os.curdir, PROJECT_FOLDER)]
    return []


def search_path() -> list[tuple[str, str]]:
    """(folder, label) in search order; the label is the folder as given, or ``bundle``.
    A folder named twice counts once; the bundle's own folder (./datasets in the source
    checkout) is the bundle, searched last."""
    bundle = bundle_root()
    seen = {os.path.realpath(bundle)}
    out: list[tuple[str, str]] = []
    for folder in [*yours(), *_beside]:
        real = os.path.realpath(folder)
        if real not in seen:
            seen.add(real)
            out.append((folder, folder))
    return [*out, (bundle, BUNDLE)]


def locate() -> dict[str, tuple[str, str]]:
    """id -> (dataset folder, label of the search-path folder it came from), sorted by id."""
    found: dict[str, tuple[str, str]] = {}
    for root, label in search_path():
        try:
            names = sorted(e.name for e in os.scandir(root))
        except OSError:
            continue
        for name in names:
            folder = os.path.join(root, name)
            if not os.path.isfile(os.path.join(folder, META_FILE)):
                continue
            if name in found:
                _clash(name, found[name], (folder, label))
                continue
            found[name] = (folder, label)
    return dict(sorted(found.items()))


def folder_of(indicator: str) -> str | None:
    """The folder of dataset ``indicator`` (the first on the search path), or None."""
    hit = locate().get(indicator)
    return hit[0] if hit else None


def _clash(name: str, used: tuple[str, str], other: tuple[str, str]) -> None:
    key = (name, used[0], other[0])
    if key in _warned or _same_files(used[0], other[0]):
        return
    _warned.add(key)
    warnings.warn(DatasetClashWarning(
        f"dataset {name!r} is in {_where(used)} and in {_where(other)}; using {used[0]} "
        "(rename one folder and its id to keep both)"), stacklevel=3)


def _where(hit: tuple[str, str]) -> str:
    folder, label = hit
    return f"the bundle ({folder})" if label == BUNDLE else folder


def _same_files(a: str, b: str) -> bool:
    for name in (META_FILE, VALUES_FILE):
        try:
            with open(os.path.join(a, name), "rb") as fa, open(os.path.join(b, name), "rb") as fb:
                if fa.read() != fb.read():
                    return False
        except OSError:
            return False
    return True
