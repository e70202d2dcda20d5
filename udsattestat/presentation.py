"""What a reader sees besides the numbers — labels, words, number formats, source lines —
read only from what travels with the data.

Charts, tables and the page use this module and nothing under ``datasets/``: every code's
label (both languages, in the dataset's declared order), every unit label and the default
table layout are in the provenance's ``extra`` (written by :meth:`DatasetMeta.presentation
<udsattestat.bundle.DatasetMeta.presentation>` for bundled and live tables alike), so a
Parquet file copied on its own draws the same chart, and an edited label is seen at once.
A provenance without them (an old file) falls back to the frame's own label columns.
"""

from __future__ import annotations

from .formatting import PERCENT_UNITS, format_cell, format_number, format_value, value_decimals  # noqa: F401  (re-exported)
from .languages import LANGS
from .provenance import dataset_text, entry_text  # noqa: F401  (re-exported)
from .schema import GEO_LABEL, VALUE_COLUMNS
from .verdicts import AGREE, DISAGREE, FAILS, HOLDS, NO_DATA, NOT_COMPARABLE, REVISED, UNDECIDED


def _one(prov, frame=None, indicator: str | None = None):
    """The provenance of one indicator (``prov`` may be {indicator: Provenance})."""
    if not isinstance(prov, dict):
        return prov
    if indicator is None and frame is not None and "indicator" in frame.columns and frame.height:
        indicator = frame["indicator"][0]
    if indicator in prov:
        return prov[indicator]
    return next(iter(prov.values())) if len(prov) == 1 else None


def _dimension(prov, dim: str) -> dict:
    extra = getattr(prov, "extra", None) or {}
    return (extra.get("dimensions") or {}).get(dim) or {}


def _pick(entry: dict, lang: str) -> str | None:
    """The label in ``lang``, else in the other language (e.g. StatBank's Danish municipality names)."""
    return entry.get(lang) or next((entry[other] for other in LANGS if entry.get(other)), None)


def code_label(prov, dim: str, code, lang: str, frame=None) -> str:
    """A code's label in ``lang``: from the provenance, else the frame's label column, else the code."""
    entry = _dimension(_one(prov, frame), dim).get("codes", {}).get(str(code))
    label = _pick(entry, lang) if entry else None
    return label or frame_label(frame, dim, code) or str(code)


def short_label(prov, dim: str, code, lang: str, frame=None) -> str:
    """The short label for narrow places (``short_da``/``short_en``), else the label."""
    entry = _dimension(_one(prov, frame), dim).get("codes", {}).get(str(code)) or {}
    return entry.get(f"short_{lang}") or code_label(prov, dim, code, lang, frame)


def code_text(prov, dim: str, code, key: str, lang: str) -> str:
    """A further text a dataset gives a code (``measures``/``measures_da``), '' if none."""
    entry = _dimension(_one(prov), dim).get("codes", {}).get(str(code)) or {}
    return entry.get(f"{key}_{lang}") or entry.get(key) or ""


def code_order(prov, dim: str, present) -> list:
    """``present`` codes in the dataset's declared order, then any others as they came."""
    present = list(dict.fromkeys(present))
    declared = _dimension(_one(prov), dim).get("order") or []
    return [c for c in declared if c in present] + [c for c in present if c not in declared]


def unit_order(prov, present) -> list[str]:
    """The ``present`` units in the order the dataset declares them, then any others."""
    present = list(dict.fromkeys(present))
    declared = list((getattr(_one(prov), "extra", None) or {}).get("units") or {})
    return [u for u in declared if u in present] + [u for u in present if u not in declared]


def dim_label(prov, dim: str, lang: str) -> str:
    if dim == "geo":
        return GEO_LABEL[lang]
    return _pick(_dimension(_one(prov), dim).get("label") or {}, lang) or dim


