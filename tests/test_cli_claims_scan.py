"""``udsattestat claims scan`` through click's CliRunner: output, coverage, drafts, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschemas import checked

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "recipes" / "reports" / "forandringskraft-2021.txt"
RECIPE = ROOT / "recipes" / "forandringskraft-2021.toml"

MINI_RECIPE = """
[report]
title = "Mini"
date = "2021-11"

[[claim]]
id = "over-6000"
quote = "Den seneste hjemløsetælling i 2019 viste, at der var over 6.000 hjemløse"
page = 7
indicator = "homelessness"
where = { geo = "DK", population = "COUNTED", situation = "TOT", age = "TOT" }
measure = "value"
period = "2019"
check = { op = ">", value = 6000 }

[[skip]]
quote = "Det gælder for unge under 30 år, for mennesker, der ikke har været i Danmark i ni ud af de seneste ti år"
page = "19–28"
reason = { da = "Lovens regler, ikke en statistik.", en = "The law's rules, not a statistic." }
"""

REPORT_TEXT = """## INDHOLD

- S. 3 **Forord:** Om tal
- S. 7 **Kapitel:** Tal

## Forord:

Fire forudsætninger for social forandring.

## Kapitel:

Den seneste hjemløsetælling i 2019 viste, at der var over 6.000 hjemløse, hvilket er knap 30 procent højere end i 2009.

Det gælder for unge under 30 år, for mennesker, der ikke har været i Danmark i ni ud af de seneste ti år.

