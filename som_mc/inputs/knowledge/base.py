"""Load the knowledge base and check it: every figure sourced, every reference resolved.

The knowledge base is data (``knowledge/`` in the source tree, shipped inside the package):
figures (sourced numbers, CSV), the consequence catalogue, prices built from figures, the rules
that split a price between actors, price indices, target groups with profiles, effect studies,
and (from ``distributions/``) the uncertainty presets. :func:`check_knowledge` reports every
problem it finds, each naming the file and the entry; :func:`load_knowledge` raises on the first.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import tomllib
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from som_mc.conventions import ACTORS
from som_mc.errors import InputError
from som_mc.inputs.knowledge.index import PriceIndex
from som_mc.inputs.knowledge.refunds import high_cost_problem, ladder_problem
from som_mc.inputs.knowledge.schema import (
    ConsequenceEntry,
    EffectEntry,
    EvidenceLevelEntry,
    HighCostEntry,
    IndexEntry,
    LadderEntry,
    Manifest,
    PresetEntry,
    PriceEntry,
    RuleEntry,
    TargetGroupEntry,
    TaxEntry,
    WageEntry,
)

__all__ = [
    "Figure",
    "Knowledge",
    "Price",
    "check_knowledge",
    "knowledge_dir",
    "load_knowledge",
    "presets_dir",
]

FIGURE_COLUMNS = (
    "key", "description_da", "description_en", "unit", "value_dkk", "price_year", "actor",
    "actor_share_note", "source_url", "confidence",
)  # fmt: skip
FIGURE_ACTORS = (*ACTORS, "mixed")
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Figure:
    """A sourced number, as the source states it."""

    key: str
    value: float
    unit: str
    price_year: int | None  # None: the source gives no year
    actor: str
    source_url: str
    confidence: str
    description: str
    note: str
    file: str


@dataclass(frozen=True)
class Price:
    """A catalogued unit price, resolved from its figure(s).

    ``value`` is the central price in ``price_year`` prices; ``low`` and ``high`` are set when
    the source gives only a range (the price is then uniform between them).
    """

    consequence: str
    variant: str
    value: float
    low: float | None
    high: float | None
    price_year: int
    confidence: str
    sources: tuple[str, ...]
    figures: tuple[str, ...]
    split: str | None
    index: str
    assumption: str  # the price-year note, when the year was assumed
    note: str
    is_default: bool = False
    tax: str | None = None  # a [[tax]] entry (a taxable transfer), or None: no tax back
    high_cost: str | None = None  # a [[high_cost]] refund that applies, or None


@dataclass
class Knowledge:
    """The whole knowledge base, checked."""

    path: Path
    manifest: Manifest
    figures: dict[str, Figure] = field(default_factory=dict)
    consequences: dict[str, ConsequenceEntry] = field(default_factory=dict)
    prices: dict[str, list[Price]] = field(default_factory=dict)
    rules: dict[str, RuleEntry] = field(default_factory=dict)
    taxes: dict[str, TaxEntry] = field(default_factory=dict)
    ladders: dict[str, LadderEntry] = field(default_factory=dict)
    high_costs: dict[str, HighCostEntry] = field(default_factory=dict)
    indices: dict[str, PriceIndex] = field(default_factory=dict)
    index_entries: dict[str, IndexEntry] = field(default_factory=dict)
    target_groups: dict[str, TargetGroupEntry] = field(default_factory=dict)
    effects: dict[str, EffectEntry] = field(default_factory=dict)
    presets: dict[str, PresetEntry] = field(default_factory=dict)
    wages: dict[str, WageEntry] = field(default_factory=dict)
    evidence_levels: dict[int, EvidenceLevelEntry] = field(default_factory=dict)

    def price(self, consequence: str, variant: str | None = None) -> Price | None:
        """The default price of a consequence, or the named variant; None if unpriced."""
        prices = self.prices.get(consequence, [])
        if variant:
            return next((p for p in prices if p.variant == variant), None)
        return next((p for p in prices if p.is_default), None)

    def index_price(self, price: Price, to_year: int) -> float:
        """The factor that moves ``price`` to ``to_year`` prices (1 for index "none")."""
        if price.index == "none" or to_year == price.price_year:
            return 1.0
        index = self.indices[price.index]
        if not index.covers(to_year):
            lo, hi = index.years
            raise InputError(
                "price_year",
                f"{to_year} is outside the price index {price.index} ({lo}-{hi}) that moves "
                f"the price of {price.consequence}",
            )
        return index.factor(price.price_year, to_year)

    def rule_cap(self, rule: RuleEntry, to_year: int) -> dict[str, float]:
        """A rule's cap per unit (``{actor: DKK}``) in ``to_year`` prices; {} without a cap.

        Raises
        ------
        InputError
            When ``to_year`` lies outside the cap's price index.
        """
        if rule.cap_figure is None or rule.cap_actor is None:
            return {}
        fig = self.figures[rule.cap_figure]
        year = fig.price_year if fig.price_year is not None else rule.cap_price_year
        index = self.indices[rule.cap_index]
        if not (index.covers(to_year) and index.covers(year)):
            lo, hi = index.years
            raise InputError(
                "price_year",
                f"{to_year} is outside the price index {rule.cap_index} ({lo}-{hi}) that moves "
                f"the cap of rule {rule.key}",
            )
        return {rule.cap_actor: fig.value * index.factor(year, to_year)}


def knowledge_dir() -> Path:
    """The shipped knowledge base (``knowledge/`` in a source checkout)."""
    return _data_dir("som_mc.knowledge_data", "knowledge")


def presets_dir() -> Path:
    """The shipped uncertainty presets (``distributions/`` in a source checkout)."""
    return _data_dir("som_mc.presets_data", "distributions")


def _data_dir(package: str, folder: str) -> Path:
    # Installed, the data is a data-only (namespace) package inside som_mc; in a source
    # checkout it sits beside the package. find_spec gives a namespace package's real folder,
    # where importlib.resources.files would give a MultiplexedPath.
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[3] / folder


@functools.cache
def _load_default() -> Knowledge:
    knowledge, problems = check_knowledge()
    if problems:
        raise problems[0]
    return knowledge


def load_knowledge(path: str | Path | None = None, presets: str | Path | None = None) -> Knowledge:
    """Load and check the knowledge base (the shipped one, cached, unless ``path`` is given).

    Raises
    ------
    InputError
        The first problem found, naming the file and the entry.
    """
    if path is None and presets is None:
        return _load_default()
    knowledge, problems = check_knowledge(path, presets)
    if problems:
        raise problems[0]
    return knowledge


def check_knowledge(
    path: str | Path | None = None, presets: str | Path | None = None
) -> tuple[Knowledge, list[InputError]]:
    """Load the knowledge base and list every problem in it.

    Returns
    -------
    knowledge : Knowledge
        What could be loaded (entries with problems are left out).
    problems : list of InputError
        One per problem, each naming the file and the entry.
    """
    root = Path(path) if path is not None else knowledge_dir()
    presets_root = Path(presets) if presets is not None else presets_dir()
    problems: list[InputError] = []
    manifest_data = _read_toml(root / "manifest.toml", problems)
    manifest = _parse(Manifest, manifest_data or {}, "manifest.toml", "", problems)
    if manifest is None:
        return Knowledge(
            root, Manifest(version="?", description="", files={}, units=["?"])
        ), problems
    kb = Knowledge(root, manifest)
    _load_figures(kb, root / "figures", problems)
    files = manifest.files
    _load_consequences(kb, root / files.get("consequences", "consequences.toml"), problems)
    _load_indices(kb, root / files.get("price_index", "price_index.toml"), problems)
    _load_rules(kb, root / files.get("rules", "rules.toml"), problems)
    _load_taxes(kb, root / files.get("rules", "rules.toml"), problems)
    _load_refunds(kb, root / files.get("rules", "rules.toml"), problems)
    _load_prices(kb, root / files.get("prices", "prices.toml"), problems)
    _load_target_groups(kb, root / files.get("target_groups", "target_groups.toml"), problems)
    _load_effects(kb, root / files.get("effects", "effects.toml"), problems)
    _load_presets(kb, presets_root / "presets.toml", problems)
    # After the indices and presets, which a wage names.
    _load_wages(kb, root / files.get("wages", "wages.toml"), problems)
    levels = root / files.get("evidence_levels", "evidence_levels.toml")
    _load_evidence_levels(kb, levels, problems)
    return kb, problems


# --- reading -----------------------------------------------------------------------------


def _read_toml(path: Path, problems: list[InputError], file: str | None = None) -> dict | None:
    file = file or path.name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(InputError("", "file is missing", file=file))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        problems.append(InputError("", f"cannot be read: {err}", file=file))
    return None


def _parse(model: type[BaseModel], data: Any, file: str, where: str, problems: list) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        e = err.errors()[0]
        loc = ".".join(str(part) for part in e["loc"])
        value = e.get("input")
        shown = repr(value) if not isinstance(value, dict) else "a table"
        msg = f"{loc}: {e['msg']} (got {shown})" if loc else f"{e['msg']}"
        if e["type"] == "missing":
            msg = f"{loc}: required field is missing"
        elif e["type"] == "extra_forbidden":
            msg = f"{loc}: unknown field"
        problems.append(InputError(where, msg, file=file))
        return None


def _entries(
    path: Path, table: str, model: type[BaseModel], problems: list, file: str | None = None
) -> list[Any]:
    """Parse each ``[[table]]`` of a file; report bad and duplicate entries."""
    file = file or path.name
    data = _read_toml(path, problems, file)
    if data is None:
        return []
    out, seen = [], set()
    for i, raw in enumerate(data.get(table, [])):
        key = raw.get("key", raw.get("consequence", "")) if isinstance(raw, dict) else ""
        where = f"{table}[{i}] {key}".strip()
        entry = _parse(model, raw, file, where, problems)
        if entry is None:
            continue
        ident = getattr(entry, "key", None)
        if ident is not None:
            if ident in seen:
                problems.append(InputError(where, f"duplicate key '{ident}'", file=file))
                continue
            seen.add(ident)
        out.append((where, entry))
    return out


def _load_figures(kb: Knowledge, folder: Path, problems: list[InputError]) -> None:
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in FIGURE_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                problems.append(
                    InputError("", f"columns missing: {', '.join(missing)}", file=path.name)
                )
                continue
            for line, row in enumerate(reader, start=2):
                fig = _figure(row, f"figures/{path.name}", f"line {line} {row['key']}", problems)
                if fig is None:
                    continue
                if fig.key in kb.figures:
                    problems.append(
                        InputError(f"line {line} {fig.key}", "duplicate key", file=fig.file)
                    )
                    continue
                kb.figures[fig.key] = fig


def _figure(row: dict, file: str, where: str, problems: list) -> Figure | None:
    def bad(msg: str) -> None:
        problems.append(InputError(where, msg, file=file))

    try:
        value = float(row["value_dkk"])
    except ValueError:
        return bad(f"value_dkk '{row['value_dkk']}' is not a number")
    year_text = row["price_year"].strip()
    if year_text == "undated":
        year = None
    elif year_text.isdigit():
        year = int(year_text)
    else:
        return bad(f"price_year '{year_text}' is not a year or 'undated'")
    if not row["source_url"].strip():
        return bad("source_url is empty; every figure needs its source")
    if row["actor"] not in FIGURE_ACTORS:
        return bad(f"actor '{row['actor']}' is not allowed; allowed: {', '.join(FIGURE_ACTORS)}")
    if row["confidence"] not in CONFIDENCES:
        return bad(f"confidence '{row['confidence']}' is not allowed; allowed: high, medium, low")
    return Figure(
        key=row["key"],
        value=value,
        unit=row["unit"],
        price_year=year,
        actor=row["actor"],
        source_url=row["source_url"].strip(),
        confidence=row["confidence"],
        description=row["description_en"],
        note=row["actor_share_note"],
        file=file,
    )


def _load_consequences(kb: Knowledge, path: Path, problems: list) -> None:
    for where, entry in _entries(path, "consequence", ConsequenceEntry, problems):
        if entry.unit not in kb.manifest.units:
            problems.append(
                InputError(
                    where,
                    f"unit '{entry.unit}' is not a known unit; allowed: "
                    f"{', '.join(kb.manifest.units)} (manifest.toml)",
                    file=path.name,
                )
            )
            continue
        if entry.max_years is not None and not entry.max_years_source:
            problems.append(
                InputError(
                    where,
                    f"max_years = {entry.max_years} has no source; give max_years_source (the "
                    "law or rule that limits the line in time)",
                    file=path.name,
                )
            )
            continue
        kb.consequences[entry.key] = entry


def _load_indices(kb: Knowledge, path: Path, problems: list) -> None:
    for where, entry in _entries(path, "index", IndexEntry, problems):
        try:
            values = {int(year): value for year, value in entry.values.items()}
        except ValueError:
            problems.append(
                InputError(where, "values: years must be whole numbers", file=path.name)
            )
            continue
        if entry.kind == "changes":
            kb.indices[entry.key] = PriceIndex.from_changes(entry.key, values)
        else:
            kb.indices[entry.key] = PriceIndex(entry.key, dict(sorted(values.items())))
        kb.index_entries[entry.key] = entry


def _load_rules(kb: Knowledge, path: Path, problems: list) -> None:
    for where, rule in _entries(path, "rule", RuleEntry, problems):

        def bad(msg: str, where: str = where) -> None:
            problems.append(InputError(where, msg, file=path.name))

        unknown = [a for a in rule.shares if a not in ACTORS]
        if unknown:
            bad(f"shares: unknown actor '{unknown[0]}'; allowed: {', '.join(ACTORS)}")
            continue
        total = sum(rule.shares.values())
        if abs(total - 1.0) > 1e-9 or any(not 0 <= s <= 1 for s in rule.shares.values()):
            bad(f"shares must be in [0, 1] and add up to 1; they add up to {total:g}")
            continue
        refs = [rule.figure] if rule.figure else list(rule.figures or [])
        if not refs and not rule.source:
            bad("has no source: give figure, figures or source")
            continue
        missing = [r for r in refs if r not in kb.figures]
        if missing:
            bad(f"figure '{missing[0]}' is not in figures/*.csv")
            continue
        if rule.figure:
            actor = rule.figure_actor
            fig = kb.figures[rule.figure]
            if actor not in rule.shares or abs(rule.shares[actor] - fig.value) > 1e-9:
                bad(
                    f"{actor}'s share {rule.shares.get(actor, 0):g} differs from figure "
                    f"{rule.figure} = {fig.value:g}"
                )
                continue
        elif rule.figures and not rule.derivation:
            bad("lists figures but no derivation")
            continue
        problem = _cap_problem(kb, rule)
        if problem:
            bad(problem)
            continue
        kb.rules[rule.key] = rule


def _cap_problem(kb: Knowledge, rule: RuleEntry) -> str:
    """What is wrong with a rule's cap ("" if nothing, or it has none)."""
    if (rule.cap_figure is None) != (rule.cap_actor is None):
        return "a cap needs both cap_figure and cap_actor"
    if rule.cap_figure is None:
        return ""
    if rule.cap_figure not in kb.figures:
        return f"cap_figure '{rule.cap_figure}' is not in figures/*.csv"
    if rule.shares.get(rule.cap_actor, 0.0) <= 0.0 or len(rule.shares) < 2:
        return f"cap_actor {rule.cap_actor} needs a share, and another actor to take the excess"
    if rule.cap_index not in kb.indices:
        return f"cap_index '{rule.cap_index}' is not in price_index.toml"
    fig = kb.figures[rule.cap_figure]
    if fig.price_year is None and (rule.cap_price_year is None or not rule.cap_price_year_note):
        return (
            f"cap figure {fig.key} is undated: give cap_price_year and cap_price_year_note "
            "saying why"
        )
    year = fig.price_year if fig.price_year is not None else rule.cap_price_year
    if not kb.indices[rule.cap_index].covers(year):
        return f"the cap's price year {year} is outside the price index {rule.cap_index}"
    return ""