#: Tidy column names in words, for the files people open in a spreadsheet.
COLUMN_LABELS = {
    "da": {"indicator": "Indikator", "period": "Periode", "freq": "Frekvens", "period_start": "Periodens start",
           "period_end": "Periodens slutning", "geo": "Områdekode", "geo_label": GEO_LABEL["da"], "value": "Værdi",
           "value_low": "Nedre grænse", "value_high": "Øvre grænse", "precision": "Afrundet til",
           "unit": "Enhed", "status": "Status", "confidence": "Sikkerhed", "vintage": "Udgave",
           "vintage_date": "Udgivet", "source": "Kilde-id", "source_locator": "Side eller tabel", "note": "Note"},
    "en": {"indicator": "Indicator", "period": "Period", "freq": "Frequency", "period_start": "Period start",
           "period_end": "Period end", "geo": "Area code", "geo_label": GEO_LABEL["en"], "value": "Value",
           "value_low": "Low", "value_high": "High", "precision": "Rounded to",
           "unit": "Unit", "status": "Status", "confidence": "Confidence", "vintage": "Vintage",
           "vintage_date": "Published", "source": "Source id", "source_locator": "Page or table", "note": "Note"},
}
CODE_SUFFIX = {"da": "kode", "en": "code"}


def column_label(column: str, lang: str, prov=None) -> str:
    """A tidy column's name in words in ``lang``; a dimension's from the provenance."""
    if column in COLUMN_LABELS[lang]:
        return COLUMN_LABELS[lang][column]
    if column.endswith("_label"):
        return dim_label(prov, column[: -len("_label")], lang)
    return f"{dim_label(prov, column, lang)} ({CODE_SUFFIX[lang]})"


def unit_label(prov, unit: str, lang: str) -> str:
    """The unit in words; the code itself if the provenance does not know it."""
    extra = getattr(_one(prov), "extra", None) or {}
    entry = (extra.get("units") or {}).get(unit) or {}
    return _pick(entry, lang) or unit


def frame_label(frame, dim: str | None, code) -> str | None:
    """The label the frame itself carries for a code (its ``<dim>_label`` column)."""
    if frame is None or dim is None:
        return None
    label_col = "geo_label" if dim == "geo" else f"{dim}_label"
    if label_col in frame.columns and dim in frame.columns:
        rows = frame.filter(frame[dim] == code)
        if rows.height and rows[label_col][0]:
            return str(rows[label_col][0])
    return None


def table_layout(prov) -> dict:
    """The dataset's own table layout (``[table]`` in dataset.toml), {} for the plain one."""
    extra = getattr(_one(prov), "extra", None) or {}
    return dict(extra.get("table") or {})


def source_short(prov, source_id: str, lang: str) -> str:
    """A citation's short name (``short``), else its publication, else its id."""
    c = getattr(_one(prov), "citations", {}).get(source_id, {})
    short = c.get("short", {})
    text = short.get(lang) if isinstance(short, dict) else None
    return text or entry_text(c, "publication", lang) or source_id


# -- dataset texts in the reader's language ---------------------------------------------------

def citation_text(prov, source_id: str, lang: str) -> str:
    """A source's full citation in ``lang``, from its fields: who (author, else publisher),
    year, title (a described publication translated; a title as published), the publisher
    when it is not the author, the page or table, who quoted it, ISBN and URL — each where
    the dataset gives it, so no citation reads "(2022) Hjemløshed i Danmark 2022"."""
    p = _one(prov)
    c = getattr(p, "citations", {}).get(source_id)
    title = entry_text(c, "publication", lang) if c else ""
    if not title:
        return p.citation_text(source_id, lang) if p is not None else source_id
    w = CITATION_WORDS[lang]
    author, publisher, year = c.get("author") or "", c.get("publisher") or "", c.get("year")
    who = author or publisher
    if who:
        head = f"{who} ({year}). {_sentence(title)}" if year else f"{who}. {_sentence(title)}"
    else:
        head = f"{title} ({year})." if year else _sentence(title)
    parts = [head]
    if publisher and publisher != who and publisher not in title:
        parts.append(_sentence(publisher))
    def bare(text):  # "fig. DRD-7, part (i)" and "fig. DRD-7 part (i)" name one figure
        return "".join(ch for ch in text.lower() if ch.isalnum())

    if c.get("locator") and bare(c["locator"]) not in bare(title):
        parts.append(_sentence(locator_text(c["locator"], lang)))
    via = entry_text(c, "via", lang)
    if via:
        parts.append(_sentence(f"{w['via']} {via}"))
    if c.get("isbn"):
        parts.append(_sentence(f"ISBN {c['isbn']}"))
    if c.get("url"):
        parts.append(c["url"])
    return " ".join(parts)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def date_text(iso: str | None, lang: str) -> str:
    """An ISO date at the precision known, as a reader writes it: "30. november 2021",
    "november 2021", "2021" (English "30 November 2021", "November 2021"); '' for none."""
    import re

    if (iso or "").strip() == "unknown":  # a recipe's [report] date = "unknown"
        return {"da": "dato ukendt", "en": "date not known"}[lang]
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", (iso or "").strip())
    if not m:
        return iso or ""
    year, month, day = m.groups()
    if not month:
        return year
    name = MONTH_NAMES[lang][int(month) - 1]
    if not day:
        return f"{name} {year}"
    return f"{int(day)}. {name} {year}" if lang == "da" else f"{int(day)} {name} {year}"


