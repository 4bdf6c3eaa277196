"""One pipeline for every runner: plans, executors, reducers and the provenance of results.

Courses and portfolios run through :func:`som_mc.pipeline.executors.execute` like a case, so
they get threads, dask and summaries only; these tests hold them to the case's guarantees:
the same numbers on 1 and 2 threads, on a dask cluster and in one process, for any chunking
(random streams are keyed by block), and summaries equal to those of the kept draws.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import som_mc
from som_mc.conventions import ACTORS, BLOCK_SIZE, OUTPUTS, TOTAL
from som_mc.inputs.case.load import load_case
from som_mc.inputs.compose import compose
from som_mc.inputs.examples import course_path, example_path
from som_mc.model.outputs import allocate
from som_mc.pipeline.executors import Collect, execute
from som_mc.pipeline.plan import case_plan
from som_mc.pipeline.provenance import provenance

CTI = example_path("cti")
HOUSING = example_path("housing_first")
COURSE = course_path("cti_then_housing_first")
OPTIONS = {"cti": CTI, "housing_first": HOUSING}

#: Provenance every result carries (STYLE: creation time, version, case and its hash).
PROVENANCE = ("som_mc_version", "created", "case_name", "case_sha256", "seed", "draws")


def _course(**kw):
    return som_mc.run_course(COURSE, draws=9_000, seed=5, mode="cohort", **kw)


def _portfolio(**kw):
    # The examples' own discount rates differ (0 and fm2021): one stated rate for both.
    return som_mc.portfolio(
        OPTIONS, draws=9_000, seed=5, mode="cohort", discount_rate="fm2021", **kw
    )


@pytest.mark.parametrize("runner", [_course, _portfolio], ids=["course", "portfolio"])
def test_threads_do_not_change_courses_or_portfolios(runner):
    """1 and 2 threads give bit-identical courses and portfolios, kept draws and summaries."""
    for summary_only in (False, True):
        one = runner(threads=1, summary_only=summary_only)
        two = runner(threads=2, summary_only=summary_only)
        xr.testing.assert_identical(one.drop_attrs(), two.drop_attrs())


@pytest.mark.parametrize("runner", [_course, _portfolio], ids=["course", "portfolio"])
def test_courses_and_portfolios_carry_full_provenance(runner):
    """A course's and a portfolio's result has the provenance a case's has, kept or summary."""
    for summary_only in (False, True):
        ds = runner(summary_only=summary_only)
        for key in PROVENANCE:
            assert key in ds.attrs, key
        assert ds.attrs["som_mc_version"] == som_mc.__version__
        assert ds.attrs["case_sha256"].count(",") == 1  # both parts' hashes


def test_course_summary_only_matches_its_kept_draws():
    """The course's summaries accumulated block by block equal those of its kept draws: the
    mean present value to 1e-9 and P(PV > 0) exactly (integer counts)."""
    full = _course()
    summary = _course(summary_only=True)
    pv = full.present_value
    np.testing.assert_allclose(summary.pv_mean.sel(actor=list(ACTORS)), pv.mean("draw"), rtol=1e-9)
    np.testing.assert_array_equal(summary.p_positive.sel(actor=TOTAL), (pv.sum("actor") > 0).mean())


def test_portfolio_summary_only_matches_its_kept_draws():
    """The streamed comparison equals the one of the kept draws: P(best) exactly (integer
    counts of tied draws), expected loss, mean PV and EVPI to 1e-9 (sums over blocks in block
    order against one sum over all draws)."""
    full = _portfolio()
    summary = _portfolio(summary_only=True)
    assert "present_value" not in summary
    xr.testing.assert_equal(summary.p_best, full.p_best)
    for name in ("expected_loss", "pv_mean", "evpi", "expected_loss_mcse"):
        np.testing.assert_allclose(summary[name], full[name], rtol=1e-9, err_msg=name)
    xr.testing.assert_equal(summary.best_by_mean, full.best_by_mean)


@pytest.mark.slow
@pytest.mark.parametrize("runner", [_course, _portfolio], ids=["course", "portfolio"])
def test_courses_and_portfolios_on_dask_equal_one_process(client, runner):
    """On a LocalCluster of 2 worker processes, for chunks of one and of two blocks, a course
    and a portfolio are bit-identical to the single-process run, kept draws and summaries."""
    for summary_only in (False, True):
        local = runner(summary_only=summary_only)
        for chunk in (BLOCK_SIZE, 2 * BLOCK_SIZE):
            remote = runner(client=client, chunk_draws=chunk, summary_only=summary_only)
            xr.testing.assert_identical(remote.drop_attrs(), local.drop_attrs())
            assert remote.attrs["dask_workers"] == 2


