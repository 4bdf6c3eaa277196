"""Write ``notebooks/data/own_psa.csv``: a synthetic probabilistic sample for notebook 07.

Run from anywhere: ``python notebooks/_build/make_own_psa.py``. The sample stands in for a
researcher's own decision model; **every number below is illustrative**, chosen to make a
readable example with three options, and none is Danish data or a published estimate.

The model, per citizen, three options for young people out of education and work:

- ``usual``: the jobcentre's usual offer; success rate ``p_usual`` ~ Beta(20, 80);
- ``group``: a group course; its success rate has log odds ratio ``log_or_group`` ~
  N(0.3, 0.2²) against usual;
- ``mentor``: individual mentoring; success rate ``p_mentor`` ~ Beta(30, 70) (a Beta prior,
  so that a local evaluation that follows n mentored citizens is a beta-binomial update).

A success gains ``qaly_gain`` ~ Gamma(mean 0.5, sd 0.15) quality-adjusted life years and saves
``savings`` ~ Gamma(mean 80,000, sd 30,000) DKK of public spending; the programmes cost
``price_usual``, ``price_group`` and ``price_mentor`` per citizen (Gamma, means 20,000, 35,000
and 60,000 DKK, sd 15-20 %; not ``cost_...``, which would name an option's cost). Effect of
an option = p × qaly_gain; cost = programme cost − p × savings. Every input is also written,
in the same row, so that EVPPI and EVSI can be computed from the file alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "data" / "own_psa.csv"
DRAWS = 1000
SEED = 20240607


def gamma(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    """Gamma draws with the given mean and standard deviation."""
    shape = (mean / sd) ** 2
    return rng.gamma(shape, mean / shape, n)


def sample(draws: int = DRAWS, seed: int = SEED) -> dict[str, np.ndarray]:
    """The inputs and each option's cost and effect, one row per draw."""
    rng = np.random.default_rng(seed)
    x = {
        "p_usual": rng.beta(20, 80, draws),
        "p_mentor": rng.beta(30, 70, draws),
        "log_or_group": rng.normal(0.3, 0.2, draws),
        "qaly_gain": gamma(rng, 0.5, 0.15, draws),
        "savings": gamma(rng, 80_000, 30_000, draws),
        "price_usual": gamma(rng, 20_000, 3_000, draws),
        "price_group": gamma(rng, 35_000, 6_000, draws),
        "price_mentor": gamma(rng, 60_000, 10_000, draws),
    }
    odds = x["p_usual"] / (1 - x["p_usual"]) * np.exp(x["log_or_group"])
    p = {"usual": x["p_usual"], "group": odds / (1 + odds), "mentor": x["p_mentor"]}
    out: dict[str, np.ndarray] = {}
    for option, rate in p.items():
        out[f"cost_{option}"] = x[f"price_{option}"] - rate * x["savings"]
        out[f"effect_{option}"] = rate * x["qaly_gain"]
    return out | x


def main() -> None:
    columns = sample()
    names = list(columns)
    table = np.column_stack([columns[n] for n in names])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savetxt(OUT, table, fmt="%.7g", delimiter=",", header=",".join(names), comments="")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