def source_name(prov, source_id: str, lang: str, locator: str | None = None) -> str:
    """A source as a reader names it: its short name and the page (``Sundhedsstyrelsen 2020, s. 5``)."""
    name = source_short(prov, source_id, lang)
    parts = locator_text(locator, lang).split(", ") if locator else []
    # a short name that already names the figure ("…, fig. DRD-7") is not followed by it again
    for k in range(len(parts), 0, -1):
        if name.endswith(", ".join(parts[:k])):
            parts = parts[k:]
            break
    return ", ".join([name, *parts])


#: A page or table as recorded (English abbreviations) -> the Danish way of writing it.
LOCATOR_DA = ((r"\bpp?\.", "s."), (r"\bpart\b", "del"), (r"\bchapter on\b", "kapitlet om"), (r"\bchapter\b", "kapitel"),
              (r"\btable\b", "tabel"), (r"\bTable\b", "Tabel"))


def locator_text(locator: str | None, lang: str) -> str:
    """A locator (``p. 5``, ``fig. DRD-7, part (i)``) in ``lang``: recorded in English, written
    the Danish way in Danish (``s. 5``, ``fig. DRD-7, del (i)``); '' for none."""
    import re

    text = locator or ""
    if lang == "da":
        for pattern, words in LOCATOR_DA:
            text = re.sub(pattern, words, text)
    return text


def status_name(status: str, lang: str = "en") -> str:
    """A row status (schema.STATUSES) in words; the code itself stays in the data."""
    return STATUS_NAMES[lang].get(status, status)


def confidence_name(code: str, lang: str = "en") -> str:
    """A confidence flag (schema.CONFIDENCES) in words."""
    return CONFIDENCE_NAMES[lang].get(code, code)


def note_text(prov, note: str | None, lang: str) -> str | None:
    """A row's note in ``lang`` (values.csv's ``note_da`` beside ``note``), else as recorded."""
    if not note:
        return note
    notes = (getattr(_one(prov), "extra", None) or {}).get("notes") or {}
    return (notes.get(note) or {}).get(lang) or note


def vintage_text(prov, vintage_id: str, lang: str) -> str:
    """What a release is, in ``lang`` ('' if the provenance does not describe it)."""
    return entry_text(getattr(prov, "vintages", {}).get(vintage_id) or {}, "description", lang)


def source_line(prov, frame, lang: str) -> str:
    """'Kilde: …' from the provenance of each indicator and the sources used in ``frame``."""
    lead_word = {"da": "Kilde", "en": "Source"}[lang]
    provs = prov if isinstance(prov, dict) else {getattr(prov, "indicator", ""): prov}
    lines = []
    for ind, p in provs.items():
        rows = frame
        if "indicator" in frame.columns and len(provs) > 1:
            rows = frame.filter(frame["indicator"] == ind)
        sources = [s for s in rows["source"].drop_nulls().to_list()] if "source" in rows.columns else []
        if not sources and len(provs) > 1:
            continue
        lines.append(_source_line(p, lang, sources))
    if not lines:
        return f"{lead_word}: –"
    if len(lines) == 1:
        return lines[0]
    return f"{lead_word}: " + "; ".join(line.split(": ", 1)[1] for line in lines)


def _source_line(prov, lang: str, sources: list[str]) -> str:
    """Provenance.source_line, without repeating a publication the credit already names
    (e.g. credit "…, Forandringskraft (2021), s. 5" and the same short citation)."""
    line = prov.source_line(lang, sources or None)
    credit = prov.credit.get(lang) or prov.producer
    lead, _, body = line.partition(": ")
    if body.startswith(credit + ", "):
        pubs = [p for p in body[len(credit) + 2:].split("; ") if p and p not in credit]
        body = credit + (", " + "; ".join(pubs) if pubs else "")
    return f"{lead}: {body}"


