"""``som-mc voi PSA.csv``: decision analysis of a researcher's own probabilistic sample.

The file (CSV or netCDF) has one row per draw: ``nb_<option>`` columns, or ``cost_<option>``
and ``effect_<option>`` columns, and every other column an input (docs/decision.md). The
command prints EVPI and the EVPPI of each input (and ``--group``), the cost-effectiveness
table for costs and effects, the EVSI of a study of ``--evsi-rate`` for ``--n`` citizens, and
writes a figure of each curve to ``--plot-dir`` (``--lang da`` for Danish labels).
:func:`portfolio_voi` prints the same per actor for ``som-mc compare --voi``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from som_mc.errors import SomMcError

__all__ = ["add_parser", "portfolio_voi", "run_voi"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add the ``voi`` parser to the ``som-mc`` parser."""
    p = sub.add_parser("voi", help="value of information and cost-effectiveness of a PSA file")
    p.add_argument("psa", type=Path, help="CSV or netCDF: nb_/cost_/effect_ columns and inputs")
    p.add_argument("--wtp", default=None, help="willingness to pay grid FROM:TO:STEP or a,b,c")
    p.add_argument(
        "--group", action="append", default=[], metavar="NAME=A,B", help="a group; repeatable"
    )
    p.add_argument("--current", type=float, default=None, help="known current net benefit")
    p.add_argument("--evsi-rate", default=None, help="input a local evaluation observes")
    p.add_argument("--n", default="10,25,50,100,200", help="study sizes (default 10,...,200)")
    p.add_argument("--cost-per-citizen", type=float, default=0.0, help="study cost per citizen")
    p.add_argument("--fixed-cost", type=float, default=0.0, help="fixed cost of the study")
    p.add_argument(
        "--population",
        type=float,
        default=1.0,
        help="citizens the decision affects, when the net benefit is per citizen (default 1)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    p.add_argument("--plot-dir", type=Path, default=None, help="folder for one .png per curve")
    p.add_argument("--force", action="store_true", help="replace existing figures")
    p.add_argument("--lang", choices=("en", "da"), default="en", help="language of the figures")


def _parse_groups(specs: list[str]) -> dict[str, list[str]]:
    """``--group NAME=A,B`` options as a mapping of group name to input names."""
    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, _, members = spec.partition("=")
        if not name or not members:
            raise SomMcError(f"--group: {spec!r} is not NAME=A,B")
        groups[name] = [m.strip() for m in members.split(",")]
    return groups


def _voi_table(sel, title: str, rows: int | None = None) -> Table:
    """EVPPI, its SE, its share of EVPI and its rank by input or group, largest first."""
    table = Table(title=title)
    for col in ("input or group", "EVPPI", "SE", "EVPPI / EVPI", "rank"):
        table.add_column(col, justify="left" if col == "input or group" else "right")
    for i in sel.evppi_rank.argsort().values[:rows]:
        r = sel.isel(input=int(i))
        table.add_row(
            str(r.input.item()),
            f"{float(r.evppi):,.4g}",
            f"{float(r.evppi_se):,.2g}",
            f"{float(r.ratio):.1%}",
            str(int(r.evppi_rank)),
        )
    return table


def portfolio_voi(console: Console, ds, groups: list[str], seed: int, rows: int = 5) -> None:
    """Print, per actor, what learning the inputs is worth for the choice between the options
    of a portfolio (``som-mc compare --voi``).

    Each actor's present value is the money net benefit of each option (docs/decision.md, a
    sample of net benefits without willingness to pay): EVPI with its standard error, the
    option best by mean, and the EVPPI of the ``rows`` inputs that matter most and of each
    ``--group`` (:func:`som_mc.analysis.decision.evppi`, regression seed ``seed``).
    """
    from som_mc.analysis import decision
    from som_mc.conventions import ACTOR

    extra = _parse_groups(groups)
    units = str(ds.present_value.attrs.get("units", "DKK"))
    for actor in [str(a) for a in ds[ACTOR].values]:
        psa = decision.psa_from_run(ds, actor)
        total = decision.evpi(psa)
        head = (
            f"{actor}: EVPI {float(total.evpi):,.0f} ± {float(total.evpi_se):,.0f} {units}; "
            f"best by mean: {total.optimal.item()}"
        )
        if float(total.evpi) <= 0.0 or not psa.input_names:
            console.print(f"{head}; no input changes the choice")
            continue
        console.print(head)
        singles = decision.evppi(psa, None, seed=seed)
        console.print(_voi_table(singles, f"{actor}: inputs that decide the choice", rows))
        if extra:
            console.print(_voi_table(decision.evppi(psa, extra, seed=seed), f"{actor}: groups"))
    console.print(
        "EVPI: what knowing every input before choosing would be worth, per actor; EVPPI: "
        "knowing one input or group (docs/decision.md). Net benefit = present value, in money."
    )


def _grid(text: str | None):
    import numpy as np

    if text is None:
        return None
    try:
        if ":" in text:
            lo, hi, step = (float(v) for v in text.split(":"))
            if step <= 0:
                raise ValueError
            return np.arange(lo, hi + step / 2, step)
        return np.array([float(v) for v in text.split(",")])
    except ValueError:
        raise SomMcError(f"--wtp: {text!r} is not FROM:TO:STEP (STEP > 0) or a,b,c") from None


def run_voi(args: argparse.Namespace) -> int:
    """Run the command; returns the exit status."""
    from som_mc.analysis import decision

    console = Console()
    psa = decision.read_psa(args.psa)
    wtp = _grid(args.wtp)
    if psa.has_effects and wtp is None:
        raise SomMcError("--wtp: the file has costs and effects; give a grid, e.g. 0:50000:1000")
    groups: dict[str, list[str]] = {n: [n] for n in psa.input_names}
    groups.update(_parse_groups(args.group))
    at = None if wtp is None else {"wtp": wtp.size // 2}
    shown = "" if wtp is None else f" at willingness to pay {wtp[wtp.size // 2]:g}"
    if args.plot_dir is not None:  # before the work, not after it
        from som_mc.cli.common import refuse_overwrite

        names = ["voi"] * bool(psa.input_names) + ["ceac", "loss"] * psa.has_effects
        for name in names + ["evsi"] * (args.evsi_rate is not None):
            refuse_overwrite(args.plot_dir / f"{name}.png", args.force)
    figures = {}
    console.print(f"{psa.draws:,} draws, options {', '.join(psa.options)}")
    total = decision.evpi(psa, wtp, current=args.current)
    if psa.input_names:
        voi = decision.evppi(psa, groups, wtp, seed=args.seed)
        sel = voi.isel(at) if at else voi
        console.print(_voi_table(sel, f"Value of information{shown}"))
        figures["voi"] = ("voi_curve_plot", voi)
    t = total.isel(at) if at else total
    console.print(
        f"EVPI{shown}: {float(t.evpi):,.4g} ± {float(t.evpi_se):,.2g}; "
        f"optimal option: {t.optimal.item()}"
    )
    if psa.has_effects:
        res = decision.cea(psa, wtp)
        table = Table(title="Cost-effectiveness (means, SDs, ICERs)")
        for col in ("option", "cost", "sd", "effect", "sd", "ICER", "status"):
            table.add_column(col, justify="left" if col in ("option", "status") else "right")
        for o in res.option.values:
            r = res.sel(option=o)
            table.add_row(
                str(o),
                f"{float(r.cost_mean):,.6g}",
                f"{float(r.cost_sd):,.3g}",
                f"{float(r.effect_mean):,.6g}",
                f"{float(r.effect_sd):,.3g}",
                "" if not float(r.icer) == float(r.icer) else f"{float(r.icer):,.6g}",
                str(r.status.item()),
            )
        console.print(table)
        for s in range(res.sizes["switch"]):
            console.print(
                f"switch point {float(res.switch_wtp[s]):,.6g}: "
                f"{res.switch_from.values[s]} -> {res.switch_to.values[s]}"
            )
        figures["ceac"] = ("ceac_plot", res)
        figures["loss"] = ("loss_plot", res)
    if args.evsi_rate is not None:
        try:
            sizes = [int(v) for v in args.n.split(",")]
        except ValueError:
            raise SomMcError(f"--n: {args.n!r} is not whole numbers a,b,c") from None
        ev = decision.evsi(psa, args.evsi_rate, sizes, wtp, seed=args.seed)
        nb = decision.enbs(ev, args.cost_per_citizen, args.fixed_cost, population=args.population)
        scaled = "" if args.population == 1 else f", ENBS for {args.population:,g} citizens"
        table = Table(title=f"Value of a study of {args.evsi_rate}{shown}{scaled}")
        for col in ("citizens", "EVSI", "SE", "ENBS"):
            table.add_column(col, justify="right")
        e, b = (ev.isel(at), nb.isel(at)) if at else (ev, nb)
        for j, n in enumerate(sizes):
            table.add_row(
                str(n),
                f"{e.evsi.values[j]:,.4g}",
                f"{e.evsi_se.values[j]:,.2g}",
                f"{b.enbs.values[j]:,.4g}",
            )
        console.print(table)
        console.print(
            f"EVPPI of {args.evsi_rate}: {float(e.evppi):,.4g}; best size "
            f"{int(b.best_size)}, worth doing: {'yes' if bool(b.worth_it) else 'no'}"
        )
        figures["evsi"] = ("evsi_plot", (ev, nb))
    if args.plot_dir is not None:
        _plots(console, figures, args.plot_dir, args.force, args.lang)
    return 0


def _plots(console: Console, figures: dict, folder: Path, force: bool, lang: str) -> None:
    from som_mc.cli.common import write_plot
    from som_mc.present import plots

    folder.mkdir(parents=True, exist_ok=True)
    for name, (function, data) in figures.items():
        draw = getattr(plots, function)
        if function == "evsi_plot":
            written = write_plot(
                lambda ax, d=data, f=draw: f(d[0], d[1], ax=ax, lang=lang),
                folder / f"{name}.png",
                force,
            )
        else:
            written = write_plot(
                lambda ax, d=data, f=draw: f(d, ax=ax, lang=lang), folder / f"{name}.png", force
            )
        console.print(f"Figure written to {written}")
