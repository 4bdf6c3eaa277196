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
from som_mc.conventions import ACTOR, ACTORS, ACTORS_AND_TOTAL, INPUT, SUBGROUP, TOTAL
from som_mc.errors import InputError
from som_mc.inputs.case.load import Case, load_case
from som_mc.io import ResultExistsError, atomic_write
from som_mc.pipeline.engine import deterministic, run
from som_mc.pipeline.results import summarize
from som_mc.present.consequence_table import consequence_rows
from som_mc.present.labels import (
    area_name,
    consequence_names,
    describe,
    illustrative_items,
    input_name,
    target_group_name,
    translate_note,
)
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
    pooled: Any = None  # the meta-analysis of a pooled [success] effect (inputs.pooling)
    costs: Any = None  # the cost breakdown of a case with [[resource]] lines (analysis.costs)


def compute_report_data(
    case: str | Path | dict | Case,
    *,
    draws: int = 10_000,
    seed: int = 0,
    mode: str = "expected",
    sobol_n: int = 1024,
    progress: Callable[[str], None] | None = None,
) -> ReportData:
    """Run everything the report shows (the Monte Carlo run, sensitivity and VOI; the pooled
    evidence and the cost breakdown when the case pools studies or has resources)."""
    pooled = _pooled(case)
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
        if case.inputs.correlation:  # per-input indices of correlated inputs (issue 15)
            from som_mc.analysis.sensitivity.dependent import correlated_sensitivity

            say("Shapley effects (correlated inputs)")
            sens["shapley"] = correlated_sensitivity(case, sobol_n, seed=seed, threads=2)
        say("tornado")
        sens["tornado"] = tornado(case)
        say("value of information")
        sens["voi"] = value_of_information(case, min(draws, 20_000), seed=seed, groups="kind")
    if any(n in case.inputs.names for n in ("success.rate", "success.gross_rate")):
        say("switching values")
        sens["switching"] = switching_values(case)
    costs = None
    if any(line.resource for line in case.model.cost):
        from som_mc.analysis.costs import cost_breakdown

        say("cost breakdown")
        costs = cost_breakdown(case, draws=min(draws, 20_000), seed=seed)
    return ReportData(case, det, results, summarize(results), sens, pooled, costs)


