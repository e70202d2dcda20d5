"""The exit codes of every command, one meaning each (the table in docs/cli.md).

A library error carries its code (``UdsatError.exit_code``); the CLI exits with it, so a
network error is the same code from ``fetch``, ``build --live`` and ``update``.
"""

from __future__ import annotations

OK = 0
#: Something the user can act on went wrong: a dataset file, a network answer, a snapshot, an
#: output path, a full disk.
ERROR = 1
#: A wrong value: an unknown indicator, option, code, period or vintage, a recipe that cannot
#: be used, a folder that is not a build.
WRONG_VALUE = 2
#: ``build``/``verify``: a claim's verdict is one that ``--fail-on`` names (the build is written).
CLAIMS_FAIL = 3
#: ``diff``, ``update``: something changed (``update --dry-run``: a live table would be fetched).
CHANGED = 4
#: Ctrl-C; nothing was left half-written.
INTERRUPTED = 130

#: code -> what it means, as docs/cli.md shows it.
MEANINGS = {
    OK: "done; `diff` and `update`: nothing changed",
    ERROR: "an error to act on: a dataset file, a network answer, a snapshot, an output path, a full disk",
    WRONG_VALUE: "a wrong value: unknown indicator, option, code, period or vintage; a recipe that cannot be "
                 "used; a folder that is not a build",
    CLAIMS_FAIL: "`build`, `verify`: a claim's verdict is one `--fail-on` names (the build is still written)",
    CHANGED: "`diff`, `update`: something changed (`update --dry-run`: a live table would be fetched)",
    INTERRUPTED: "interrupted (Ctrl-C); nothing half-written",
}
