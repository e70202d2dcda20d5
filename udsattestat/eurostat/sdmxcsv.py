"""SDMX-CSV (Eurostat's ``format=SDMX-CSV``) → the same :class:`~.cube.Cube` as JSON-stat.

Eurostat's SDMX-CSV has one row per observation::

    DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS
    ESTAT:ILC_LI02(1.0),06/02/26 23:00:00,A,PC,DK,2023,12.1,b,

The dimension columns are those between the header's bookkeeping columns (``DATAFLOW``,
``LAST UPDATE``/``STRUCTURE``…) and ``TIME_PERIOD``; with ``labels=both`` a cell reads
``DK:Denmark`` and the label is split off. SDMX-CSV 2.0 with labels (a ``STRUCTURE_NAME``
column, as Eurostat's downloads have it) puts each component's name column right after
the component: ``freq,Time frequency,…,TIME_PERIOD,Time,OBS_VALUE,Observation value,…``;
those columns are read as the labels of the column before them, never as dimensions. A
file with labels *instead of* codes (``labels=name`` in SDMX-CSV 1.0: ``Quarterly`` where
``Q`` belongs) is refused: it has no codes to key the data by. ``OBS_FLAG`` and ``CONF_STATUS`` become one
flags string ``FLAG|CONF`` as in Eurostat's JSON-stat (``CONF_STATUS=C`` → ``|C``, which
maps to ``suppressed``).
An empty ``OBS_VALUE`` with no flag is a missing cell and gets no row. Pure: bytes in.
"""

from __future__ import annotations

import io

from .cube import RESERVED, Cube, Dimension, JsonStatError
from .flags import status_for