def test_case_plan_blocks_cover_the_draws_once():
    """A plan's blocks are the draws 0..n-1 in runs of BLOCK_SIZE, and its computed block has
    one row per draw of every registered output (and the sampled inputs)."""
    case = load_case(CTI)
    plan = case_plan(case, 2 * BLOCK_SIZE + 10, seed=1, mode="expected", design="random")
    bounds = [plan.bounds(b) for b in range(plan.n_blocks)]
    assert bounds == [(0, BLOCK_SIZE), (BLOCK_SIZE, 2 * BLOCK_SIZE), (2 * BLOCK_SIZE, 8202)]
    out = plan.compute(2)
    assert out["inputs"].shape == (10, len(case.inputs.uncertain))
    empty = allocate(10, plan.layouts[0])
    for o in OUTPUTS:
        assert out[o.name].shape == empty[o.name].shape, o.name


def test_collect_places_blocks_by_index_whatever_the_order():
    """The reducer that keeps draws puts each block at its own rows: blocks added in reverse
    order give the same arrays as the executor's run."""
    case = load_case(CTI)
    plan = case_plan(case, 3 * BLOCK_SIZE, seed=2, mode="cohort", design="random")
    reducer, how = execute(plan, threads=1)
    backwards = Collect(plan)
    for b in reversed(range(plan.n_blocks)):
        backwards.add(b, plan.compute(b))
    assert how == {"threads": 1}
    for key, value in reducer.arrays.items():
        np.testing.assert_array_equal(backwards.arrays[key], value, err_msg=key)


def test_compose_shares_equal_inputs_and_keeps_each_intervention_its_own():
    """Two cases on one input set: an input both give with the same distribution is one input,
    each case's intervention (intake, cost, success) is its own under the part's name, and
    the parts' provenance names both."""
    cases = {"a": load_case(CTI), "b": load_case(CTI)}
    comp = compose(cases)
    own = [n for n in comp.inputs.names if n.startswith(("a.", "b."))]
    assert "a.success.rate" in own and "b.success.rate" in own
    assert not any(n.startswith(("a.consequence", "b.consequence")) for n in own)
    shared = [n for n in comp.inputs.names if n.startswith("consequence.")]
    assert len(shared) == len([n for n in cases["a"].inputs.names if n.startswith("consequence.")])
    attrs = provenance(comp.parts, seed=1)
    assert attrs["case_name"] == "a + b"
    assert attrs["case_sha256"] == f"{cases['a'].sha256}, {cases['b'].sha256}"


def test_every_family_and_a_copula_give_the_same_run_on_1_and_2_threads():
    """With every input family, a coded choice and a correlation block, the compiled sampler
    gives bit-identical runs on 1 and 2 threads, kept draws and summaries (blocks keyed by
    index, the sampler and the kernel pure functions of the block)."""
    from tests.test_icdf import EVERY_FAMILY_CASE

    for summary_only in (False, True):
        kw = dict(draws=3 * BLOCK_SIZE + 17, seed=12, mode="cohort", summary_only=summary_only)
        one = som_mc.run(EVERY_FAMILY_CASE, threads=1, **kw)
        two = som_mc.run(EVERY_FAMILY_CASE, threads=2, **kw)
        xr.testing.assert_identical(one.drop_attrs(), two.drop_attrs())


@pytest.mark.slow
def test_every_family_and_a_copula_on_dask_equal_one_process(client):
    """The same case on a LocalCluster of 2 worker processes, for chunks of one and of two
    blocks: bit-identical to the single-process run."""
    from tests.test_icdf import EVERY_FAMILY_CASE

    kw = dict(draws=4 * BLOCK_SIZE, seed=12, mode="cohort", design="sobol")
    local = som_mc.run(EVERY_FAMILY_CASE, **kw)
    for chunk in (BLOCK_SIZE, 2 * BLOCK_SIZE):
        remote = som_mc.run(EVERY_FAMILY_CASE, client=client, chunk_draws=chunk, **kw)
        xr.testing.assert_identical(remote.drop_attrs(), local.drop_attrs())
