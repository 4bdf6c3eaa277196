"""What the commands share: progress bars, the dask connection, case paths, overwriting.

Every command that writes asks before it replaces a file (or refuses without a terminal), and
checks its output path before it runs, not after.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from som_mc.errors import SomMcError

if TYPE_CHECKING:  # matplotlib loads only when a figure is asked for
    from matplotlib.axes import Axes

__all__ = [
    "EXIT_USER_ERROR",
    "PLOT_FORMATS",
    "add_case_args",
    "ask_overwrite",
    "case_path",
    "connect",
    "progress_bar",
    "refuse_overwrite",
    "simulate",
    "write_plot",
]

#: The exit status of an error the user can mend (a bad file, a field, an existing result).
EXIT_USER_ERROR = 2

#: The figure formats ``--plot`` writes, from the file's suffix.
PLOT_FORMATS = ("png", "pdf", "svg")


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


def add_case_args(parser: argparse.ArgumentParser) -> None:
    """The case argument of a command: a file, or ``--example NAME``."""
    parser.add_argument("case", nargs="?", type=Path, help="case file (TOML or .xlsx)")
    parser.add_argument("--example", help="use a shipped example case instead, e.g. cti")


def case_path(args: argparse.Namespace) -> Path:
    """The case file the arguments name (a shipped example's path for ``--example``)."""
    from som_mc.inputs.examples import example_path

    if args.example:
        return example_path(args.example)
    if args.case is None:
        raise SomMcError("give a case file, or --example NAME (som-mc example lists them)")
    return args.case


def ask_overwrite(path: Path) -> bool:
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


def refuse_overwrite(path: Path | None, force: bool) -> None:
    """Stop before the run, not after it, when ``--plot`` would replace a file or names a
    format that cannot be written."""
    from som_mc.errors import SomMcError
    from som_mc.io import ResultExistsError

    if path is None:
        return
    if path.suffix.lstrip(".").lower() not in PLOT_FORMATS:
        raise SomMcError(f"--plot {path}: allowed suffixes: .{', .'.join(PLOT_FORMATS)}")
    if path.exists() and not force:
        raise ResultExistsError(f"{path}: a file is already there; --force replaces it")


def write_plot(draw: Callable[[Axes], object], path: Path, force: bool) -> Path:
    """Draw one plot on a new report-size figure and write it atomically; the format follows
    the file's suffix (png, pdf, svg)."""
    from som_mc.present.plots import write_figure

    return write_figure(draw, path, overwrite=force)


def simulate(runner: Callable, what: object, args: argparse.Namespace, **options: object):
    """Run ``runner`` (:func:`som_mc.run`, :func:`som_mc.run_course`, :func:`som_mc.portfolio`)
    on ``what`` with the command's draws, seed, mode, threads and ``--summary-only``, a
    progress bar, and the dask cluster of ``--scheduler``; ``options`` are passed on."""
    with (
        connect(args.scheduler) as client,
        progress_bar("simulating", args.draws, args.quiet) as tick,
    ):
        return runner(
            what,
            draws=args.draws,
            seed=args.seed,
            mode=args.mode,
            threads=args.threads,
            progress=tick,
            summary_only=args.summary_only,
            client=client,
            **options,
        )
