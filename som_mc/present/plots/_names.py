"""Readable names for inputs and consequences on tick labels, and the unit of an input.

Input names are paths (``consequence.shelter_days.unit_price``); on a plot they read as
``shelter days: unit price``. Correlated inputs joined into one factor (``a + b``) keep the
``+``.
"""

from __future__ import annotations

import re
import textwrap

import xarray as xr

from som_mc.conventions import CONSEQUENCE
from som_mc.present.labels import consequence_names, input_name
from som_mc.present.plots._text import check_lang

__all__ = ["consequence_labels", "input_unit", "is_share", "short_input", "wrap"]

_SHARES = ("success.", "intake.dropout", "discount_rate")


def short_input(name: str, lang: str = "en") -> str:
    """A readable name for an input or a group of inputs.

    Examples
    --------
    >>> short_input("consequence.shelter_days.unit_price")
    'shelter days: unit price'
    >>> short_input("consequence.shelter_days.profile[0]", "da")
    'Døgn på herberg eller forsorgshjem (SEL § 110): profil år 1'
    >>> short_input("success.rate"), short_input("cost.cti_course.amount", "da")
    ('success rate', 'omkostning: cti course')
    """
    check_lang(lang)
    return input_name(name, lang)


def wrap(text: str, width: int = 32, lines: int = 2) -> str:
    """``text`` on at most ``lines`` lines of about ``width`` characters, cut with "…"."""
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …"))


def consequence_labels(ds: xr.Dataset, lang: str) -> list[str]:
    """The consequences' labels in ``lang``: the knowledge base's ``label_da`` or ``label_en``
    for a catalogued consequence whose label came from the catalogue, else the case's own
    ``consequence_label``, else the keys (:func:`som_mc.present.labels.consequence_name`)."""
    check_lang(lang)
    given = ds["consequence_label"].values if "consequence_label" in ds.coords else None
    return consequence_names(ds[CONSEQUENCE].values, given, lang)


def is_share(name: str) -> bool:
    """Whether an input is a probability or a share (shown in %)."""
    return name.startswith(_SHARES)


def input_unit(name: str, ds: xr.Dataset, lang: str) -> str:
    """The unit of an input, for an axis label: ``%``, ``DKK``, ``DKK per day`` ..."""
    column = check_lang(lang)
    kr = "kr." if column == 1 else str(ds.attrs.get("currency", "DKK"))
    if is_share(name):
        return "%"
    if name.startswith("cost."):
        return kr
    if name.startswith("intake.participants"):
        return ("persons", "personer")[column]
    m = re.fullmatch(r"consequence\.([^.]+)\.(unit_price|price\.\w+|scale|profile\[\d+\])", name)
    if m is None:
        return ""
    unit = ""
    if "consequence_unit" in ds.coords and m[1] in ds[CONSEQUENCE].values:
        unit = str(ds["consequence_unit"].sel(consequence=m[1]).values)
    if m[2] == "scale":
        return ("factor on the profile", "faktor på profilen")[column]
    if m[2].startswith("profile"):
        return ((f"{unit} " if unit else "") + ("per success", "pr. succes")[column]).strip()
    per = ("per", "pr.")[column]
    return f"{kr} {per} {unit}" if unit else kr
