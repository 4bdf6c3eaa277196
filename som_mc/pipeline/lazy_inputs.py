"""A run's sampled inputs as a lazy variable: made again from the design when they are read.

A kept run used to hold its sampled inputs, draws x uncertain inputs (335 MB for the standard
case's 419 inputs and 100,000 draws), though the kernel reads each block of them once and most
uses of a run never look at them. The sampler is deterministic by block (a block's numbers
depend on its index only, docs/architecture.md), so the inputs of any rows can be made again
exactly. :func:`lazy_inputs` wraps the sampler in xarray's backend interface (a
``BackendArray`` behind ``LazilyIndexedArray``, the way xarray reads a variable of a file
only when it is indexed): ``ds.inputs.isel(draw=slice(0, 10))`` samples one block, and
``ds.inputs.values`` (the sensitivity analyses, a netCDF file) samples all of them, once:
the whole array is kept from then on. The numbers are those the kernel saw, bit for bit.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import xarray as xr
from xarray.backends import BackendArray
from xarray.core import indexing

from som_mc.checks import block_bounds
from som_mc.conventions import BLOCK_SIZE, DRAW, INPUT
from som_mc.pipeline.executors import default_threads
from som_mc.pipeline.plan import Sampler

__all__ = ["SampledInputs", "lazy_inputs"]


class SampledInputs(BackendArray):
    """The sampled inputs of a run, (draws, uncertain inputs), made block by block on read.

    Parameters
    ----------
    sampler : Sampler
        The run's sampler (its design and packed inputs).
    draws : int
        The run's draws.
    """

    def __init__(self, sampler: Sampler, draws: int) -> None:
        self.sampler = sampler
        self.shape = (int(draws), sampler.width)
        self.dtype = np.dtype(np.float64)
        self._whole: np.ndarray | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __getitem__(self, key: indexing.ExplicitIndexer) -> np.ndarray:
        return indexing.explicit_indexing_adapter(
            key, self.shape, indexing.IndexingSupport.OUTER, self._rows
        )

    def _rows(self, key: tuple) -> np.ndarray:
        """``key`` (rows, columns: slices or integer arrays) of the inputs."""
        if self._whole is not None:
            return self._whole[key]
        rows = np.arange(self.shape[0])[key[0]]
        blocks = np.unique(rows // BLOCK_SIZE)
        if blocks.size == -(-self.shape[0] // BLOCK_SIZE):  # every block: keep the whole array
            return self.whole()[key]
        out = np.empty((rows.size, self.shape[1]))
        for b in blocks:
            lo, hi = block_bounds(int(b), self.shape[0])
            values = self.sampler.block(int(b))
            mine = (rows >= lo) & (rows < hi)
            out[mine] = values[rows[mine] - lo]
        return out[:, key[1]]

    def whole(self) -> np.ndarray:
        """Every draw's inputs, sampled once (on the run's default threads) and kept."""
        with self._lock:
            if self._whole is None:
                whole = np.empty(self.shape)

                def one(b: int) -> None:
                    lo, hi = block_bounds(b, self.shape[0])
                    self.sampler.block(b, whole[lo:hi])

                with ThreadPoolExecutor(max_workers=default_threads()) as pool:
                    list(pool.map(one, range(-(-self.shape[0] // BLOCK_SIZE))))
                self._whole = whole
        return self._whole


def lazy_inputs(sampler: Sampler, draws: int) -> xr.Variable:
    """The ``inputs`` variable of a run's Dataset, sampled when it is read."""
    data = indexing.LazilyIndexedArray(SampledInputs(sampler, draws))
    return xr.Variable((DRAW, INPUT), data, {"long_name": "sampled value of each uncertain input"})
