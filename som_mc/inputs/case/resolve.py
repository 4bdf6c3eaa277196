"""Fill a case from the knowledge base before it is validated.

Precedence: what the case says wins; then the knowledge base's values; then the presets that
give a knowledge value its uncertainty. Concretely, for a ``[[consequence]]`` whose ``key`` is in
the catalogue:

- ``label``, ``unit``, ``area`` and ``kind`` come from the catalogue unless the case gives them;
- unless the case prices the line itself (``price`` per actor, or ``unit_price``), the unit price
  is the catalogue's (``price_variant`` picks a variant), moved to the case's price year by its
  index, with the uncertainty of its confidence grade's preset (``price_preset`` names another)
  or uniform over the range its source gives;
- ``split`` is the catalogue price's reimbursement rule unless the case names another rule or
  gives shares; a rule with a cap per unit (co-financing up to DKK x per contact) gives the
  line its ``cap``, moved to the case's price year;
- ``tax`` (the income tax the public purse gets back on a taxable transfer, by actor) comes from
  the catalogue price's tax treatment, also when the case gives its own price (a benefit's
  price is before tax); ``tax = "none"`` says the case's price is already net, and a key names
  another ``[[tax]]`` entry;
- ``profile`` comes from the case's ``target_group`` in the knowledge base unless the case gives
  one, with the uncertainty of a preset on its ``scale``; an illustrative profile makes the line
  illustrative.

Anywhere in a case, ``{ preset = "price_medium", value = 750 }`` is a point value given the
preset's uncertainty.
"""

from __future__ import annotations

import copy
import difflib
from typing import Any

from som_mc.checks import is_number, is_whole_number
from som_mc.errors import InputError
from som_mc.inputs.costs import expand_resources
from som_mc.inputs.evidence import resolve_success_effect
from som_mc.inputs.knowledge.base import Knowledge
from som_mc.inputs.knowledge.presets import apply_preset
from som_mc.inputs.knowledge.refunds import high_cost_tiers, ladder_shares

__all__ = ["resolve_case"]

_DIRECTIVES = ("price_variant", "price_preset")


def resolve_case(data: dict, kb: Knowledge) -> tuple[dict, list[str]]:
    """Return the case with knowledge filled in, and notes on what was taken from where.

    Raises
    ------
    InputError
        For an unknown preset, variant or rule, or a catalogued price with no known split.
    """
    data = _expand_presets(copy.deepcopy(data), "", kb)
    notes: list[str] = expand_resources(data, kb)  # [[resource]] -> [[cost]] lines with factors
    if isinstance(data.get("success"), dict):  # effect = {...}: a study's effect size → rate
        note = resolve_success_effect(data["success"], kb.effects)
        notes += [note] if note else []
    for i, group in enumerate(data.get("subgroup") or ()):  # a subgroup's own success too
        if isinstance(group, dict) and isinstance(group.get("success"), dict):
            try:
                note = resolve_success_effect(group["success"], kb.effects)
            except InputError as err:
                raise err.under(f"subgroup[{i}]") from None
            notes += [f"subgroup {group.get('name', '?')}: {note}"] if note else []
    lines = data.get("consequence")
    if isinstance(lines, list):
        group = kb.target_groups.get(data.get("target_group", ""))
        price_year = data.get("price_year")
        for i, line in enumerate(lines):
            if isinstance(line, dict):
                _resolve_line(line, f"consequence[{i}]", kb, group, price_year, notes)
    return data, notes


def _expand_presets(node: Any, path: str, kb: Knowledge) -> Any:
    if isinstance(node, dict):
        if "preset" in node and "dist" not in node:
            return _preset_spec(node, path, kb)
        return {k: _expand_presets(v, f"{path}.{k}" if path else k, kb) for k, v in node.items()}
    if isinstance(node, list):
        return [_expand_presets(v, f"{path}[{i}]", kb) for i, v in enumerate(node)]
    return node