def shared_decimals(rows, limit: int = 2) -> int:
    """The decimals the values need (0–``limit``), so one chart or column writes them
    alike ("23,0 %" beside "24,6 %", not "23 %")."""
    return max((value_decimals(r[key], limit=limit) for r in rows if isinstance(r, dict)
                for key in VALUE_COLUMNS if r.get(key) is not None), default=0)


def latest_per(frame, dim: str):
    """One row per code of ``dim`` and unit: the latest period (a comparison of approaches)."""
    import polars as pl

    latest = frame.group_by(dim, "unit").agg(pl.col("period_start").max().alias("_latest"))
    return frame.join(latest, on=[dim, "unit"]).filter(pl.col("period_start") == pl.col("_latest")).drop("_latest")


def is_percent(unit: str | None) -> bool:
    return unit in PERCENT_UNITS


# -- the words of every output, both languages: one place ---------------------------------

MONTH_NAMES = {
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}

#: The words of a citation (:func:`citation_text`).
CITATION_WORDS = {"da": {"via": "Gengivet i"}, "en": {"via": "Quoted in"}}

#: Chart words: titles, notes, legends, source lines (udsattestat.charts).
CHART_WORDS = {
    "da": {
        "source": "Kilde",
        "note": "Anm.",
        "hollow": "Usikkert eller omtrentligt tal",
        "range": "Interval (fra–til)",
        "gap": "Ingen tal for {periods}; linjen er brudt, ikke udfyldt.",
        "gap_between": "Ingen tal mellem {a} og {b}; linjen er brudt, ikke udfyldt.",
        "revised": "Revideret efter første offentliggørelse: {periods}; seneste udgave vises.",
        "index": "Indeks, {base} = 100",
        "index_sub": "Indeks ({base} = 100)",
        "approx": "ca.",
        "latest": "{period}",
        "and": "og",
        "hollow_note": "Lyse søjler med skrå streger: omtrentlige eller usikre tal.",
        "hollow_bar": "Omtrentligt eller usikkert tal",
        "index_base_approx": "{series}: grundlaget {base} er et omtrentligt tal, så alle indekstal i serien er omtrentlige (åbne punkter).",
        "index_sentence": "Indeks: hver serie er sat til 100 i {base}. {span}.",
        "all_approx": "Alle tal er omtrentlige eller usikre.",
        "top_shown": "Viser de {top} højeste af {total}.",
        "top_shown_and": "Viser de {top} højeste af {total} og {label} (nr. {rank}).",
        "latest_each": "Seneste tal for hver {dim}.",
        "from_to": "{first} i {a}, {last} i {b}",
        "highest": "højest {value} i {period}",
        "ranked": "{label} er nr. {rank} af {total} med {value}",
    },
    "en": {
        "source": "Source",
        "note": "Note",
        "hollow": "Uncertain or approximate value",
        "range": "Range (low–high)",
        "gap": "No figures for {periods}; the line is broken, not filled in.",
        "gap_between": "No figures between {a} and {b}; the line is broken, not filled in.",
        "revised": "Revised after first release: {periods}; the latest release is shown.",
        "index": "Index, {base} = 100",
        "index_sub": "Index ({base} = 100)",
        "approx": "approx.",
        "latest": "{period}",
        "and": "and",
        "hollow_note": "Light bars with diagonal lines: approximate or uncertain values.",
        "hollow_bar": "Approximate or uncertain value",
        "index_base_approx": "{series}: the base {base} is an approximate figure, so every index value of the series is approximate (open points).",
        "index_sentence": "Index: each series is set to 100 in {base}. {span}.",
        "all_approx": "All values are approximate or uncertain.",
        "top_shown": "Showing the {top} highest of {total}.",
        "top_shown_and": "Showing the {top} highest of {total} and {label} (no. {rank}).",
        "latest_each": "Latest figure for each {dim}.",
        "from_to": "{first} in {a}, {last} in {b}",
        "highest": "highest {value} in {period}",
        "ranked": "{label} is no. {rank} of {total} with {value}",
    },
}

