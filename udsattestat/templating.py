"""HTML from the Jinja2 templates in ``udsattestat/templates/``, always autoescaped.

Python decides the words (in the output language) and hands plain values to a template;
the template decides the markup. Text is escaped by the template engine, so a label,
quote or URL from a dataset or recipe can never become markup; only what a filter here
marks safe (a checked link) is written as HTML.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

TEMPLATES = Path(__file__).with_name("templates")


@functools.cache
def environment():
    # jinja2 is imported on the first HTML rendered, not at start-up: list, info, show and
    # --help never write HTML.
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        # a template line is an output line: no blank lines where a block tag stood
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # a misspelt name in a template is an error, not an empty string on the page
        undefined=jinja2.StrictUndefined,
    )
    env.filters["link"] = link
    return env


def render(template: str, **context) -> str:
    """The named template rendered with ``context``."""
    return environment().get_template(template).render(**context)


def stylesheet(name: str):
    """A style sheet shipped beside the templates, for a page to inline: our own text, so
    it goes into the page as it is (escaping would break its quotes and its CSP hash)."""
    from markupsafe import Markup

    return Markup((TEMPLATES / name).read_text(encoding="utf-8"))


def content_security_policy(css: str, *, images: str):
    """A page's Content-Security-Policy: images from ``images`` (a CSP source such as
    'self' or data:) and the one inline style sheet ``css`` (by its sha256); no scripts,
    fonts, frames, forms, connections or plugins. Links still work (navigation is not a
    fetch). Our own text with no quote or angle bracket, so written as it is."""
    from markupsafe import Markup

    digest = base64.b64encode(hashlib.sha256(str(css).encode("utf-8")).digest()).decode("ascii")
    return Markup(f"default-src 'none'; img-src {images}; style-src 'sha256-{digest}'; "
                  "base-uri 'none'; form-action 'none'")


def link(url, text=None):
    """A link only for an http(s) URL; anything else (``javascript:``, ``data:``, a path) is
    shown as text. ``text`` defaults to the URL; both are escaped."""
    from markupsafe import Markup, escape

    label = escape(text if text is not None else url)
    try:
        parts = urlsplit(str(url).strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return label
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return Markup('<a href="{}">{}</a>').format(str(url).strip(), label)
    return label
