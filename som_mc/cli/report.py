"""``som-mc report``: the HTML report and the results workbook of a case."""

from __future__ import annotations

import argparse

from som_mc.cli.common import ask_overwrite

__all__ = ["run_report"]


def run_report(case, args: argparse.Namespace) -> int:
    """``som-mc report``: the HTML report and the results workbook."""
    from rich.console import Console

    from som_mc.present.report import compute_report_data, write_report

    # The command's --lang, else the case's lang (docs/cases.md), else Danish, the
    # committee's language.
    args.lang = args.lang or case.model.lang or "da"
    html = args.out / f"report_{args.lang}.html"
    xlsx = args.out / f"results_{args.lang}.xlsx"
    for path in (html, *(() if args.no_excel else (xlsx,))):
        if path.exists() and not args.force:
            args.force = ask_overwrite(path)  # True, or it raises
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