Antallet af fattige er mere end fordoblet siden årtusindskiftet.
"""


@pytest.fixture()
def mini(tmp_path):
    (tmp_path / "r.toml").write_text(MINI_RECIPE, encoding="utf-8")
    (tmp_path / "report.md").write_text(REPORT_TEXT, encoding="utf-8")
    return tmp_path


def run(runner, cli, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def with_text(mini, text: str = "report.md"):
    """The mini recipe naming a report text beside it."""
    recipe = mini / "r.toml"
    recipe.write_text(MINI_RECIPE.replace('date = "2021-11"', f'date = "2021-11"\ntext = "{text}"'), encoding="utf-8")
    return recipe


def build_mini(runner, cli, mini):
    res = runner.invoke(cli, ["build", str(with_text(mini)), "--out", str(mini / "out"), "--fail-on", "none"])
    assert res.exit_code == 0, res.output
    return res


def test_scan_lists_statements_with_pages_and_set_apart_counts(runner, cli, mini):
    res = run(runner, cli, "claims", "scan", mini / "report.md", "--lang", "en")
    assert res.exit_code == 0, res.output
    first = " ".join(res.output.split("\n\n")[0].split())
    assert "3 numerical statements" in first and "pages from the table of contents" in first
    assert "years 2" in first  # 2019 and 2009 set apart as dates
    assert "p. 7–" not in res.output and "p. 7ff." in res.output  # the last chapter: its end is unknown
    assert "over 6.000 personer (level) · knap 30 pct. (change) → homelessness" in " ".join(res.output.split())


def test_coverage_checked_skipped_left(runner, cli, mini):
    res = run(runner, cli, "claims", "scan", mini / "report.md", "--recipe", mini / "r.toml", "--lang", "en")
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "1 of 3 numerical statements checked, 1 set apart with a reason, 0 drafted" in out
    assert "1 left:" in out and "mere end fordoblet" in out
    assert "why: The law's rules, not a statistic." in out


def test_json_carries_its_schema_and_coverage(runner, cli, mini):
    res = run(runner, cli, "claims", "scan", mini / "report.md", "--recipe", mini / "r.toml", "--json")
    doc = checked("claims-scan", res.output)
    assert doc["schema"] == "udsattestat/claims-scan/1"
    assert doc["coverage"] == {"recipe": str(mini / "r.toml"), "statements": 3, "checked": 1, "skipped": 1,
                               "drafted": 0, "left": 1, "unmatched_claims": []}
    by_text = {s["sentence"][:20]: s for s in doc["statements"]}
    assert by_text["Den seneste hjemløse"]["checked_by"] == ["over-6000"]
    reasons = {(a["text"], a["reason"]) for a in doc["set_apart"]}
    assert ("2019", "year") in reasons and ("Fire", "structure") in reasons and ("30", "age") in reasons


def test_drafts_are_refused_until_reviewed(runner, cli, mini):
    drafts = mini / "drafts.toml"
    res = run(runner, cli, "claims", "scan", mini / "report.md", "--recipe", mini / "r.toml", "--draft", drafts,
              "--lang", "en")
    assert res.exit_code == 0, res.output
    text = drafts.read_text(encoding="utf-8")
    assert text.count("[[claim]]") == 1 and "draft = true" in text
    assert 'check = { op = ">", value = 2 }' in text  # "mere end fordoblet": more than twice
    assert 'indicator = "poverty-3yr"' in text  # guessed from the dataset's keywords
    recipe = mini / "r.toml"
    recipe.write_text(recipe.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    for args in (["recipe", "check", recipe], ["build", recipe, "--out", mini / "out"], ["verify", recipe]):
        res = runner.invoke(cli, [str(a) for a in args])
        assert res.exit_code == 2, (args, res.output)
        assert "1 draft claim(s) remain (p7-antallet-af-fattige-er-mere)" in res.output
    assert not (mini / "out").exists()
    # the scan counts it as drafted, not checked
    res = run(runner, cli, "claims", "scan", mini / "report.md", "--recipe", recipe, "--lang", "en")
    assert "1 drafted" in res.output and "Every numerical statement is checked" not in res.output


def test_draft_false_is_an_error(runner, cli, mini):
    recipe = mini / "r.toml"
    recipe.write_text(MINI_RECIPE.replace('id = "over-6000"', 'id = "over-6000"\ndraft = false'), encoding="utf-8")
    res = runner.invoke(cli, ["recipe", "check", str(recipe)])
    assert res.exit_code == 2 and "delete the line" in res.output


def test_draft_to_stdout(runner, cli, mini):
    res = run(runner, cli, "claims", "scan", mini / "report.md", "--draft", "-")
    assert res.exit_code == 0
    assert res.output.startswith("# Drafts from") and res.output.count("[[claim]]") == 3


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p / "missing.txt", "no report at"),
    (lambda p: (p / "bin.txt").write_bytes(b"\x00\x01\x02") and p / "bin.txt", "is not text"),
    (lambda p: p, "is a directory"),
])
def test_bad_report_is_one_line_exit_2(runner, cli, tmp_path, make, message):
    target = make(tmp_path)
    res = runner.invoke(cli, ["claims", "scan", str(target)])
    assert res.exit_code == 2, res.output
    assert message in res.output
    # one error line (a directory is refused by click itself, with the usage line above it)
    assert "Traceback" not in res.output
    assert [line for line in res.output.splitlines() if line.startswith("Error:")] == [res.output.strip().splitlines()[-1]]


def test_forandringskraft_scan_and_coverage(runner, cli):
    res = run(runner, cli, "claims", "scan", REPORT, "--recipe", RECIPE, "--json")
    doc = json.loads(res.output)
    cov = doc["coverage"]
    assert cov["statements"] == 46
    assert cov["checked"] + cov["skipped"] + cov["drafted"] + cov["left"] == 46


def test_pdf_pages_are_the_pdfs_own(runner, cli, tmp_path):
    pytest.importorskip("pypdf")  # the 'pdf' extra (in the test extra too)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    path = tmp_path / "r.pdf"
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for text in ("Den seneste hjemløsetælling i 2019 viste, at der var over 6.000 hjemløse.",
                     "Antallet er knap 250.000 personer i 2019."):
            fig = plt.figure(figsize=(8, 3))
            fig.text(0.05, 0.5, text)
            pdf.savefig(fig)
            plt.close(fig)
    doc = json.loads(run(runner, cli, "claims", "scan", path, "--json").output)
    assert doc["page_source"] == "pdf"
    assert [(s["page"], s["quantities"][0]["text"]) for s in doc["statements"]] == [("1", "6.000"), ("2", "250.000")]


def test_a_damaged_pdf_is_one_line(runner, cli, tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage")
    res = runner.invoke(cli, ["claims", "scan", str(path)])
    assert res.exit_code == 2 and "could not be read as a PDF" in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("content", [b"not a pdf at all\n", b"%PDF-1.4\n garbage"])
def test_a_damaged_pdf_says_one_line_and_nothing_else(runner, cli, tmp_path, content, caplog):
    # pypdf logs "invalid pdf header" and "EOF marker not found" before it gives up: outside
    # pytest (which takes the log records) those lines came on stderr before the error
    pytest.importorskip("pypdf")
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with caplog.at_level("DEBUG"):
        res = runner.invoke(cli, ["claims", "scan", str(path)])
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")] == []
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        f"Error: {path} could not be read as a PDF (Stream has ended unexpectedly); check the file, or convert it to text"]


def test_build_shows_the_coverage_of_the_report_text(runner, cli, mini):
    res = build_mini(runner, cli, mini)
    # the terminal speaks the build's language (the mini recipe is Danish)
    assert ("2 af rapportens 3 taludsagn kontrolleres (1) eller er sat til side med en begrundelse (1); "
            "1 ikke kontrolleret og uden begrundelse.") in res.output
    doc = json.loads((mini / "out" / "claims.json").read_text(encoding="utf-8"))
    assert doc["coverage"]["left_statements"] == [
        {"page": "7ff.", "sentence": "Antallet af fattige er mere end fordoblet siden årtusindskiftet."}]
    assert doc["coverage"]["skipped_statements"][0]["reason"]["en"] == "The law's rules, not a statistic."
    md = (mini / "out" / "claims.md").read_text(encoding="utf-8")
    assert "## Rapportens taludsagn" in md and "mere end fordoblet" in md
    page = (mini / "out" / "index.html").read_text(encoding="utf-8")
    assert 'id="coverage"' in page and "Lovens regler, ikke en statistik." in page


def test_a_missing_report_text_is_a_recipe_error(runner, cli, mini):
    res = runner.invoke(cli, ["recipe", "check", str(with_text(mini, "nope.txt"))])
    assert res.exit_code == 2 and "text: 'nope.txt': no such file beside the recipe" in res.output


def test_report_text_is_escaped_in_claims_md_and_the_page(runner, cli, mini):
    hostile = REPORT_TEXT + "\nDer var <script>alert(1)</script> over 9.000 *hjemløse* i [2019](http://x).\n"
    (mini / "report.md").write_text(hostile, encoding="utf-8")
    build_mini(runner, cli, mini)
    assert "<script>" not in (mini / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in (mini / "out" / "claims.md").read_text(encoding="utf-8")


def test_a_folder_of_recipes_builds_each_and_one_index(runner, cli, mini, tmp_path):
    folder = tmp_path / "recipes"
    folder.mkdir()
    (folder / "a.toml").write_text(MINI_RECIPE, encoding="utf-8")
    (folder / "b.toml").write_text(MINI_RECIPE.replace('title = "Mini"', 'title = "Anden"'), encoding="utf-8")
    out = tmp_path / "site"
    res = runner.invoke(cli, ["build", str(folder), "--out", str(out), "--fail-on", "none"])
    assert res.exit_code == 0, res.output
    assert (out / "a" / "index.html").is_file() and (out / "b" / "index.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="a/index.html"' in index and 'href="b/index.html"' in index and "Anden" in index
    assert f"Open {out / 'index.html'}" in res.output
    doc = checked("build-folder", runner.invoke(cli, ["build", str(folder), "--out", str(out), "--fail-on", "none",
                                                      "--json"]).output)
    assert doc["index"] == str(out / "index.html") and [b["out"] for b in doc["builds"]] == [str(out / "a"),
                                                                                           str(out / "b")]
    # a draft anywhere in the folder: nothing is built
    (folder / "c.toml").write_text(MINI_RECIPE.replace('id = "over-6000"', 'id = "over-6000"\ndraft = true'),
                                   encoding="utf-8")
    res = runner.invoke(cli, ["build", str(folder), "--out", str(tmp_path / "site2")])
    assert res.exit_code == 2 and "draft claim(s) remain" in res.output
    assert not (tmp_path / "site2").exists()
    # an empty folder says what to give
    empty = tmp_path / "empty"
    empty.mkdir()
    res = runner.invoke(cli, ["build", str(empty)])
    assert res.exit_code == 2 and "no recipe (*.toml) in this folder" in res.output


def test_the_shipped_recipes_cover_their_reports(runner, cli):
    """Every shipped recipe that names its report text covers every numerical statement of it,
    or says which are left (Forandringskraft's are reviewed claim by claim)."""
    res = run(runner, cli, "claims", "scan", ROOT / "recipes" / "reports" / "socialpaedagogerne-2020.txt",
              "--recipe", ROOT / "recipes" / "socialpaedagogerne-2020.toml", "--json")
    cov = json.loads(res.output)["coverage"]
    # one statistic (no data: no source named) and three numbers about who took part (set apart)
    assert (cov["statements"], cov["checked"], cov["skipped"], cov["left"]) == (4, 1, 3, 0)


def test_draft_never_replaces_a_recipe(runner, cli, tmp_path):
    """--draft rewrites its own earlier drafts, but a recipe given there by mistake (the one
    --recipe names) is left as it was: it used to become the drafts' header."""
    report = tmp_path / "report.md"
    report.write_text("Der er knap 250.000 fattige.\n", encoding="utf-8")
    recipe = tmp_path / "r.toml"
    recipe.write_text('[report]\ntitle = "Mine påstande"\n', encoding="utf-8")
    res = runner.invoke(cli, ["claims", "scan", str(report), "--recipe", str(recipe), "--draft", str(recipe)])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        f"Error: {recipe} exists and is not a file of drafts (a recipe?); "
        "give --draft a new file, or move that one away first"]
    assert recipe.read_text(encoding="utf-8") == '[report]\ntitle = "Mine påstande"\n'

    drafts = tmp_path / "drafts.toml"
    for _ in range(2):  # a second scan refreshes the drafts it wrote
        res = runner.invoke(cli, ["claims", "scan", str(report), "--draft", str(drafts)])
        assert res.exit_code == 0, res.output
        assert "knap 250.000" in drafts.read_text(encoding="utf-8")


