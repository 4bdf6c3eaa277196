"""``som-mc update CASE --observed K/N``: the follow-up command's body.

Prints how the success rate and the probability of paying off move after K of N completers
succeeded (see :mod:`som_mc.analysis.followup`); optionally writes the updated case as TOML
(``--out``)
and a figure (``--plot``), each atomically and never over an existing file without
``--force``.
"""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from som_mc.conventions import DESIGNS, MODES, STAGE
from som_mc.errors import SomMcError

if TYPE_CHECKING:  # the parser is built on every command; the rest loads on use
    import xarray as xr
    from rich.console import Console

    from som_mc.inputs.case.load import Case


__all__ = ["add_update_parser", "print_update", "run_update", "updated_case_toml"]


def add_update_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``update`` subcommand to the ``som-mc`` subparsers ``sub``."""
    p = sub.add_parser(
        "update", help="update the success rate with K of N observed successes (follow-up)"
    )
    p.add_argument("case", nargs="?", type=Path, help="case file (TOML or .xlsx)")
    p.add_argument("--example", help="use a shipped example case instead, e.g. cti")
    p.add_argument(
        "--observed", required=True, metavar="K/N", help="K of N completers succeeded, e.g. 3/20"
    )
    p.add_argument(
        "--cohort",
        type=int,
        default=1,
        metavar="YEAR",
        help="intake year of the observed cohort, kept as observed while later cohorts are "
        "drawn (default 1); 0: K/N is from elsewhere and every cohort is drawn",
    )
    p.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="seed of both runs (default 0)")
    p.add_argument("--mode", choices=MODES, default="expected", help="expected or cohort")
    p.add_argument("--design", choices=DESIGNS, default="random", help="sampling design")
    p.add_argument("--out", type=Path, default=None, help="write the updated case (TOML)")
    p.add_argument("--plot", type=Path, default=None, help="write a figure (.png, .pdf, .svg)")
    p.add_argument("--force", action="store_true", help="replace existing output files")
    return p


def run_update(case: Case, path: Path, args: argparse.Namespace) -> int:
    """Run the command for a loaded ``case`` read from ``path``; returns the exit status."""
    from som_mc.analysis.followup import parse_observed, posterior_case, update
    from som_mc.io import ResultExistsError, atomic_write

    observed = parse_observed(args.observed)
    cohort = None if args.cohort == 0 else args.cohort
    for out in (args.out, args.plot):
        if out is not None and out.exists() and not args.force:
            raise ResultExistsError(f"{out}: a file is already there; --force replaces it")
    ds = update(
        case,
        observed,
        draws=args.draws,
        seed=args.seed,
        mode=args.mode,
        design=args.design,
        cohort=cohort,
    )
    print_update(ds)
    if args.out is not None:
        post = posterior_case(case, observed, draws=args.draws, seed=args.seed, cohort=cohort)
        text = updated_case_toml(path, post)
        written = atomic_write(
            args.out,
            lambda tmp: Path(tmp).write_text(text, encoding="utf-8"),
            overwrite=args.force,
            hint="--force replaces it",
        )
        print(f"Updated case written to {written}")
    if args.plot is not None:
        from som_mc.present.plots import update_plot, write_figure

        written = write_figure(
            lambda left, right: update_plot(ds, left, right),
            args.plot,
            overwrite=args.force,
            ncols=2,
            figsize=(10.0, 4.0),
        )
        print(f"Figure written to {written}")
    return 0


def print_update(ds: xr.Dataset, console: Console | None = None) -> None:
    """Print an update's rate and P(pay off) per actor, prior against posterior."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    a = ds.attrs
    pct = 100 * (1 - a["interval"]) / 2
    console.print(
        f"[bold]{escape(a['case_name'])}[/bold]: {a['observed_k']} of {a['observed_n']} "
        f"completers succeeded; {a['draws']:,} draws, {a['mode']} mode, seed {a['seed']}"
    )
    cohort = a.get("observed_cohort", 0)
    console.print(
        f"Cohort {cohort} is kept as observed; only the other cohorts are drawn."
        if cohort
        else "K/N is evidence from elsewhere; every cohort of the case is drawn."
    )
    rate = Table(title=f"{a['updated_input']} ({a['method']} update)")
    for col in ("", "distribution", "mean", f"{pct:g} %", f"{100 - pct:g} %"):
        rate.add_column(col, justify="left" if col in ("", "distribution") else "right")
    for stage in ("prior", "posterior"):
        s = ds.sel({STAGE: stage})
        mean = f"{float(s.rate_mean):.1%}"
        if float(s.rate_mean_mcse) > 0:
            mean += f" ± {float(s.rate_mean_mcse):.1%}"
        rate.add_row(
            stage,
            escape(a[stage]),
            mean,
            f"{float(s.rate_lower):.1%}",
            f"{float(s.rate_upper):.1%}",
        )
    console.print(rate)
    table = Table(
        title=f"Does it pay off? Present value over {a['horizon']} years, "
        f"1,000 {a['currency']} ({a['price_year']} prices)"
    )
    table.add_column("actor", no_wrap=True)
    for col in ("P(>0) prior", "P(>0) post", "change", "PV prior", "PV post"):
        table.add_column(col, justify="right", no_wrap=True)
    for actor in ds.actor.values:
        s = ds.sel(actor=actor)
        p0, p1 = (float(s.p_positive.sel({STAGE: st})) for st in ("prior", "posterior"))
        e0, e1 = (float(s.p_positive_mcse.sel({STAGE: st})) for st in ("prior", "posterior"))
        m0, m1 = (float(s.pv_mean.sel({STAGE: st})) / 1000 for st in ("prior", "posterior"))
        table.add_row(
            str(actor),
            f"{p0:.1%} ± {e0:.1%}",
            f"{p1:.1%} ± {e1:.1%}",
            f"{100 * (p1 - p0):+.1f} pp",
            f"{m0:,.0f}",
            f"{m1:,.0f}",
        )
    console.print(table)
    note = (
        "P(>0): share of draws with a positive present value (PV, mean shown); "
        "± is the Monte Carlo standard error."
    )
    if a["method"] == "importance":
        note += (
            f" The posterior reweights the prior draws; effective sample size {a['ess']:,.0f} "
            f"of {a['draws']:,}."
        )
    else:
        note += " Prior and posterior runs share their random numbers (same seed)."
    console.print(note)