#: Table words: headers, notes, the sheet name (udsattestat.tables).
TABLE_WORDS = {
    "da": {"period": "Periode", "value": "Værdi", "unit": "Enhed", "source": "Kilde", "change": "Ændring {a}–{b}",
           "change_pct": "Ændring {a}–{b}, pct.", "change_pp": "Ændring {a}–{b}, pct.-point",
           "measures": "Hvad der måles", "year": "År",
           "status_note": "ca. = omtrentligt eller usikkert tal; a–b = interval.", "sheet": "Tabel",
           "approx_column": "Omtrentlige tal (ca.) i kolonnerne", "low": "fra", "high": "til"},
    "en": {"period": "Period", "value": "Value", "unit": "Unit", "source": "Source", "change": "Change {a}–{b}",
           "change_pct": "Change {a}–{b}, %", "change_pp": "Change {a}–{b}, percentage points",
           "measures": "What is measured", "year": "Year",
           "status_note": "approx. = approximate or uncertain value; a–b = range.", "sheet": "Table",
           "approx_column": "Approximate values (approx.) in columns", "low": "low", "high": "high"},
}

#: Statuses a reader sees marked as approximate: "ca." in text, hatching and open points in charts.
APPROX_STATUSES = ("approximate", "uncertain")
APPROX = {"da": "ca.", "en": "approx."}

#: Export words: the XLSX sheets and the metadata lines (udsattestat.export).
EXPORT_WORDS = {
    "da": {"data": "Data", "sources": "Kilder", "licence": "Licens", "source": "Kilde-id", "citation": "Henvisning",
           "producer": "Producent", "columns": "Kolonne i CSV/JSON", "column": "Kolonne"},
    "en": {"data": "Data", "sources": "Sources", "licence": "Licence", "source": "Source id", "citation": "Citation",
           "producer": "Producer", "columns": "Column in CSV/JSON", "column": "Column"},
}

#: The build page's words (udsattestat.recipes.html).
PAGE_WORDS = {
    "da": {"figures": "Figurer", "tables": "Tabeller", "claims": "Påstande i rapporten",
           "sources": "Kilder", "files": "Filer", "download": "Hent", "published": "Udgivet",
           "by": "Udgivet af", "isbn": "ISBN", "built": "Bygget med udsattestat",
           "manifest": "manifest (sha256 af alle filer)", "vintages": "Udgaver brugt",
           "licence": "Licens", "summary": "Opsummering", "no_date": "dato ikke registreret",
           "inputs": "Tal brugt", "skip": "Gå til påstandene", "data": "data (CSV)",
           "all_claims": "alle", "show_folded": "Vis de {n} påstande", "evidence": "Beviset",
           "spark": "Serien {first}–{last} (seneste data); det blå bånd er de tal, påstanden tillader; prikken er det påståede år.",
           "groups": {FAILS: "Holder ikke", DISAGREE: "Rapportens tal stemmer ikke overens",
                      REVISED: "Holdt ved udgivelsen, ændret ved revision", UNDECIDED: "Uafgjort",
                      NOT_COMPARABLE: "Kan ikke sammenlignes", HOLDS: "Holder",
                      AGREE: "Rapportens tal stemmer overens", NO_DATA: "Ingen data"},
           "both_views": "Data som offentliggjort pr. {as_of} og seneste data (de samme)",
           "live": "Hentet live", "retrieved": "hentet", "live_kept": "de udgivne udgaver er bevaret til "
           "kontrollen pr. rapportens dato"},
    "en": {"figures": "Figures", "tables": "Tables", "claims": "The report's claims",
           "sources": "Sources", "files": "Files", "download": "Download", "published": "Published",
           "by": "Published by", "isbn": "ISBN", "built": "Built with udsattestat",
           "manifest": "manifest (sha256 of every file)", "vintages": "Vintages used",
           "licence": "Licence", "summary": "Summary", "no_date": "date not recorded",
           "inputs": "Numbers used", "skip": "Skip to the claims", "data": "data (CSV)",
           "all_claims": "all", "show_folded": "Show the {n} claims", "evidence": "The evidence",
           "spark": "The series {first}–{last} (latest data); the blue band is what the claim allows; the dot is the claimed year.",
           "groups": {FAILS: "Fails", DISAGREE: "The report's figures disagree",
                      REVISED: "Held as published, changed by a revision", UNDECIDED: "Undecided",
                      NOT_COMPARABLE: "Not comparable", HOLDS: "Holds",
                      AGREE: "The report's figures agree", NO_DATA: "No data"},
           "both_views": "Data as published by {as_of} and the latest data (the same)",
           "live": "Fetched live", "retrieved": "retrieved", "live_kept": "the published vintages are kept "
           "for the check as of the report's date"},
}