def _load_taxes(kb: Knowledge, path: Path, problems: list) -> None:
    """The ``[[tax]]`` entries of rules.toml: each rate must equal the figure it cites."""
    for where, tax in _entries(path, "tax", TaxEntry, problems):

        def bad(msg: str, where: str = where) -> None:
            problems.append(InputError(where, msg, file=path.name))

        if set(tax.rates) != set(tax.figures):
            bad("rates and figures must name the same actors")
            continue
        missing = [f for f in tax.figures.values() if f not in kb.figures]
        if missing:
            bad(f"figure '{missing[0]}' is not in figures/*.csv")
            continue
        wrong = [
            (a, f) for a, f in tax.figures.items() if abs(kb.figures[f].value - tax.rates[a]) > 1e-9
        ]
        if wrong:
            a, f = wrong[0]
            bad(f"{a}'s rate {tax.rates[a]:g} differs from figure {f} = {kb.figures[f].value:g}")
            continue
        kb.taxes[tax.key] = tax


def _load_refunds(kb: Knowledge, path: Path, problems: list) -> None:
    """The ``[[ladder]]`` and ``[[high_cost]]`` entries of rules.toml (see refunds.py)."""
    for kind, model, check, into in (
        ("ladder", LadderEntry, ladder_problem, kb.ladders),
        ("high_cost", HighCostEntry, high_cost_problem, kb.high_costs),
    ):
        for where, entry in _entries(path, kind, model, problems):
            problem = check(kb, entry)
            if problem:
                problems.append(InputError(where, problem, file=path.name))
            else:
                into[entry.key] = entry


