"""Streaming summaries: the DDSketch guarantee, order-free merging, moments, counts, break-even.

Inputs are synthetic arrays in the kernel's output format, so these tests do not run the engine.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import xarray as xr

from som_mc.errors import InputError
from som_mc.pipeline.results import summarize
from som_mc.pipeline.streaming import DEFAULT_QUANTILES, QuantileSketch, RunSummary

T, C = 6, 4
#: Quantiles checked against numpy, from the extremes to the middle.
QS = np.array([0.0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.333, 0.5, 0.666, 0.75, 0.9, 0.95, 0.99, 1.0])


def _block(rng: np.random.Generator, n: int, horizon: int = T, n_cons: int = C) -> dict:
    """Random arrays shaped like the kernel's output for n draws: money of both signs, with
    exact zeros (the region in a case without region prices) and break-even years or NaN."""
    net = rng.normal(-2e4, 1e5, size=(n, horizon, 3)) * rng.lognormal(0.0, 1.0, (n, 1, 3))
    net[:, :, 1] *= rng.random((n, 1)) < 0.7  # many exact zeros for the region
    net[:, 0, :] -= 3e5  # year 1 carries the cost
    pv = net.sum(axis=1)
    cost = rng.lognormal(12.0, 0.3, size=(n, 3))
    be_actor = rng.integers(1, horizon + 1, size=(n, 3)).astype(float)
    be_actor[rng.random((n, 3)) < 0.4] = np.nan
    be = rng.integers(1, horizon + 1, size=n).astype(float)
    be[rng.random(n) < 0.3] = np.nan
    return {
        "net": net,
        "present_value": pv,
        "gain_pv": pv + cost,
        "cost_pv": cost,
        "consequence_pv": rng.normal(1e4, 5e4, size=(n, n_cons, 3)),
        "break_even_year": be,
        "break_even_year_by_actor": be_actor,
        "successes": rng.poisson(4.0, size=(n, horizon)).astype(float),
    }


@pytest.fixture(scope="module")
def blocks() -> list[dict]:
    """13 blocks of 64 draws and a last, partial one of 37 (fixed seed)."""
    rng = np.random.default_rng(20260711)
    return [_block(rng, 64) for _ in range(13)] + [_block(rng, 37)]


def _all(blocks: list[dict]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}


def _with_total(x: np.ndarray) -> np.ndarray:
    return np.concatenate([x, x.sum(axis=-1, keepdims=True)], axis=-1)


def _summary(blocks: list[dict], order: list[int]) -> RunSummary:
    s = RunSummary(T, C)
    for b in order:
        s.add(b, blocks[b])
    return s


def _assert_within_guarantee(estimate: np.ndarray, exact: np.ndarray, alpha: float, m: float):
    """|x̂ − x_q| ≤ α |x_q| for |x_q| ≥ m, < m below (a hair of slack for rounding in log)."""
    err = np.abs(estimate - exact)
    big = np.abs(exact) >= m
    assert np.all(err[big] <= alpha * np.abs(exact[big]) * (1 + 1e-12))
    assert np.all(err[~big] < m)


def _sketch_in_blocks(x: np.ndarray, alpha: float, m: float = 1.0) -> QuantileSketch:
    sketch = QuantileSketch(x.shape[1:], relative_accuracy=alpha, zero_threshold=m)
    for lo in range(0, x.shape[0], 4096):
        sketch.add(x[lo : lo + 4096])
    return sketch


@pytest.mark.parametrize("alpha", [0.005, 0.02])
def test_sketch_lognormal_within_relative_accuracy(alpha: float) -> None:
    """Lognormal money amounts: every estimate is within α relative of numpy's exact quantile
    with method "lower", the rank ⌊1 + q (n − 1)⌋ of Masson, Rim & Lee (2019, PVLDB 12(12),
    Definition 2 and Proposition 3, the DDSketch guarantee)."""
    x = np.random.default_rng(11).lognormal(12.0, 2.0, size=(30_011, 3))
    sketch = _sketch_in_blocks(x, alpha)
    exact = np.quantile(x, QS, axis=0, method="lower")
    _assert_within_guarantee(sketch.quantile(QS), exact, alpha, 1.0)
    # The extremes are the smallest and largest value exactly (the estimate is clipped to them).
    np.testing.assert_array_equal(sketch.quantile([0.0, 1.0]), exact[[0, -1]])


def test_sketch_normal_with_negatives_and_zeros() -> None:
    """Normal values of both signs, 20 % exact zeros and some below the zero threshold: within
    α relative where |x_q| ≥ m, within m absolute below (Masson, Rim & Lee 2019, with the zero
    bucket of their implementation)."""
    rng = np.random.default_rng(12)
    x = rng.normal(500.0, 2000.0, size=(20_000, 4))
    x[rng.random(x.shape) < 0.2] = 0.0
    x[rng.random(x.shape) < 0.05] = rng.uniform(-0.99, 0.99)  # below the 1-unit threshold
    x[:, 3] = np.abs(x[:, 3]) * -1.0  # one cell only negative
    sketch = _sketch_in_blocks(x, 0.005)
    qs = np.linspace(0.0, 1.0, 101)
    exact = np.quantile(x, qs, axis=0, method="lower")
    assert np.any(exact == 0.0) and np.any(exact < 0.0)
    _assert_within_guarantee(sketch.quantile(qs), exact, 0.005, 1.0)


@pytest.mark.parametrize("dist", ["cauchy", "pareto"])
def test_sketch_heavy_tailed(dist: str) -> None:
    """Heavy tails (Cauchy, Pareto with shape 0.5, so no mean) span many orders of magnitude;
    the relative guarantee holds at every quantile (Masson, Rim & Lee 2019, Proposition 3)."""
    rng = np.random.default_rng(13)
    if dist == "cauchy":
        x = 1e4 * rng.standard_cauchy(size=(25_000, 2))
    else:
        x = 100.0 * (1.0 + rng.pareto(0.5, size=(25_000, 2)))
    sketch = _sketch_in_blocks(x, 0.01, m=1e-3)
    exact = np.quantile(x, QS, axis=0, method="lower")
    _assert_within_guarantee(sketch.quantile(QS), exact, 0.01, 1e-3)


def test_sketch_merge_equals_one_sketch() -> None:
    """Bucket counts add, so sketches merged in any order answer exactly as one sketch of all
    the values (the full mergeability of Masson, Rim & Lee 2019, section 2.2)."""
    rng = np.random.default_rng(14)
    parts = [rng.normal(0, 10.0 ** rng.integers(1, 7), size=(500, 3)) for _ in range(6)]
    one = QuantileSketch((3,))
    one.add(np.concatenate(parts))
    for order in ([5, 0, 3, 1, 4, 2], [2, 4, 0, 5, 1, 3]):
        merged = QuantileSketch((3,))
        for i in order:
            part = QuantileSketch((3,))
            part.add(parts[i])
            merged.merge(part)
        np.testing.assert_array_equal(merged.quantile(QS), one.quantile(QS))


def test_merging_in_any_grouping_and_order_is_bit_identical(blocks: list[dict]) -> None:
    """Blocks added in order, in reverse, in shuffled groups (threads or workers) merged in
    different orders, and through pickling (dask sends accumulators between processes): the
    Datasets are identical to the last bit."""
    order = list(range(len(blocks)))
    reference = _summary(blocks, order).to_dataset()
    rng = np.random.default_rng(15)
    variants = [_summary(blocks, order[::-1])]
    for n_groups in (2, 3, 5, 14):
        shuffled = rng.permutation(order)
        groups = [_summary(blocks, list(g)) for g in np.array_split(shuffled, n_groups)]
        groups = [pickle.loads(pickle.dumps(g)) for g in groups]
        # Merge as a chain in shuffled order, and as a tree.
        chain = groups[rng.integers(len(groups))]
        for i in rng.permutation(len(groups)):
            if groups[i] is not chain:
                chain.merge(groups[i])
        variants.append(chain)
    for variant in variants:
        assert variant.draws == reference.attrs["draws"]
        xr.testing.assert_identical(variant.to_dataset(), reference)


def test_means_and_standard_errors_match_numpy(blocks: list[dict]) -> None:
    """Means, standard deviations and mcse sd/sqrt(n) (ddof 1) of the streamed draws equal
    numpy's on all draws at once to 1e-12 relative (Chan, Golub & LeVeque 1979 pairwise update
    is exact up to rounding)."""
    ds = _summary(blocks, list(range(len(blocks)))).to_dataset()
    a = _all(blocks)
    n = a["present_value"].shape[0]
    net = _with_total(a["net"])
    direct = {
        "pv": _with_total(a["present_value"]),
        "gain_pv": _with_total(a["gain_pv"]),
        "cost_pv": _with_total(a["cost_pv"]),
        "net": net,
        "cumulative": np.cumsum(net, axis=1),
        "successes": a["successes"],
    }
    for name, x in direct.items():
        np.testing.assert_allclose(ds[f"{name}_mean"], x.mean(axis=0), rtol=1e-12)
        se = x.std(axis=0, ddof=1) / np.sqrt(n)
        np.testing.assert_allclose(ds[f"{name}_mean_mcse"], se, rtol=1e-12)
    np.testing.assert_allclose(ds.pv_sd, direct["pv"].std(axis=0, ddof=1), rtol=1e-12)
    np.testing.assert_allclose(
        ds.consequence_pv_mean, _with_total(a["consequence_pv"]).mean(axis=0), rtol=1e-12
    )


def test_probabilities_are_direct_counts(blocks: list[dict]) -> None:
    """P(PV > 0), P(net in year t > 0) and P(cumulative to year t > 0) are the counts of such
    draws over n, exactly, with mcse sqrt(p (1 − p) / n) (binomial standard error)."""
    ds = _summary(blocks, list(range(len(blocks)))).to_dataset()
    a = _all(blocks)
    n = a["present_value"].shape[0]
    net = _with_total(a["net"])
    for name, x in (
        ("p_positive", _with_total(a["present_value"])),
        ("p_positive_net", net),
        ("p_positive_cumulative", np.cumsum(net, axis=1)),
    ):
        count = np.zeros(x.shape[1:], dtype=np.int64)
        for row in x:  # a plain count, draw by draw
            count += row > 0
        np.testing.assert_array_equal(ds[name].values, count / n)
        p = count / n
        np.testing.assert_allclose(ds[f"{name}_mcse"], np.sqrt(p * (1 - p) / n), rtol=1e-15)
    assert 0.0 < float(ds.p_positive_cumulative.min()) < float(ds.p_positive_cumulative.max()) < 1


def test_break_even_histogram_and_median(blocks: list[dict]) -> None:
    """The break-even distribution is the count of draws by first year and never, over n; the
    median is numpy's median with never as +inf, NaN when infinite (as som_mc.summarize)."""
    ds = _summary(blocks, list(range(len(blocks)))).to_dataset()
    a = _all(blocks)
    n = a["present_value"].shape[0]
    be = np.concatenate([a["break_even_year_by_actor"], a["break_even_year"][:, None]], axis=1)
    for j, actor in enumerate(ds.actor.values):
        column = be[:, j]
        for year in range(1, T + 1):
            count = sum(1 for v in column if v == year)
            assert float(ds.p_break_even.sel(actor=actor, year=year)) == count / n
        never = sum(1 for v in column if np.isnan(v))
        assert float(ds.p_never_break_even.sel(actor=actor)) == never / n
        median = np.median(np.where(np.isnan(column), np.inf, column))
        expected = median if np.isfinite(median) else np.nan
        np.testing.assert_equal(float(ds.break_even_median.sel(actor=actor)), expected)
    np.testing.assert_allclose(ds.p_break_even.sum("year") + ds.p_never_break_even, 1.0)


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ([1, 2, 3, np.nan], 2.5),  # even count: the mean of the two middle years
        ([1, 2, np.nan, np.nan], np.nan),  # half never: the upper middle is never
        ([1, 3, np.nan], 3.0),
        ([2, np.nan, np.nan], np.nan),  # more than half never
    ],
)
def test_break_even_median_small_cases(years: list[float], expected: float) -> None:
    """Worked small cases of numpy's median with never = +inf (even counts average the two
    middle values; NaN when the median is never)."""
    n = len(years)
    block = _block(np.random.default_rng(16), n)
    block["break_even_year"] = np.array(years, dtype=float)
    s = RunSummary(T, C)
    s.add(0, block)
    got = float(s.to_dataset().break_even_median.sel(actor="total"))
    np.testing.assert_equal(got, expected)
    # The worked value is numpy's median with never as +inf (infinite -> NaN).
    numpy_median = np.median(np.where(np.isnan(years), np.inf, years))
    np.testing.assert_equal(numpy_median if np.isfinite(numpy_median) else np.nan, expected)


