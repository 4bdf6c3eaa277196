"""Command-line commands that run more than one case: ``course``, ``compare`` and ``batch``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from som_mc.cli.common import (
    ask_overwrite,
    connect,
    progress_bar,
    refuse_overwrite,
    simulate,
    write_plot,
)
from som_mc.conventions import MODES, STEP
from som_mc.errors import InputError, SomMcError
from som_mc.present.locale import LANGUAGES

if TYPE_CHECKING:  # matplotlib loads only when a figure is asked for
    pass

__all__ = ["add_parsers", "dispatch"]


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the commands' parsers to the ``som-mc`` parser."""
    course = sub.add_parser("course", help="several interventions in sequence or combination")
    course.add_argument(
        "course", nargs="?", type=Path, help="course file (TOML with [[step]] tables)"
    )
    course.add_argument("--example", help="a shipped example course, e.g. cti_then_housing_first")
    compare = sub.add_parser(
        "compare", help="portfolio: which intervention is best, on the same draws"
    )
    compare.add_argument(
        "options", nargs="+", help="NAME=CASE.toml or example names (at least two)"
    )
    compare.add_argument(
        "--discount-rate",
        type=_rate,
        default=None,
        metavar="RATE",
        help="put every option on one discount rate: a number (0.035) or fm2021",
    )
    compare.add_argument(
        "--voi",
        action="store_true",
        help="per actor: EVPI and the EVPPI of the inputs that decide the choice",
    )
    compare.add_argument(
        "--group", action="append", default=[], metavar="NAME=A,B", help="a group (with --voi)"
    )
    batch = sub.add_parser("batch", help="run every row of a table of cases, summaries only")
    batch.add_argument("table", type=Path, help="CSV: a case column and input columns")
    batch.add_argument("--out", type=Path, default=None, help="netCDF of the summaries")
    batch.add_argument("--force", action="store_true", help="replace an existing output file")
    for p in (course, compare):
        p.add_argument("--plot", type=Path, default=None, help="write a figure (.png, .pdf, .svg)")
        p.add_argument("--force", action="store_true", help="replace an existing figure")
    for p in (course, compare):
        p.add_argument(
            "--summary-only", action="store_true", help="keep summaries only (memory flat)"
        )
        p.add_argument("--threads", type=int, default=None, help="local threads")
    for p in (course, compare, batch):
        p.add_argument("--scheduler", default=None, help="dask scheduler ADDRESS")
        p.add_argument("--draws", type=int, default=10_000, help="draws (default 10000)")
        p.add_argument("--seed", type=int, default=0, help="seed (default 0)")
        p.add_argument("--mode", choices=MODES, default="expected", help="expected or cohort")
        p.add_argument("--quiet", action="store_true", help="no progress display")
        p.add_argument(
            "--lang", choices=LANGUAGES, default="en", help="language of the tables (en, da)"
        )


def dispatch(args: argparse.Namespace) -> int:
    """Run one of the commands; returns the exit status."""
    from som_mc.pipeline.results import summarize
    from som_mc.present.console import print_batch, print_by_part, print_comparison, print_summary

    console = Console()
    if args.command == "course":
        from som_mc.pipeline.course import run_course

        refuse_overwrite(args.plot, args.force)
        if args.plot is not None and args.summary_only:
            raise SomMcError("--plot draws every step's draws; it cannot go with --summary-only")
        ds = simulate(run_course, _course_path(args), args)
        if args.summary_only:
            print_summary(ds, console, args.lang)
            return 0
        summary = summarize(ds)
        print_summary(summary, console, args.lang)
        print_by_part(ds.present_value_by_step, STEP, console, args.lang)
        if args.plot is not None:
            from som_mc.present.plots import parts_plot

            written = write_plot(lambda ax: parts_plot(ds, STEP, ax=ax), args.plot, args.force)
            console.print(f"Figure written to {written}")
        return 0
    if args.command == "compare":
        from som_mc.pipeline.portfolios import portfolio

        refuse_overwrite(args.plot, args.force)
        if args.voi and args.summary_only:
            raise SomMcError("--voi reads every draw; it cannot go with --summary-only")
        if args.group and not args.voi:
            raise SomMcError("--group names inputs for --voi; add --voi")
        try:
            ds = simulate(portfolio, _options(args.options), args, discount_rate=args.discount_rate)
        except InputError as err:
            raise _with_flag(err) from None
        print_comparison(ds, console, args.lang)
        if args.voi:
            from som_mc.cli.voi import portfolio_voi

            portfolio_voi(console, ds, args.group, args.seed)
        if args.plot is not None:
            from som_mc.present.plots import portfolio_plot

            written = write_plot(lambda ax: portfolio_plot(ds, ax=ax), args.plot, args.force)
            console.print(f"Figure written to {written}")
        return 0
    from som_mc.io import write_netcdf
    from som_mc.pipeline.batch import read_batch, run_batch

    if args.out is not None and args.out.exists() and not args.force:
        args.force = ask_overwrite(args.out)
    rows = read_batch(args.table)  # read first: its errors come before any run; the bar's total
    with connect(args.scheduler) as client, progress_bar("rows", len(rows), args.quiet) as tick:
        ds = run_batch(rows, args.draws, args.seed, args.mode, client=client, progress=tick)
    print_batch(ds, args.draws, console, args.lang)
    if args.out is not None:
        console.print(f"Summaries written to {write_netcdf(ds, args.out, overwrite=args.force)}")
    return 0


def _course_path(args: argparse.Namespace) -> Path:
    from som_mc.errors import SomMcError
    from som_mc.inputs.examples import course_names, course_path

    if args.example:
        return course_path(args.example)
    if args.course is None:
        raise SomMcError(f"give a course file, or --example ({', '.join(course_names())})")
    return args.course


def _rate(text: str) -> float | str:
    """``--discount-rate``: a number or ``fm2021`` (checked by :func:`som_mc.portfolio`)."""
    if text.strip().lower() == "fm2021":
        return "fm2021"
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number (e.g. 0.035) or fm2021"
        ) from None


def _with_flag(err: InputError) -> InputError:
    """The refusal of options on different discount rates, pointing to ``--discount-rate``."""
    if err.field == "discount_rate":  # the value of --discount-rate itself
        return InputError("--discount-rate", err.message, file=err.file)
    if not err.field.endswith(".discount_rate"):
        return err
    what, _, _ = err.message.partition(";")
    return InputError(
        err.field,
        f"{what}; the options are compared on one discount rate: add --discount-rate RATE "
        "(a number such as 0.035, or fm2021) to put every option on it",
        file=err.file,
    )


def _options(specs: list[str]) -> dict[str, object]:
    from som_mc.errors import SomMcError
    from som_mc.inputs.examples import example_path

    out: dict[str, object] = {}
    for spec in specs:
        name, _, path = spec.partition("=")
        out[name] = Path(path) if path else example_path(name)
    if len(out) < 2:
        raise SomMcError("compare needs at least two options, e.g. cti=cti.toml hf=hf.toml")
    return out