def _load_prices(kb: Knowledge, path: Path, problems: list) -> None:
    raw_by_consequence: dict[str, list] = {}
    for where, entry in _entries(path, "price", PriceEntry, problems):

        def bad(msg: str, where: str = where) -> None:
            problems.append(InputError(where, msg, file=path.name))

        price = _price(kb, entry, bad)
        if price is None:
            continue
        problem = _tax_problem(kb, entry)
        if problem:
            bad(problem)
            continue
        rule = kb.rules.get(price.split) if price.split else None
        limit = kb.consequences[entry.consequence].max_years
        if (
            rule is not None
            and rule.max_years is not None
            and (limit is None or limit > rule.max_years)
        ):
            bad(
                f"rule {rule.key} holds for {rule.max_years} years only, but consequence "
                f"{entry.consequence} has max_years = {limit}; give the consequence "
                f"max_years = {rule.max_years} (consequences.toml) so no extrapolation "
                "charges it for longer"
            )
            continue
        variants = raw_by_consequence.setdefault(entry.consequence, [])
        if any(p.variant == price.variant for p, _ in variants):
            bad(f"duplicate variant '{price.variant}' of {entry.consequence}")
            continue
        variants.append((price, entry.default))
    for consequence, variants in raw_by_consequence.items():
        defaults = [p for p, is_default in variants if is_default]
        if len(variants) > 1 and len(defaults) != 1:
            problems.append(
                InputError(
                    f"price {consequence}",
                    f"{len(variants)} variants need exactly one with default = true",
                    file=path.name,
                )
            )
            continue
        kb.prices[consequence] = [
            replace(p, is_default=is_default or len(variants) == 1) for p, is_default in variants
        ]


