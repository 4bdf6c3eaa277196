"""The follow-up of a running intervention: the success rate and P(pay off), before and after.

Reads a result of :func:`som_mc.update` (``rate_density`` and ``p_positive`` by ``stage``,
prior and posterior).
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import ACTORS, STAGE
from som_mc.present.plots._style import ACTOR_COLORS, MUTED

__all__ = ["update_plot"]


def update_plot(ds: xr.Dataset, left: Axes, right: Axes) -> tuple[Axes, Axes]:
    """Draw the prior and posterior success rate (left) and P(present value > 0) (right).

    Parameters
    ----------
    ds : xarray.Dataset
        A result of :func:`som_mc.update`.
    left, right : matplotlib Axes

    Returns
    -------
    (Axes, Axes)
    """
    x = ds["rate_bin"].values
    for stage, color in (("prior", MUTED), ("posterior", ACTOR_COLORS[ACTORS[0]])):
        left.step(x, ds.rate_density.sel({STAGE: stage}), where="mid", color=color, label=stage)
    left.set_xlabel(ds.attrs["updated_input"])
    left.set_ylabel("density")
    left.set_title(
        f"{ds.attrs['observed_k']} of {ds.attrs['observed_n']} succeeded", loc="left", fontsize=11
    )
    left.legend(frameon=False)
    actors = list(ds.actor.values)
    pos = np.arange(len(actors))
    for shift, stage, alpha in ((-0.2, "prior", 0.45), (0.2, "posterior", 1.0)):
        p = ds.p_positive.sel({STAGE: stage}).values
        err = ds.p_positive_mcse.sel({STAGE: stage}).values
        right.bar(
            pos + shift,
            p,
            width=0.4,
            yerr=2 * err,
            color=[ACTOR_COLORS[a] for a in actors],
            alpha=alpha,
            label=stage,
        )
    right.set_xticks(pos, actors)
    right.set_ylim(0, 1)
    right.set_ylabel("P(present value > 0)")
    right.set_title("P(pay off): prior (light) and posterior", loc="left", fontsize=11)
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
    return left, right
