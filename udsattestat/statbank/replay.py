"""Offline: which snapshot can answer a data request, and what is missing when none can.

A live view asks only for what it shows, so its snapshots are many small queries. Offline, a
query is answered by the newest snapshot of the same table (and language) whose selection
*covers* it: the same variables, each with at least the codes asked — the rows not asked for
are filtered out afterwards, as with any view. When none covers it, the error says which part
of the query no snapshot has (``OMRÅDE=147``, a period, the language), rather than only
"no snapshot for this query".
"""

from __future__ import annotations

from ..errors import OfflineError, SelectionError
from ..net.snapshots import Snapshot
from .plan import Plan, expand, make_plan
from .tableinfo import TableInfo


def _codes(info: TableInfo, variables: list[dict]) -> dict[str, set[str]] | None:
    """Variable id → the codes a request body's selection names (None if it no longer expands)."""
    out: dict[str, set[str]] = {}
    try:
        for item in variables:
            var = info.variable(item["code"])
            out[var.id] = {c for e in item["values"] for c in expand(var, e)}
    except (SelectionError, KeyError, TypeError):
        return None
    return out


def _asked(plan: Plan) -> dict[str, set[str]]:
    return {vp.variable.id: set(vp.codes) for vp in plan.variables}


def covering(snapshots: list[Snapshot], info: TableInfo, plan: Plan) -> tuple[Snapshot, Plan] | None:
    """The newest data snapshot that holds every cell ``plan`` asks for, with the plan it answered."""
    asked = _asked(plan)
    for snap in snapshots:
        query = snap.record.get("query") or {}
        if query.get("function") != "data" or query.get("lang") != plan.lang:
            continue
        held = _codes(info, query.get("variables") or [])
        if held is None or set(held) != set(asked) or any(not asked[v] <= held[v] for v in asked):
            continue
        selection = {item["code"]: list(item["values"]) for item in query["variables"]}
        return snap, make_plan(info, selection, lang=plan.lang, cap=plan.cap, force_format=query.get("format"))
    return None


def explain_miss(snapshots: list[Snapshot], info: TableInfo, plan: Plan, where: str, *,
                 exact: bool = False) -> OfflineError:
    """An :class:`OfflineError` naming the part of ``plan`` that no snapshot of the table holds.

    ``exact``: the caller replays only a snapshot of the very same query (``statbank fetch``
    writes exactly what was asked), so one that holds it inside a larger query is named."""
    data = [s for s in snapshots if (s.record.get("query") or {}).get("function") == "data"]
    head = f"--offline: no snapshot of table {info.id} holds this query"
    tail = "; run it once without --offline to fetch it"
    if exact and data and covering(data, info, plan) is not None:
        return OfflineError(f"--offline: no snapshot of table {info.id} was fetched with this very query; one holds it "
                            "inside a larger selection, but 'statbank fetch' replays only the same query (give the "
                            f"same --var as then){tail}")
    if not data:
        return OfflineError(f"{head}: the table was never fetched (snapshots: {where}){tail}")
    langs = {s.record["query"].get("lang") for s in data}
    if plan.lang not in langs:
        return OfflineError(f"{head}: its snapshots were read with lang={'/'.join(sorted(map(str, langs)))}, "
                            f"this asks lang={plan.lang}{tail}")
    held: dict[str, set[str]] = {}
    for snap in data:
        for var, codes in (_codes(info, snap.record["query"].get("variables") or []) or {}).items():
            held.setdefault(var, set()).update(codes)
    missing = []
    for vp in plan.variables:
        absent = [c for c in vp.codes if c not in held.get(vp.variable.id, set())]
        var = vp.variable.id
        if absent:
            shown = ",".join(absent[:8]) + (f",… ({len(absent)} codes)" if len(absent) > 8 else "")
            missing.append(f"{var}={shown}")
    n = len(data)
    if missing:
        return OfflineError(f"{head}: {'; '.join(missing)} {'is' if len(missing) == 1 else 'are'} in none of its "
                            f"{n} snapshot{'s' if n != 1 else ''}{tail}")
    return OfflineError(f"{head}: each code asked is in some snapshot, but no one snapshot has them all together "
                        f"(or one sums a variable this keeps apart){tail}")
