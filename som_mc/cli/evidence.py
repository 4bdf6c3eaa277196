"""``som-mc evidence pool`` (a random-effects meta-analysis with its forest plot) and
``som-mc costs`` (the cost of an intervention by resource, from its cost model)."""

from __future__ import annotations

import argparse
import math
import tomllib
from pathlib import Path

from rich.console import Console
from rich.table import Table

from som_mc.cli.common import add_case_args, case_path, refuse_overwrite, write_plot
from som_mc.errors import InputError

__all__ = ["add_parsers", "dispatch"]


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``evidence`` and ``costs`` to the ``som-mc`` parser."""
    ev = sub.add_parser("evidence", help="pool studies into an effect (meta-analysis)")
    ev_sub = ev.add_subparsers(dest="ev_command", required=True)
    pool = ev_sub.add_parser("pool", help="random-effects pool of studies, with a forest plot")
    pool.add_argument("studies", nargs="*", help="keys of effect studies of the knowledge base")
    pool.add_argument(
        "--file", type=Path, default=None, help="TOML file of [[study]] tables (label, measure, "
        "estimate, se or ci95, evidence_level)",
    )  # fmt: skip
    pool.add_argument("--method", choices=("REML", "DL"), default="REML", help="tau^2 estimator")
    pool.add_argument("--hartung-knapp", action="store_true", help="Hartung-Knapp intervals")
    pool.add_argument("--evidence", action="store_true", help="widen by evidence-level presets")
    pool.add_argument("--plot", type=Path, default=None, help="write the forest plot here")
    pool.add_argument("--force", action="store_true", help="replace an existing plot")
    costs = sub.add_parser("costs", help="the intervention's cost by resource, with intervals")
    add_case_args(costs)
    costs.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws")
    costs.add_argument("--seed", type=int, default=0, help="seed (default 0)")


def dispatch(args: argparse.Namespace) -> int:
    """Run ``evidence pool`` or ``costs``."""
    if args.command == "costs":
        return _costs(args)
    return _pool(args)


def _pool(args: argparse.Namespace) -> int:
    from som_mc.inputs.knowledge import load_knowledge
    from som_mc.inputs.pooling import pool_spec

    entries: list = list(args.studies)
    if args.file is not None:
        try:
            data = tomllib.loads(args.file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise InputError("", f"cannot be read ({err})", file=str(args.file)) from None
        entries += data.get("study", [])
    if not entries:
        raise InputError("studies", "give study keys (som-mc knowledge list effects) or --file")
    refuse_overwrite(args.plot, args.force)
    spec = {"pool": entries, "method": args.method, "hartung_knapp": args.hartung_knapp,
            "evidence": args.evidence}  # fmt: skip
    try:
        result = pool_spec(spec, load_knowledge().effects)
    except InputError as err:
        raise (err.in_file(str(args.file)) if args.file else err) from None
    ratio = result.measure != "smd"
    shown = math.exp if ratio else (lambda v: v)
    name = {"smd": "SMD", "odds_ratio": "OR", "risk_ratio": "RR"}[result.measure]
    table = Table(title=f"Random-effects pool ({result.method}), {name}")
    for col in ("study", name, "95 % CI", "weight"):
        table.add_column(col, justify="left" if col == "study" else "right")
    z = 1.959963984540054
    for study, w in zip(result.studies, result.weights, strict=True):
        lo, hi = shown(study.y - z * study.se), shown(study.y + z * study.se)
        table.add_row(study.label, f"{shown(study.y):.3f}", f"{lo:.3f} to {hi:.3f}", f"{w:.1%}")
    lo, hi = (shown(c) for c in result.ci)
    table.add_row("pooled mean", f"{shown(result.estimate):.3f}", f"{lo:.3f} to {hi:.3f}", "")
    lo, hi = (shown(p) for p in result.pi)
    table.add_row("new setting (prediction)", "", f"{lo:.3f} to {hi:.3f}", "")
    console = Console()
    console.print(table)
    p = f"p {result.q_p:.3g}" if result.k > 1 else "one study"
    console.print(
        f"tau^2 {result.tau2:.4f} (tau {result.tau:.4f}), I^2 {result.i2:.2f} %, "
        f"H^2 {result.h2:.2f}, Q {result.q:.4f} on {result.k - 1} df ({p})"
    )
    if args.plot is not None:
        from som_mc.present.plots.forest import forest_plot

        written = write_plot(lambda ax: forest_plot(result, ax), args.plot, args.force)
        print(f"Forest plot written to {written}")
    return 0


def _costs(args: argparse.Namespace) -> int:
    import numpy as np

    from som_mc.analysis.costs import cost_breakdown
    from som_mc.inputs.case.load import load_case

    path = case_path(args)
    case = load_case(path)
    b = cost_breakdown(case, draws=args.draws, seed=args.seed)
    participants = b.participants
    shares = b.variance_shares()
    table = Table(
        title=f"{case.name}: cost by resource ({case.model.price_year} DKK, undiscounted)"
    )
    for col in (
        "resource",
        "kind",
        "actor",
        "per participant",
        "90 % interval",
        "share of variance",
    ):
        table.add_column(col, justify="left" if col in ("resource", "kind", "actor") else "right")
    with np.errstate(divide="ignore", invalid="ignore"):
        per = b.per_line / participants[:, None]
    for i, label in enumerate(b.labels):
        lo, hi = np.nanquantile(per[:, i], [0.05, 0.95])
        table.add_row(label, b.kinds[i], b.actors[i], f"{np.nanmean(per[:, i]):,.0f}",
                      f"{lo:,.0f} to {hi:,.0f}", f"{shares[i]:.1%}")  # fmt: skip
    total = b.per_participant
    lo, hi = np.nanquantile(total, [0.05, 0.95])
    table.add_row("total", "", "", f"{np.nanmean(total):,.0f}", f"{lo:,.0f} to {hi:,.0f}", "100%")
    console = Console()
    console.print(table)
    years = Table(title="Cost by year (all actors)")
    for col in ("year", "mean", "90 % interval"):
        years.add_column(col, justify="right")
    by_year = b.by_year.sum(axis=2)
    for t in range(by_year.shape[1]):
        lo, hi = np.quantile(by_year[:, t], [0.05, 0.95])
        years.add_row(str(t + 1), f"{by_year[:, t].mean():,.0f}", f"{lo:,.0f} to {hi:,.0f}")
    console.print(years)
    return 0