def _tax_problem(kb: Knowledge, e: PriceEntry) -> str:
    """What is wrong with a price's tax treatment ("" if nothing).

    A price of a transfer (``transfer = true`` in consequences.toml), or one built from a
    figure stated before tax, must say how it is taxed: a [[tax]] entry, or "none" with a note.
    """
    if e.tax is None:
        before_tax = [f for f in _refs(e) if "before tax" in kb.figures[f].unit.lower()]
        if kb.consequences[e.consequence].transfer or before_tax:
            why = (
                f"figure {before_tax[0]} is stated before tax"
                if before_tax
                else f"{e.consequence} is a transfer"
            )
            return (
                f"has no tax treatment, but {why}: give tax = a [[tax]] entry of rules.toml "
                f'({", ".join(kb.taxes) or "none defined"}), or tax = "none" with tax_note'
            )
        return ""
    if e.tax == "none":
        return "" if e.tax_note else 'tax = "none" needs a tax_note saying why'
    if e.tax not in kb.taxes:
        return f"tax '{e.tax}' is not a [[tax]] entry of rules.toml, or \"none\""
    if not kb.consequences[e.consequence].transfer:
        return (
            f"tax '{e.tax}' is for transfers, but {e.consequence} is not marked transfer = true "
            "(consequences.toml)"
        )
    return ""