def _pooled(case: str | Path | dict | Case) -> Any:
    """The meta-analysis behind ``[success] effect = { pool = [...] }`` of a case file or dict
    (a loaded Case keeps only the distribution it gave, so its file is read again); None
    without one."""
    if isinstance(case, Case):
        if not Path(case.source).is_file():
            return None  # a dict's case: its pooling is not kept
        case = case.source
    if isinstance(case, dict):
        data = case
    else:
        path = Path(case)
        if path.suffix.lower() != ".toml":
            return None
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            return None  # load_case reports it
    success = data.get("success")
    effect = success.get("effect") if isinstance(success, dict) else None
    if not (isinstance(effect, dict) and "pool" in effect):
        return None
    from som_mc.inputs.knowledge.base import load_knowledge
    from som_mc.inputs.pooling import pool_spec

    return pool_spec(effect, load_knowledge().effects)


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

    mode = t.get(f"mode_{res.attrs['mode']}", res.attrs["mode"])
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
    given = det["consequence_label"].values if "consequence_label" in det.coords else None
    keys = [str(c) for c in det.consequence.values]
    names = dict(zip(keys, consequence_names(keys, given, lang), strict=True))
    # The console's rows (present/consequence_table.py): a taxed transfer's gain before tax
    # and its income-tax line beneath its gain (docs/model.md §3).
    cons_rows = []
    for row in consequence_rows(det):
        if row.part == "gain":
            area = area_name(str(det.area.sel(consequence=row.consequence).item()), lang)
            first = [names[row.consequence], area]
        else:
            first = [t[f"{row.part}_line"], ""]  # gross_line, tax_line, cost_line
        cells = first + [num(v) for v in row.by_actor] + [num(row.total)]
        cons_rows.append({"part": row.part, "cells": cells})
    summary_rows = []
    for a in actors:
        s = summ.sel(actor=a)
        touched = bool(s.affected) if "affected" in s else True
        summary_rows.append(
            [
                actor_names[a],
                money(s.pv_mean),
                f"{num(s.pv_lower)} – {num(s.pv_upper)}",
                format_percent(float(s.p_positive), lang),
                format_percent(float(s.p_positive_mcse), lang),
                year(float(s.break_even_median)) if touched else t["not_affected"],
                format_percent(float(s.p_never_break_even), lang, 0) if touched else "–",
            ]
        )
    figures = _figures(data, lang)
    sens = data.sensitivity
    input_names = {n: input_name(n, lang) for n in case.inputs.names}
    for ds in sens.values():
        if INPUT in ds.coords:
            input_names |= {str(n): input_name(str(n), lang) for n in ds[INPUT].values}
    from som_mc.inputs.case.inputs import cost_slugs

    cost_word = input_name("cost", lang)
    for slug, line in zip(cost_slugs(m), m.cost, strict=True):
        if line.label and f"cost.{slug}.amount" in input_names:
            input_names[f"cost.{slug}.amount"] = f"{cost_word}: {line.label}"
    return {
        "t": t,
        "lang": lang,
        "input_names": input_names,
        "case": m,
        "participants": ", ".join(
            num(p.central(), 1 if p.central() % 1 else 0) for p in m.intake.participants
        ),
        "discount": _discount(res.attrs["discount_rate"], lang),
        "target_group": target_group_name(m.target_group, lang) if m.target_group else "",
        "illustrative": illustrative_items(res.attrs.get("illustrative_items", ""), lang),
        "notes": [translate_note(n, lang) for n in case.notes],
        "inputs": _input_rows(case, lang),
        "det_head": [t["year"], *[actor_names[a] for a in ACTORS], t["total"], t["cumulative"]],
        "det_rows": det_rows,
        "cons_head": [t["consequence"], t["area"], *[actor_names[a] for a in actors]],
        "cons_rows": cons_rows,
        "det_break_even": year(float(det.break_even_year)),
        "det_pv": {actor_names[a]: money(det.present_value.sel(actor=a)) for a in ACTORS}
        | {t["total"]: money(det.present_value.sum())},
        "intro_prob": t["probabilistic_intro"].format(draws=num(res.attrs["draws"]), mode=mode),
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
        "shapley_rows": _shapley_rows(sens.get("shapley"), lang),
        "switching_rows": _switching_rows(sens.get("switching"), lang, actor_names),
        "switching_head": [t["input"], t["switching_now"], *[actor_names[a] for a in actors]],
        "voi": _voi(sens.get("voi"), lang, actor_names),
        "pooled": _pooled_rows(data.pooled, lang),
        "costs": _cost_rows(data.costs, lang, actor_names),
        "figures": figures,
        "provenance": [
            (t["version"], res.attrs["som_mc_version"]),
            (t["seed"], str(res.attrs["seed"])),
            (t["draws"], num(res.attrs["draws"])),
            (t["design"], res.attrs["design"]),
            (t["mode"], mode),
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
                else describe(dist.describe(), lang),
                "mean": format_number(dist.mean(), lang, 4 if abs(dist.mean()) < 1 else 0),
                "source": _source(source, lang),
                "illustrative": illustrative,
            }
        )
    return rows


def _discount(rate: Any, lang: str) -> str:
    """A discount rate as a percentage in ``lang``; a named schedule (``fm2021``) as named."""
    try:
        return format_percent(float(rate), lang, 2)
    except (TypeError, ValueError):
        return str(rate)


def _source(source: str, lang: str) -> str:
    """The frame som-mc writes around a study's name (``inputs/evidence.py``) in ``lang``."""
    if lang != "da":
        return source
    source = source.replace("(effect ", "(effekt ")
    return source.replace(" in the knowledge base)", " i vidensdatabasen)")


