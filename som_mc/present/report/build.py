"""Build the HTML report of a case: inputs, SØM's table, the probabilistic result, sensitivity,
value of information, methods and provenance, with plots embedded (no request to any host)."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from jinja2 import Environment, PackageLoader, select_autoescape

from som_mc.analysis.sensitivity import sobol, switching_values, tornado, value_of_information
from som_mc.conventions import ACTOR, ACTORS, ACTORS_AND_TOTAL, INPUT, SUBGROUP, TOTAL, YEAR
from som_mc.errors import InputError
from som_mc.inputs.case.load import Case, load_case
from som_mc.io import ResultExistsError, atomic_write
from som_mc.pipeline.engine import deterministic, run
from som_mc.pipeline.results import summarize
from som_mc.present.locale import LANGUAGES, format_money, format_number, format_percent
from som_mc.present.report.texts import TEXTS

__all__ = ["ReportData", "compute_report_data", "render_report", "write_report"]


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, computed once and rendered in any language."""

    case: Case
    det: xr.Dataset
    results: xr.Dataset
    summary: xr.Dataset
    sensitivity: dict[str, xr.Dataset]


def compute_report_data(
    case: str | Path | dict | Case,
    *,
    draws: int = 10_000,
    seed: int = 0,
    mode: str = "expected",
    sobol_n: int = 1024,
    progress: Callable[[str], None] | None = None,
) -> ReportData:
    """Run everything the report shows (the Monte Carlo run, sensitivity and VOI)."""
    case = load_case(case)
    say = progress or (lambda _: None)
    say("deterministic")
    det = deterministic(case)
    say("Monte Carlo")
    results = run(case, draws=draws, seed=seed, mode=mode)
    sens: dict[str, xr.Dataset] = {}
    if case.inputs.uncertain:
        say("Sobol' indices")
        sens["sobol"] = sobol(case, sobol_n, seed=seed, replicates=4)
        say("tornado")
        sens["tornado"] = tornado(case)
        say("value of information")
        sens["voi"] = value_of_information(case, min(draws, 20_000), seed=seed, groups="kind")
    if any(n in case.inputs.names for n in ("success.rate", "success.gross_rate")):
        say("switching values")
        sens["switching"] = switching_values(case)
    return ReportData(case, det, results, summarize(results), sens)


