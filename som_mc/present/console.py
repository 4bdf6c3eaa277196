"""What the command line prints: summaries and SØM's tables, as rich tables."""

from __future__ import annotations

import numpy as np
import xarray as xr
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from som_mc.conventions import ACTOR, ACTORS, ACTORS_AND_TOTAL, DRAW, INPUT, TOTAL
from som_mc.errors import InputError
from som_mc.inputs.distributions import Choice
from som_mc.present.consequence_table import consequence_rows
from som_mc.present.labels import area_name, consequence_names, illustrative_items
from som_mc.present.locale import LANGUAGES, format_number, format_percent

__all__ = [
    "print_batch",
    "print_by_part",
    "print_comparison",
    "print_detail",
    "print_deterministic",
    "print_inputs",
    "print_rows",
    "print_summary",
]


# The console's words in English and Danish (docs/reports.md): the summary and SØM's tables.
_WORDS: dict[str, tuple[str, str]] = {
    "never": ("never", "aldrig"),
    "draws": ("{n} draws, {mode} mode, {design} design, seed {seed}; discount rate {rate}",
              "{n} trækninger, tilstand {mode}, design {design}, seed {seed}; "
              "diskonteringsrente {rate}"),
    "pv_title": ("Present value of the net result over {T} years, 1,000 {cur} ({y} prices)",
                 "Nutidsværdi af nettoresultatet over {T} år, 1.000 kr. ({y}-priser)"),
    "actor": ("actor", "aktør"),
    "mean": ("mean", "middel"),
    "p_pos": ("P(net > 0)", "P(NV > 0)"),
    "se": ("± se", "± sf"),
    "break_even": ("break-even", "tilbagebet."),
    "never_col": ("never", "aldrig"),
    "explain": (
        "P(net > 0): share of draws with a positive present value, ± its Monte Carlo standard "
        "error. Break-even (undiscounted, unlike P(net > 0)): median year from which the "
        "cumulative result stays non-negative to the horizon; never: share of draws where it "
        "is negative in the last year.",
        "P(NV > 0): andel af trækningerne med en positiv nutidsværdi (NV), ± dens Monte "
        "Carlo-standardfejl. Tilbagebet. (tilbagebetaling, udiskonteret, modsat P(NV > 0)): "
        "medianåret, "
        "hvorfra det akkumulerede resultat forbliver ikke-negativt til tidshorisonten; aldrig: "
        "andel af trækningerne, hvor det er negativt i det sidste år.",
    ),
    "not_affected": ("Not affected (no gain and no cost in any draw): {actors}.",
                     "Ikke berørt (ingen gevinst og ingen omkostning i nogen trækning): "
                     "{actors}."),
    "illustrative": ("Uses illustrative values (no public source):",
                     "Bruger illustrative værdier (uden offentlig kilde):"),
    "det_head": ("deterministic (every input at its mean); {cur}, {y} prices",
                 "deterministisk (hvert input ved sin middelværdi); kr., {y}-priser"),
    "net_title": ("Net budget result by year (gain − cost)",
                  "Budgetøkonomisk nettoresultat pr. år (gevinst − omkostning)"),
    "year": ("year", "år"),
    "net": ("net {actor}", "netto {actor}"),
    "cumulative": ("cumulative total", "akkumuleret i alt"),
    "by_title": ("Gain by consequence over the horizon (undiscounted)",
                 "Gevinst pr. konsekvens over tidshorisonten (udiskonteret)"),
    "consequence": ("consequence", "konsekvens"),
    "area": ("area", "område"),
    "cost_line": ("cost of the intervention", "indsatsens omkostninger"),
    "gross_line": ("  before tax", "  før skat"),
    "tax_line": ("  income tax", "  indkomstskat"),
    "det_tail": ("Break-even year (all actors): {be}; present value {pv}; total {total}",
                 "Tilbagebetalingsår (alle aktører): {be}; nutidsværdi {pv}; i alt {total}"),
    "mode_expected": ("expected", "forventet værdi"),
    "mode_cohort": ("cohort", "kohorte"),
    "kommune": ("kommune", "kommune"),
    "region": ("region", "region"),
    "stat": ("stat", "stat"),
    "total": ("total", "i alt"),
    "by_part_title": ("Mean present value by {dim}, 1,000 DKK",
                      "Middel af nutidsværdien pr. {dim}, 1.000 kr."),
    "step": ("step", "trin"),
    "subgroup": ("subgroup", "delgruppe"),
    "compare_title": ("Which option is best? {n} draws on shared inputs",
                      "Hvilken mulighed er bedst? {n} trækninger på fælles input"),
    "option": ("option", "mulighed"),
    "mean_pv": ("mean PV, 1,000 DKK", "middel-NV, 1.000 kr."),
    "p_best": ("P(best)", "P(bedst)"),
    "loss": ("expected loss, 1,000 DKK", "forventet tab, 1.000 kr."),
    "basis": ("Basis: {basis}.", "Grundlag: {basis}."),
    "compare_explain": (
        "P(best): share of draws in which the option has the highest present value for that "
        "actor. Expected loss: mean shortfall from the best option of each draw.",
        "P(bedst): andel af trækningerne, hvor muligheden har den højeste nutidsværdi for "
        "aktøren. Forventet tab: gennemsnitlig afstand til den bedste mulighed i hver "
        "trækning.",
    ),
    "batch_title": ("Batch: P(present value > 0) and mean, {n} draws per row",
                    "Kørsel af tabel: P(nutidsværdi > 0) og middel, {n} trækninger pr. række"),
    "row": ("row", "række"),
    "differs by part": ("differs by part", "forskellig fra del til del"),
}  # fmt: skip