def _pooled_rows(result: Any, lang: str) -> dict[str, Any] | None:
    """The studies, the pooled estimate and its intervals, and the heterogeneity, in ``lang``
    (on the measure's own scale: a ratio, or the standardised mean difference)."""
    if result is None:
        return None
    t = TEXTS[lang]
    ratio = result.measure != "smd"

    def shown(y: float) -> str:
        return format_number(float(np.exp(y)) if ratio else float(y), lang, 3)

    def interval(lo: float, hi: float) -> str:
        return f"{shown(lo)} – {shown(hi)}"

    z = 1.959963984540054
    rows = [
        [s.label or f"{t['study']} {i + 1}", shown(s.y), interval(s.y - z * s.se, s.y + z * s.se),
         format_percent(float(w), lang)]
        for i, (s, w) in enumerate(zip(result.studies, result.weights, strict=True))
    ]  # fmt: skip
    whole = format_percent(1.0, lang)
    rows.append([t["pooled_mean"], shown(result.estimate), interval(*result.ci), whole])
    rows.append([t["prediction"], "", interval(*result.pi), ""])
    return {
        "head": [t["study"], t[f"measure_{result.measure}"], "95 %", t["weight"]],
        "rows": rows,
        "heterogeneity": t["heterogeneity_text"].format(
            method=result.method + (", Hartung-Knapp" if result.hartung_knapp else ""),
            tau2=format_number(result.tau2, lang, 4),
            i2=format_percent(result.i2 / 100, lang, 1),
            q=format_number(result.q, lang, 2),
            df=result.k - 1,
        ),
    }


def _cost_rows(b: Any, lang: str, names: dict) -> dict[str, Any] | None:
    """Each cost line's mean and 90 % interval over the horizon and its share of the cost's
    variance; the whole cost and the cost per participant."""
    if b is None:
        return None
    t = TEXTS[lang]
    shares = b.variance_shares()

    def row(label: str, kind: str, actor: str, x: np.ndarray, share: str) -> list[str]:
        lo, hi = np.quantile(x, [0.05, 0.95])
        spread = f"{format_number(float(lo), lang)} – {format_number(float(hi), lang)}"
        return [label, kind, actor, format_money(float(x.mean()), lang), spread, share]

    rows = [
        row(label, t.get(f"resource_{kind}", kind), names.get(actor, actor), b.per_line[:, i],
            format_percent(float(shares[i]), lang))
        for i, (label, kind, actor) in enumerate(zip(b.labels, b.kinds, b.actors, strict=True))
    ]  # fmt: skip
    rows.append(row(t["total_cost"], "", "", b.total, format_percent(1.0, lang)))
    rows.append(row(t["per_participant"], "", "", b.per_participant, ""))
    return {
        "head": [
            t["cost_line_label"],
            t["resource_kind"],
            t["actor"],
            t["mean"],
            t["interval"],
            t["variance_share"],
        ],
        "rows": rows,
        "draws": format_number(b.total.size, lang),
    }


def _sobol_rows(ds: xr.Dataset | None, lang: str) -> list[list[str]]:
    """Input, ST, its interval, S1 (total output), largest ST first."""
    return _ranked_rows(ds, lang, "ST", ("S1",))


def _shapley_rows(ds: xr.Dataset | None, lang: str) -> list[list[str]]:
    """Input, Shapley effect, its 95 % interval, S_full, ST_ind (total output), largest first."""
    return _ranked_rows(ds, lang, "shapley", ("S_full", "ST_ind"))


def _ranked_rows(
    ds: xr.Dataset | None, lang: str, index: str, others: tuple[str, ...]
) -> list[list[str]]:
    """A row per input of the total output: ``index``, its interval (``<index>_ci``) and the
    ``others``, largest ``index`` first (NaN last)."""
    if ds is None:
        return []
    total = ds.sel(output=TOTAL)
    rows = []
    for i in total[index].fillna(-1).argsort().values[::-1]:
        r = total.isel(input=i)
        lo, hi = (float(v) for v in r[f"{index}_ci"].values)
        rows.append(
            [
                str(r.input.item()),
                format_number(float(r[index]), lang, 3),
                f"{format_number(lo, lang, 3)} – {format_number(hi, lang, 3)}",
                *(format_number(float(r[name]), lang, 3) for name in others),
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
    if "shapley" in sens:
        jobs.append(("shapley", lambda ax: plots.shapley_plot(sens["shapley"], ax=ax, lang=lang)))
    if data.pooled is not None:
        from som_mc.present.plots.forest import forest_plot

        jobs.append(("forest", lambda ax: forest_plot(data.pooled, ax=ax, lang=lang)))
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
