"""The cost model (som_mc/inputs/costs.py, som_mc/analysis/costs.py): resources to cost lines
with uncertain factors, the kernel's product of factors, and the transferability factor."""

from __future__ import annotations

import math

import numpy as np
import pytest

from benchmarks.reference import simulate_reference
from som_mc import load_case, run
from som_mc.analysis.costs import cost_breakdown
from som_mc.errors import InputError
from som_mc.model.layout import build_layout
from som_mc.pipeline.engine import evaluate_quantities

N = 10  # participants, all starting in year 1, a course of one year


def _case(**success) -> dict:
    """A small intervention: a social worker by hours, a pedagogue by caseload, overhead on
    the first, a set-up cost."""
    return {
        "name": "small",
        "price_year": 2024,
        "horizon": 2,
        "discount_rate": 0.0,
        "intake": {"participants": [N], "course_years": 1},
        "resource": [
            {
                "label": "Social worker",
                "kind": "staff",
                "wage": 300,
                "hours": {"dist": "uniform", "min": 20, "max": 40},
                "overhead": {"dist": "uniform", "min": 0.1, "max": 0.3},
            },
            {
                "label": "Pedagogue",
                "kind": "staff",
                "wage": 250,
                "caseload": {"dist": "uniform", "min": 8, "max": 12},
                "fte_hours": 1600,
            },
            {"label": "Set-up", "kind": "setup", "amount": 50_000},
        ],
        "success": {"rate": 0.2, **success},
        "consequence": [
            {
                "key": "shelter",
                "unit": "days",
                "area": "social",
                "kind": "expenditure",
                "profile": [-10],
                "price": {"kommune": 500},
            }
        ],
    }


# Uniform(a, b): E[X] = (a + b) / 2, E[X^2] = (a^2 + ab + b^2) / 3, E[1/X] = ln(b/a) / (b - a),
# E[1/X^2] = (1/a - 1/b) / (b - a) (integrals of x, x^2, 1/x, 1/x^2 over [a, b] / (b - a)).
def _u(a: float, b: float) -> tuple[float, float, float, float]:
    return (
        (a + b) / 2,
        (a * a + a * b + b * b) / 3,
        math.log(b / a) / (b - a),
        (1 / a - 1 / b) / (b - a),
    )


def _hand() -> tuple[float, float, float, float]:
    """Means and variances of the two staff lines by hand, for independent inputs:
    E[prod X] = prod E[X] and Var(prod X) = prod E[X^2] - prod E[X]^2."""
    h1, h2, _, _ = _u(20, 40)
    o1, o2, _, _ = _u(1.1, 1.3)  # 1 + overhead
    _, _, r1, r2 = _u(8, 12)  # 1 / caseload
    k1, k2 = N * 300, N * 1600 * 250
    return k1 * h1 * o1, k1**2 * (h2 * o2 - (h1 * o1) ** 2), k2 * r1, k2**2 * (r2 - r1**2)


def test_central_cost_equals_the_hand_calculation() -> None:
    """At the central values (hours 30, overhead 0.2, caseload 10) the kernel's cost is
    10 x 30 x 300 x 1.2 + 10 x 1600 x 250 / 10 + 50 000 = 558 000 DKK."""
    case = load_case(_case())
    values = np.array([[d.central() for d in case.inputs.dists]])
    out = evaluate_quantities(case, values)
    assert out["cost_pv"].sum() == pytest.approx(10 * 30 * 300 * 1.2 + 400_000 + 50_000, rel=1e-12)


def test_monte_carlo_mean_and_variance_match_the_formulas() -> None:
    """Mean and variance of the total cost over 20 000 draws against the independent-inputs
    formulas (the set-up is fixed): the mean within 4 standard errors, the variance within 4
    standard errors of the sample variance, sqrt((m4 - s^4) / n) (the delta method; e.g.
    Casella & Berger 2002, ex. 5.8). Each line's variance share Cov(C_r, C) / Var(C) matches
    Var(C_r) / Var(C) likewise."""
    m1, v1, m2, v2 = _hand()
    b = cost_breakdown(load_case(_case()), draws=20_000, seed=3)
    total = b.total
    n = total.size
    assert abs(total.mean() - (m1 + m2 + 50_000)) < 4 * total.std() / math.sqrt(n)
    s2 = total.var(ddof=1)
    m4 = np.mean((total - total.mean()) ** 4)
    assert abs(s2 - (v1 + v2)) < 4 * math.sqrt((m4 - s2**2) / n)
    shares = b.variance_shares()
    assert shares.sum() == pytest.approx(1.0)
    assert shares[2] == pytest.approx(0.0, abs=1e-9)
    assert shares[0] == pytest.approx(v1 / (v1 + v2), abs=0.03)
    # Per line and per participant: the same draws divided by the 10 participants.
    np.testing.assert_allclose(b.per_line.sum(axis=1), total, rtol=1e-12)
    np.testing.assert_allclose(b.per_participant, total / N, rtol=1e-12)