#: Header columns that describe the file, not a dimension.
BOOKKEEPING = {"DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "LAST UPDATE", "FREQ_LABEL"}
TRAILING = ("OBS_VALUE", "OBS_FLAG", "CONF_STATUS")
#: Leading SDMX-CSV 2.0 columns that have no name column after them.
LEADING_2_0 = {"STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION"}
#: The frequency dimension: its codes (A, Q, M, …) are short upper-case ids, its labels are words.
FREQ = "freq"


class SdmxCsvError(JsonStatError):
    """An SDMX-CSV body we cannot read without guessing."""

    def __init__(self, message: str, *, url: str | None = None):
        super().__init__(message, url=url)
        self.args = (f"not a readable SDMX-CSV file: {message}",)


def _split(column, with_labels: bool):
    import polars as pl

    if not with_labels:
        return column, column
    parts = column.str.splitn(":", 2)
    code = parts.struct.field("field_0")
    label = pl.when(parts.struct.field("field_1").is_null()).then(code).otherwise(parts.struct.field("field_1"))
    return code, label


def _check_names(header: list[str]) -> None:
    """Column names must stay distinct after trimming and not clash with the added columns."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise SdmxCsvError(f"the header names column {name!r} twice (after trimming spaces)")
        seen.add(name)
    for name in header:
        if name in BOOKKEEPING or name in TRAILING:
            continue
        if name == "" or name in RESERVED or name.startswith("_") or name.endswith("_label"):
            raise SdmxCsvError(
                f"the header has a column named {name!r}, which is not an SDMX dimension id "
                f"(empty, or clashing with {', '.join(RESERVED)} or the *_label columns)"
            )


def _name_columns(header: list[str]) -> tuple[list[str], dict[str, int]]:
    """SDMX-CSV 2.0 with labels: (the header with each name column renamed, ``{component:
    position of its name column}``). After the leading columns, the rest come in pairs."""
    lead = 0
    while lead < len(header) and header[lead] in LEADING_2_0:
        lead += 1
    rest = header[lead:]
    if len(rest) % 2:
        raise SdmxCsvError(
            "the header has a STRUCTURE_NAME column (SDMX-CSV 2.0 with labels) but the columns after "
            f"it do not come in pairs of a component and its name ({len(rest)} columns)"
        )
    renamed, names = list(header[:lead]), {}
    for i in range(lead, len(header), 2):
        renamed += [header[i], f"\t{i + 1}"]  # positional: a name column's title is free text
        names[header[i]] = i + 1
    return renamed, names


def parse(data: bytes) -> Cube:
    """Parse Eurostat SDMX-CSV into a :class:`Cube` (dimensions in column order)."""
    import polars as pl

    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8-lossy")
    except Exception as exc:  # polars raises several types for a malformed file
        raise SdmxCsvError(f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
    header = [c.strip().lstrip("\ufeff").strip() for c in frame.columns]
    name_cols: dict[str, int] = {}
    if "STRUCTURE_NAME" in header:
        header, name_cols = _name_columns(header)
    _check_names([h for h in header if not h.startswith("\t")])
    frame.columns = header
    header = [h for h in header if not h.startswith("\t")]
    if "TIME_PERIOD" not in header or "OBS_VALUE" not in header:
        raise SdmxCsvError(f"the header has no TIME_PERIOD and OBS_VALUE columns (found {', '.join(header)})")
    dim_ids = [c for c in header if c not in BOOKKEEPING and c not in TRAILING]
    with_labels = frame.height > 0 and all(
        frame[c].drop_nulls().str.contains(":").all() for c in dim_ids if c != "TIME_PERIOD"
    ) and any(c != "TIME_PERIOD" for c in dim_ids)
    exprs = []
    for c in dim_ids:
        code, label = _split(pl.col(c).str.strip_chars(), with_labels and c != "TIME_PERIOD")
        if c in name_cols:
            named = pl.col(f"\t{name_cols[c]}").str.strip_chars()
            label = pl.when(named.is_null() | (named == "")).then(code).otherwise(named)
        exprs += [code.alias(c), label.alias(f"{c}_label")]
    flag = pl.col("OBS_FLAG").str.strip_chars() if "OBS_FLAG" in header else pl.lit(None, dtype=pl.String)
    conf = pl.col("CONF_STATUS").str.strip_chars() if "CONF_STATUS" in header else pl.lit(None, dtype=pl.String)
    # Eurostat's JSON joins the two as FLAG|CONF ("e|C"); the same string here, so both
    # formats give the same flags and statuses. F (free) is no news and is left out.
    conf_part = pl.when(conf.is_not_null() & (conf != "") & (conf != "F")).then(pl.lit("|") + conf).otherwise(pl.lit(""))
    flags = pl.concat_str([flag.fill_null(""), conf_part])
    raw_value = pl.col("OBS_VALUE").str.strip_chars()
    obs = frame.select(
        *exprs,
        raw_value.alias("_raw"),
        pl.when(raw_value == "").then(None).otherwise(raw_value).cast(pl.Float64, strict=False).alias("value"),
        pl.when(flags == "").then(None).otherwise(flags).alias("flags"),
    )
    if FREQ in dim_ids:
        # Frequency codes are short upper-case ids (A, Q, M, W, D); words there are labels.
        worded = obs.filter(~pl.col(FREQ).str.contains(r"^[A-Z0-9_]{1,5}$"))
        if worded.height:
            raise SdmxCsvError(
                f"the {FREQ} column holds {worded[FREQ][0]!r}, a label where a code belongs: the file was "
                "downloaded with labels instead of codes; download it with codes (labels=both keeps both)"
            )
    bad = obs.filter(pl.col("_raw").is_not_null() & (pl.col("_raw") != "") & pl.col("value").is_null())
    if bad.height:
        raise SdmxCsvError(f"OBS_VALUE {bad['_raw'][0]!r} is not a number")
    # "NaN", "inf", "1e999" cast to floats, but no statistics office publishes them: a body
    # that holds one is damaged, and a NaN would pass every later comparison silently.
    bad = obs.filter(~pl.col("value").is_finite())
    if bad.height:
        raise SdmxCsvError(f"OBS_VALUE {bad['_raw'][0]!r} is not a finite number")
    obs = obs.drop("_raw").filter(pl.col("value").is_not_null() | pl.col("flags").is_not_null())
    # One observation per key: two rows for one cell would be summed or picked at random later.
    repeated = obs.filter(pl.struct(dim_ids).is_duplicated()) if dim_ids else obs.head(0)
    if repeated.height:
        key = ", ".join(f"{c}={repeated[c][0]}" for c in dim_ids)
        raise SdmxCsvError(f"the observation {key} appears more than once; refusing to pick one")
    statuses = [status_for(f, v is not None) for f, v in zip(obs["flags"].to_list(), obs["value"].to_list(), strict=True)]
    obs = obs.with_columns(pl.Series("status", statuses, dtype=pl.String))
    dims = []
    for c in dim_ids:
        pairs = obs.select(c, f"{c}_label").unique(maintain_order=True)
        dims.append(Dimension(c, c, tuple(pairs[c].to_list()), tuple(pairs[f"{c}_label"].to_list())))
    updated = frame["LAST UPDATE"][0] if "LAST UPDATE" in header and frame.height else ""
    # SDMX-CSV 1.0 names the dataflow in DATAFLOW, 2.0 in STRUCTURE_ID (ESTAT:NAMA_10_GDP(1.0)).
    flow = next((c for c in ("DATAFLOW", "STRUCTURE_ID") if c in header), None)
    label = frame[flow][0] if flow and frame.height else ""
    return Cube(label=label or "", source="ESTAT", updated=updated or "", dimensions=dims,
                roles={"time": ["TIME_PERIOD"]}, observations=obs)
