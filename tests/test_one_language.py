"""One language per output: the seed recipe built in Danish has no English prose and no
internal ids in anything a reader sees, and the English build no Danish prose.

Every human-visible text is read as a reader meets it: the page's text nodes (and image
alt texts), each chart SVG's texts (matplotlib writes every drawn string as a comment
beside its glyphs), the table files (md, both CSVs), every XLSX cell and sheet name
(openpyxl) and claims.md. What is let through is quoted, and only so: the report's own
sentences (each claim's quote) and any text between quotation marks (a fragment of the
report read in a claim's reading, a licence's required wording) and the proper names and
titles in ALLOWED. The formulas of the report's own arithmetic are not let through: they
are shown in words (each number's ``label`` in the recipe).
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

try:  # tests/ may or may not be a package
    from .recipe_helpers import seed_build
except ImportError:
    from recipe_helpers import seed_build  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "recipes" / "forandringskraft-2021.toml"

#: Words that are English and not Danish: none may stand as a word in a Danish output.
ENGLISH_MARKERS = ["the", "and", "of", "with", "from", "source", "sources", "licence", "published", "quoted",
                   "as quoted", "with caution", "caution", "approximate", "rounded", "persons", "percent",
                   "vintage", "release", "free reuse", "credited", "date not recorded", "has no value", "before",
                   "after", "analysis", "count", "report", "reuse", "which", "not"]
#: Words that are Danish and not English: none may stand as a word in an English output.
DANISH_MARKERS = ["og", "kilde", "kilder", "af", "ikke", "med", "udgave", "udgivet", "personer", "fra", "til",
                  "ingen", "værdi", "gengivet", "efter", "licens", "omtrentligt", "tal", "år"]

#: Proper names and titles quoted as published (the one place a word of the other language
#: may stand). Each is removed from the text before the scan, and only where it occurs whole.
ALLOWED = {
    "da": [
        # EMCDDA's English titles, quoted as published
        "Statistical Bulletin 2012, fig. DRD-7 part (i): Mortality due to drug-induced deaths among all adults "
        "(15 to 64 years) in European countries for the most recent year reported",
        "European Monitoring Centre for Drugs and Drug Addiction",
        "EMCDDA Statistical Bulletin", "Country Drug Report", "European Drug Report", "Selection B",
        # a recorded citation of Arnstein's article (the recipe's no_data text)
        "A Ladder of Citizen Participation",
        # Eurostat's licence wording, quoted as Eurostat requires it
        "Eurostat (live: hlth_cd_aro, demo_pjan)",
    ],
    "en": [
        # Danish titles, names and quotations quoted as published
        "Rådet for Socialt Udsatte", "Socialt udsatte borgeres brug af velfærdssystemet",
        "Deltagelse som vejen til forandring", "Hjemløshed i Danmark", "Narkotikasituationen i Danmark",
        "Narkotikarelaterede dødsfald", "narkotikarelaterede dødsfald 2021 og 2022",
        "Danskernes sundhed – Den Nationale Sundhedsprofil", "Tal og fakta om mental sundhed",
        "Nyt fra Danmarks Statistik: Relativ fattigdom", "Nyt fra Danmarks Statistik", "Forandringskraft. Debatoplæg om social forandring",
        "Danskernes holdninger til socialt udsatte", "Holdninger til socialt udsatte",
        "Indsatsen for mennesker med psykiske lidelser", "Årsrapport for udsatteområdet",
        "Undersøgelse af livskvalitet og psykisk helbred for sygemeldte tilknyttet et jobcenter",
        "Hvad vi ved om udsatte unge", "Landsforeningen af VæreSteder", "Fordelingspolitisk redegørelse",
        "Det Nationale Forsknings- og Analysecenter for Velfærd", "Det Nationale Forskningscenter for Velfærd",
        "Statens Institut for Folkesundhed", "Fællesskabsmålingen",
        "Forandringskraft. Fire forudsætninger for social forandring", "Udvikling i antallet af relativt fattige",
        "Befolkningens udvikling", "Lidt flere døde og færre fødte i 2020",
        # titles the recipe names as the publications that would settle a claim
        "Hjemløshed i ungdommen – en registerbaseret undersøgelse af unges", "Tidligere anbragte unge – 18 år og på vej mod voksenlivet",
        "Indenrigs- og Boligministeriet", "Afrapportering: Flere billige almene boliger", "Fagligt notat: Behandling af misbrugere skal samles ét sted!",
    ],
}


class _Text(HTMLParser):
    """The text a reader sees on the page: text nodes outside <style>/<script>, and alt texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data)


