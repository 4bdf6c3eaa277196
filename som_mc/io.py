"""Writing results: atomically, and never over an existing file without being asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import xarray as xr

from som_mc.errors import SomMcError

__all__ = ["ResultExistsError", "write_netcdf"]


class ResultExistsError(SomMcError):
    """The output file exists and overwriting was not allowed."""


def write_netcdf(
    ds: xr.Dataset | xr.DataTree, path: str | Path, *, overwrite: bool = False
) -> Path:
    """Write ``ds`` (a Dataset, or a DataTree of several) to a netCDF-4 file, atomically.

    The Dataset goes to a temporary file in the same folder, which then replaces ``path`` in
    one step: a crash or an interrupt leaves either the old file or the new one, never half
    of one.

    Parameters
    ----------
    ds : xarray.Dataset
        A result of :func:`som_mc.run` or :func:`som_mc.deterministic`.
    path : str or Path
        Where to write (conventionally ``*.nc``).
    overwrite : bool
        Replace an existing file. Without it an existing file raises
        :class:`ResultExistsError`.

    Returns
    -------
    Path
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise ResultExistsError(
            f"{path}: a result is already there; choose another --out, or --force to replace it"
        )
    if not path.parent.exists():
        raise SomMcError(f"{path}: the folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    # mkstemp makes the file private (0600); a result should have the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