def _w(key: str, lang: str, **fields: object) -> str:
    text = _WORDS[key][LANGUAGES.index(lang)] if key in _WORDS else key
    return text.format(**fields) if fields else text


def _check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InputError("--lang", f"'{lang}' is not a language; allowed: {', '.join(LANGUAGES)}")
    return lang


def _kr(value: float, lang: str = "en") -> str:
    return "–" if not np.isfinite(value) else format_number(value, lang)


def _thousands(value: float, lang: str = "en") -> str:
    return "–" if not np.isfinite(value) else format_number(value / 1000, lang)


def _year(value: float, lang: str = "en") -> str:
    return _w("never", lang) if not np.isfinite(value) else f"{value:.0f}"


def illustrative_note(console: Console, attrs: dict, lang: str = "en") -> None:
    """The line naming the illustrative values a result uses, if any."""
    if attrs.get("uses_illustrative_values"):
        items = illustrative_items(attrs.get("illustrative_items", ""), lang)
        console.print(f"[yellow]{_w('illustrative', lang)}[/yellow] {escape(items)}")


def print_summary(summary: xr.Dataset, console: Console | None = None, lang: str = "en") -> None:
    """Print the headline numbers of a Monte Carlo run (see :func:`som_mc.summarize`) in
    ``lang`` ("en" or "da": words and number formats)."""
    lang = _check(lang)
    console = console or Console()
    a = summary.attrs
    tail = 100 * (1 - a["interval"]) / 2
    rate = a["discount_rate"]
    if isinstance(rate, float | int):
        rate = format_percent(float(rate), lang, 2)
    elif rate in _WORDS:
        rate = _w(rate, lang)
    mode = _w(f"mode_{a['mode']}", lang) if f"mode_{a['mode']}" in _WORDS else a["mode"]
    console.print(
        f"[bold]{escape(a['case_name'])}[/bold]: "
        + _w(
            "draws",
            lang,
            n=format_number(a["draws"], lang),
            mode=mode,
            design=a["design"],
            seed=a["seed"],
            rate=rate,
        )
    )
    title = _w("pv_title", lang, T=a["horizon"], cur=a["currency"], y=a["price_year"])
    table = Table(title=title, pad_edge=False)  # eight columns in 80 characters
    table.add_column(_w("actor", lang), no_wrap=True, min_width=7)
    for col in (
        _w("mean", lang),
        f"{format_number(tail, lang, 1 if tail % 1 else 0)} %",
        f"{format_number(100 - tail, lang, 1 if tail % 1 else 0)} %",
        _w("p_pos", lang),
        _w("se", lang),
        _w("break_even", lang),
        _w("never_col", lang),
    ):
        table.add_column(col, justify="right", no_wrap=True)
    for actor in summary.actor.values:
        s = summary.sel(actor=actor)
        touched = bool(s.affected) if "affected" in s else True
        table.add_row(
            _w(str(actor), lang),
            _thousands(float(s.pv_mean), lang),
            _thousands(float(s.pv_lower), lang),
            _thousands(float(s.pv_upper), lang),
            format_percent(float(s.p_positive), lang),
            format_percent(float(s.p_positive_mcse), lang),
            _year(float(s.break_even_median), lang) if touched else "–",
            format_percent(float(s.p_never_break_even), lang, 0) if touched else "–",
        )
    console.print(table)
    console.print(_w("explain", lang))
    if "affected" in summary:
        untouched = [
            _w(str(x), lang)
            for x in summary.actor.values
            if not bool(summary.affected.sel(actor=x))
        ]
        if untouched:
            console.print(_w("not_affected", lang, actors=", ".join(untouched)))
    illustrative_note(console, a, lang)


