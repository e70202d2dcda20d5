"""Quirks of StatBank tables that a ``[statbank]`` mapping cannot express, one small module each.

A dataset names the hooks it needs (``hooks = ["nested-durations"]``); options for a hook
go in a table of the same name (``[statbank.nested-durations]``). A hook has one function,
``resolve(resolved, options, *, indicator)``, that claims variables of the table in
``resolved`` (see :class:`udsattestat.statbank.resolved.Resolved`) and raises
:class:`~udsattestat.statbank.resolved.TableShapeError` when the table is not as expected.

The registry is this explicit dict: a new hook is a module plus one line here, and
``udsattestat dataset check`` rejects a dataset naming a hook not listed.
"""

from __future__ import annotations

from . import nested_durations

HOOKS = {
    "nested-durations": nested_durations,
}
