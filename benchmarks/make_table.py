"""Write the results table of benchmarks/README.md from a pytest-benchmark JSON file.

Usage, from the repository's root::

    python benchmarks/make_table.py --run        # run the benchmarks, then write the table
    python benchmarks/make_table.py results.json # write the table from an earlier run

``--run`` runs ``pytest benchmarks --benchmark-enable --benchmark-json=benchmarks/results.json``
and writes the table even when a target is missed (the exit status is then pytest's, not 0).
The table goes between the ``results: start`` and ``results: end`` markers of the README.
Times are the fastest of the rounds, the measure least disturbed by other work on the machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

__all__ = ["main", "make_table", "update_readme"]

HERE = Path(__file__).resolve().parent
START = "<!-- results: start (written by make_table.py; do not edit by hand) -->"
END = "<!-- results: end -->"

#: Targets, as the benchmarks assert them (test_kernel.py, test_sobol.py).
KERNEL_SPEEDUP, THREAD_SPEEDUP = 10.0, 1.7
RUN_SPEEDUP, RUN_OVER_KERNEL, RUN_THREAD_SPEEDUP = 10.0, 2.0, 1.8
SOBOL_TIME_RATIO, SOBOL_MEMORY_RATIO = 20.0, 5.0


def _seconds(value: float) -> str:
    """A time in a unit that suits it: ``0.0021`` → ``2.1 ms``."""
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1.0:
        return f"{value * 1e3:.1f} ms" if value < 0.1 else f"{value * 1e3:.0f} ms"
    return f"{value:.2f} s"


def _ratio(value: float, target: float) -> str:
    verdict = "met" if value >= target else "**missed**"
    return f"{value:.0f}x ({verdict})" if value >= 100 else f"{value:.1f}x ({verdict})"


def _find(benchmarks: list[dict], **info: object) -> dict | None:
    """The benchmark whose extra_info has all of ``info``, or None."""
    for bench in benchmarks:
        extra = bench.get("extra_info", {})
        if all(extra.get(key) == value for key, value in info.items()):
            return bench
    return None


def _min(bench: dict | None) -> float | None:
    return None if bench is None else bench["stats"]["min"]


def _machine(data: dict) -> list[str]:
    m = data["machine_info"]
    cpu = m.get("cpu_model") or m.get("cpu", {}).get("brand_raw") or "unknown CPU"
    hardware = [
        cpu,
        m.get("cpu", {}).get("hz_advertised_friendly"),
        m.get("cores_logical") and f"{m['cores_logical']} logical cores",
        m.get("cores_physical") and f"{m['cores_physical']} physical",
        m.get("ram_gb") and f"{m['ram_gb']} GB RAM",
        " ".join(filter(None, (m.get("system"), m.get("machine")))),
    ]
    versions = ", ".join(f"{name} {v}" for name, v in m.get("versions", {}).items())
    load = m.get("load_average_at_start")
    run = f"Run: {data.get('datetime', '?')[:16].replace('T', ' ')} UTC"
    if load:
        run += f", load average {load[0]:.2f} at the start"
    return [
        "Machine: " + ", ".join(filter(None, hardware)) + ".",
        f"Software: {versions or 'versions not recorded'}.",
        run + "; every time is the fastest of its rounds.",
    ]


def _kernel_rows(benchmarks: list[dict]) -> list[str]:
    rows = [
        "| mode | reference, 1 thread | kernel, 1 thread | kernel, 2 threads | "
        f"kernel vs reference (target ≥ {KERNEL_SPEEDUP:g}x) | "
        f"2 threads vs 1 (target ≥ {THREAD_SPEEDUP:g}x) |",
        "|---|---|---|---|---|---|",
    ]
    for mode in ("expected", "cohort"):
        ref = _min(_find(benchmarks, role="reference", mode=mode))
        one = _min(_find(benchmarks, role="kernel", mode=mode, threads=1))
        two = _min(_find(benchmarks, role="kernel", mode=mode, threads=2))
        if ref is None or one is None or two is None:
            continue
        rows.append(
            f"| {mode} | {_seconds(ref)} | {_seconds(one)} | {_seconds(two)} | "
            f"{_ratio(ref / one, KERNEL_SPEEDUP)} | {_ratio(one / two, THREAD_SPEEDUP)} |"
        )
    return rows


def _end_to_end_rows(benchmarks: list[dict]) -> list[str]:
    """``som_mc.run`` as a user waits for it, against the run before compiled sampling and
    against its own kernel."""
    before = _min(_find(benchmarks, role="run reference"))
    one = _min(_find(benchmarks, role="run", threads=1))
    two = _min(_find(benchmarks, role="run", threads=2))
    kernel = _min(_find(benchmarks, role="kernel", mode="expected", threads=1))
    if None in (before, one, two, kernel):
        return ["(not measured in this run)"]
    return [
        "| before (scipy sampling), 1 thread | now, 1 thread | now, 2 threads | kernel alone, "
        f"1 thread | now vs before (target ≥ {RUN_SPEEDUP:g}x) | now vs kernel (target ≤ "
        f"{RUN_OVER_KERNEL:g}x) | 2 threads vs 1 (target ≥ {RUN_THREAD_SPEEDUP:g}x) |",
        "|---|---|---|---|---|---|---|",
        f"| {_seconds(before)} | {_seconds(one)} | {_seconds(two)} | {_seconds(kernel)} | "
        f"{_ratio(before / one, RUN_SPEEDUP)} | {_at_most(one / kernel, RUN_OVER_KERNEL)} | "
        f"{_ratio(one / two, RUN_THREAD_SPEEDUP)} |",
    ]


def _at_most(ratio: float, target: float) -> str:
    return f"{ratio:.1f}x ({'met' if ratio <= target else '**missed**'})"


def _sobol_pairs(benchmarks: list[dict], salib_role: str, ours_role: str):
    """(n, SALib's benchmark, som-mc's) for each size measured on both sides."""
    for n in ("2^16", "2^18"):
        salib = _find(benchmarks, role=salib_role, n=n)
        ours = _find(benchmarks, role=ours_role, n=n)
        if salib is not None and ours is not None:
            yield n, salib, ours


def _sobol_rows(benchmarks: list[dict]) -> list[str]:
    rows = [
        "| n | SALib analyze | SALib, 2 resamples | som-mc | "
        f"speed-up (target ≥ {SOBOL_TIME_RATIO:g}x) | peak memory SALib | som-mc | "
        f"memory ratio (target ≥ {SOBOL_MEMORY_RATIO:g}x) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, salib, ours in _sobol_pairs(benchmarks, "salib", "som-mc"):
        quick = _find(benchmarks, role="salib, 2 resamples", n=n)
        mem_salib = salib["extra_info"]["peak_memory_mb"]
        mem_ours = ours["extra_info"]["peak_memory_mb"]
        rows.append(
            f"| {n} | {_seconds(_min(salib))} | "
            f"{_seconds(_min(quick)) if quick else '-'} | {_seconds(_min(ours))} | "
            f"{_ratio(_min(salib) / _min(ours), SOBOL_TIME_RATIO)} | {mem_salib:.1f} MiB | "
            f"{mem_ours:.2f} MiB | {_ratio(mem_salib / mem_ours, SOBOL_MEMORY_RATIO)} |"
        )
    return rows


def _interval_rows(benchmarks: list[dict]) -> list[str]:
    """Sobol' indices with their intervals, design and model runs included, on each side."""
    rows = [
        "| n (model runs) | SALib: design, model, analyze with 100 bootstraps | S1 half-width "
        "| som-mc: 8 scrambles of n/8 | S1 half-width | speed-up |",
        "|---|---|---|---|---|---|",
    ]
    for n, salib, ours in _sobol_pairs(benchmarks, "salib with intervals", "som-mc with intervals"):
        runs = 2 ** int(n[2:]) * 12
        rows.append(
            f"| {n} ({runs:,}) | {_seconds(_min(salib))} | "
            f"{salib['extra_info']['s1_half_width']:.4f} | {_seconds(_min(ours))} | "
            f"{ours['extra_info']['s1_half_width']:.4f} | {_min(salib) / _min(ours):.1f}x |"
        )
    return rows


