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
        return "–"
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


# -- spreadsheets and CSV for spreadsheets -------------------------------------------------

def value_decimals(value: float | None, precision: float | None = None, limit: int = 2) -> int:
    """The decimals a value is written with: from the publisher's rounding step when known
    (1000 or 1 -> 0, 0.1 -> 1, 0.05 -> 2), else as many as the value needs (up to ``limit``)."""
    if precision is not None and precision > 0:
        if precision >= 1:
            return 0
        return min(limit + 1, max(0, math.ceil(-math.log10(precision) - 1e-9)))
    if value is None:
        return 0
    for d in range(limit + 1):
        if abs(round(value, d) - value) < 1e-9:
            return d
    return limit


def excel_number_format(decimals: int, unit: str | None = None, *, fraction_percent: bool = False) -> str:
    """An Excel number format: ``#,##0`` for whole numbers, ``#,##0.0`` for one decimal…
    A per cent unit shows its sign: as Excel's own ``%`` when the cell holds a fraction
    (``fraction_percent``), else as a literal `` %`` after the number as published."""
    code = "#,##0" + ("." + "0" * decimals if decimals else "")
    if unit in PERCENT_UNITS:
        return code + "%" if fraction_percent else code + '" %"'
    return code


def plain_number(value: float, lang: str = "en") -> str:
    """A number as a spreadsheet reads it back: no thousands separator, ``.`` decimals in
    English, ``,`` in Danish; as many digits as the value has (250200, 28.7 / 28,7)."""
    text = f"{value:.15g}"
    if "e" in text:
        text = f"{value:.15f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "da" else text