def _refs(e: PriceEntry) -> tuple[str, ...]:
    if e.figure is not None:
        return (e.figure,)
    if e.figure_low is not None and e.figure_high is not None:
        return (e.figure_low, e.figure_high)
    return tuple(e.figures or ())


def _price(kb: Knowledge, e: PriceEntry, bad) -> Price | None:
    if e.consequence not in kb.consequences:
        return bad(f"consequence '{e.consequence}' is not in the catalogue (consequences.toml)")
    if e.split is not None and e.split not in kb.rules and e.split not in kb.ladders:
        return bad(f"split '{e.split}' is not a rule ([[rule]] or [[ladder]]) in rules.toml")
    if e.high_cost is not None and e.high_cost not in kb.high_costs:
        return bad(f"high_cost '{e.high_cost}' is not a [[high_cost]] entry of rules.toml")
    if e.high_cost is not None and "year" not in kb.consequences[e.consequence].unit:
        return bad(
            f"high_cost applies to a year of a service for one person, but {e.consequence} "
            f"counts {kb.consequences[e.consequence].unit!r}"
        )
    if e.index != "none" and e.index not in kb.indices:
        return bad(f"index '{e.index}' is not in price_index.toml (or 'none')")
    try:
        factor = float(Fraction(e.factor))
    except (ValueError, ZeroDivisionError):
        return bad(f"factor '{e.factor}' is not a number or a fraction like 12/52")
    low = high = None
    if e.figure is not None:
        refs = (e.figure,)
    elif e.figure_low is not None and e.figure_high is not None:
        refs = (e.figure_low, e.figure_high)
    elif e.figures and e.value is not None:
        refs = tuple(e.figures)
    else:
        return bad("give figure, figure_low and figure_high, or figures with value")
    missing = [r for r in refs if r not in kb.figures]
    if missing:
        return bad(f"figure '{missing[0]}' is not in figures/*.csv")
    figs = [kb.figures[r] for r in refs]
    if e.figure is not None:
        value = figs[0].value * factor
    elif e.figure_low is not None:
        low, high = figs[0].value * factor, figs[1].value * factor
        if not low < high:
            return bad(f"figure_low {low:g} is not below figure_high {high:g}")
        value = (low + high) / 2.0
    else:
        if not e.derivation or e.price_year is None or e.confidence is None:
            return bad("a price derived from figures needs derivation, price_year and confidence")
        value = e.value
    years = {f.price_year for f in figs}
    if e.price_year is not None:
        year = e.price_year
        if e.figures is None and years != {None} and years != {year}:
            return bad(f"price_year {year} contradicts the figure's {sorted(years)[0]}")
        if years == {None} and not e.price_year_note:
            return bad("the figure is undated: price_year needs a price_year_note saying why")
    elif years == {None}:
        return bad("the figure is undated; give price_year and price_year_note")
    else:
        year = max(y for y in years if y is not None)
    if e.index != "none" and not kb.indices[e.index].covers(year):
        lo, hi = kb.indices[e.index].years
        return bad(f"price year {year} is outside the price index {e.index} ({lo}-{hi})")
    ranks = {c: i for i, c in enumerate(CONFIDENCES)}
    confidence = e.confidence or max((f.confidence for f in figs), key=ranks.__getitem__)
    return Price(
        consequence=e.consequence,
        variant=e.variant,
        value=value,
        low=low,
        high=high,
        price_year=year,
        confidence=confidence,
        sources=tuple(dict.fromkeys(f.source_url for f in figs)),
        figures=refs,
        split=e.split,
        index=e.index,
        assumption=e.price_year_note,
        note=e.note or e.derivation,
        tax=e.tax if e.tax not in (None, "none") else None,
        high_cost=e.high_cost,
    )