def _preset_spec(node: dict, path: str, kb: Knowledge) -> dict:
    name = node["preset"]
    if name not in kb.presets:
        raise InputError(path, f"unknown preset '{name}'; allowed: {', '.join(kb.presets)}")
    extra = set(node) - {"preset", "value", "source", "note", "illustrative"}
    if extra:
        raise InputError(
            path, f"unknown key '{sorted(extra)[0]}' with a preset; give preset and value"
        )
    value = node.get("value")
    if not is_number(value):
        raise InputError(path, f"a preset needs a number as value, got {value!r}")
    try:
        return apply_preset(kb.presets[name], float(value))
    except InputError as err:
        raise InputError(path, err.message) from None


def _resolve_line(
    line: dict, where: str, kb: Knowledge, group: Any, price_year: Any, notes: list[str]
) -> None:
    key = line.get("key")
    entry = kb.consequences.get(key) if isinstance(key, str) else None
    no_tax = line.get("tax") == "none"
    if no_tax:
        del line["tax"]
    elif isinstance(line.get("tax"), str):
        line["tax"] = _tax_rates(line["tax"], f"{where}.tax", kb)
    prior_weeks = line.pop("prior_weeks", None)
    ladder = None
    if isinstance(line.get("split"), str):
        ladder = _named_split(line, where, line["split"], kb, price_year, prior_weeks)
    if entry is None:
        for directive in _DIRECTIVES:
            if directive in line:
                raise InputError(
                    f"{where}.{directive}", f"only a catalogued consequence has {directive}s"
                )
        # A line with none of the catalogue's fields meant to name a catalogued consequence.
        if isinstance(key, str) and not {"unit", "area", "kind"} & set(line):
            close = difflib.get_close_matches(key, kb.consequences, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise InputError(
                f"{where}.key",
                f"'{key}' is not in the knowledge base and the line gives no unit, area, kind "
                f"and price{hint} (`som-mc knowledge list` shows the catalogue)",
            )
        _computed_refunds(line, where, str(key), kb, price_year, notes, ladder, prior_weeks)
        return
    for field, value in (
        ("label", entry.label_en),
        ("unit", entry.unit),
        ("area", entry.area),
        ("kind", entry.kind),
    ):
        line.setdefault(field, value)
    if entry.max_years is not None:
        line.setdefault("max_years", entry.max_years)
    _fill_profile(line, where, entry.key, group, kb, notes)
    ladder = _fill_price(line, where, entry.key, kb, price_year, notes, prior_weeks) or ladder
    if not no_tax and "tax" not in line:
        _fill_tax(line, entry.key, kb, notes)
    _computed_refunds(line, where, entry.key, kb, price_year, notes, ladder, prior_weeks)


def _computed_refunds(
    line: dict,
    where: str,
    key: str,
    kb: Knowledge,
    price_year: Any,
    notes: list[str],
    ladder: Any,
    prior_weeks: Any,
) -> None:
    """The high-cost refund, and the note on a ladder's shares (docs/model.md §3)."""
    _fill_refund(line, where, key, kb, price_year, notes)
    if ladder is not None:
        shares = line.get("split_by_year") or [line["split"]]
        years = ", ".join(f"{s.get('stat', 0.0):.2%}" for s in shares)
        weeks = ladder.default_prior_weeks if prior_weeks is None else prior_weeks
        notes.append(
            f"{key}: split by {ladder.key} after {weeks} weeks on support before the year "
            f"of success; the state's share in years 1, 2, ... after success: {years} (the "
            "last holds on)"
            + ("" if prior_weeks is not None else f"; {ladder.default_prior_weeks_note}")
        )
    if prior_weeks is not None and ladder is None:
        raise InputError(
            f"{where}.prior_weeks",
            f"prior_weeks applies to a split on a ladder ({', '.join(kb.ladders) or 'none'}); "
            "this line's split is not one",
        )


def _catalogue_price(kb: Knowledge, key: str) -> Any:
    """The catalogue's price of ``key`` whose tax and refunds a line takes: its default, else
    its first; None if unpriced."""
    return kb.price(key) or next(iter(kb.prices.get(key, [])), None)


def _fill_tax(line: dict, key: str, kb: Knowledge, notes: list[str]) -> None:
    """A taxable transfer's tax rates, from the tax treatment of its catalogue price."""
    price = _catalogue_price(kb, key)
    if price is None or price.tax is None:
        return
    tax = kb.taxes[price.tax]
    line["tax"] = dict(tax.rates)
    rates = ", ".join(f"{a} {r:.2%}" for a, r in tax.rates.items())
    notes.append(
        f"{key}: a taxable transfer, priced net of the income tax the public purse gets back "
        f"({tax.key}: {rates} of the gross price)"
    )


def _named_split(
    line: dict, where: str, name: str, kb: Knowledge, price_year: Any, prior_weeks: Any
) -> Any:
    """Fill ``split`` (and its cap, limit or shares by year) from a rule or ladder's name.

    Returns the ladder when ``name`` is one (for the note), else None.
    """
    ladder = kb.ladders.get(name)
    if ladder is None:
        rule = kb.rules.get(name)
        line["split"] = _rule_shares(name, f"{where}.split", kb)
        if rule is not None and rule.max_years is not None:  # a rule limited in time
            line.setdefault("max_years", rule.max_years)
        if rule is not None:
            _fill_cap(line, where, rule, kb, price_year)
        return None
    weeks = ladder.default_prior_weeks if prior_weeks is None else prior_weeks
    if not is_whole_number(weeks) or weeks < 0:
        raise InputError(
            f"{where}.prior_weeks", f"{weeks!r} is not allowed; give a whole number of weeks >= 0"
        )
    years = ladder_shares(kb, ladder, int(weeks), years=50)
    if len(years) > 1:  # one year: the split never changes
        line["split_by_year"] = years
    line["split"] = dict(years[0])
    return ladder


def _fill_refund(
    line: dict, where: str, key: str, kb: Knowledge, price_year: Any, notes: list[str]
) -> None:
    """The high-cost refund of a catalogued price (SEL § 176), in the case's price year.

    ``high_cost = "none"`` on the line leaves it out; a key names another ``[[high_cost]]``.
    """
    name = line.pop("high_cost", None)
    if name is None:
        price = _catalogue_price(kb, key)
        name = price.high_cost if price is not None else None
    if name in (None, "none") or "refund" in line or not is_whole_number(price_year):
        return
    if name not in kb.high_costs:
        allowed = ", ".join([*kb.high_costs, "none"])
        raise InputError(f"{where}.high_cost", f"'{name}' is not allowed; allowed: {allowed}")
    try:
        line["refund"] = high_cost_tiers(kb, kb.high_costs[name], int(price_year))
    except InputError as err:
        raise InputError("price_year", err.message) from None
    tiers = ", ".join(
        f"{r:.0%} above {a:,.0f} DKK"
        for a, r in zip(line["refund"]["above"], line["refund"]["rate"], strict=True)
    )
    notes.append(
        f"{key}: the state's high-cost refund {name} applies to the kommune's part of a "
        f"year ({tiers}, {price_year} prices): {kb.high_costs[name].description}"
    )


def _fill_cap(line: dict, where: str, rule: Any, kb: Knowledge, price_year: Any) -> None:
    """A co-financing rule's cap per unit, in the case's price year (unless the case gives one)."""
    if "cap" in line or rule.cap_figure is None or not is_whole_number(price_year):
        return
    try:
        line["cap"] = kb.rule_cap(rule, int(price_year))
    except InputError as err:
        raise InputError(f"{where}.split", err.message) from None


def _tax_rates(name: str, where: str, kb: Knowledge) -> dict:
    if name not in kb.taxes:
        allowed = ", ".join([*kb.taxes, "none"])
        raise InputError(where, f"'{name}' is not a tax entry; allowed: {allowed}")
    return dict(kb.taxes[name].rates)


def _fill_profile(line: dict, where: str, key: str, group: Any, kb: Knowledge, notes: list) -> None:
    if "profile" in line or group is None:
        return
    profile = next((p for p in group.profile if p.consequence == key), None)
    if profile is None:
        return
    line["profile"] = list(profile.values)
    preset = "profile_illustrative" if profile.illustrative else "profile_register"
    line.setdefault("scale", apply_preset(kb.presets[preset], 1.0))
    if profile.illustrative:
        line.setdefault("illustrative", True)
        notes.append(
            f"{key}: profile from target group {group.key}, illustrative: {profile.reasoning}"
        )
    else:
        notes.append(f"{key}: profile from target group {group.key}; source: {profile.source}")


def _fill_price(
    line: dict,
    where: str,
    key: str,
    kb: Knowledge,
    price_year: Any,
    notes: list,
    prior_weeks: Any = None,
) -> Any:
    """Fill the catalogue's unit price and split; return the ladder if the split is one."""
    variant = line.pop("price_variant", None)
    preset_name = line.pop("price_preset", None)
    if "price" in line:
        return
    price = kb.price(key, variant)
    if price is None:
        if variant:
            known = ", ".join(p.variant for p in kb.prices.get(key, []))
            raise InputError(
                f"{where}.price_variant", f"'{variant}' is not a price of {key}; allowed: {known}"
            )
        if "unit_price" not in line:
            raise InputError(
                f"{where}.price",
                f"the knowledge base has no public price for {key}; give price per actor, or "
                "unit_price and split",
            )
    if "unit_price" not in line:
        if not is_whole_number(price_year):
            return  # the schema reports the bad price_year
        try:
            factor = kb.index_price(price, price_year)
        except InputError as err:
            raise InputError("price_year", err.message) from None
        if price.low is not None:
            spec = {"dist": "uniform", "min": price.low * factor, "max": price.high * factor}
            how = "uniform over the source's range"
        else:
            name = preset_name or f"price_{price.confidence}"
            if name not in kb.presets:
                raise InputError(f"{where}.price_preset", f"unknown preset '{name}'")
            spec = apply_preset(kb.presets[name], price.value * factor)
            how = f"preset {name}"
        line["unit_price"] = spec
        moved = (
            f"{price.price_year} prices moved to {price_year} by {price.index} (x{factor:.4f})"
            if factor != 1.0
            else f"{price.price_year} prices"
        )
        variant_text = f" ({price.variant})" if price.variant else ""
        notes.append(
            f"{key}: unit price{variant_text} {price.value * factor:,.2f} DKK per unit "
            f"({line['unit']}), {moved}, confidence {price.confidence}, {how}; "
            f"figures {', '.join(price.figures)}; source {' ; '.join(price.sources)}"
            + (f"; assumed price year: {price.assumption}" if price.assumption else "")
        )
    if "split" not in line:
        if price is None or price.split is None:
            raise InputError(
                f"{where}.split",
                f"no verified rule splits the price of {key} between actors; name a rule "
                f'(e.g. split = "kommune_only"; `som-mc knowledge list rules`) or give shares',
            )
        ladder = _named_split(line, where, price.split, kb, price_year, prior_weeks)
        if ladder is not None:
            return ladder
        notes.append(f"{key}: split by rule {price.split}: {kb.rules[price.split].description}")
    return None


def _rule_shares(name: str, where: str, kb: Knowledge) -> dict:
    if name not in kb.rules:
        close = difflib.get_close_matches(name, [*kb.rules, *kb.ladders], n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise InputError(where, f"'{name}' is not a rule; {hint}`som-mc knowledge list rules`")
    return dict(kb.rules[name].shares)
