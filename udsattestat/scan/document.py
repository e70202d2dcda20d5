"""A report's text as blocks (paragraphs, headings, list items, citations) with their pages.

Reports reach us as plain text or Markdown converted from a PDF (``../shared/seeds``), or as
the PDF itself. Pages come, in this order of trust, from the PDF's own pages, from page
markers in the text (a form feed, or a line such as ``<!-- side 7 -->``), or from the table
of contents: "S. 13 FORUDSÆTNING 01: …" gives the chapter headed "FORUDSÆTNING 01" the
pages from 13 up to the page before the next entry. A page is then a range ("13–18"), and
the scanner says so rather than inventing a single page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UdsatError
from .numbers import join_broken_numbers


class ReportError(UdsatError):
    """A report that cannot be read."""

    exit_code = 2


@dataclass
class Block:
    """One paragraph, heading, list item or citation line of a report."""

    text: str
    line: int
    kind: str  # body | heading | citation | toc
    pages: tuple[int, int | None] | None = None
    #: the footnote numbers that were stripped from the text (<sup>1</sup>)
    notes: list[str] = field(default_factory=list)

    @property
    def page_label(self) -> str:
        return page_label(self.pages)


def page_label(pages: tuple[int, int | None] | None) -> str:
    """ "7", "13–18", "38ff." (the last chapter: its end is not known), or "" (unknown)."""
    if pages is None:
        return ""
    first, last = pages
    if last is None:
        return f"{first}ff."
    return str(first) if first == last else f"{first}–{last}"


@dataclass
class Document:
    path: str
    blocks: list[Block]
    #: where the pages came from: pdf | markers | toc | none
    page_source: str


_SUP = re.compile(r"<sup>\s*([^<]*?)\s*</sup>|([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", re.I)
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*\*|__|\*(?=\S)|(?<=\S)\*)")
_PAGE_MARKER = re.compile(r"^\s*(?:<!--\s*)?(?:side|page|s\.|p\.)\s*(\d{1,4})\s*(?:-->)?\s*$", re.I)
_TOC_HEADING = re.compile(r"^\s*#*\s*(indhold|indholdsfortegnelse|contents|table of contents)\s*:?\s*$", re.I)
_TOC_ENTRY = re.compile(r"^\s*[-*]?\s*\**\s*(?:S\.|side|p\.|page)\s*(\d{1,4})\b\**\s*(.*)$", re.I)
_NUMBERED = re.compile(r"^\s*(?:\d{1,3}\.|<sup>\s*\d{1,3}\s*</sup>|[¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*)\s*\S")
_CITATION_HINT = re.compile(r"https?://|\(\s*(?:19|20)\d\d\s*\)|\b(?:19|20)\d\d\b|link:|www\.|^\s*[¹²³⁴⁵⁶⁷⁸⁹]\s*(?:jf\.|se|kilde)",
                            re.I)
_SOURCE_LINE = re.compile(r"^\s*\(?\s*\**\s*(?:kilder?|sources?|baseret på)\s*:", re.I)


def clean_inline(text: str) -> tuple[str, list[str]]:
    """Markdown and note references out of one line of text; the note numbers kept apart."""
    notes = [(m.group(1) or m.group(2)).translate(_SUPERSCRIPT_DIGITS) for m in _SUP.finditer(text)]
    text = _SUP.sub("", text)
    text = _MD_LINK.sub(lambda m: m.group(1) if m.group(1) and not m.group(1).startswith("http") else m.group(2), text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = text.replace("\\_", "_").replace("\\", "")
    text = _EMPHASIS.sub("", text)
    return text, notes


def read_text(path: str | Path) -> str:
    """The report's text: a .txt or .md file, or a PDF's pages joined by form feeds."""
    p = Path(path)
    if not p.is_file():
        raise ReportError(f"no report at {str(p)!r}; give the path of a .txt, .md or .pdf file")
    if p.suffix.lower() == ".pdf":
        return _pdf_text(p)
    data = p.read_bytes()
    if b"\x00" in data[:4096]:
        raise ReportError(f"{p} is not text; give a .txt or .md file, or a .pdf (with the 'pdf' extra)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Danish text from older tools is often Latin-1 (Windows-1252): every byte decodes
        return data.decode("cp1252", errors="replace")


def _pdf_text(path: Path) -> str:
    try:
        # only a PDF needs it: an optional extra, imported here so text reports never load it
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise ReportError(f"{path} is a PDF; install the PDF reader with: pip install 'udsattestat[pdf]'") from None
    # pypdf logs what it repairs ("invalid pdf header", "EOF marker not found") to stderr: on a
    # damaged file those lines came before the one-line error, so hush it while it reads
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise ReportError(f"{path} could not be read as a PDF ({exc}); check the file, or convert it to text") from None
    finally:
        log.setLevel(level)
    return "\f".join(pages)


def read_document(path: str | Path) -> Document:
    """Read a report into blocks with pages (see the module docstring for the page rules)."""
    text = read_text(path)
    return parse_document(text, str(path), from_pdf=Path(path).suffix.lower() == ".pdf")


def parse_document(text: str, path: str = "<text>", from_pdf: bool = False) -> Document:
    # a form feed starts a page wherever it stands: give it a line of its own
    text = join_broken_numbers(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n"))
    blocks: list[Block] = []
    page_of_block: list[int | None] = []
    page = 1 if "\f" in text else None
    marker_pages = False
    in_toc = False
    in_sources = False
    toc: list[tuple[int, str]] = []
    para: list[tuple[int, str]] = []

    def flush():
        if not para:
            return
        lines = [clean_inline(t) for _, t in para]
        notes = [n for _, ns in lines for n in ns]
        body = " ".join(t.strip() for t, _ in lines if t.strip())
        if body:
            blocks.append(Block(body, para[0][0], "body", notes=notes))
            page_of_block.append(page)
        para.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        if "\f" in raw:
            flush()
            page = (page or 1) + raw.count("\f")
            raw = raw.replace("\f", "")
        stripped = raw.strip()
        marker = _PAGE_MARKER.match(stripped)
        if marker:
            flush()
            page = int(marker.group(1))
            marker_pages = True
            continue
        if not stripped or stripped == "---":
            flush()
            in_sources = False
            continue
        if stripped.startswith("#"):
            flush()
            in_toc = bool(_TOC_HEADING.match(stripped))
            body, notes = clean_inline(stripped.lstrip("#").strip())
            blocks.append(Block(body, number, "heading", notes=notes))
            page_of_block.append(page)
            continue
        toc_entry = _TOC_ENTRY.match(stripped) if in_toc else None
        if toc_entry:
            flush()
            body, _ = clean_inline(stripped)
            toc.append((int(toc_entry.group(1)), _toc_label(toc_entry.group(2))))
            blocks.append(Block(body, number, "toc"))
            page_of_block.append(page)
            continue
        in_sources = in_sources or bool(_SOURCE_LINE.match(stripped))
        if in_sources or (_NUMBERED.match(stripped) and _CITATION_HINT.search(stripped)):
            # a footnote, or a "Kilder:" line and the lines under it: each its own citation
            flush()
            body, notes = clean_inline(stripped)
            blocks.append(Block(body, number, "citation", notes=notes))
            page_of_block.append(page)
            continue
        if stripped.startswith(("- ", "* ", "• ")):
            flush()
        para.append((number, raw))
    flush()

    if from_pdf:
        source = "pdf"
    elif marker_pages or "\f" in text:
        source = "markers"
    elif toc:
        source = "toc"
    else:
        source = "none"
    if source in ("pdf", "markers"):
        for block, p in zip(blocks, page_of_block, strict=True):
            block.pages = (p, p) if p is not None else None
    elif source == "toc":
        _pages_from_toc(blocks, toc)
    return Document(path, blocks, source)


def _toc_label(entry: str) -> str:
    """ "**FORUDSÆTNING 01:** Fra intention …" -> "FORUDSÆTNING 01"."""
    text, _ = clean_inline(entry)
    text = text.strip().lstrip("*").strip()
    return text.split(":", 1)[0].strip() if ":" in text else text


def _norm_heading(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().rstrip(":").strip()).casefold()


def _pages_from_toc(blocks: list[Block], toc: list[tuple[int, str]]) -> None:
    """Give each block the page range of the chapter it sits in, from the TOC's first pages.

    A chapter starts at the first heading after the table of contents whose text is the
    entry's label ("Forord", "FORUDSÆTNING 01"); a decorated heading ("● FORUDSÆTNING 01",
    a summary box) is not the chapter. Chapters are looked for in the TOC's order."""
    starts: list[tuple[int, int]] = []  # (block index, first page)
    after = max((i for i, b in enumerate(blocks) if b.kind == "toc"), default=-1) + 1
    for first_page, label in sorted(toc):
        want = _norm_heading(label)
        for i in range(after, len(blocks)):
            if blocks[i].kind == "heading" and _norm_heading(blocks[i].text) == want:
                starts.append((i, first_page))
                after = i + 1
                break
    if not starts:
        return
    for k, (index, first_page) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(blocks)
        next_page = starts[k + 1][1] if k + 1 < len(starts) else None
        last = max(first_page, next_page - 1) if next_page is not None else None
        for b in blocks[index:end]:
            b.pages = (first_page, last)
    first_index, first_page = starts[0]
    if first_page > 1:
        for b in blocks[:first_index]:
            b.pages = (1, first_page - 1)
