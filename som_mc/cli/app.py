"""The ``som-mc`` command line.

Every error the user can cause ends in one line on stderr naming the file, the field, the value
and what is allowed, and exit status 2; no traceback, and no output file left behind.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from som_mc.cli.common import (
    EXIT_USER_ERROR,
    add_case_args,
    ask_overwrite,
    case_path,
    simulate,
)
from som_mc.conventions import DESIGNS, MODES
from som_mc.errors import SomMcError

__all__ = ["EXIT_USER_ERROR", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="som-mc",
        description="Monte Carlo business cases for Danish social investments (SØM).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="simulate a case and print its summary")
    add_case_args(run)
    run.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws (default 10000)")
    run.add_argument("--seed", type=int, default=None, help="seed; random and recorded if omitted")
    run.add_argument("--mode", choices=MODES, default="expected", help="expected or cohort")
    run.add_argument("--design", choices=DESIGNS, default="random", help="sampling design")
    run.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    run.add_argument(
        "--deterministic",
        action="store_true",
        help="every input at its central value: SØM's own table",
    )
    run.add_argument("--out", type=Path, default=None, help="netCDF file (default: CASE.nc)")
    run.add_argument("--no-save", action="store_true", help="print the summary, write no file")
    run.add_argument("--force", action="store_true", help="replace an existing output file")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument(
        "--lang",
        choices=("da", "en"),
        default=None,
        help="language of the summary (default: the case's lang, else en)",
    )
    run.add_argument(
        "--summary-only",
        action="store_true",
        help="keep summaries, not draws (memory flat in draws; for 10^6 draws and more)",
    )
    run.add_argument(
        "--scheduler", default=None, help="dask scheduler ADDRESS: run the draws on that cluster"
    )
    run.add_argument(
        "--chunk-draws", type=int, default=None, help="draws per dask task (numbers unchanged)"
    )

    sens = sub.add_parser(
        "sensitivity", help="which input drives the result, and which is worth knowing better"
    )
    add_case_args(sens)
    sens.add_argument(
        "--methods",
        default="sobol,tornado,switching,voi",
        help="comma-separated: sobol, tornado, switching, voi, morris (default: all but morris)",
    )
    sens.add_argument("--n", type=int, default=4096, help="Sobol' base sample, a power of 2")
    sens.add_argument("--replicates", type=int, default=4, help="independent Sobol' scrambles")
    sens.add_argument("--second-order", action="store_true", help="second-order Sobol' indices")
    sens.add_argument("--by-year", action="store_true", help="Sobol' indices of each year's net")
    sens.add_argument(
        "--correlated-n",
        type=int,
        default=1024,
        help="base rows of the Shapley and full/independent indices (cases that correlate "
        "inputs; default 1024)",
    )
    sens.add_argument(
        "--no-correlated",
        action="store_true",
        help="skip the Shapley and full/independent indices of correlated inputs",
    )
    sens.add_argument(
        "--groups",
        choices=("consequence", "kind"),
        default=None,
        help="group inputs by consequence or by kind (all prices, ...)",
    )
    sens.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="NAME=PATTERN[,PATTERN]",
        help="a named group of inputs by glob patterns; repeatable",
    )
    sens.add_argument(
        "--switch",
        action="append",
        default=None,
        metavar="INPUT",
        help="input for switching values (default: the success rate); repeatable",
    )
    sens.add_argument("--draws", type=int, default=10_000, help="draws for value of information")
    sens.add_argument("--trajectories", type=int, default=20, help="Morris trajectories")
    sens.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    sens.add_argument(
        "--scheduler", default=None, help="dask scheduler ADDRESS for the Sobol' design"
    )
    sens.add_argument(
        "--out", type=Path, default=None, help="netCDF file (default CASE_sensitivity.nc)"
    )
    sens.add_argument("--no-save", action="store_true", help="print only, write no file")
    sens.add_argument("--force", action="store_true", help="replace an existing output file")
    sens.add_argument("--quiet", action="store_true", help="no progress display")

    report = sub.add_parser("report", help="write an HTML report (and Excel) for a committee")
    add_case_args(report)
    report.add_argument("--out", type=Path, default=Path("report"), help="folder (default report/)")
    report.add_argument(
        "--lang",
        choices=("da", "en"),
        default=None,
        help="language (default: the case's lang, else da)",
    )
    report.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws")
    report.add_argument("--mode", choices=MODES, default="expected", help="expected or cohort")
    report.add_argument("--n", type=int, default=1024, help="Sobol' base sample, a power of 2")
    report.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    report.add_argument("--no-excel", action="store_true", help="write the HTML report only")
    report.add_argument("--force", action="store_true", help="replace existing files")
    report.add_argument("--quiet", action="store_true", help="no progress display")

    template = sub.add_parser("template", help="write a fill-in Excel workbook for a case")
    template.add_argument("out", type=Path, help="the workbook to write (.xlsx)")
    template.add_argument(
        "--from", dest="source", type=Path, default=None, help="fill it in from this TOML case"
    )
    template.add_argument("--example", default=None, help="fill it in from a shipped example")
    template.add_argument(
        "--lang",
        choices=("da", "en"),
        default=None,
        help="language of the help texts (default: the case's lang, else en)",
    )
    template.add_argument("--force", action="store_true", help="replace an existing file")

    from som_mc.cli.update import add_update_parser

    add_update_parser(sub)
    inputs = sub.add_parser("inputs", help="list a case's inputs and their distributions")
    add_case_args(inputs)
    check = sub.add_parser("check", help="validate a case file and say what is wrong")
    add_case_args(check)
    example = sub.add_parser("example", help="print a shipped example case (or list them)")
    example.add_argument("name", nargs="?", help="example name; omit to list")

    from som_mc.inputs.knowledge.browse import KINDS

    kb = sub.add_parser("knowledge", help="browse and check the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    kb_list = kb_sub.add_parser("list", help="list entries of one kind")
    kb_list.add_argument("kind", nargs="?", default="consequences", choices=KINDS)
    kb_show = kb_sub.add_parser("show", help="everything about one key")
    kb_show.add_argument("key")
    kb_search = kb_sub.add_parser("search", help="entries that mention a word")
    kb_search.add_argument("word")
    kb_validate = kb_sub.add_parser("validate", help="check every file, figure and example case")
    kb_validate.add_argument("--path", type=Path, default=None, help="a knowledge folder")
    kb_validate.add_argument("--presets", type=Path, default=None, help="a presets folder")
    from som_mc.cli.multi import add_parsers

    add_parsers(sub)
    from som_mc.cli.voi import add_parser as add_voi_parser

    add_voi_parser(sub)
    from som_mc.cli.evidence import add_parsers as add_evidence_parsers

    add_evidence_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except SomMcError as err:
        print(f"som-mc: {err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("som-mc: interrupted; nothing was written", file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    from som_mc.inputs.case.load import load_case
    from som_mc.present.console import print_deterministic, print_inputs, print_summary

    if args.command == "example":
        from som_mc.inputs.examples import example_names, example_path

        if args.name is None:
            print("\n".join(example_names()))
        else:
            print(example_path(args.name).read_text(encoding="utf-8"), end="")
        return 0

    if args.command == "knowledge":
        from som_mc.cli.knowledge import run_knowledge

        return run_knowledge(args)
    if args.command == "voi":
        from som_mc.cli.voi import run_voi

        return run_voi(args)
    if args.command in ("course", "compare", "batch"):
        from som_mc.cli.multi import dispatch

        return dispatch(args)
    if args.command in ("evidence", "costs"):
        from som_mc.cli.evidence import dispatch as dispatch_evidence

        return dispatch_evidence(args)
    if args.command == "template":
        from som_mc.inputs.examples import example_path
        from som_mc.present.workbook import write_template

        source = example_path(args.example) if args.example else args.source
        if args.out.exists() and not args.force:
            args.force = ask_overwrite(args.out)
        path = write_template(args.out, source, overwrite=args.force, lang=args.lang)
        print(f"Workbook written to {path}; fill it in and run: som-mc run {path}")
        return 0

    path = case_path(args)
    case = load_case(path)
    if args.command == "check":
        n = len(case.inputs.uncertain)
        print(f"{path}: OK ({case.name}; {n} uncertain input{'s' * (n != 1)})")
        return 0
    if args.command == "inputs":
        print_inputs(case.inputs.names, case.inputs.dists, case.inputs.uncertain)
        return 0

    if args.command == "sensitivity":
        from som_mc.cli.sensitivity import run_sensitivity

        return run_sensitivity(case, path, args)
    if args.command == "report":
        from som_mc.cli.report import run_report

        return run_report(case, args)
    if args.command == "update":
        from som_mc.cli.update import run_update

        return run_update(case, path, args)

    from som_mc.io import write_netcdf
    from som_mc.pipeline.engine import deterministic, run
    from som_mc.pipeline.results import summarize

    # The deterministic table is read on screen; it is saved only when --out asks for it.
    default_out = None if args.deterministic else Path(f"{path.stem}.nc")
    out = None if args.no_save else (args.out or default_out)
    if out is not None and out.exists() and not args.force:
        args.force = ask_overwrite(out)  # ask before the run, not after it
    lang = args.lang or case.model.lang or "en"  # docs/cases.md: the case's lang
    if args.deterministic:
        ds = deterministic(case)
        print_deterministic(ds, lang=lang)
    else:
        ds = simulate(run, case, args, design=args.design, chunk_draws=args.chunk_draws)
        print_summary(ds if args.summary_only else summarize(ds), lang=lang)
    if out is not None:
        print(f"Results written to {write_netcdf(ds, out, overwrite=args.force)}")
    return 0