#: The terminal's words for build and verify (udsattestat.cli.summary): short verdict names
#: (no comma inside one, so a count line reads as a list), the summary's lines, progress.
TERMINAL_WORDS = {
    "da": {"verdicts": {HOLDS: "holder", FAILS: "holder ikke", REVISED: "ændret ved revision",
                        UNDECIDED: "uafgjort", NO_DATA: "ingen data", NOT_COMPARABLE: "kan ikke sammenlignes",
                        AGREE: "stemmer overens", DISAGREE: "stemmer ikke"},
           "consistency": "Rapportens egne tal mod hinanden: {counts}.", "later": "på senere data",
           "built": "Bygget {out}: {figures} figurer ({fig_formats}), {tables} tabeller ({tab_formats}), "
                    "{claims} påstande; {files} filer.",
           "unchanged": "Uændret: {out} rummer allerede denne bygning ({files} filer, ingen byte ændret).",
           "reused": "Tegnet igen: {drawn}; genbrugt fra forrige bygning (samme data): {reused} af {total}.",
           "live": "Live: {live} (de udgivne udgaver er bevaret til kontrollen pr. rapportens dato); "
                   "kun fra pakken: {bundled}.",
           "none": "ingen", "no_claims": "Ingen påstande i denne opskrift.",
           "claims": "Påstande, kontrolleret mod data som offentliggjort pr. {as_of} og de seneste data:",
           "claims_undated": "Påstande, kontrolleret mod de seneste data (rapportens dato kendes ikke):",
           "page": "Åbn {path}", "claims_md": "Påstandene som tekst: {path}",
           "more": "{n} påstande mere (holder, ingen data); alle med --verbose.",
           "more_one": "1 påstand mere (holder eller ingen data); alle med --verbose.",
           "figure": "figur", "table": "tabel", "says": "påstanden", "says_consistency": "kontrollen",
           "page_abbr": "s."},
    "en": {"verdicts": {HOLDS: "hold", FAILS: "fail", REVISED: "revised", UNDECIDED: "undecided",
                        NO_DATA: "no data", NOT_COMPARABLE: "not comparable", AGREE: "agree",
                        DISAGREE: "disagree"},
           "verdict_one": {HOLDS: "holds", FAILS: "fails", AGREE: "agrees", DISAGREE: "disagrees"},
           "consistency": "The report's own figures against each other: {counts}.", "later": "on later data",
           "built": "Built {out}: {figures} figures ({fig_formats}), {tables} tables ({tab_formats}), "
                    "{claims} claims; {files} files.",
           "unchanged": "Unchanged: {out} already holds this build ({files} files, no byte changed).",
           "reused": "Drawn again: {drawn}; reused from the previous build (inputs unchanged): {reused} of {total}.",
           "live": "Live: {live} (bundled vintages kept for the report-date check); bundled only: {bundled}.",
           "none": "none", "no_claims": "No claims in this recipe.",
           "claims": "Claims, checked against the data as published by {as_of} and the latest data:",
           "claims_undated": "Claims, checked against the latest data (the report's date is not known):",
           "page": "Open {path}", "claims_md": "The claims as text: {path}",
           "more": "{n} more claims (hold, no data); every one with --verbose.",
           "more_one": "1 more claim (holds or no data); every one with --verbose.",
           "figure": "figure", "table": "table", "says": "the claim", "says_consistency": "the check",
           "page_abbr": "p."},
}

#: Claim verdicts and the words of claims.md and the page's claims (keys: the verdicts).
CLAIM_LABELS = {
    "da": {HOLDS: "holder", FAILS: "holder ikke", REVISED: "holdt ved udgivelsen, ændret ved revision",
           NOT_COMPARABLE: "kan ikke sammenlignes", UNDECIDED: "uafgjort",
           NO_DATA: "ingen data", "computed": "beregnet (kun til orientering)",
           "as_of": "Data som offentliggjort pr.", "latest": "Seneste data", "report": "Rapportens egne tal",
           "page": "s.", "note": "note", "check": "Kontrol", "claims": "Påstande", "reason": "Begrundelse",
           "comment": "Fortolkning", "differs": "Revisioner ændrer resultatet",
           "no_source": "Ingen data", "caveat": "Kildens forbehold",
           AGREE: "rapportens tal stemmer overens", DISAGREE: "rapportens tal stemmer ikke overens",
           "consistency": "rapportens egne tal mod hinanden (tælles for sig)",
           "revised_numbers": "En revision ændrede tallene, ikke resultatet", "reads": "Læsning",
           "margin": "Margin", "neighbours": "Nabo-perioder"},
    "en": {HOLDS: "holds", FAILS: "fails", REVISED: "held as published, changed by a revision",
           NOT_COMPARABLE: "not comparable", UNDECIDED: "undecided", NO_DATA: "no data",
           "computed": "computed (for information only)",
           "as_of": "Data as published by", "latest": "Latest data", "report": "The report's own numbers",
           "page": "p.", "note": "note", "check": "Check", "claims": "Claims", "reason": "Reason",
           # "Fortolkning": the recipe's comment; "Reading" is the quoted number's reading
           "comment": "Interpretation",
           "differs": "Revisions change the result",
           "no_source": "No data", "caveat": "The source's caveat",
           AGREE: "the report's figures agree with each other",
           DISAGREE: "the report's figures disagree with each other",
           "consistency": "the report's own figures against each other (counted apart)",
           "revised_numbers": "A revision changed the numbers, not the result", "reads": "Reading",
           "margin": "Margin", "neighbours": "Neighbouring periods"},
}

