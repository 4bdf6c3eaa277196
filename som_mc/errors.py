"""User-facing errors: one line that names the file, the field, the value and what is allowed.

Every error a user can cause by what they wrote (a case file, a distribution, a command-line
option) is a :class:`SomMcError`. The command line prints ``str(error)`` on one line and exits
with status 2; nothing from deep inside numpy or numba reaches the user.
"""

from __future__ import annotations

__all__ = ["InputError", "SomMcError"]


class SomMcError(Exception):
    """Base class for errors caused by the user's input, printed as one line."""


class InputError(SomMcError):
    """A value in a case, a knowledge file or an option is not allowed.

    Parameters
    ----------
    field : str
        Dotted path of the field, as the user wrote it (``"success.rate"``,
        ``"consequence[2].price.kommune"``).
    message : str
        What was wrong and what is allowed, for example
        ``"beta mean 1.4 is outside (0, 1)"``.
    file : str, optional
        The file the value came from; added by the loader with :meth:`in_file`.

    Examples
    --------
    >>> str(InputError("success.rate", "1.4 is above 1", file="cti.toml"))
    'cti.toml: success.rate: 1.4 is above 1'
    """

    def __init__(self, field: str, message: str, *, file: str | None = None) -> None:
        self.field = field
        self.message = message
        self.file = file
        super().__init__(str(self))

    def in_file(self, file: str) -> InputError:
        """Return the same error, located in ``file``."""
        return InputError(self.field, self.message, file=file)

    def under(self, prefix: str) -> InputError:
        """Return the same error with ``prefix`` put in front of its field path."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return InputError(field, self.message, file=self.file)

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"
