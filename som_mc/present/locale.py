"""Numbers the Danish or the English way: 1.234.567 kr. and 14,0 % against 1,234,567 DKK and
14.0 %. Used by the plots, the report and the Excel output."""

from __future__ import annotations

import math

__all__ = ["LANGUAGES", "format_money", "format_number", "format_percent"]

LANGUAGES: tuple[str, ...] = ("en", "da")


def format_number(value: float, lang: str = "en", decimals: int = 0) -> str:
    """``value`` with thousands separators and ``decimals`` decimals.

    Examples
    --------
    >>> format_number(1234567.891, "da", 1), format_number(1234567.891, "en", 1)
    ('1.234.567,9', '1,234,567.9')
    >>> format_number(-0.4, "da")
    '0'
    """
    if value is None or not math.isfinite(value):
        return "–"
    if round(value, decimals) == 0:
        value = 0.0  # no "-0"
    text = f"{value:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text.replace("-", "−")


def format_money(value: float, lang: str = "en", decimals: int = 0) -> str:
    """An amount with its currency: ``1.234.567 kr.`` (da) or ``1,234,567 DKK`` (en)."""
    return f"{format_number(value, lang, decimals)} {'kr.' if lang == 'da' else 'DKK'}"


def format_percent(share: float, lang: str = "en", decimals: int = 1) -> str:
    """A share as a percentage: ``14,0 %`` (da) or ``14.0 %`` (en).

    Examples
    --------
    >>> format_percent(0.14, "da"), format_percent(0.14, "en")
    ('14,0 %', '14.0 %')
    """
    return f"{format_number(100 * share, lang, decimals)} %"
