"""Writing results: atomically, and never over an existing file without being asked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import xarray as xr

from som_mc.errors import SomMcError

__all__ = ["ResultExistsError", "atomic_write", "write_netcdf"]


class ResultExistsError(SomMcError):
    """The output file exists and overwriting was not allowed."""


def atomic_write(
    path: str | Path,
    write: Callable[[str], None],
    *,
    overwrite: bool = False,
    hint: str = "choose another --out, or --force to replace it",
) -> Path:
    """Write a file through a temporary file in the same folder, then rename it into place.

    ``write(tmp_path)`` writes the content; the temporary file then replaces ``path`` in one
    step, so a crash or an interrupt leaves either the old file or the new one, never half of
    one. An existing ``path`` is kept unless ``overwrite``.

    Raises
    ------
    ResultExistsError
        ``path`` exists and ``overwrite`` is false; the message ends with ``hint``.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise ResultExistsError(f"{path}: a result is already there; {hint}")
    if not path.parent.is_dir():
        raise SomMcError(f"{path}: the folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    # mkstemp makes the file private (0600); a result should have the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_netcdf(
    ds: xr.Dataset | xr.DataTree, path: str | Path, *, overwrite: bool = False
) -> Path:
    """Write ``ds`` (a Dataset, or a DataTree of several) to a netCDF-4 file, atomically
    (see :func:`atomic_write`).

    Parameters
    ----------
    ds : xarray.Dataset or xarray.DataTree
        A result of :func:`som_mc.run` or :func:`som_mc.deterministic`, or several.
    path : str or Path
        Where to write (conventionally ``*.nc``).
    overwrite : bool
        Replace an existing file. Without it an existing file raises
        :class:`ResultExistsError`.

    Returns
    -------
    Path
    """
    return atomic_write(path, lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"), overwrite=overwrite)