def test_mirrors_summarize(blocks: list[dict]) -> None:
    """The variables shared with som_mc.summarize (pv_mean, pv_mean_mcse, p_positive,
    p_positive_mcse, break_even_median, p_never_break_even) agree with it on the same draws,
    and pv_lower / pv_upper agree within the sketch's accuracy plus the gap between the
    neighbouring order statistics (summarize interpolates linearly)."""
    a = _all(blocks)
    n = a["present_value"].shape[0]
    draws = xr.Dataset(
        {
            "present_value": (("draw", "actor"), a["present_value"]),
            "break_even_year": (("draw",), a["break_even_year"]),
            "break_even_year_by_actor": (("draw", "actor"), a["break_even_year_by_actor"]),
        },
        coords={"actor": ["kommune", "region", "stat"]},
        attrs={"currency": "DKK", "price_year": 2024},
    )
    expected = summarize(draws, interval=0.9)
    got = _summary(blocks, list(range(len(blocks)))).to_dataset(interval=0.9)
    for name in ("pv_mean", "pv_mean_mcse", "p_positive", "p_positive_mcse"):
        np.testing.assert_allclose(got[name], expected[name], rtol=1e-12, err_msg=name)
    for name in ("break_even_median", "p_never_break_even"):
        np.testing.assert_array_equal(got[name].values, expected[name].values, err_msg=name)
    pv = _with_total(a["present_value"])
    for name, q in (("pv_lower", 0.05), ("pv_upper", 0.95)):
        low = np.quantile(pv, q, axis=0, method="lower")
        high = np.quantile(pv, q, axis=0, method="higher")
        slack = got.quantile_relative_accuracy * np.abs(low)
        assert np.all(got[name].values >= np.minimum(low, high) - slack - 1e-9)
        assert np.all(got[name].values <= np.maximum(low, high) + slack + 1e-9)
    assert got.attrs["draws"] == n


