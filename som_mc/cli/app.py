"""The ``som-mc`` command line.

Every error the user can cause ends in one line on stderr naming the file, the field, the value
and what is allowed, and exit status 2; no traceback, and no output file left behind.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from som_mc.conventions import DESIGNS, MODES
from som_mc.errors import SomMcError

__all__ = ["main"]

EXIT_USER_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="som-mc",
        description="Monte Carlo business cases for Danish social investments (SØM).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="simulate a case and print its summary")
    _case_args(run)
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
    _case_args(sens)
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
    _case_args(report)
    report.add_argument("--out", type=Path, default=Path("report"), help="folder (default report/)")
    report.add_argument("--lang", choices=("da", "en"), default="da", help="language (default da)")
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
    template.add_argument("--force", action="store_true", help="replace an existing file")

    from som_mc.cli.update import add_update_parser

    add_update_parser(sub)
    inputs = sub.add_parser("inputs", help="list a case's inputs and their distributions")
    _case_args(inputs)
    check = sub.add_parser("check", help="validate a case file and say what is wrong")
    _case_args(check)
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
    return parser


@contextmanager
def progress_bar(what: str, total: int, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar; yields the callback that moves it (done, total)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(what),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeRemainingColumn(),
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done, _total: bar.update(task, completed=done)


@contextmanager
def connect(address: str | None) -> Iterator[object]:
    """A dask client of the scheduler at ``address``, or None for local threads."""
    if address is None:
        yield None
        return
    try:
        from dask.distributed import Client
    except ImportError:
        raise SomMcError("--scheduler needs dask.distributed: pip install 'som-mc[dask]'") from None
    try:
        client = Client(address, timeout=10)
    except OSError as err:
        raise SomMcError(f"--scheduler {address}: cannot connect ({err})") from None
    with client:
        yield client


def _case_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", nargs="?", type=Path, help="case file (TOML or .xlsx)")
    parser.add_argument("--example", help="use a shipped example case instead, e.g. cti")


def _case_path(args: argparse.Namespace) -> Path:
    from som_mc.inputs.examples import example_path

    if args.example:
        return example_path(args.example)
    if args.case is None:
        raise SomMcError("give a case file, or --example NAME (som-mc example lists them)")
    return args.case


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
        return _knowledge(args)
    if args.command in ("course", "compare", "batch"):
        from som_mc.cli.multi import dispatch

        return dispatch(args)
    if args.command == "template":
        from som_mc.inputs.examples import example_path
        from som_mc.present.workbook import write_template

        source = example_path(args.example) if args.example else args.source
        if args.out.exists() and not args.force:
            args.force = _ask_overwrite(args.out)
        path = write_template(args.out, source, overwrite=args.force)
        print(f"Workbook written to {path}; fill it in and run: som-mc run {path}")
        return 0

    path = _case_path(args)
    case = load_case(path)
    if args.command == "check":
        n = len(case.inputs.uncertain)
        print(f"{path}: OK ({case.name}; {n} uncertain input{'s' * (n != 1)})")
        return 0
    if args.command == "inputs":
        print_inputs(case.inputs.names, case.inputs.dists, case.inputs.uncertain)
        return 0

    if args.command == "sensitivity":
        return _sensitivity(case, path, args)
    if args.command == "report":
        return _report(case, args)
    if args.command == "update":
        from som_mc.cli.update import run_update

        return run_update(case, path, args)

    from som_mc.io import write_netcdf
    from som_mc.pipeline.engine import deterministic
    from som_mc.pipeline.results import summarize

    # The deterministic table is read on screen; it is saved only when --out asks for it.
    default_out = None if args.deterministic else Path(f"{path.stem}.nc")
    out = None if args.no_save else (args.out or default_out)
    if out is not None and out.exists() and not args.force:
        args.force = _ask_overwrite(out)  # ask before the run, not after it
    if args.deterministic:
        ds = deterministic(case)
        print_deterministic(ds)
    else:
        ds = _run_with_progress(case, args)
        print_summary(ds if args.summary_only else summarize(ds))
    if out is not None:
        print(f"Results written to {write_netcdf(ds, out, overwrite=args.force)}")
    return 0


def _sensitivity(case, path: Path, args: argparse.Namespace) -> int:
    import xarray as xr
    from rich.console import Console

    from som_mc.analysis.sensitivity.analysis import sobol, value_of_information
    from som_mc.analysis.sensitivity.morris import morris
    from som_mc.analysis.sensitivity.oneway import switching_values, tornado
    from som_mc.io import write_netcdf
    from som_mc.present.console import print_sensitivity

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    known = ("sobol", "tornado", "switching", "voi", "morris")
    for m in methods:
        if m not in known:
            raise SomMcError(f"--methods: '{m}' is not a method; allowed: {', '.join(known)}")
    groups = _parse_groups(args.group) or args.groups
    out = None if args.no_save else (args.out or Path(f"{path.stem}_sensitivity.nc"))
    if out is not None and out.exists() and not args.force:
        args.force = _ask_overwrite(out)
    console = Console(stderr=True, quiet=args.quiet)
    results: dict[str, xr.Dataset] = {}
    with connect(args.scheduler) as client, console.status("") as status:
        for method in methods:
            status.update(f"{method} ...")
            if method == "sobol":
                results[method] = sobol(
                    case,
                    args.n,
                    seed=args.seed,
                    groups=groups,
                    replicates=args.replicates,
                    second_order=args.second_order,
                    by_year=args.by_year,
                    client=client,
                )
            elif method == "tornado":
                results[method] = tornado(case)
            elif method == "switching":
                results[method] = switching_values(case, args.switch)
            elif method == "voi":
                results[method] = value_of_information(
                    case,
                    args.draws,
                    seed=args.seed,
                    groups=groups if groups is not None else "kind",
                )
            else:
                results[method] = morris(case, trajectories=args.trajectories, seed=args.seed)
    print_sensitivity(case, results)
    if out is not None:
        tree = xr.DataTree.from_dict({f"/{name}": ds for name, ds in results.items()})
        print(f"Results written to {write_netcdf(tree, out, overwrite=args.force)}")
    return 0


def _report(case, args: argparse.Namespace) -> int:
    from rich.console import Console

    from som_mc.present.report import compute_report_data, write_report

    html = args.out / f"report_{args.lang}.html"
    xlsx = args.out / f"results_{args.lang}.xlsx"
    for path in (html, *(() if args.no_excel else (xlsx,))):
        if path.exists() and not args.force:
            args.force = _ask_overwrite(path)  # True, or it raises
    console = Console(stderr=True, quiet=args.quiet)
    with console.status("") as status:
        data = compute_report_data(
            case,
            draws=args.draws,
            seed=args.seed,
            mode=args.mode,
            sobol_n=args.n,
            progress=lambda step: status.update(f"{step} ..."),
        )
        status.update("writing")
        path = write_report(case, args.out, lang=args.lang, overwrite=args.force, data=data)
        print(f"Report written to {path}")
        if not args.no_excel:
            from som_mc.present.workbook import write_results_xlsx

            book = write_results_xlsx(
                xlsx,
                results=data.results,
                deterministic=data.det,
                summary=data.summary,
                sensitivity=data.sensitivity,
                lang=args.lang,
                overwrite=args.force,
            )
            print(f"Excel workbook written to {book}")
    return 0


def _parse_groups(specs: list[str]) -> dict[str, list[str]] | None:
    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, patterns = spec.partition("=")
        if not sep or not name.strip() or not patterns.strip():
            raise SomMcError(f"--group: '{spec}' is not NAME=PATTERN[,PATTERN...]")
        groups[name.strip()] = [p.strip() for p in patterns.split(",") if p.strip()]
    return groups or None


def _knowledge(args: argparse.Namespace) -> int:
    from som_mc.inputs.knowledge import browse, load_knowledge
    from som_mc.present.console import print_detail, print_rows

    if args.kb_command == "validate":
        from som_mc.inputs.case.check import validate_knowledge

        problems = validate_knowledge(args.path, args.presets)
        for problem in problems:
            print(f"som-mc: {problem}", file=sys.stderr)
        if problems:
            print(f"som-mc: {len(problems)} problem(s) in the knowledge base", file=sys.stderr)
            return EXIT_USER_ERROR
        kb = load_knowledge(args.path, args.presets)
        n_prices = sum(len(p) for p in kb.prices.values())
        print(
            f"knowledge base OK: {len(kb.figures)} sourced figures, {len(kb.consequences)} "
            f"consequences, {n_prices} prices, {len(kb.rules)} rules, {len(kb.indices)} price "
            f"indices, {len(kb.target_groups)} target groups, {len(kb.effects)} effect studies, "
            f"{len(kb.presets)} presets; every example case loads"
        )
        return 0
    kb = load_knowledge()
    if args.kb_command == "list":
        print_rows(*browse.rows(kb, args.kind), title=f"Knowledge base: {args.kind}")
    elif args.kb_command == "show":
        print_detail(args.key, browse.detail(kb, args.key))
    else:
        found = browse.search(kb, args.word)
        if not found:
            print(f"nothing in the knowledge base mentions '{args.word}'")
            return 1
        print_rows(["kind", "key", "about"], found, title=f"Entries mentioning '{args.word}'")
    return 0


def _ask_overwrite(path: Path) -> bool:
    """Ask before replacing a result: True when the user says yes; otherwise (or without a
    terminal to ask on) it raises :class:`ResultExistsError`."""
    from som_mc.io import ResultExistsError

    if sys.stdin is not None and sys.stdin.isatty():
        answer = input(f"{path} exists. Replace it? [y/N] ").strip().lower()
        if answer in ("y", "yes", "j", "ja"):
            return True
    raise ResultExistsError(
        f"{path}: a result is already there; choose another --out, or --force to replace it"
    )


def _run_with_progress(case, args: argparse.Namespace):
    from som_mc.pipeline.engine import run

    with (
        connect(args.scheduler) as client,
        progress_bar("simulating", args.draws, args.quiet) as tick,
    ):
        return run(
            case,
            draws=args.draws,
            seed=args.seed,
            mode=args.mode,
            design=args.design,
            threads=args.threads,
            progress=tick,
            summary_only=args.summary_only,
            client=client,
            chunk_draws=args.chunk_draws,
        )