def _correlated_rows(benchmarks: list[dict]) -> list[str]:
    """Model runs each correlated-input estimator needs for a standard error of 0.01."""
    rows = [
        "| estimator | inputs | runs at the pilot | largest SE there | runs for SE 0.01 "
        "| estimator's own time at the pilot |",
        "|---|---|---|---|---|---|",
    ]
    for bench in benchmarks:
        info = bench.get("extra_info", {})
        if "runs_for_se_001" not in info:
            continue
        rows.append(
            f"| {info['estimator']} | {info['inputs']} | {info['runs_at_pilot']:,} | "
            f"{info['largest_se_at_pilot']:.4f} | {info['runs_for_se_001']:,} | "
            f"{_seconds(_min(bench))} |"
        )
    return rows if len(rows) > 2 else ["(not measured in this run)"]


def _growth_rows(benchmarks: list[dict]) -> list[str]:
    """Time of a run by draws, horizon and consequences (``test_growth.py``)."""
    rows = [
        "| draws | horizon | consequences | uncertain inputs | run, 1 thread | per 1,000 draws |",
        "|---|---|---|---|---|---|",
    ]
    points = [b for b in benchmarks if b.get("extra_info", {}).get("role") == "growth"]
    points.sort(
        key=lambda b: (
            b["extra_info"]["dimension"],
            b["extra_info"]["draws"],
            b["extra_info"]["horizon"],
            b["extra_info"]["consequences"],
        )
    )
    for bench in points:
        info = bench["extra_info"]
        t = _min(bench)
        rows.append(
            f"| {info['draws']:,} | {info['horizon']} | {info['consequences']} | "
            f"{info['inputs']} | {_seconds(t)} | {_seconds(t / info['draws'] * 1000)} |"
        )
    return rows if points else ["(not measured in this run)"]


