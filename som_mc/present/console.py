"""What the command line prints: summaries and SØM's tables, as rich tables."""

from __future__ import annotations

import numpy as np
import xarray as xr
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from som_mc.conventions import ACTOR, ACTORS, ACTORS_AND_TOTAL, INPUT, TOTAL, YEAR
from som_mc.inputs.distributions import Choice

__all__ = [
    "print_detail",
    "print_deterministic",
    "print_inputs",
    "print_rows",
    "print_summary",
]


def _kr(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:,.0f}"


def _thousands(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value / 1000:,.0f}"


def _year(value: float) -> str:
    return "never" if not np.isfinite(value) else f"{value:.0f}"


def illustrative_note(console: Console, attrs: dict) -> None:
    if attrs.get("uses_illustrative_values"):
        console.print(
            "[yellow]Uses illustrative values (no public source):[/yellow] "
            f"{escape(attrs.get('illustrative_items', ''))}"
        )


def print_summary(summary: xr.Dataset, console: Console | None = None) -> None:
    """Print the headline numbers of a Monte Carlo run (see :func:`som_mc.summarize`)."""
    console = console or Console()
    a = summary.attrs
    tail = 100 * (1 - a["interval"]) / 2
    console.print(
        f"[bold]{escape(a['case_name'])}[/bold]: {a['draws']:,} draws, {a['mode']} mode, "
        f"{a['design']} design, seed {a['seed']}; discount rate {a['discount_rate']}"
    )
    table = Table(
        title=f"Present value of the net result over {a['horizon']} years, "
        f"1,000 {a['currency']} ({a['price_year']} prices)"
    )
    table.add_column("actor")
    for col in (
        "mean",
        f"{tail:g} %",
        f"{100 - tail:g} %",
        "P(net > 0)",
        "± se",
        "break-even",
        "never",
    ):
        table.add_column(col, justify="right", no_wrap=True)
    for actor in summary.actor.values:
        s = summary.sel(actor=actor)
        table.add_row(
            str(actor),
            _thousands(float(s.pv_mean)),
            _thousands(float(s.pv_lower)),
            _thousands(float(s.pv_upper)),
            f"{float(s.p_positive):.1%}",
            f"{float(s.p_positive_mcse):.1%}",
            _year(float(s.break_even_median)),
            f"{float(s.p_never_break_even):.0%}",
        )
    console.print(table)
    console.print(
        "P(net > 0): share of draws with a positive present value, ± its Monte Carlo standard "
        "error. Break-even: median year the cumulative result turns non-negative; never: share "
        "of draws where it does not within the horizon."
    )
    illustrative_note(console, a)


def print_deterministic(ds: xr.Dataset, console: Console | None = None) -> None:
    """Print SØM's own tables: net and cumulative by year and actor, and by consequence."""
    console = console or Console()
    a = ds.attrs
    console.print(
        f"[bold]{escape(a['case_name'])}[/bold]: deterministic (every input at its mean); "
        f"{a['currency']}, {a['price_year']} prices"
    )
    table = Table(title="Net budget result by year (gain − cost)")
    table.add_column("year")
    for actor in ACTORS_AND_TOTAL:
        table.add_column(f"net {actor}", justify="right")
    table.add_column("cumulative total", justify="right")
    total = ds.net.sum(ACTOR)
    cumulative = ds["cumulative"].sum(ACTOR)
    for t in ds.year.values:
        row = [_kr(float(ds.net.sel(year=t, actor=actor))) for actor in ACTORS]
        table.add_row(
            str(t), *row, _kr(float(total.sel(year=t))), _kr(float(cumulative.sel(year=t)))
        )
    console.print(table)

    by = Table(title="Gain by consequence over the horizon (undiscounted)")
    by.add_column("consequence")
    by.add_column("area")
    for actor in ACTORS_AND_TOTAL:
        by.add_column(actor, justify="right")
    gains = ds.gain_by_consequence.sum(YEAR)
    for c in ds.consequence.values:
        g = gains.sel(consequence=c)
        by.add_row(
            str(c),
            str(ds.area.sel(consequence=c).item()),
            *[_kr(float(g.sel(actor=actor))) for actor in ACTORS],
            _kr(float(g.sum())),
        )
    costs = ds.cost.sum(YEAR)
    by.add_row(
        "cost of the intervention",
        "",
        *[_kr(0.0 - float(costs.sel(actor=x))) for x in ACTORS],  # 0.0 - x: no "-0"
        _kr(0.0 - float(costs.sum())),
    )
    console.print(by)
    console.print(
        f"Break-even year (all actors): {_year(float(ds.break_even_year))}; present value "
        + ", ".join(f"{x} {_kr(float(ds.present_value.sel(actor=x)))}" for x in ACTORS)
        + f"; total {_kr(float(ds.present_value.sum()))}"
    )
    illustrative_note(console, a)


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
