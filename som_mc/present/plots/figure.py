"""A plot written to a file: one new figure, no pyplot, written atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from som_mc.io import atomic_write
from som_mc.present.plots._style import FIGSIZE

__all__ = ["write_figure"]


def write_figure(
    draw: Callable[..., Any],
    path: Path,
    *,
    overwrite: bool,
    ncols: int = 1,
    figsize: tuple[float, float] | None = None,
) -> Path:
    """Draw on a new figure of ``ncols`` Axes side by side and write it to ``path``.

    Parameters
    ----------
    draw : callable
        Called with the Axes (``ncols`` of them, as positional arguments).
    path : Path
        The file; its suffix gives the format (png, pdf, svg; png without one).
    overwrite : bool
        Replace an existing file (otherwise :class:`som_mc.io.ResultExistsError`).
    figsize : (width, height), optional
        In inches; default the report's figure size.

    Returns
    -------
    Path
    """
    # A Figure without pyplot: no global state and no GUI backend in a command.
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize or FIGSIZE, layout="constrained")
    axes = fig.subplots(1, ncols)
    draw(*(axes if ncols > 1 else [axes]))
    fmt = path.suffix.lstrip(".").lower() or "png"
    return atomic_write(
        path,
        lambda tmp: fig.savefig(tmp, format=fmt, dpi=150),
        overwrite=overwrite,
        hint="--force replaces it",
    )