def page_texts(path: Path) -> list[str]:
    parser = _Text()
    parser.feed(path.read_text("utf-8"))
    return parser.parts


def svg_texts(path: Path) -> list[str]:
    # the chart's text is SVG text (<text>, a wrapped line in a <tspan> of its own)
    from html import unescape

    found = re.findall(r"<text\b[^>]*>(.*?)</text>", path.read_text("utf-8"), flags=re.S)
    return [unescape(re.sub(r"<[^>]+>", " ", m)).strip() for m in found]


def csv_texts(path: Path) -> list[str]:
    text = path.read_text("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def xlsx_texts(path: Path) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    out = list(book.sheetnames)
    for sheet in book.worksheets:
        out += [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    return out


def outputs(out: Path) -> dict[str, list[str]]:
    """Every file a reader opens, with its texts. Chart data CSVs (the figures' ``data (CSV)``
    links) are tidy data for programs, like `export --format csv`: codes, not prose."""
    figures = {p.stem.removesuffix("-phone") for p in out.glob("*.svg")}
    texts = {"index.html": page_texts(out / "index.html"),
             # an anchor (<a id="claim-id"></a>) is markup, not text
             "claims.md": [re.sub(r"<[^>]+>", "", line) for line in (out / "claims.md").read_text("utf-8").splitlines()]}
    for p in sorted(out.iterdir()):
        if p.suffix == ".svg":
            texts[p.name] = svg_texts(p)
        elif p.suffix == ".md" and p.name != "claims.md":
            texts[p.name] = p.read_text("utf-8").splitlines()
        elif p.suffix == ".csv" and p.stem not in figures:
            texts[p.name] = csv_texts(p)
        elif p.suffix == ".xlsx":
            texts[p.name] = xlsx_texts(p)
    return texts


def internal_ids() -> set[str]:
    """Dataset ids, source ids, vintage ids and claim ids: names for programs, not readers."""
    import tomllib

    ids = set()
    for folder in (ROOT / "datasets").iterdir():
        if not (folder / "dataset.toml").is_file():
            continue
        meta = tomllib.loads((folder / "dataset.toml").read_text("utf-8"))
        ids |= {folder.name, *meta["sources"], *meta["vintages"]}
    recipe = tomllib.loads(SEED.read_text("utf-8"))
    ids |= {c["id"] for c in recipe.get("claims", [])}
    return ids


def quotations() -> list[str]:
    """The report's own sentences, quoted in both languages' outputs. (The formulas of the
    report's own arithmetic are not exempt: they are shown in the reader's words, through
    each number's ``label``.)"""
    from udsattestat.recipes.reader import load_recipe

    claims = load_recipe(SEED).claims
    return sorted((c.quote for c in claims), key=len, reverse=True)


#: Text between quotation marks is quoted as written (“…”, "…", and '…' not inside a word).
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|(?<![\w])'[^']*'(?![\w])")


def leaks(texts: dict[str, list[str]], markers: list[str], allowed: list[str], ids: set[str],
          check_word_ids: bool) -> list[str]:
    found = []
    marker_re = re.compile(r"(?<![\w'’-])(" + "|".join(re.escape(m) for m in markers) + r")(?![\w'’-])", re.I)
    allowed = sorted([*allowed, *quotations()], key=len, reverse=True)
    for name, lines in texts.items():
        for line in lines:
            text = str(line)
            for a in allowed:
                text = text.replace(a, " ")
            text = QUOTED.sub(" ", text)
            text = re.sub(r"https?://\S+", " ", text)  # a URL is an address, not prose
            text = re.sub(r"--[a-z-]+ [\w.-]+", " ", text)  # an option to type ("--vintage dst-nyt-33390")
            for m in marker_re.finditer(text):
                found.append(f"{name}: {m.group(0)!r} in {str(line)[:160]!r}")
            for word in re.findall(r"[\w.-]*[\w]", text):
                # an id that is also an English word (poverty, neet) counts only in Danish outputs
                if word in ids and (check_word_ids or "-" in word):
                    found.append(f"{name}: id {word!r} in {str(line)[:160]!r}")
    return found


@pytest.fixture(scope="module")
def built():
    out = {}
    for lang in ("da", "en"):
        path, res = seed_build(lang)
        assert (path / "index.html").is_file(), res.output
        out[lang] = path
    return out


def test_danish_outputs_have_no_english_and_no_ids(built):
    texts = outputs(built["da"])
    assert len(texts) >= 20 and sum(len(v) for v in texts.values()) > 1000  # really read something
    found = leaks(texts, ENGLISH_MARKERS, ALLOWED["da"], internal_ids(), check_word_ids=True)
    assert not found, f"{len(found)} leaks:\n" + "\n".join(found[:60])


def test_english_outputs_have_no_danish_and_no_ids(built):
    texts = outputs(built["en"])
    found = leaks(texts, DANISH_MARKERS, ALLOWED["en"], internal_ids(), check_word_ids=False)
    assert not found, f"{len(found)} leaks:\n" + "\n".join(found[:60])


def test_the_scan_finds_a_leak():
    # the scanner itself: an English licence on a Danish page and an id are both found
    texts = {"index.html": ["Licens: Free reuse with the source credited", "poverty har ingen værdi for 2015"]}
    found = leaks(texts, ENGLISH_MARKERS, ALLOWED["da"], {"poverty"}, check_word_ids=True)
    assert any("'Free reuse'" in f for f in found) and any("id 'poverty'" in f for f in found)
    assert not leaks({"x": ["Kilde: Danmarks Statistik"]}, ENGLISH_MARKERS, ALLOWED["da"], {"poverty"}, True)


@pytest.mark.parametrize(("lang", "mark", "statuses"), [("da", "ca.", ("afrundet", "usikker")),
                                                         ("en", "approx.", ("rounded", "uncertain"))])
def test_approximate_inputs_are_marked_in_claims(built, lang, mark, statuses):
    # every approximate or uncertain number a claim used reads "ca. 580.000", as in the tables
    lines = [line for line in (built[lang] / "claims.md").read_text("utf-8").splitlines()
             if line.lstrip().startswith("- ") and any(f"status {s};" in line for s in statuses)]
    assert len(lines) >= 10
    for line in lines:
        # "- 2019: ca. 248.000 (…)", or a formula's input "- kvinder 16–24 år: 2010: ca. 15,3 % (…)"
        # (a period as published may itself hold brackets: cut at the origin, the last bracket)
        value = line[:line.rindex(" (")].split(": ")[-1]
        if re.match(r"\d[\d.,]*–", value):  # a published range is written as one
            continue
        assert value.startswith(mark + " "), line


def test_info_show_and_export_speak_danish(tmp_path):
    """The terminal and the export's words and metadata in Danish too. Ids stay where a
    command shows them to be typed ([dst-nyt-33390] in `info`) and in the data sheet's code
    columns (data for programs); everything else is read like the page."""
    import openpyxl
    from click.testing import CliRunner

    from udsattestat.cli import main

    runner = CliRunner()
    texts: dict[str, list[str]] = {}
    for args in (["info", "poverty"], ["show", "poverty"], ["show", "drug-deaths-eu"], ["info", "homelessness"]):
        res = runner.invoke(main, args)
        assert res.exit_code == 0, res.output
        # `info` lists the ids a reader types: [source id], dimension (codes)
        texts[" ".join(args)] = [re.sub(r"\[[\w.-]+\]|^  \w+ \(|: [\w, ]+$", " ", line) if args[0] == "info" else line
                                 for line in res.output.splitlines()]
    for fmt in ("xlsx", "md"):
        res = runner.invoke(main, ["export", "poverty", "--out", str(tmp_path / f"p.{fmt}"), "--lang", "da"])
        assert res.exit_code == 0, res.output
    texts["export md"] = (tmp_path / "p.md").read_text("utf-8").splitlines()
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    head = [c.value for c in book["Data"][1]]
    # the unit, status and confidence in words and the row notes (values.csv's note_da) in Danish
    notes = [c.value for name in ("Enhed", "Status", "Sikkerhed", "Note")
             for c in book["Data"][openpyxl.utils.get_column_letter(head.index(name) + 1)][1:] if c.value]
    assert len(notes) >= 40 and "personer" in notes and "afrundet" in notes
    # a note may name a release's id: the sheet's own Udgave column holds it
    assert not leaks({"notes": notes}, ENGLISH_MARKERS, ALLOWED["da"], set(), check_word_ids=False)
    texts["export xlsx"] = [*book.sheetnames, *head,
                            *(c.value for row in book.worksheets[1].iter_rows(min_col=2) for c in row if c.value),
                            *(c.value for c in book.worksheets[1]["A"][:5] if c.value)]
    found = leaks(texts, ENGLISH_MARKERS, ALLOWED["da"], internal_ids(), check_word_ids=False)
    assert not found, "\n".join(found[:40])
    assert "Licens: Fri genbrug" in "\n".join(texts["info poverty"]).replace("Licens:        ", "Licens: ")


def test_a_danish_note_needs_its_english_note(datasets_copy):
    from udsattestat.bundle import check_folder
    from udsattestat.errors import DatasetFileError

    path = datasets_copy / "poverty" / "values.csv"
    lines = path.read_text("utf-8").splitlines()
    assert lines[0].endswith(",note,note_da")
    row = next(i for i, line in enumerate(lines) if line.endswith(",,"))  # a row without a note
    lines[row] += "en dansk note"  # note empty, note_da given
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(DatasetFileError, match=f"line {row + 1}: note_da without a note"):
        check_folder(datasets_copy / "poverty")


def test_phone_index_chart_labels_its_base_year(built):
    # seen in the screenshots: at 390 px the indexed chart's axis read "2019 2024", its base
    # year (2015 = 100, an approximate base) unlabelled; the first year is labelled when it fits
    for lang in ("da", "en"):
        years = [t for t in svg_texts(built[lang] / "three-series-indexed-2015-phone.svg") if re.fullmatch(r"20\d\d", t)]
        assert years[:1] == ["2015"] and "2024" in years, years


@pytest.mark.parametrize("lang, markers", [("da", ENGLISH_MARKERS), ("en", None)])
def test_data_csvs_keep_codes_but_write_notes_in_the_output_language(built, tmp_path, lang, markers):
    """The data formats keep codes (units, statuses, ids are names for programs), but a row
    note is prose: a figure's data CSV, `export --format csv` and `--format json` write it in
    the output's language."""
    import json

    from click.testing import CliRunner

    from udsattestat.cli import main

    notes = []
    for p in sorted(built[lang].glob("*.csv")):
        rows = list(csv.DictReader(io.StringIO(p.read_text("utf-8"))))
        if rows and "note" in rows[0] and "status" in rows[0]:  # a figure's tidy data
            notes += [r["note"] for r in rows if r["note"]]
    runner = CliRunner()
    res = runner.invoke(main, ["export", "poverty", "--vintage", "all", "--format", "csv", "--out", "-", "--lang", lang])
    assert res.exit_code == 0, res.output
    exported = [r["note"] for r in csv.DictReader(io.StringIO(res.stdout)) if r["note"]]
    assert {r["status"] for r in csv.DictReader(io.StringIO(res.stdout))} <= {"published", "approximate", "uncertain",
                                                                               "provisional", "estimated", "revised"}
    res = runner.invoke(main, ["export", "poverty", "--vintage", "all", "--format", "json", "--out", "-", "--lang", lang])
    assert res.exit_code == 0, res.output
    assert [r["note"] for r in json.loads(res.stdout)["data"] if r["note"]] == exported
    assert len(notes) >= 5 and len(exported) >= 5
    words = {"da": "afrundet til tusinde", "en": "written to the thousand"}[lang]
    assert any(words in n for n in exported)
    if markers:
        found = leaks({"figure data notes": notes, "export csv notes": exported}, markers, ALLOWED[lang], set(),
                      check_word_ids=False)
        assert not found, "\n".join(found[:20])
