"""The version of udsattestat: its one home (pyproject.toml reads it through hatch's dynamic
version), imported by every module that stamps it on what it writes."""

__version__ = "0.1.0"