UNDATED = """
[report]
title = "Udateret"
date = "unknown"

[[claim]]
id = "over-6000"
quote = "over 6.000 hjemløse"
page = "–"
indicator = "homelessness"
where = { geo = "DK", population = "COUNTED", situation = "TOT", age = "TOT" }
measure = "value"
period = "2019"
check = { op = ">", value = 6000 }
"""


def test_a_report_with_no_known_date_is_read_against_the_latest_data_only(runner, cli, tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(UNDATED, encoding="utf-8")
    res = runner.invoke(cli, ["verify", str(recipe), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    (claim,) = doc["claims"]
    assert doc["report"]["as_of"] is None and claim["as_of_date"] is None
    assert claim["verdict"] == "holds"  # VIVE 2019: 6.431 > 6.000, on the latest data
    assert claim["as_of"]["status"] == "no-data" and "not known" in claim["as_of"]["reason"]
    res = runner.invoke(cli, ["verify", str(recipe)])
    assert "rapportens dato kendes ikke" in res.output and "None" not in res.output
    # a figure of the data "as of the report" cannot be drawn for an undated report
    recipe.write_text(UNDATED + '\n[[table]]\nname = "t"\nindicator = "homelessness"\nvintage = "report"\n',
                      encoding="utf-8")
    res = runner.invoke(cli, ["build", str(recipe), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and "this report's date is not known" in res.output


def test_a_projects_own_dataset_keywords_guess_the_indicator(runner, cli, mini, tmp_path, monkeypatch):
    """Keywords come from every dataset on the search path, the project's own folder too."""
    import shutil

    own = tmp_path / "mine"
    shutil.copytree(ROOT / "datasets" / "neet", own / "folk-unge")
    toml = own / "folk-unge" / "dataset.toml"
    text = toml.read_text(encoding="utf-8").replace('id = "neet"', 'id = "folk-unge"')
    import re

    words = '["antallet", "årtusindskift", "fordoblet", "fattige"]'
    text = re.sub(r"^keywords = .*$", f'keywords = {{ da = {words}, en = ["x"] }}', text, count=1, flags=re.M)
    toml.write_text(text, encoding="utf-8")
    res = runner.invoke(cli, ["claims", "scan", str(mini / "report.md"), "--json"],
                        env={"UDSATTESTAT_DATASETS_PATH": str(own)})
    doc = json.loads(res.output)
    (s,) = [s for s in doc["statements"] if "fordoblet" in s["sentence"]]
    # four of its words against poverty-3yr's three
    assert (s["indicator"], len(s["indicator_words"])) == ("folk-unge", 4)
    res = runner.invoke(cli, ["claims", "scan", str(mini / "report.md"), "--json"])
    (s,) = [s for s in json.loads(res.output)["statements"] if "fordoblet" in s["sentence"]]
    assert s["indicator"] == "poverty-3yr"  # without the project's folder


def test_an_empty_report_says_so_plainly(runner, cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    res = run(runner, cli, "claims", "scan", empty, "--lang", "en")
    assert res.exit_code == 0
    assert "0 numerical statements; 0 numbers set apart; pages unknown." in " ".join(res.output.split())
    assert "()" not in res.output
