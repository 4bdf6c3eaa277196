"""Tornado, switching values and Morris screening against hand calculations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from som_mc import load_case
from som_mc.analysis.sensitivity.morris import morris, morris_screening
from som_mc.analysis.sensitivity.oneway import switching_values, tornado

# PV (total = kommune) = 10 participants x rate x 10 days x price - 20,000 start-up.
SMALL = {
    "name": "one-way",
    "price_year": 2024,
    "horizon": 1,
    "intake": {"participants": [10]},
    "cost": [{"label": "start-up", "type": "startup", "amount": 20_000}],
    "success": {"rate": {"dist": "uniform", "min": 0.2, "max": 0.4}},
    "consequence": [
        {
            "key": "days",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "profile": [-10],
            "price": {"kommune": {"dist": "normal", "mean": 1000, "sd": 100}},
        }
    ],
}


def test_tornado_equals_hand_calculation() -> None:
    """Uniform(0.2, 0.4) has 5th/95th percentiles 0.21 and 0.39; normal(1000, 100) has
    1000 -/+ 100 z_0.95 (scipy.stats.norm). PV = 100 rate price - 20,000 with the other input
    at its mean (rate 0.3, price 1000): rate bars 1,000 and 19,000; price bars
    30 (1000 -/+ 164.485) - 20,000."""
    ds = tornado(load_case(SMALL))
    z = stats.norm.ppf(0.95)
    total = ds.present_value.sel(output="total")
    np.testing.assert_allclose(total.sel(input="success.rate"), [1_000, 19_000], rtol=1e-10)
    price = total.sel(input="consequence.days.price.kommune")
    np.testing.assert_allclose(
        price, [30 * (1000 - 100 * z) - 20_000, 30 * (1000 + 100 * z) - 20_000], rtol=1e-10
    )
    assert float(ds.base.sel(output="total")) == pytest.approx(10_000)
    assert list(ds.input.values) == ["success.rate", "consequence.days.price.kommune"]
    np.testing.assert_allclose(ds.swing.sel(output="total"), [18_000, 6_000 * z], rtol=1e-10)


def test_switching_values_equal_hand_calculation() -> None:
    """PV = 100 rate x 1000 - 20,000 is zero at rate 0.2; in price, 30 price - 20,000 is zero
    at 666.67, which lies outside normal(1000, 100)'s 0.1-99.9 % range (690.98 to 1309.02):
    "never" there, found when the range is given."""
    case = load_case(SMALL)
    ds = switching_values(case, ["success.rate", "consequence.days.price.kommune"])
    assert float(ds.switching_value.sel(input="success.rate", output="total")) == pytest.approx(
        0.2, abs=1e-10
    )
    assert np.isnan(float(ds.switching_value.sel(input="consequence.days.price.kommune",
                                                 output="total")))  # fmt: skip
    assert np.isnan(float(ds.switching_value.sel(input="success.rate", output="region")))
    wide = switching_values(case, ["consequence.days.price.kommune"],
                            bounds={"consequence.days.price.kommune": (0, 2000)})  # fmt: skip
    assert float(wide.switching_value.sel(output="kommune")[0]) == pytest.approx(20_000 / 30)


def test_switching_value_of_a_fixed_number_needs_bounds() -> None:
    """A fixed amount has no range to search unless one is given."""
    from som_mc import InputError

    with pytest.raises(InputError, match="give the range"):
        switching_values(load_case(SMALL), ["cost.start_up.amount"])


def test_morris_ranks_a_known_ordering() -> None:
    """y = 8 u0 + 4 u1^2 + 2 u2 + u3 + 0 u4 on the unit hypercube: the mean absolute elementary
    effects (Morris 1991; Campolongo et al. 2007) order the inputs 0 > 1 > 2 > 3 > 4, and a
    linear term's mu* is its coefficient times the width of the sampled range, 1 - 1/4 = 0.75
    (SALib measures effects per unit of the range between the levels' bin centres)."""

    def f(u: np.ndarray) -> np.ndarray:
        return 8 * u[:, 0] + 4 * u[:, 1] ** 2 + 2 * u[:, 2] + u[:, 3]

    res = morris_screening(f, 5, trajectories=30, seed=3)
    mu_star = res["mu_star"][0]
    assert list(np.argsort(-mu_star)) == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(mu_star[[0, 2, 3, 4]], 0.75 * np.array([8, 2, 1, 0]), atol=1e-12)


def test_morris_on_a_case() -> None:
    """On the small case the success rate's effect is larger than the price's, as their swings
    say (rate spans 0.2-0.4, a third of its mean; the price's sd is a tenth of its mean)."""
    ds = morris(load_case(SMALL), trajectories=10, seed=1)
    mu = ds.mu_star.sel(output="total")
    assert float(mu.sel(input="success.rate")) > float(
        mu.sel(input="consequence.days.price.kommune")
    )
    assert ds.attrs["trajectories"] == 10