def test_dataset_shape_coords_and_attrs(blocks: list[dict]) -> None:
    """Dims actor (with total), year, consequence, quantile; the given coordinates and attrs;
    money units on money variables; the sketch's accuracy stated; bands ordered by quantile."""
    s = _summary(blocks, list(range(len(blocks))))
    keys = [f"c{i}" for i in range(C)]
    ds = s.to_dataset(
        years=np.arange(2025, 2025 + T),
        consequences=keys,
        attrs={"currency": "DKK", "price_year": 2024, "case_name": "x", "seed": 3},
    )
    assert dict(ds.sizes) == {"actor": 4, "year": T, "consequence": C, "quantile": 5}
    assert ds.actor.values.tolist() == ["kommune", "region", "stat", "total"]
    assert ds["quantile"].values.tolist() == list(DEFAULT_QUANTILES)
    assert ds.consequence.values.tolist() == keys and int(ds.year[0]) == 2025
    assert ds.net_quantile.dims == ("quantile", "year", "actor")
    assert ds.consequence_pv_mean.dims == ("consequence", "actor")
    assert ds.pv_mean.attrs["units"] == "DKK" and ds.pv_mean.attrs["price_year"] == "2024"
    assert ds.attrs["case_name"] == "x" and ds.attrs["seed"] == 3
    assert ds.attrs["quantile_relative_accuracy"] == 0.005
    assert "lower" in ds.attrs["quantile_method"]
    for name in ("pv_quantile", "net_quantile", "cumulative_quantile"):
        assert bool((ds[name].diff("quantile") >= 0).all())
    # Any quantiles on request; the 5 % and 95 % of the interval are the same sketch reads.
    other = s.to_dataset(quantiles=[0.05, 0.5, 0.95])
    np.testing.assert_array_equal(other.pv_quantile.sel(quantile=0.05), ds.pv_lower)
    np.testing.assert_array_equal(other.pv_quantile.sel(quantile=0.95), ds.pv_upper)
    # Quantile bands of net and cumulative are the sketch's, within its accuracy.
    a = _all(blocks)
    net = _with_total(a["net"])
    exact = np.quantile(np.cumsum(net, axis=1), DEFAULT_QUANTILES, axis=0, method="lower")
    _assert_within_guarantee(ds.cumulative_quantile.values, exact, 0.005, 1.0)


