"""Which option is best, draw by draw, tallied block by block (a portfolio, or any PSA).

For option d and draw i with present value PV[i, d] (per actor, and for the ``total``), the
tally keeps what :func:`som_mc.analysis.decision.compare` reports, without keeping draws:

- for ``p_best``, integer counts of the draws in which d is best together with k − 1 other
  options (ties share a draw: 1/k each), so the shares are exact fractions and independent of
  the order of addition;
- for ``expected_loss`` (the mean of max_d' PV[i, d'] − PV[i, d]) and ``pv_mean``, per-block
  counts, means and sums of squared deviations combined over the fixed tree of block indices
  of :class:`som_mc.pipeline.streaming.BlockTree`, so the result is bit-identical whatever
  the grouping of blocks into threads, chunks or workers.

``evpi`` = E[max_d PV] − max_d E[PV] = min_d expected_loss(d) (Briggs, Claxton & Sculpher
2006, *Decision Modelling for Health Economic Evaluation*, ch. 7).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import xarray as xr

from som_mc.conventions import ACTOR, OPTION, TOTAL
from som_mc.pipeline.streaming import BlockTree

__all__ = ["OptionTally"]


class OptionTally:
    """Counts and moments of a comparison of options, added block by block.

    Parameters
    ----------
    options : sequence of str
        The options' names, in the order of the option axis.
    actors : sequence of str
        The actors (the ``total`` is added).

    Examples
    --------
    >>> t = OptionTally(["a", "b"], ["kommune"])
    >>> t.add(0, {"present_value_by_option": np.array([[[1.0], [2.0]], [[3.0], [3.0]]])})
    >>> ds = t.to_dataset()
    >>> ds.p_best.sel(actor="kommune").values.tolist()
    [0.25, 0.75]
    """

    def __init__(self, options: list[str], actors: list[str]) -> None:
        self.options = list(options)
        self.actors = list(actors)
        n_opt, A = len(self.options), len(self.actors) + 1
        self.draws = 0
        # counts[o, a, k]: draws in which option o is best for column a together with k - 1
        # others (k = 1 .. n_opt).
        self._counts = np.zeros((n_opt, A, n_opt + 1), dtype=np.int64)
        self._moments = BlockTree()

    def add(self, b: int, out: dict[str, np.ndarray]) -> None:
        """Add block ``b``: ``out["present_value_by_option"]`` (draws, options, actors)."""
        values = np.asarray(out["present_value_by_option"], dtype=np.float64)
        values = np.concatenate([values, values.sum(axis=2, keepdims=True)], axis=2)
        n, n_opt, A = values.shape
        best = values.max(axis=1, keepdims=True)
        is_best = values == best
        ties = is_best.sum(axis=1)
        for a in range(A):
            for o in range(n_opt):
                self._counts[o, a] += np.bincount(ties[is_best[:, o, a], a], minlength=n_opt + 1)
        stacked = np.concatenate([(best - values).reshape(n, -1), values.reshape(n, -1)], axis=1)
        mean = stacked.mean(axis=0)
        m2 = ((stacked - mean) ** 2).sum(axis=0)
        self._moments.insert(0, b, (n, mean, m2))
        self.draws += n

    def merge(self, other: OptionTally) -> None:
        """Add the blocks of another tally (of other blocks of the same run)."""
        self._counts += other._counts
        for (level, k), node in other._moments.nodes.items():
            self._moments.insert(level, k, node)
        self.draws += other.draws

    def to_dataset(self, attrs: dict | None = None, money: dict | None = None) -> xr.Dataset:
        """The comparison (see :func:`som_mc.analysis.decision.compare` for its variables)."""
        n = self.draws
        n_opt, A = self._counts.shape[:2]
        p_best = np.empty((n_opt, A))
        share_sq = np.empty((n_opt, A))
        for a in range(A):
            for o in range(n_opt):
                counts = self._counts[o, a]
                # Exact fractions; only the final ratio is rounded.
                exact = sum((Fraction(int(c), k) for k, c in enumerate(counts) if c), Fraction(0))
                exact_sq = sum(
                    (Fraction(int(c), k * k) for k, c in enumerate(counts) if c), Fraction(0)
                )
                p_best[o, a] = exact / n
                share_sq[o, a] = exact_sq / n
        p_best_mcse = np.sqrt(np.maximum(share_sq - p_best**2, 0.0) / n)
        _, mean, m2 = self._moments.total()
        size = n_opt * A
        expected_loss = mean[:size].reshape(n_opt, A)
        expected_loss_mcse = np.sqrt(m2[:size].reshape(n_opt, A) / (n - 1)) / np.sqrt(n)
        pv_mean = mean[size:].reshape(n_opt, A)
        best_by_mean = np.asarray(self.options)[pv_mean.argmax(axis=0)]
        money = money or {}
        dims = (OPTION, ACTOR)
        return xr.Dataset(
            {
                "p_best": (
                    dims,
                    p_best,
                    {"long_name": "share of draws in which the option is best"},
                ),
                "p_best_mcse": (dims, p_best_mcse),
                "expected_loss": (
                    dims,
                    expected_loss,
                    {**money, "long_name": "expected opportunity loss of choosing the option"},
                ),
                "expected_loss_mcse": (dims, expected_loss_mcse, money),
                "pv_mean": (dims, pv_mean, money),
                "best_by_mean": ((ACTOR,), best_by_mean),
                "evpi": (
                    (ACTOR,),
                    expected_loss.min(axis=0),
                    {**money, "long_name": "expected value of perfect information"},
                ),
            },
            coords={OPTION: self.options, ACTOR: [*self.actors, TOTAL]},
            attrs={"draws": n, **(attrs or {})},
        )