def test_the_variance_check_has_power() -> None:
    """The formula check tells a wrong model apart: treating 1 / caseload as 1 / E[caseload]
    (no variance from the caseload) is more than 4 standard errors off."""
    _, v1, _, _ = _hand()
    b = cost_breakdown(load_case(_case()), draws=20_000, seed=3)
    total = b.total
    s2 = total.var(ddof=1)
    m4 = np.mean((total - total.mean()) ** 4)
    assert abs(s2 - v1) > 4 * math.sqrt((m4 - s2**2) / total.size)


def test_kernel_equals_the_reference_with_factors_and_transfer() -> None:
    """Expected mode, a case with cost factors (product and quotient) and a transferability
    factor: every output of the kernel equals the numpy reference (benchmarks/reference.py)
    to 1e-9."""
    case = load_case(_case(transfer={"dist": "uniform", "min": 0.5, "max": 1.0}))
    ds = run(case, draws=2000, seed=5, mode="expected", threads=1)
    ref = simulate_reference(build_layout(case), ds["inputs"].values)
    for key in ("net", "present_value", "cost_pv", "gain_pv", "successes"):
        scale = np.abs(ref[key]).max()
        assert scale > 0, key
        np.testing.assert_allclose(ds[key].values, ref[key], rtol=1e-9, atol=1e-9 * scale)


def test_transfer_factor_scales_the_rate_and_is_an_input() -> None:
    """Successes = 10 x 0.2 x transfer, transfer ~ Uniform(0.5, 1): mean 1.5, within 4
    standard errors; `success.transfer` is an uncertain input of the case."""
    case = load_case(_case(transfer={"dist": "uniform", "min": 0.5, "max": 1.0}))
    assert "success.transfer" in case.inputs.uncertain
    ds = run(case, draws=4000, seed=1, mode="expected", threads=1)
    s = ds["successes"].values.sum(axis=1)
    assert abs(s.mean() - 1.5) < 4 * s.std() / math.sqrt(s.size)


def test_resource_inputs_are_named() -> None:
    """Each factor is an input of its own, for the sensitivity analysis."""
    names = load_case(_case()).inputs.uncertain
    assert names == ["cost.social_worker.hours", "cost.social_worker.overhead",
                     "cost.pedagogue.caseload"]  # fmt: skip


def test_staff_type_wage_from_the_knowledge_base() -> None:
    """`staff = "socialraadgiver"`: the wage of knowledge/wages.toml (234 DKK per worked
    hour in 2007, Lønkommissionen 2010, table 37.6) moved to 2024 by the wage index loen_stat,
    with the preset's lognormal (mean = the moved wage)."""
    data = _case()
    del data["resource"][0]["wage"]
    data["resource"][0]["staff"] = "socialraadgiver"
    case = load_case(data)
    from som_mc.inputs.knowledge import load_knowledge

    factor = load_knowledge().indices["loen_stat"].factor(2007, 2024)
    wage = case.inputs["cost.social_worker.wage"]
    assert wage.mean() == pytest.approx(234 * factor, rel=1e-9)
    assert any("Lønkommissionen" in note for note in case.notes)


def _error(tmp_path, data: dict) -> str:
    import tomli_w

    path = tmp_path / "case.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    with pytest.raises(InputError) as err:
        load_case(path)
    message = str(err.value)
    assert "\n" not in message
    return message.removeprefix(f"{path}: ")


def test_a_caseload_of_zero_is_a_one_line_error(tmp_path) -> None:
    data = _case()
    data["resource"][1]["caseload"] = 0
    assert _error(tmp_path, data).startswith("resource[1].caseload: 0 it must be above 0")


def test_an_unknown_staff_type_is_a_one_line_error(tmp_path) -> None:
    data = _case()
    del data["resource"][0]["wage"]
    data["resource"][0]["staff"] = "socialrådgiver"
    message = _error(tmp_path, data)
    assert message.startswith("resource[0].staff: 'socialrådgiver' is not a staff type")
    assert "did you mean 'socialraadgiver'" in message


def test_existing_cost_lines_stay_valid() -> None:
    """A case with [[cost]] totals only loads as before and has no cost factors."""
    from som_mc.inputs.examples import example_path

    layout = build_layout(load_case(example_path("cti")))
    assert layout.cost_factor_q.shape[1] == 0
    assert (layout.transfer_q == -1).all()