# --------------------------------------------------------------------------------------------
# The updated case as TOML
# --------------------------------------------------------------------------------------------

_TABLE_HEADER = re.compile(r"^\s*\[", re.MULTILINE)


def updated_case_toml(source: Path, post: Case) -> str:
    """The text of ``source`` (a TOML case) with its ``[success]`` table rewritten for ``post``.

    Only ``[success]`` changes: the updated rate becomes its posterior beta, with a ``note``
    saying how it was updated; ``effect`` (if any) is dropped, every other key is kept; the
    rest of the file, comments included, is unchanged. The result is checked by reading it
    back and loading it as a case.

    Raises
    ------
    SomMcError
        If ``source`` is not a TOML file with a ``[success]`` table.
    """
    from som_mc.inputs.case.load import load_case

    if source.suffix.lower() != ".toml":
        raise SomMcError(f"--out: {source} is not a TOML case; an updated case is written as TOML")
    text = source.read_text(encoding="utf-8")
    header = re.search(r"^\[success\][ \t]*(#.*)?$", text, re.MULTILINE)
    if header is None:
        raise SomMcError(f"--out: {source} has no [success] table to rewrite")
    after = _TABLE_HEADER.search(text, header.end())
    end = after.start() if after is not None else len(text)
    # Comments at the end of the table introduce the next one: keep them.
    region = text[header.end() : end].splitlines(keepends=True)
    while region and (not region[-1].strip() or region[-1].lstrip().startswith("#")):
        region.pop()
    end = header.end() + sum(len(line) for line in region)
    original = tomllib.loads(text)

    field = next(f for f in ("gross_rate", "rate") if getattr(post.model.success, f) is not None)
    dist = getattr(post.model.success, field)
    spec: dict[str, Any] = {"dist": "beta", **dist.params(), "note": post.notes[-1]}
    success = {k: v for k, v in original["success"].items() if k not in ("effect", field)}
    success = {field: spec, **success}
    seen = post.model.success.observed
    if seen is not None:
        success["observed"] = seen.model_dump()
    else:
        success.pop("observed", None)
    # tomli-w writes TOML that tomllib reads back as the same values (checked below).
    import tomli_w

    try:
        written = tomli_w.dumps({"success": success})
    except (TypeError, ValueError) as err:
        raise SomMcError(
            f"--out: the updated [success] cannot be written as TOML ({err})"
        ) from None
    note = "# Updated by som-mc update; the prior is in the case it came from.\n"
    written = written.replace("[success]\n", "[success]\n" + note, 1)
    new_text = text[: header.start()] + written + text[end:]

    data = tomllib.loads(new_text)
    if {k: v for k, v in data.items() if k != "success"} != {
        k: v for k, v in original.items() if k != "success"
    }:
        raise SomMcError(
            f"--out: could not rewrite [success] of {source} without touching other tables"
        )
    load_case(data)  # the written case must load
    return new_text