def render_report(data: ReportData, lang: str = "en") -> str:
    """The report as one self-contained HTML page in ``lang`` ("en" or "da")."""
    if lang not in LANGUAGES:
        raise InputError("--lang", f"'{lang}' is not a language; allowed: {', '.join(LANGUAGES)}")
    env = Environment(
        loader=PackageLoader("som_mc.present.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(**_context(data, lang))


def write_report(
    case: str | Path | dict | Case,
    out_dir: str | Path,
    *,
    lang: str = "en",
    overwrite: bool = False,
    data: ReportData | None = None,
    **compute: Any,
) -> Path:
    """Compute (unless ``data`` is given) and write ``report.html`` into ``out_dir``, atomically.

    Returns
    -------
    Path
        The report file.
    """
    out_dir = Path(out_dir)
    path = out_dir / f"report_{lang}.html"
    if path.exists() and not overwrite:
        raise ResultExistsError(f"{path}: a report is already there; use --force to replace it")
    if lang not in LANGUAGES:
        raise InputError("--lang", f"'{lang}' is not a language; allowed: {', '.join(LANGUAGES)}")
    data = data or compute_report_data(case, **compute)
    html = render_report(data, lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    return atomic_write(
        path,
        lambda tmp: Path(tmp).write_text(html, encoding="utf-8"),
        overwrite=overwrite,
        hint="use --force to replace it",
    )


# --- the page's content ----------------------------------------------------------------------


def _context(data: ReportData, lang: str) -> dict[str, Any]:
    t = TEXTS[lang]
    case, det, res, summ = data.case, data.det, data.results, data.summary
    m = case.model

    def money(x: float) -> str:
        return format_money(float(x), lang)

    def num(x: float, d: int = 0) -> str:
        return format_number(float(x), lang, d)

    def year(x: float) -> str:
        return t["never"] if not np.isfinite(x) else f"{x:.0f}"

    actors = list(ACTORS_AND_TOTAL)
    actor_names = {a: t[a] for a in ACTORS_AND_TOTAL}
    net_total = det.net.sum(ACTOR)
    cum_total = det["cumulative"].sum(ACTOR)
    det_rows = [
        [str(int(y))]
        + [num(det.net.sel(year=y, actor=a)) for a in ACTORS]
        + [num(net_total.sel(year=y)), num(cum_total.sel(year=y))]
        for y in det.year.values
    ]
    gains = det.gain_by_consequence.sum(YEAR)
    cons_rows = [
        [str(c), str(det.area.sel(consequence=c).item())]
        + [num(gains.sel(consequence=c, actor=a)) for a in ACTORS]
        + [num(gains.sel(consequence=c).sum())]
        for c in det.consequence.values
    ]
    costs = det.cost.sum(YEAR)
    cons_rows.append(
        [t["cost_line"], ""]
        + [num(0.0 - float(costs.sel(actor=a))) for a in ACTORS]
        + [num(0.0 - float(costs.sum()))]
    )
    summary_rows = []
    for a in actors:
        s = summ.sel(actor=a)
        summary_rows.append(
            [
                actor_names[a],
                money(s.pv_mean),
                f"{num(s.pv_lower)} – {num(s.pv_upper)}",
                format_percent(float(s.p_positive), lang),
                format_percent(float(s.p_positive_mcse), lang),
                year(float(s.break_even_median)),
                format_percent(float(s.p_never_break_even), lang, 0),
            ]
        )
    figures = _figures(data, lang)
    sens = data.sensitivity
    return {
        "t": t,
        "lang": lang,
        "case": m,
        "participants": ", ".join(
            num(p.central(), 1 if p.central() % 1 else 0) for p in m.intake.participants
        ),
        "discount": res.attrs["discount_rate"],
        "illustrative": res.attrs.get("illustrative_items", ""),
        "notes": list(case.notes),
        "inputs": _input_rows(case, lang),
        "det_head": [t["year"], *[actor_names[a] for a in ACTORS], t["total"], t["cumulative"]],
        "det_rows": det_rows,
        "cons_head": [t["consequence"], t["area"], *[actor_names[a] for a in actors]],
        "cons_rows": cons_rows,
        "det_break_even": year(float(det.break_even_year)),
        "det_pv": {actor_names[a]: money(det.present_value.sel(actor=a)) for a in ACTORS}
        | {t["total"]: money(det.present_value.sum())},
        "intro_prob": t["probabilistic_intro"].format(
            draws=num(res.attrs["draws"]), mode=res.attrs["mode"]
        ),
        "summary_head": [
            t["actor"],
            t["mean"],
            t["interval"],
            t["p_positive"],
            t["se"],
            t["break_even_median"],
            t["never_share"],
        ],
        "summary_rows": summary_rows,
        "sobol_rows": _sobol_rows(sens.get("sobol"), lang),
        "switching_rows": _switching_rows(sens.get("switching"), lang, actor_names),
        "switching_head": [t["input"], t["switching_now"], *[actor_names[a] for a in actors]],
        "voi": _voi(sens.get("voi"), lang, actor_names),
        "figures": figures,
        "provenance": [
            (t["version"], res.attrs["som_mc_version"]),
            (t["seed"], str(res.attrs["seed"])),
            (t["draws"], num(res.attrs["draws"])),
            (t["design"], res.attrs["design"]),
            (t["mode"], res.attrs["mode"]),
            (t["case_hash"], res.attrs["case_sha256"]),
            (t["created"], res.attrs["created"]),
        ],
    }


def _input_rows(case: Case, lang: str) -> list[dict[str, Any]]:
    m = case.model
    sources: dict[str, tuple[str, bool]] = {"success": (m.success.source, m.success.illustrative)}
    from som_mc.inputs.case.inputs import cost_slugs

    for slug, line in zip(cost_slugs(m), m.cost, strict=True):
        sources[f"cost.{slug}"] = (line.source, line.illustrative)
    for line in m.consequence:
        sources[f"consequence.{line.key}"] = (line.source, line.illustrative)
    rows = []
    for name, dist in zip(case.inputs.names, case.inputs.dists, strict=True):
        stem = (
            ".".join(name.split(".")[:2])
            if name.startswith(("cost.", "consequence."))
            else (name.split(".")[0])
        )
        source, illustrative = sources.get(stem, ("", False))
        if dist.is_fixed and not name.startswith(("success.rate", "cost.", "intake.participants")):
            continue  # the many fixed profile entries are in the case file; keep the table short
        rows.append(
            {
                "name": name,
                "dist": format_number(dist.central(), lang, 4 if abs(dist.central()) < 1 else 0)
                if dist.is_fixed
                else dist.describe(),
                "mean": format_number(dist.mean(), lang, 4 if abs(dist.mean()) < 1 else 0),
                "source": source,
                "illustrative": illustrative,
            }
        )
    return rows


def _sobol_rows(ds: xr.Dataset | None, lang: str) -> list[list[str]]:
    if ds is None:
        return []
    total = ds.sel(output=TOTAL)
    order = total.ST.fillna(-1).argsort().values[::-1]
    rows = []
    for i in order:
        r = total.isel(input=i)
        lo, hi = (float(v) for v in r.ST_ci.values)
        rows.append(
            [
                str(r.input.item()),
                format_number(float(r.ST), lang, 3),
                f"{format_number(lo, lang, 3)} – {format_number(hi, lang, 3)}",
                format_number(float(r.S1), lang, 3),
            ]
        )
    return rows


def _switching_rows(ds: xr.Dataset | None, lang: str, names: dict) -> list[list[str]]:
    if ds is None:
        return []
    t = TEXTS[lang]
    rows = []
    for i in range(ds.sizes[INPUT]):
        r = ds.isel(input=i)
        cells = [
            t["never"]
            if not np.isfinite(v)
            else format_percent(float(v), lang)
            if str(r.input.item()).startswith("success.")
            else format_number(float(v), lang, 4)
            for v in r.switching_value.sel(output=[TOTAL, *ACTORS]).values
        ]
        now = float(r.base_value)
        rows.append([str(r.input.item()), format_percent(now, lang), *cells])
    return rows


def _voi(ds: xr.Dataset | None, lang: str, names: dict) -> dict[str, Any] | None:
    if ds is None:
        return None
    outputs = [TOTAL, *ACTORS]
    order = ds.evppi.sel(output=TOTAL).argsort().values[::-1][:12]
    return {
        "head": [TEXTS[lang]["input"], *[names[o] for o in outputs]],
        "evpi": [format_money(float(ds.evpi.sel(output=o)), lang) for o in outputs],
        "rows": [
            [str(ds.input.values[i])]
            + [format_money(float(ds.evppi.isel(input=i).sel(output=o)), lang) for o in outputs]
            for i in order
        ],
    }


def _figures(data: ReportData, lang: str) -> dict[str, str]:
    """Every plot as a PNG data URI (embedded: the page requests nothing from any host)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from som_mc.present import plots

    res, sens = data.results, data.sensitivity
    jobs: list[tuple[str, Callable[..., Any]]] = [
        ("fan", lambda ax: plots.fan_chart(res, ax=ax, lang=lang)),
        ("pv", lambda ax: plots.pv_distribution(res, ax=ax, lang=lang)),
        ("who", lambda ax: plots.who_pays(res, ax=ax, lang=lang)),
        ("waterfall", lambda ax: plots.consequence_waterfall(res, ax=ax, lang=lang)),
        ("break_even", lambda ax: plots.break_even_distribution(res, ax=ax, lang=lang)),
        ("convergence", lambda ax: plots.convergence(res, ax=ax, lang=lang)),
    ]
    if SUBGROUP in res.dims:
        jobs.append(("subgroups", lambda ax: plots.parts_plot(res, SUBGROUP, ax=ax, lang=lang)))
    rate = next((n for n in ("success.rate", "success.gross_rate") if n in res.input.values), None)
    if rate is not None:
        jobs.append(("rate", lambda ax: plots.pv_vs_input(res, input=rate, ax=ax, lang=lang)))
    if "tornado" in sens:
        jobs.append(("tornado", lambda ax: plots.tornado_plot(sens["tornado"], ax=ax, lang=lang)))
    if "sobol" in sens:
        jobs.append(("sobol", lambda ax: plots.sobol_plot(sens["sobol"], ax=ax, lang=lang)))
    if "voi" in sens:
        jobs.append(("evppi", lambda ax: plots.evppi_plot(sens["voi"], ax=ax, lang=lang)))
    out = {}
    for key, draw in jobs:
        fig, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
        try:
            draw(ax)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=110)
        finally:
            plt.close(fig)
        out[key] = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return out
