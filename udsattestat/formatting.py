"""Numbers as Danish and English style guides write them.

Danish: thousands with ``.``, decimals with ``,``, per cent as ``28,7 pct.`` in running text
and ``28,7 %`` in tables (Retskrivningsordbogen allows both; tables use the sign).
English: ``5,789`` and ``28.7 %``.
"""

from __future__ import annotations

import math

PERCENT_UNITS = {"percent", "pct"}


def format_number(value: float | None, lang: str = "da", decimals: int | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–" if lang == "da" else "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{value:,.{decimals}f}"  # 12,345.6
    if lang == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text.replace("-", "−") if value < 0 else text


def format_value(value: float | None, unit: str, lang: str = "da", decimals: int | None = None) -> str:
    """A value with its unit sign where the unit is a per cent (``28,7 %``)."""
    text = format_number(value, lang, decimals)
    if value is not None and unit in PERCENT_UNITS:
        return f"{text} %"
    return text


def format_range(low: float | None, high: float | None, unit: str, lang: str = "da") -> str:
    dash = "–"
    text = f"{format_number(low, lang)}{dash}{format_number(high, lang)}"
    return f"{text} %" if unit in PERCENT_UNITS else text


def format_cell(value, low, high, unit: str, lang: str = "da") -> str:
    if value is None and low is not None and high is not None:
        return format_range(low, high, unit, lang)
    return format_value(value, unit, lang)
