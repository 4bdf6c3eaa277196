"""The provenance of every Dataset som-mc returns: one function for cases, courses, portfolios.

Every result carries in its attrs where it came from (STYLE: creation time in UTC ISO, the
som-mc version, the case's name, file and hash, its price year and currency, whether it uses
illustrative numbers) and how it was made (seed, draws, design, mode, threads ...). Several
cases (the steps of a course, the options of a portfolio) give each field for every part.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from som_mc._version import __version__
from som_mc.inputs.case.load import Case, illustrative_items

__all__ = ["provenance"]


def _describe(value: object) -> str:
    if isinstance(value, str):
        return value
    return f"{value.central():g}" if value.is_fixed else value.describe()


def provenance(
    cases: Case | Mapping[str, Case], *, title: str | None = None, **extra: object
) -> dict[str, object]:
    """Attributes of a result of ``cases`` (one case, or several by part name).

    Parameters
    ----------
    cases : Case or mapping of str to Case
        The case, or the parts of a course or portfolio.
    title : str, optional
        Default ``"som-mc results: <case name>"``.
    **extra
        How the result was made (seed, draws, design, mode ...), added last.

    Returns
    -------
    dict
        ``title``, ``case_name``, ``case_file``, ``case_sha256``, ``target_group``,
        ``price_year``, ``currency``, ``horizon``, ``discount_rate``, ``som_mc_version``,
        ``created``, ``uses_illustrative_values``, ``illustrative_items``,
        ``knowledge_notes``, then ``extra``.

    Examples
    --------
    >>> from som_mc.inputs.case.load import load_case
    >>> from som_mc.inputs.examples import example_path
    >>> attrs = provenance(load_case(example_path("cti")), seed=1)
    >>> attrs["case_file"], attrs["seed"], sorted(attrs)[:3]
    ('cti.toml', 1, ['case_file', 'case_name', 'case_sha256'])
    """
    parts = {"": cases} if isinstance(cases, Case) else dict(cases)
    named = list(parts.items())
    first = named[0][1].model

    def each(values: list[str]) -> str:
        return values[0] if len(set(values)) == 1 else ", ".join(values)

    items = [f"{n}: {i}" if n else i for n, c in named for i in illustrative_items(c)]
    rates = {_describe(c.model.discount_rate) for _, c in named}
    name = first.name if len(named) == 1 else " + ".join(parts)
    attrs: dict[str, object] = {
        "title": title or f"som-mc results: {name}",
        "case_name": name,
        "case_file": ", ".join(Path(c.source).name for _, c in named),
        "case_sha256": ", ".join(c.sha256 for _, c in named),
        "target_group": each([c.model.target_group for _, c in named]),
        "price_year": first.price_year,
        "currency": first.currency,
        "horizon": first.horizon,
        "discount_rate": rates.pop() if len(rates) == 1 else "differs by part",
        "som_mc_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "uses_illustrative_values": int(bool(items)),
        "illustrative_items": "; ".join(items),
        "knowledge_notes": "\n".join(n for _, c in named for n in c.notes),
    }
    attrs.update(extra)
    return attrs