def print_deterministic(ds: xr.Dataset, console: Console | None = None, lang: str = "en") -> None:
    """Print SØM's own tables: net and cumulative by year and actor, and by consequence, in
    ``lang`` ("en" or "da"; consequences by the knowledge base's label in that language)."""
    lang = _check(lang)
    console = console or Console()
    a = ds.attrs
    console.print(
        f"[bold]{escape(a['case_name'])}[/bold]: "
        + _w("det_head", lang, cur=a["currency"], y=a["price_year"])
    )
    table = Table(title=_w("net_title", lang))
    table.add_column(_w("year", lang))
    for actor in ACTORS_AND_TOTAL:
        table.add_column(_w("net", lang, actor=_w(actor, lang)), justify="right")
    table.add_column(_w("cumulative", lang), justify="right")
    total = ds.net.sum(ACTOR)
    cumulative = ds["cumulative"].sum(ACTOR)
    for t in ds.year.values:
        row = [_kr(float(ds.net.sel(year=t, actor=actor)), lang) for actor in ACTORS]
        table.add_row(
            str(t),
            *row,
            _kr(float(total.sel(year=t)), lang),
            _kr(float(cumulative.sel(year=t)), lang),
        )
    console.print(table)

    by = Table(title=_w("by_title", lang))
    by.add_column(_w("consequence", lang))
    by.add_column(_w("area", lang))
    for actor in ACTORS_AND_TOTAL:
        by.add_column(_w(actor, lang), justify="right")
    given = ds["consequence_label"].values if "consequence_label" in ds.coords else None
    keys = [str(c) for c in ds.consequence.values]
    names = dict(zip(keys, consequence_names(keys, given, lang), strict=True))
    # The same rows as the report's (present/consequence_table.py): a taxed transfer's gross
    # saving and income-tax line beneath its gain (docs/model.md §3).
    for row in consequence_rows(ds):
        if row.part == "gain":
            area = area_name(str(ds.area.sel(consequence=row.consequence).item()), lang)
            # English shows the key, Danish the knowledge base's Danish label.
            name = Text(names[row.consequence]) if lang == "da" else row.consequence
            first = [name, area]
        else:
            first = [_w(f"{row.part}_line", lang), ""]  # gross_line, tax_line, cost_line
        by.add_row(*first, *[_kr(v, lang) for v in row.by_actor], _kr(row.total, lang))
    console.print(by)
    pv = ", ".join(
        f"{_w(x, lang)} {_kr(float(ds.present_value.sel(actor=x)), lang)}" for x in ACTORS
    )
    console.print(
        _w(
            "det_tail",
            lang,
            be=_year(float(ds.break_even_year), lang),
            pv=pv,
            total=_kr(float(ds.present_value.sum()), lang),
        )
    )
    illustrative_note(console, a, lang)


def print_inputs(
    names: list[str], dists: list, uncertain: list[str], console: Console | None = None
) -> None:
    """Print every quantity of a case with its distribution, uncertain ones in bold."""
    console = console or Console()
    table = Table(title=Text("Inputs (the names for [[correlation]] and sensitivity tables)"))
    table.add_column("name", no_wrap=True)
    table.add_column("value or distribution", overflow="fold")
    table.add_column("mean", justify="right", no_wrap=True)
    for name, dist in zip(names, dists, strict=True):
        style = "bold" if name in uncertain else "dim"
        if dist.is_fixed:
            table.add_row(Text(name, style=style), f"{dist.central():,.6g}", "")
        elif isinstance(dist, Choice):  # a coded choice: its mean code means nothing
            table.add_row(Text(name, style=style), Text(dist.describe()), "")
        else:
            table.add_row(Text(name, style=style), Text(dist.describe()), f"{dist.mean():,.6g}")
    console.print(table)


def print_rows(
    columns: list[str], rows: list[list[str]], title: str = "", console: Console | None = None
) -> None:
    """Print rows of text as a table (knowledge-base listings)."""
    console = console or Console()
    table = Table(title=Text(title))
    for i, col in enumerate(columns):
        table.add_column(col, no_wrap=i == 0, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)