def _import_rows(benchmarks: list[dict]) -> list[str]:
    bare = _min(_find(benchmarks, role="python -c pass"))
    rows = ["| statement | fresh interpreter | minus `python -c pass` |", "|---|---|---|"]
    for label in ("python -c pass", "import som_mc", "from som_mc import run"):
        t = _min(_find(benchmarks, role=label))
        if t is None or bare is None:
            continue
        extra = "" if label == "python -c pass" else _seconds(max(t - bare, 0.0))
        rows.append(f"| `{label}` | {_seconds(t)} | {extra} |")
    return rows


def _run_rows(benchmarks: list[dict]) -> list[str]:
    rows = ["| run | wall time | peak memory | file |", "|---|---|---|---|"]
    for label in ("1e6 draws kept", "1e7 draws, summaries only"):
        bench = _find(benchmarks, role=label)
        if bench is None:
            continue
        info = bench["extra_info"]
        rows.append(
            f"| {label} | {_seconds(_min(bench))} | {info['peak_memory_gb']:.2f} GB "
            f"| {info['file_mb']:.0f} MB |"
        )
    return rows


def make_table(data: dict) -> str:
    """The Markdown of the results section from pytest-benchmark's JSON ``data``.

    Examples
    --------
    >>> data = {"machine_info": {"cpu_model": "CPU", "versions": {"numpy": "2"}},
    ...         "datetime": "2026-01-01T00:00:00", "benchmarks": []}
    >>> print(make_table(data).splitlines()[2])
    Machine: CPU.
    """
    benchmarks = data["benchmarks"]
    parts = [
        "Produced by `make_table.py` from the JSON of one run on the machine described here.",
        "",
        *_machine(data),
        "",
        "**`som_mc.run` end to end** (standard case: 419 uncertain inputs, 100,000 draws, "
        "expected mode; sampling the inputs, the kernel, every draw kept in the Dataset):",
        "",
        *_end_to_end_rows(benchmarks),
        "",
        "**Kernel against the numpy reference** (standard case, 100,000 draws):",
        "",
        *_kernel_rows(benchmarks),
        "",
        "**How a run's cost grows** (standard case, one dimension changed at a time; "
        "`test_growth.py`):",
        "",
        *_growth_rows(benchmarks),
        "",
        "**Sobol' indices against SALib** (same outputs of the G-function on SALib's design, "
        "10 inputs, first order; memory: tracemalloc peak during the call):",
        "",
        *_sobol_rows(benchmarks),
        "",
        "**Sobol' indices with intervals, like with like** (each side makes its design, runs "
        "the G-function on n (D + 2) rows and gives 95 % intervals: SALib a bootstrap of one "
        "design, som-mc a Student-t interval over 8 independent scrambles of n/8 base "
        "samples, the same model runs):",
        "",
        *_interval_rows(benchmarks),
        "",
        "**Correlated inputs** (Shapley effects and the full and independent indices on a "
        "linear Gaussian model; model runs for a standard error of 0.01 on every index, from "
        "a pilot of 4096 rows; `test_correlated.py`):",
        "",
        *_correlated_rows(benchmarks),
        "",
        "**`som-mc run` end to end** (CTI example, written to netCDF, a new process each; "
        "peak resident memory of that process; target for 10^7 draws: under "
        "1.5 GB):",
        "",
        *_run_rows(benchmarks),
        "",
        "**Import time** (each in a new subprocess):",
        "",
        *_import_rows(benchmarks),
    ]
    return "\n".join(parts)


def update_readme(readme: Path, table: str) -> None:
    """Replace what is between the markers of ``readme`` with ``table``."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme.name}: the markers {START!r} and {END!r} are missing")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="?", type=Path, default=HERE / "results.json")
    parser.add_argument("--readme", type=Path, default=HERE / "README.md")
    parser.add_argument("--run", action="store_true", help="run the benchmarks first")
    args = parser.parse_args(argv)
    status = 0
    if args.run:
        command = [
            sys.executable, "-m", "pytest", "benchmarks", "--benchmark-enable",
            f"--benchmark-json={args.json}", "-p", "no:cacheprovider",
        ]  # fmt: skip
        status = subprocess.run(command, cwd=HERE.parent).returncode
        if not args.json.is_file():
            return status or 1
    data = json.loads(args.json.read_text(encoding="utf-8"))
    update_readme(args.readme, make_table(data))
    print(f"wrote the table of {args.readme.name} from {args.json.name}")
    return status


if __name__ == "__main__":
    sys.exit(main())