def _load_target_groups(kb: Knowledge, path: Path, problems: list) -> None:
    for where, group in _entries(path, "target_group", TargetGroupEntry, problems):
        ok = True
        for j, profile in enumerate(group.profile):
            at = f"{where}.profile[{j}] {profile.consequence}"
            limit = (
                kb.consequences[profile.consequence].max_years
                if profile.consequence in kb.consequences
                else None
            )
            if profile.consequence not in kb.consequences:
                msg = f"consequence '{profile.consequence}' is not in the catalogue"
            elif limit is not None and len(profile.values) > limit:
                msg = f"{len(profile.values)} values exceed the line's max_years = {limit}"
            elif profile.illustrative and not profile.reasoning:
                msg = "an illustrative profile needs the reasoning that produced it"
            elif not profile.illustrative and not profile.source:
                msg = "has no source: give source, or mark it illustrative with its reasoning"
            else:
                continue
            problems.append(InputError(at, msg, file=path.name))
            ok = False
        if ok:
            kb.target_groups[group.key] = group


def _load_effects(kb: Knowledge, path: Path, problems: list) -> None:
    for where, effect in _entries(path, "effect", EffectEntry, problems):
        if effect.ci95 is not None and not effect.ci95[0] < effect.ci95[1]:
            problems.append(InputError(where, "ci95 must be [lo, hi] with lo < hi", file=path.name))
            continue
        kb.effects[effect.key] = effect