def print_detail(key: str, pairs: list[tuple[str, str]], console: Console | None = None) -> None:
    """Print what the knowledge base says about one key."""
    console = console or Console()
    table = Table(title=Text(key), show_header=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for label, text in pairs:
        table.add_row(Text(label), Text(text))
    console.print(table)


def _interval(lo: float, hi: float) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return ""
    return f"[{lo:.2f}, {hi:.2f}]"


def print_sensitivity(
    case, results: dict[str, xr.Dataset], console: Console | None = None, top: int = 12
) -> None:
    """Print the sensitivity and value-of-information tables of ``som-mc sensitivity``."""
    console = console or Console()
    console.print(f"[bold]{escape(case.name)}[/bold]: sensitivity of the present value")
    if "sobol" in results:
        ds = results["sobol"]
        table = Table(
            title=Text(
                f"Sobol' indices (n = {ds.attrs['n']:,} x {ds.attrs['replicates']} scrambles, "
                f"{ds.attrs['evaluations']:,} runs); 95 % interval over scrambles"
            )
        )
        table.add_column("input", overflow="fold")
        for col in ("ST total", "interval", "S1 total", "ST kommune", "ST stat"):
            table.add_column(col, justify="right", no_wrap=True)
        order = ds.ST.sel(output=TOTAL).fillna(-1).argsort().values[::-1][:top]
        for i in order:
            row = ds.isel(input=i)
            table.add_row(
                Text(str(row.input.item())),
                _index(float(row.ST.sel(output=TOTAL))),
                _interval(*row.ST_ci.sel(output=TOTAL).values),
                _index(float(row.S1.sel(output=TOTAL))),
                _index(float(row.ST.sel(output="kommune"))),
                _index(float(row.ST.sel(output="stat"))),
            )
        console.print(table)
        if ds.attrs.get("notes"):
            console.print(Text(ds.attrs["notes"]))
    if "shapley" in results:
        _print_correlated(results["shapley"], console, top)
    if "tornado" in results:
        ds = results["tornado"]
        table = Table(
            title="Tornado: each input at its 5th and 95th percentile, the rest at their "
            "means (total, 1,000 DKK)"
        )
        table.add_column("input", overflow="fold")
        for col in ("low value", "high value", "PV at low", "PV at high", "swing"):
            table.add_column(col, justify="right", no_wrap=True)
        for i in range(min(top, ds.sizes[INPUT])):
            row = ds.isel(input=i)
            pv = row.present_value.sel(output=TOTAL).values
            table.add_row(
                Text(str(row.input.item())),
                f"{float(row.input_low):,.4g}",
                f"{float(row.input_high):,.4g}",
                _thousands(pv[0]),
                _thousands(pv[1]),
                _thousands(float(row.swing.sel(output=TOTAL))),
            )
        console.print(table)
        base = _thousands(float(ds.base.sel(output=TOTAL)))
        console.print(f"Base (every input at its mean): {base} thousand DKK in total")
    if "switching" in results:
        ds = results["switching"]
        table = Table(title="Switching values: where the deterministic present value is zero")
        table.add_column("input", overflow="fold")
        table.add_column("now", justify="right")
        for out in ds.output.values:
            table.add_column(str(out), justify="right")
        for i in range(ds.sizes[INPUT]):
            row = ds.isel(input=i)
            cells = [
                "never" if not np.isfinite(v) else f"{v:.4g}" for v in row.switching_value.values
            ]
            table.add_row(Text(str(row.input.item())), f"{float(row.base_value):.4g}", *cells)
        console.print(table)
        ranges = zip(ds.search_low.values, ds.search_high.values, strict=True)
        searched = ", ".join(f"{lo:g} to {hi:g}" for lo, hi in ranges)
        console.print(f"never: no zero between the searched bounds ({searched}).")
    if "voi" in results:
        ds = results["voi"]
        table = Table(
            title=f"Value of information (invest or not), 1,000 DKK; {ds.attrs['draws']:,} draws"
        )
        table.add_column("input", overflow="fold")
        for out in ds.output.values:
            table.add_column(f"EVPPI {out}", justify="right", no_wrap=True)
        table.add_row(
            Text("EVPI (all inputs)", style="bold"), *[_thousands(float(v)) for v in ds.evpi.values]
        )
        order = ds.evppi.sel(output=TOTAL).argsort().values[::-1][:top]
        for i in order:
            row = ds.isel(input=i)
            table.add_row(
                Text(str(row.input.item())), *[_thousands(float(v)) for v in row.evppi.values]
            )
        console.print(table)
    if "morris" in results:
        ds = results["morris"]
        table = Table(
            title="Morris screening: mu* (mean absolute elementary effect), total, 1,000 DKK"
        )
        table.add_column("input", overflow="fold")
        table.add_column("mu*", justify="right")
        table.add_column("± conf", justify="right")
        table.add_column("sigma", justify="right")
        order = ds.mu_star.sel(output=TOTAL).argsort().values[::-1][:top]
        for i in order:
            row = ds.isel(input=i).sel(output=TOTAL)
            table.add_row(
                Text(str(row.input.item())),
                _thousands(float(row.mu_star)),
                _thousands(float(row.mu_star_conf)),
                _thousands(float(row.sigma)),
            )
        console.print(table)


def _index(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:.3f}"


def _print_correlated(ds: xr.Dataset, console: Console, top: int) -> None:
    """The Shapley effects and full/independent indices of a case with correlated inputs
    (:func:`som_mc.analysis.sensitivity.dependent.correlated_sensitivity`), total output."""
    table = Table(
        title=Text(
            f"Correlated inputs: Shapley effects and full/independent Sobol' indices, total "
            f"(n = {ds.attrs['n']:,}, {ds.attrs['evaluations']:,} runs); 95 % interval"
        )
    )
    table.add_column("input", overflow="fold")
    for col in ("Shapley", "interval", "S full", "ST full", "S ind", "ST ind"):
        table.add_column(col, justify="right", no_wrap=True)
    total = ds.sel(output=TOTAL)
    for i in total.shapley.fillna(-1).argsort().values[::-1][:top]:
        row = total.isel(input=i)
        table.add_row(
            Text(str(row.input.item())),
            _index(float(row.shapley)),
            _interval(*row.shapley_ci.values),
            *[_index(float(row[k])) for k in ("S_full", "ST_full", "S_ind", "ST_ind")],
        )
    console.print(table)
    console.print(
        Text(
            f"The case correlates {ds.attrs.get('correlated', '')}: the Shapley effects share "
            "what correlated inputs explain together and add up to 1; 'full' counts what an "
            "input brings along through its correlations, 'ind' only its own part "
            "(docs/sensitivity.md)."
        )
    )


def print_by_part(
    pv: xr.DataArray, dim: str, console: Console | None = None, lang: str = "en"
) -> None:
    """The mean present value of each part (a course's steps, a case's subgroups) by actor."""
    lang = _check(lang)
    console = console or Console()
    table = Table(title=_w("by_part_title", lang, dim=_w(dim, lang)))
    table.add_column(_w(dim, lang))
    for actor in pv[ACTOR].values:
        table.add_column(_w(str(actor), lang), justify="right")
    means = pv.mean(DRAW)
    for part in means[dim].values:
        cells = [
            _thousands(float(means.sel({dim: part, ACTOR: a})), lang) for a in pv[ACTOR].values
        ]
        table.add_row(str(part), *cells)
    console.print(table)


def print_comparison(ds: xr.Dataset, console: Console | None = None, lang: str = "en") -> None:
    """A portfolio's comparison (:func:`som_mc.portfolio`): each option's mean present value,
    probability of being best and expected loss, by actor."""
    lang = _check(lang)
    console = console or Console()
    n = format_number(ds.attrs["draws"], lang)
    table = Table(title=_w("compare_title", lang, n=n))
    table.add_column(_w("option", lang))
    table.add_column(_w("actor", lang))
    for col in ("mean_pv", "p_best", "loss"):
        table.add_column(_w(col, lang), justify="right")
    for option in ds.option.values:
        for actor in ds[ACTOR].values:
            s = ds.sel(option=option, actor=actor)
            table.add_row(
                str(option),
                _w(str(actor), lang),
                _thousands(float(s.pv_mean), lang),
                format_percent(float(s.p_best), lang),
                _thousands(float(s.expected_loss), lang),
            )
    console.print(table)
    if ds.attrs.get("basis"):
        console.print(_w("basis", lang, basis=ds.attrs["basis"]))
    console.print(_w("compare_explain", lang))
    illustrative_note(console, ds.attrs, lang)


def print_batch(
    ds: xr.Dataset, draws: int, console: Console | None = None, lang: str = "en"
) -> None:
    """A batch's summaries: P(present value > 0) and the mean present value, row by actor."""
    lang = _check(lang)
    console = console or Console()
    table = Table(title=_w("batch_title", lang, n=format_number(draws, lang)))
    table.add_column(_w("row", lang))
    for actor in ds[ACTOR].values:
        table.add_column(_w(str(actor), lang), justify="right")
    for i in range(ds.sizes["row"]):
        row = ds.isel(row=i)
        cells = [
            f"{format_percent(float(row.p_positive.sel(actor=a)), lang, 0)} / "
            f"{_thousands(float(row.pv_mean.sel(actor=a)), lang)}k"
            for a in ds[ACTOR].values
        ]
        table.add_row(str(row.label.item()), *cells)
    console.print(table)
