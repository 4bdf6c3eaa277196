"""``som-mc sensitivity``: Sobol', tornado, switching values, value of information, Morris."""

from __future__ import annotations

import argparse
from pathlib import Path

from som_mc.cli.common import ask_overwrite, connect
from som_mc.errors import SomMcError

__all__ = ["parse_groups", "run_sensitivity"]


def run_sensitivity(case, path: Path, args: argparse.Namespace) -> int:
    """``som-mc sensitivity``: the methods asked for, printed and written to one file."""
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
    groups = parse_groups(args.group) or args.groups
    out = None if args.no_save else (args.out or Path(f"{path.stem}_sensitivity.nc"))
    if out is not None and out.exists() and not args.force:
        args.force = ask_overwrite(out)
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
                if case.inputs.correlation and not args.no_correlated:
                    # The case correlates inputs: per-input indices beside the classical ones.
                    from som_mc.analysis.sensitivity.dependent import correlated_sensitivity

                    status.update("sobol: correlated inputs, Shapley effects ...")
                    results["shapley"] = correlated_sensitivity(
                        case, args.correlated_n, seed=args.seed, groups=groups, threads=2
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


def parse_groups(specs: list[str]) -> dict[str, list[str]] | None:
    """``--group NAME=PATTERN[,PATTERN...]`` options as a mapping (None when none)."""
    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, patterns = spec.partition("=")
        if not sep or not name.strip() or not patterns.strip():
            raise SomMcError(f"--group: '{spec}' is not NAME=PATTERN[,PATTERN...]")
        groups[name.strip()] = [p.strip() for p in patterns.split(",") if p.strip()]
    return groups or None
