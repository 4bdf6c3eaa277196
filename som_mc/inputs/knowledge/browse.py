"""Browse the knowledge base: rows to list, entries to show, words to search."""

from __future__ import annotations

from typing import Any

from som_mc.errors import InputError
from som_mc.inputs.knowledge.base import Knowledge

__all__ = ["KINDS", "detail", "rows", "search"]

#: What `som-mc knowledge list KIND` lists.
KINDS = (
    "consequences",
    "prices",
    "rules",
    "groups",
    "effects",
    "indices",
    "presets",
    "figures",
)


def rows(kb: Knowledge, kind: str) -> tuple[list[str], list[list[str]]]:
    """Column names and rows for one kind of entry."""
    if kind == "consequences":
        return ["key", "area", "unit", "kind", "priced", "label"], [
            [c.key, c.area, c.unit, c.kind, "yes" if kb.prices.get(c.key) else "no", c.label_en]
            for c in kb.consequences.values()
        ]
    if kind == "prices":
        return ["consequence", "variant", "value", "year", "confidence", "split"], [
            [
                p.consequence,
                p.variant,
                _price_text(p),
                str(p.price_year),
                p.confidence,
                p.split or "(not verified)",
            ]
            for prices in kb.prices.values()
            for p in prices
        ]
    if kind == "rules":
        return ["key", "shares", "description"], [
            *([r.key, _shares(r.shares), r.description] for r in kb.rules.values()),
            *(
                [
                    ld.key,
                    "by weeks on support: " + ", ".join(b.rule for b in ld.bands),
                    ld.description,
                ]
                for ld in kb.ladders.values()
            ),
            *(
                [h.key, f"refund {h.payer} -> {h.refunder} above thresholds", h.description]
                for h in kb.high_costs.values()
            ),
        ]
    if kind == "groups":
        return ["key", "profiles", "label"], [
            [g.key, ", ".join(p.consequence for p in g.profile), g.label_en]
            for g in kb.target_groups.values()
        ]
    if kind == "effects":
        return ["key", "measure", "estimate", "uncertainty", "level", "intervention"], [
            [
                e.key,
                e.measure,
                f"{e.estimate:g}",
                _uncertainty(e),
                str(e.evidence_level),
                e.intervention,
            ]
            for e in kb.effects.values()
        ]
    if kind == "indices":
        return ["key", "years", "name"], [
            [key, "{}-{}".format(*kb.indices[key].years), entry.name]
            for key, entry in kb.index_entries.items()
        ]
    if kind == "presets":
        return ["key", "for", "family", "cv", "reasoning"], [
            [p.key, p.applies_to, p.family, f"{p.cv:g}", p.reasoning] for p in kb.presets.values()
        ]
    if kind == "figures":
        return ["key", "value", "unit", "year", "confidence", "source"], [
            [
                f.key,
                f"{f.value:,.6g}",
                f.unit,
                str(f.price_year or "undated"),
                f.confidence,
                f.source_url,
            ]
            for f in kb.figures.values()
        ]
    raise InputError("kind", f"'{kind}' is not a kind; allowed: {', '.join(KINDS)}")


def detail(kb: Knowledge, key: str) -> list[tuple[str, str]]:
    """Everything the knowledge base says about ``key``, as (label, text) pairs."""
    out: list[tuple[str, str]] = []
    if key in kb.consequences:
        c = kb.consequences[key]
        out += [
            ("consequence", f"{c.label_en} ({c.label_da})"),
            ("unit", c.unit),
            ("area", c.area),
            ("kind", c.kind),
        ]
        for p in kb.prices.get(key, []):
            name = f"price {p.variant}" if p.variant else "price"
            out.append(
                (
                    name,
                    f"{_price_text(p)} DKK per unit ({c.unit}) in {p.price_year} prices, "
                    f"confidence {p.confidence}, index {p.index}",
                )
            )
            out.append(
                (
                    "  split",
                    f"{p.split}: {_shares(kb.rules[p.split].shares)}"
                    if p.split in kb.rules
                    else f"{p.split}: {kb.ladders[p.split].description}"
                    if p.split
                    else "not verified: a case must name a rule",
                )
            )
            if p.high_cost:
                out.append(
                    ("  high cost", f"{p.high_cost}: {kb.high_costs[p.high_cost].description}")
                )
            out.append(("  figures", ", ".join(p.figures)))
            out.append(("  sources", " ; ".join(p.sources)))
            if p.assumption:
                out.append(("  price year", p.assumption))
            if p.note:
                out.append(("  note", p.note))
        if not kb.prices.get(key):
            out.append(("price", "none in the knowledge base: a case must price it"))
        for g in kb.target_groups.values():
            for prof in g.profile:
                if prof.consequence == key:
                    flag = " (illustrative)" if prof.illustrative else ""
                    values = ", ".join(f"{v:g}" for v in prof.values)
                    out.append((f"profile in {g.key}{flag}", values))
    tables = (kb.rules, kb.ladders, kb.high_costs, kb.target_groups, kb.effects, kb.presets)
    for table in (*tables, kb.index_entries):
        if key in table:
            out += [
                (k, _text(v)) for k, v in table[key].model_dump().items() if v not in ("", None)
            ]
    if key in kb.figures:
        f = kb.figures[key]
        out += [
            ("figure", f.description),
            ("value", f"{f.value:,.6g} {f.unit}"),
            ("price year", str(f.price_year or "undated")),
            ("actor", f.actor),
            ("note", f.note),
            ("source", f.source_url),
            ("confidence", f.confidence),
            ("file", f.file),
        ]
    if not out:
        raise InputError(
            "key", f"'{key}' is not in the knowledge base; try `som-mc knowledge search`"
        )
    return out


def search(kb: Knowledge, word: str) -> list[list[str]]:
    """Entries whose key or text contains ``word`` (case-insensitive): kind, key, text."""
    word = word.lower()
    found = []
    tables: list[tuple[str, dict[str, Any]]] = [
        ("consequence", kb.consequences),
        ("rule", kb.rules),
        ("ladder", kb.ladders),
        ("high-cost refund", kb.high_costs),
        ("group", kb.target_groups),
        ("effect", kb.effects),
        ("preset", kb.presets),
        ("index", kb.index_entries),
    ]
    for kind, table in tables:
        for key, entry in table.items():
            text = " ".join(str(v) for v in entry.model_dump().values())
            if word in key.lower() or word in text.lower():
                found.append([kind, key, _first_text(entry)])
    for key, f in kb.figures.items():
        if word in key.lower() or word in f"{f.description} {f.note}".lower():
            found.append(["figure", key, f.description])
    return found


def _price_text(p: Any) -> str:
    if p.low is not None:
        return f"{p.low:,.6g} to {p.high:,.6g}"
    return f"{p.value:,.6g}"


def _shares(shares: dict[str, float]) -> str:
    return ", ".join(f"{actor} {share:.4g}" for actor, share in shares.items())


def _uncertainty(e: Any) -> str:
    if e.ci95 is not None:
        return f"95 % CI {e.ci95[0]:g} to {e.ci95[1]:g}"
    if e.se is not None:
        return f"se {e.se:g}"
    return "none reported"


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return str(value)


def _first_text(entry: Any) -> str:
    for name in ("label_en", "description", "name", "intervention", "reasoning"):
        if getattr(entry, name, ""):
            return str(getattr(entry, name))
    return ""
