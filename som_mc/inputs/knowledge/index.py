"""Price indices: move an amount from its price year to another."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PriceIndex"]


@dataclass(frozen=True)
class PriceIndex:
    """An annual index as levels by year.

    A series of annual changes c[y] (the change from y - 1 to y) is chained into levels,
    L[y] = L[y - 1] (1 + c[y]), starting at 1 in the year before its first change; only the
    contiguous run of years is used, so a gap never gets bridged by a guess.

    Examples
    --------
    >>> idx = PriceIndex.from_changes("x", {2020: 0.01, 2021: 0.02})
    >>> round(idx.factor(2019, 2021), 6)
    1.0302
    """

    key: str
    levels: dict[int, float]

    @classmethod
    def from_changes(cls, key: str, changes: dict[int, float]) -> PriceIndex:
        years = sorted(changes)
        run = [years[0]]
        for year in years[1:]:
            if year != run[-1] + 1:
                break
            run.append(year)
        levels = {run[0] - 1: 1.0}
        for year in run:
            levels[year] = levels[year - 1] * (1.0 + changes[year])
        return cls(key, levels)

    @property
    def years(self) -> tuple[int, int]:
        """First and last year with a level."""
        return min(self.levels), max(self.levels)

    def covers(self, year: int) -> bool:
        """Whether the index has a level for ``year``."""
        return year in self.levels

    def factor(self, from_year: int, to_year: int) -> float:
        """The factor that moves an amount in ``from_year`` prices to ``to_year`` prices."""
        return self.levels[to_year] / self.levels[from_year]