def test_tree_keeps_few_partial_sums() -> None:
    """Blocks arriving in order keep one partial sum per 1-bit of the block count (the aligned
    subtrees), not one per block."""
    rng = np.random.default_rng(17)
    block = _block(rng, 8)
    s = RunSummary(T, C)
    for b in range(100):
        s.add(b, block)
        assert len(s._moments.nodes) == bin(b + 1).count("1")


def test_memory_for_thirty_years_and_33_consequences() -> None:
    """The stated memory: T = 30, C = 33, α = 0.5 %: 244 cells x 8 bytes per bucket, with
    log_γ(max |x| / m) + 1 buckets on each sign and one zero bucket (Masson, Rim & Lee 2019,
    section 2.1); money up to 10^10 on both signs stays under 10 MB."""
    rng = np.random.default_rng(18)
    block = _block(rng, 512, horizon=30, n_cons=33)
    block["net"][0] = 1e10 / 90  # the total cumulative in year 30 is about 10^10
    block["net"][1] = -1e10 / 90
    s = RunSummary(30, 33)
    s.add(0, block)
    net = _with_total(block["net"])
    cells = np.concatenate(
        [
            _with_total(block["present_value"]),
            net.reshape(512, -1),
            np.cumsum(net, axis=1).reshape(512, -1),
        ],
        axis=1,
    )
    assert cells.shape[1] == 244 and 0.9e10 < np.abs(cells).max() < 1.1e10
    log_gamma = np.log(1.005 / 0.995)
    buckets = sum(int(np.ceil(np.log(v) / log_gamma)) + 1 for v in (-cells.min(), cells.max()))
    assert s._sketch._counts.shape == (244, buckets + 1)
    assert s._sketch.nbytes == 244 * (buckets + 1) * 8 + 2 * 244 * 8
    assert 8.5e6 < s.nbytes < 1.0e7