def _load_presets(kb: Knowledge, path: Path, problems: list) -> None:
    file = f"distributions/{path.name}"
    for where, preset in _entries(path, "preset", PresetEntry, problems, file):
        if not 0 < preset.cv <= 2:
            problems.append(
                InputError(
                    where, f"cv {preset.cv:g} is impossible; it must be in (0, 2]", file=file
                )
            )
            continue
        if preset.family == "pert" and preset.cv >= 1:
            problems.append(
                InputError(
                    where, f"a pert half-width of {preset.cv:g} crosses zero; use < 1", file=file
                )
            )
            continue
        kb.presets[preset.key] = preset


def _load_wages(kb: Knowledge, path: Path, problems: list) -> None:
    for where, wage in _entries(path, "wage", WageEntry, problems):
        if wage.index not in kb.indices:
            problems.append(
                InputError(where, f"index '{wage.index}' is not a price index", file=path.name)
            )
        elif not kb.indices[wage.index].covers(wage.price_year):
            problems.append(
                InputError(
                    where,
                    f"index '{wage.index}' does not cover price year {wage.price_year}",
                    file=path.name,
                )
            )
        elif wage.preset not in kb.presets:
            problems.append(
                InputError(where, f"preset '{wage.preset}' is not a preset", file=path.name)
            )
        else:
            kb.wages[wage.key] = wage


def _load_evidence_levels(kb: Knowledge, path: Path, problems: list) -> None:
    for where, level in _entries(path, "level", EvidenceLevelEntry, problems):
        if level.level in kb.evidence_levels:
            problems.append(InputError(where, f"level {level.level} twice", file=path.name))
            continue
        kb.evidence_levels[level.level] = level
    missing = [n for n in (1, 2, 3) if n not in kb.evidence_levels]
    if missing and path.exists():  # a missing file is reported by _entries
        problems.append(
            InputError(
                "level",
                f"no entry for evidence level {', '.join(map(str, missing))}; give 1, 2 and 3",
                file=path.name,
            )
        )