MEASURE_NAMES = {
    "da": {"value": "værdi", "difference": "forskel", "percent_change": "ændring i pct.", "ratio": "forhold",
           "share": "andel i pct.", "min": "mindste", "max": "største", "range": "spænd",
           "every_change": "hver ændring", "rank": "placering", "stated": "rapportens egen regning",
           "formula": "regning"},
    "en": {"value": "value", "difference": "difference", "percent_change": "percent change", "ratio": "ratio",
           "share": "share (%)", "min": "minimum", "max": "maximum", "range": "range",
           "every_change": "every change", "rank": "rank", "stated": "the report's own arithmetic",
           "formula": "arithmetic"},
}

#: The words of an input line (claims.md, the page) per language.
INPUT_WORDS = {
    "da": {"vintage": "udgave", "published": "udgivet", "no_date": "dato ikke registreret", "source": "kilde",
           "status": "status", "confidence": "sikkerhed"},
    "en": {"vintage": "vintage", "published": "published", "no_date": "date not recorded", "source": "source",
           "status": "status", "confidence": "confidence"},
}

#: Row statuses (schema.STATUSES) in words; the code itself stays in claims.json and the CSVs.
STATUS_NAMES = {
    "da": {"published": "offentliggjort", "suppressed": "diskretioneret", "omitted": "udeladt",
           "uncertain": "usikker", "approximate": "afrundet", "estimated": "skønnet", "provisional": "foreløbig",
           "break": "databrud", "low_reliability": "lav pålidelighed"},
    "en": {"published": "published", "suppressed": "suppressed", "omitted": "omitted", "uncertain": "uncertain",
           "approximate": "rounded", "estimated": "estimated", "provisional": "provisional", "break": "break in series",
           "low_reliability": "low reliability"},
}

#: Confidence flags (schema.CONFIDENCES) in words; the flag itself stays in the data.
CONFIDENCE_NAMES = {
    "da": {"V": "læst i publikationen", "S": "læst i en kilde, der citerer publikationen",
           "D": "beregnet af offentliggjorte tal", "U": "usikker"},
    "en": {"V": "read in the publication", "S": "read in a source quoting the publication",
           "D": "derived from published figures", "U": "uncertain"},
}

#: `udsattestat info`: its labels (the ids in brackets are what the other commands take).
INFO_WORDS = {
    "da": {"unit": "Enhed", "producer": "Producent", "publication": "Publikation", "url": "URL", "licence": "Licens",
           "periods": "Perioder", "live": "Live-hentning", "dimensions": "Dimensioner", "caveats": "Forbehold",
           "sources": "Kilder", "via": "via", "published": "udgivet", "no_date": "dato ikke registreret",
           "vintages": "Udgaver (hver udgivelse gemmes; 'latest' er standardvisningen)",
           "live_only": "ingen i pakken (kun live: udsattestat show {id} --live)",
           "no_live": "ingen (afskrevet fra publikationer)"},
    "en": {"unit": "Unit", "producer": "Producer", "publication": "Publication", "url": "URL", "licence": "Licence",
           "periods": "Periods", "live": "Live fetch", "dimensions": "Dimensions", "caveats": "Caveats",
           "sources": "Sources", "via": "via", "published": "published", "no_date": "date not recorded",
           "vintages": "Vintages (every release is kept; 'latest' is the default view)",
           "live_only": "none bundled (live only: udsattestat show {id} --live)",
           "no_live": "none (transcribed from publications)"},
}