def test_bad_input_raises_input_error(blocks: list[dict]) -> None:
    """Duplicate blocks, missing outputs, wrong shapes, impossible break-even years, NaN,
    gaps, mismatched accumulators and bad parameters raise InputError naming the field."""
    s = RunSummary(T, C)
    s.add(0, blocks[0])
    with pytest.raises(InputError, match="block_index: block 0 was already added"):
        s.add(0, blocks[1])
    with pytest.raises(InputError, match="lacks successes"):
        s.add(1, {k: v for k, v in blocks[1].items() if k != "successes"})
    with pytest.raises(InputError, match=r"out\.consequence_pv: shape"):
        s.add(1, {**blocks[1], "consequence_pv": blocks[1]["consequence_pv"][:, :2]})
    with pytest.raises(InputError, match="break-even years are 1"):
        s.add(1, {**blocks[1], "break_even_year": np.full(64, 0.5)})
    with pytest.raises(InputError, match="NaN or infinite"):
        s.add(1, {**blocks[1], "present_value": np.full((64, 3), np.nan)})
    with pytest.raises(InputError, match=r"out\.consequence_pv: NaN"):
        s.add(1, {**blocks[1], "consequence_pv": np.full((64, C, 3), np.inf)})
    # A rejected block leaves the accumulator as it was.
    assert s.draws == 64 and s._sketch.count == 64 and int(s._break_even.sum()) == 64 * 4
    with pytest.raises(InputError, match="block_index"):
        s.add(-1, blocks[1])
    other = RunSummary(T, C)
    other.add(0, blocks[0])
    with pytest.raises(InputError, match=r"blocks \[0\] are in both"):
        s.merge(other)
    with pytest.raises(InputError, match="do not match"):
        s.merge(RunSummary(T + 1, C))
    s.add(2, blocks[2])
    with pytest.raises(InputError, match=r"blocks \[1\] are missing"):
        s.to_dataset()
    with pytest.raises(InputError, match="no block"):
        RunSummary(T, C).to_dataset()
    with pytest.raises(InputError, match="horizon"):
        RunSummary(0, C)
    with pytest.raises(InputError, match="relative_accuracy"):
        QuantileSketch((1,), relative_accuracy=1.0)
    s.add(1, blocks[1])
    with pytest.raises(InputError, match="quantiles"):
        s.to_dataset(quantiles=[0.5, 1.5])
