"""Every kind of bad case file ends in one line on stderr, exit status 2 and no output file.

Each bad case is :data:`BASE_TOML`, a small valid case, with one targeted edit, written to
pytest's ``tmp_path`` and run through :func:`som_mc.cli.main` as ``som-mc run``. The one line
must name the file, the field and the bad value or what is allowed; no traceback may reach
the user, and nothing may be left in the folder but the case file itself.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from som_mc.cli import main

#: A small valid case modelled on knowledge/cases/cti.toml: one intake year, one cost line, an
#: uncertain success rate, two consequences (the first priced for two actors) and a correlation
#: between the two uncertain prices. Every bad case below is this text with one edit.
BASE_TOML = """\
# A small valid case; each test breaks one thing in it.
name = "Test case"
price_year = 2024
horizon = 3
discount_rate = 0.0

[intake]
participants = [20]
course_years = 1
dropout = 0.1

[success]
rate = { dist = "pert", min = 0.05, mode = 0.15, max = 0.30 }

[[cost]]
label = "Course"
type = "per_participant"
amount = 100000
actor = "kommune"

[[consequence]]
key = "shelter_days"
unit = "days"
area = "social"
kind = "expenditure"
profile = [-100, -100, -100]
price.kommune = { dist = "normal", mean = 750, sd = 75 }
price.stat = { dist = "normal", mean = 750, sd = 80 }

[[consequence]]
key = "employment"
unit = "weeks"
area = "employment"
kind = "revenue"
profile = [10, 20]
price.stat = 3000

[[correlation]]
inputs = ["consequence.shelter_days.price.kommune", "consequence.shelter_days.price.stat"]
spearman = [[1.0, 0.8], [0.8, 1.0]]
"""

CASE_NAME = "case.toml"
CORRELATION_INPUTS = (
    'inputs = ["consequence.shelter_days.price.kommune", "consequence.shelter_days.price.stat"]'
)
SPEARMAN = "spearman = [[1.0, 0.8], [0.8, 1.0]]"
SUCCESS_RATE = 'rate = { dist = "pert", min = 0.05, mode = 0.15, max = 0.30 }'

#: Writes a case into a folder and returns its path (which may not exist).
Maker = Callable[[Path], Path]


def _edited(*edits: tuple[str, str]) -> Maker:
    """A maker writing BASE_TOML with each ``(old, new)`` replaced; ``old`` must occur once."""

    def make(folder: Path) -> Path:
        text = BASE_TOML
        for old, new in edits:
            assert text.count(old) == 1, f"{old!r} must occur exactly once in BASE_TOML"
            text = text.replace(old, new)
        path = folder / CASE_NAME
        path.write_text(text, encoding="utf-8")
        return path

    return make


def _raw(data: bytes) -> Maker:
    """A maker writing ``data`` as the case file, byte for byte."""

    def make(folder: Path) -> Path:
        path = folder / CASE_NAME
        path.write_bytes(data)
        return path

    return make


def _missing(folder: Path) -> Path:
    return folder / "no_such_case.toml"


def _directory(folder: Path) -> Path:
    path = folder / CASE_NAME
    path.mkdir()
    return path


def _bad(case_id: str, make: Maker, field: str | None, fragment: str, **kwargs):
    """One bad case: its maker, the field path the message must name (None: the whole file),
    and a fragment naming the bad value or what is allowed."""
    return pytest.param(make, field, fragment, id=case_id, **kwargs)


BAD_CASES = [
    # --- the file itself -------------------------------------------------------------------
    _bad(
        "toml-syntax-error",
        _edited(("horizon = 3", "horizon = = 3")),
        "line 4",
        "TOML syntax error at column 11: Invalid value",
    ),
    _bad(
        "toml-unclosed-array",
        _edited((SPEARMAN, SPEARMAN.removesuffix("]"))),
        "end of file",
        "Unclosed array",
    ),
    _bad(
        "toml-key-given-twice",
        _edited(("horizon = 3", "horizon = 3\nhorizon = 4")),
        "line 5",
        "Cannot overwrite a value (is the key given twice?); the line reads 'horizon = 4'",
    ),
    _bad("empty-file", _raw(b""), None, "the case is empty; it needs at least name, price_year"),
    _bad(
        "comments-only",
        _raw(b"# nothing here yet\n"),
        None,
        "the case is empty; it needs at least name, price_year",
    ),
    _bad(
        "not-utf8",
        _raw(BASE_TOML.replace("Test case", "Forsørgelse").encode("latin-1")),
        "line 2",
        "byte 0xf8 is not UTF-8 text",
    ),
    _bad("file-does-not-exist", _missing, None, "no such case file"),
    _bad("path-is-a-folder", _directory, None, "cannot be read"),
    # --- structure: required, unknown and mistyped fields ----------------------------------
    _bad(
        "missing-required-field",
        _edited(("horizon = 3\n", "")),
        "horizon",
        "required field is missing",
    ),
    _bad(
        "missing-field-in-list-item",
        _edited(('unit = "weeks"\n', "")),
        "consequence[1].unit",
        "required field is missing",
    ),
    _bad(
        "missing-success-rate",
        _edited((SUCCESS_RATE + "\n", "")),
        "success",
        "rate is required (or gross_rate and deadweight)",
    ),
    _bad(
        "unknown-field-typo",
        _edited(("course_years", "course_yeras")),
        "intake.course_yeras",
        "did you mean 'course_years'? allowed: participants, course_years, dropout",
    ),
    _bad(
        "misspelt-required-field",
        _edited(("price_year", "priceyear")),
        "priceyear",
        "did you mean 'price_year'?",
    ),
    _bad(
        "single-table-for-list",
        _edited(("[[cost]]", "[cost]")),
        "cost",
        "write each one as [[cost]]",
    ),
    _bad(
        "list-for-single-table",
        _edited(("[intake]", "[[intake]]")),
        "intake",
        "write it as [intake], not [[intake]]",
    ),
    _bad("name-not-text", _edited(('name = "Test case"', "name = 5")), "name", "5 is not text"),
    _bad(
        "horizon-as-string",
        _edited(("horizon = 3", 'horizon = "3"')),
        "horizon",
        "'3' is not a whole number",
    ),
    _bad(
        "horizon-as-boolean",
        _edited(("horizon = 3", "horizon = true")),
        "horizon",
        "true is not a whole number",
    ),
    _bad(
        "amount-as-boolean",
        _edited(("amount = 100000", "amount = true")),
        "cost[0].amount",
        "true is not a number; expected a number or a table with dist",
    ),
    _bad(
        "amount-as-text",
        _edited(("amount = 100000", 'amount = "100.000 kr"')),
        "cost[0].amount",
        "'100.000 kr' is not a number",
    ),
    _bad(
        "amount-infinite",
        _edited(("amount = 100000", "amount = inf")),
        "cost[0].amount",
        "inf is not a finite number",
    ),
    _bad(
        "profile-with-non-number",
        _edited(("profile = [-100, -100, -100]", 'profile = [-100, "lots", -100]')),
        "consequence[0].profile[1]",
        "'lots' is not a number",
    ),
    _bad(
        "flag-not-boolean",
        _edited(("amount = 100000", 'amount = 100000\nillustrative = "yes"')),
        "cost[0].illustrative",
        "'yes' is not true or false",
    ),
    # --- ranges and allowed values ---------------------------------------------------------
    _bad(
        "horizon-zero",
        _edited(("horizon = 3", "horizon = 0")),
        "horizon",
        "0 is below the minimum 1",
    ),
    _bad(
        "horizon-too-long",
        _edited(("horizon = 3", "horizon = 99")),
        "horizon",
        "99 is above the maximum 50",
    ),
    _bad(
        "price-year-too-early",
        _edited(("price_year = 2024", "price_year = 1980")),
        "price_year",
        "1980 is below the minimum 1990",
    ),
    _bad(
        "unknown-currency",
        _edited(("price_year = 2024", 'price_year = 2024\ncurrency = "EUR"')),
        "currency",
        "'EUR' is not allowed; allowed: 'DKK'",
    ),
    _bad(
        "unknown-discount-schedule",
        _edited(("discount_rate = 0.0", 'discount_rate = "fm2020"')),
        "discount_rate",
        "'fm2020' is not allowed; give a number, a distribution or 'fm2021'",
    ),
    _bad(
        "discount-rate-in-percent",
        _edited(("discount_rate = 0.0", "discount_rate = 3.5")),
        "discount_rate",
        "3.5 is above 1; a discount rate is in [0, 1]",
    ),
    _bad(
        "probability-above-1",
        _edited((SUCCESS_RATE, "rate = 1.4")),
        "success.rate",
        "1.4 is above 1; a probability or share is in [0, 1]",
    ),
    _bad(
        "probability-range-above-1",
        _edited(("max = 0.30", "max = 1.30")),
        "success.rate",
        "PERT(min=0.05, mode=0.15, max=1.3) can take values outside [0, 1]",
    ),
    _bad(
        "dropout-as-normal",
        _edited(("dropout = 0.1", 'dropout = { dist = "normal", mean = 0.1, sd = 0.05 }')),
        "intake.dropout",
        "Normal(mean=0.1, sd=0.05) can take values outside [0, 1], the range of",
    ),
    _bad(
        "negative-participants",
        _edited(("participants = [20]", "participants = [-20]")),
        "intake.participants[0]",
        "-20 is below 0; a count is in [0, inf]",
    ),
    _bad(
        "no-participants",
        _edited(("participants = [20]", "participants = []")),
        "intake.participants",
        "needs at least 1 item(s), got 0",
    ),
    _bad(
        "course-years-zero",
        _edited(("course_years = 1", "course_years = 0")),
        "intake.course_years",
        "0 is below the minimum 1",
    ),
    _bad(
        "rate-and-gross-rate",
        _edited((SUCCESS_RATE, SUCCESS_RATE + "\ngross_rate = 0.3\ndeadweight = 0.1")),
        "success",
        "give either rate, or gross_rate and deadweight, not both",
    ),
    _bad(
        "unknown-cost-type",
        _edited(('type = "per_participant"', 'type = "per_person"')),
        "cost[0].type",
        "'per_person' is not allowed; allowed: 'startup', 'operating'",
    ),
    _bad(
        "unknown-actor",
        _edited(('actor = "kommune"', 'actor = "kommunen"')),
        "cost[0].actor",
        "'kommunen' is not allowed; allowed: 'kommune', 'region' or 'stat'",
    ),
    _bad(
        "price-for-misspelt-actor",
        _edited(("price.stat = 3000", "price.staat = 3000")),
        "consequence[1].price.staat",
        "unknown actor 'staat'; allowed: kommune, region, stat",
    ),
    _bad(
        "price-as-list",
        _edited(("price.stat = 3000", "price = [3000]")),
        "consequence[1].price",
        "[3000] is not a table",
    ),
    _bad(
        "unknown-area",
        _edited(('area = "social"', 'area = "housing"')),
        "consequence[0].area",
        "'housing' is not allowed; allowed: 'employment', 'education', 'social'",
    ),
    _bad(
        "duplicate-consequence-key",
        _edited(('key = "employment"', 'key = "shelter_days"')),
        "consequence[1].key",
        "'shelter_days' is used twice; keys are unique",
    ),
    _bad(
        "consequence-key-with-spaces",
        _edited(('key = "employment"', 'key = "Employment weeks"')),
        "consequence[1].key",
        "'Employment weeks' is not a valid key; use a-z, 0-9 and _",
    ),
    _bad(
        "intake-years-beyond-horizon",
        _edited(("participants = [20]", "participants = [20, 10, 10, 10]")),
        "intake.participants",
        "4 intake years exceed the horizon of 3 years",
    ),
    _bad(
        "cost-year-beyond-horizon",
        _edited(('actor = "kommune"', 'actor = "kommune"\nyears = [1, 5]')),
        "cost[0].years",
        "year 5 is beyond the horizon; allowed: 1 to 3",
    ),
    # --- distributions ---------------------------------------------------------------------
    _bad(
        "unknown-distribution",
        _edited(('dist = "pert"', 'dist = "perty"')),
        "success.rate",
        "unknown distribution 'perty'; allowed: fixed, uniform, triangular, pert",
    ),
    _bad(
        "unknown-distribution-key",
        _edited(("sd = 75 }", "sdd = 75 }")),
        "consequence[0].price.kommune",
        "unknown key 'sdd' for normal; allowed: mean, sd, ci95",
    ),
    _bad(
        "distribution-without-dist",
        _edited(('rate = { dist = "pert", ', "rate = { ")),
        "success.rate",
        "table has no dist key; dist is one of: fixed, uniform",
    ),
    _bad(
        "distribution-missing-parameter",
        _edited(("mode = 0.15, ", "")),
        "success.rate",
        "pert needs min, mode and max (optional lambda); got keys: min, max",
    ),
    _bad(
        "negative-sd",
        _edited(("sd = 75 }", "sd = -75 }")),
        "consequence[0].price.kommune",
        "sd is -75; it must be > 0",
    ),
    _bad(
        "min-above-max",
        _edited(("min = 0.05", "min = 0.35")),
        "success.rate",
        "min 0.35 is above max 0.3",
    ),
    _bad(
        "mode-outside-range",
        _edited(("mode = 0.15", "mode = 0.45")),
        "success.rate",
        "mode 0.45 is outside [min 0.05, max 0.3]",
    ),
    _bad(
        "beta-mean-sd-infeasible",
        _edited((SUCCESS_RATE, 'rate = { dist = "beta", mean = 0.5, sd = 0.6 }')),
        "success.rate",
        "beta sd 0.6 is too large for mean 0.5; it must be below",
    ),
    _bad(
        "beta-k-above-n",
        _edited((SUCCESS_RATE, 'rate = { dist = "beta", k = 12, n = 10 }')),
        "success.rate",
        "k 12 is above n 10",
    ),
    _bad(
        "lognormal-negative-mean",
        _edited(("amount = 100000", 'amount = { dist = "lognormal", mean = -5, sd = 1 }')),
        "cost[0].amount",
        "lognormal mean is -5; it must be > 0",
    ),
    # --- correlation -----------------------------------------------------------------------
    _bad(
        "correlation-unknown-input",
        _edited(
            ('"consequence.shelter_days.price.stat"]', '"consequence.shelter_days.price.region"]')
        ),
        "correlation[0].inputs",
        "'consequence.shelter_days.price.region' is not an input of this case",
    ),
    _bad(
        "correlation-fixed-input",
        _edited(('"consequence.shelter_days.price.stat"]', '"consequence.employment.price.stat"]')),
        "correlation[0].inputs",
        "'consequence.employment.price.stat' is a fixed number; only uncertain inputs correlate",
    ),
    _bad(
        "correlation-single-input",
        _edited((CORRELATION_INPUTS, 'inputs = ["consequence.shelter_days.price.kommune"]')),
        "correlation[0].inputs",
        "needs at least 2 item(s), got 1",
    ),
    _bad(
        "correlation-not-positive-definite",
        _edited(
            (CORRELATION_INPUTS, CORRELATION_INPUTS.replace('"]', '", "success.rate"]')),
            (SPEARMAN, "spearman = [[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]"),
        ),
        "correlation[0].spearman",
        "the matrix is not positive definite (smallest eigenvalue -0.816)",
    ),
    _bad(
        "correlation-not-symmetric",
        _edited((SPEARMAN, "spearman = [[1.0, 0.8], [0.5, 1.0]]")),
        "correlation[0].spearman[0][1]",
        "0.8 differs from [1][0] 0.5; the matrix must be symmetric",
    ),
    _bad(
        "correlation-wrong-size",
        _edited((SPEARMAN, "spearman = [[1.0, 0.8, 0.1], [0.8, 1.0, 0.1], [0.1, 0.1, 1.0]]")),
        "correlation[0].spearman",
        "is 3x3; needs 2x2",
    ),
    _bad(
        "correlation-not-square",
        _edited((SPEARMAN, "spearman = [[1.0, 0.8, 0.1], [0.8, 1.0, 0.1]]")),
        "correlation[0].spearman",
        "is 2x3; needs 2x2",
    ),
    _bad(
        "correlation-above-1",
        _edited((SPEARMAN, "spearman = [[1.0, 1.8], [1.8, 1.0]]")),
        "correlation[0].spearman[0][1]",
        "1.8 is outside [-1, 1]",
    ),
    _bad(
        "correlation-diagonal-not-1",
        _edited((SPEARMAN, "spearman = [[0.5, 0.8], [0.8, 1.0]]")),
        "correlation[0].spearman[0][0]",
        "0.5 is on the diagonal; it must be 1",
    ),
    _bad(
        "correlation-flat-list",
        _edited((SPEARMAN, "spearman = [1.0, 0.8]")),
        "correlation[0].spearman[0]",
        "1.0 is not a list",
    ),
    _bad(
        "correlation-ragged",
        _edited((SPEARMAN, "spearman = [[1.0, 0.8], [0.8]]")),
        "correlation[0].spearman",
        "is ragged (rows of [2, 1]); needs 2x2",
    ),
    _bad(
        "correlation-empty",
        _edited((SPEARMAN, "spearman = []")),
        "correlation[0].spearman",
        "needs at least 1 item(s), got 0",
    ),
    _bad(
        "correlation-entries-as-text",
        _edited((SPEARMAN, 'spearman = [[1.0, "0.8"], ["0.8", 1.0]]')),
        "correlation[0].spearman[0][1]",
        "'0.8' is not a number",
    ),
]


def _run(case: Path, out: Path, *extra: str) -> int:
    return main(["run", str(case), "--draws", "100", "--seed", "1", "--out", str(out), *extra])


def _leftovers(folder: Path, case: Path) -> list[str]:
    """Everything in ``folder`` but the case file: results, temporary files."""
    return sorted(p.name for p in folder.iterdir() if p != case)


def _assert_one_line_error(stderr: str, stdout: str) -> str:
    """Check the shape every user error has, and return its line."""
    assert "Traceback" not in stderr
    assert "Traceback" not in stdout
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert stderr.endswith("\n")
    line = lines[0]
    assert line.startswith("som-mc: ")
    assert line.removeprefix("som-mc: ").strip()
    return line


@pytest.mark.parametrize(("make", "field", "fragment"), BAD_CASES)
def test_bad_case_is_one_line_error(
    make: Maker, field: str | None, fragment: str, tmp_path: Path, capsys
) -> None:
    """A bad case exits with 2 and one stderr line naming file, field and the allowed values.

    No traceback, nothing on stdout, and no result or temporary file left in the folder.
    """
    case = make(tmp_path)
    out = tmp_path / "out.nc"

    status = _run(case, out)

    captured = capsys.readouterr()
    line = _assert_one_line_error(captured.err, captured.out)
    assert status == 2
    prefix = f"som-mc: {case}: "
    assert line.startswith(prefix), line
    message = line.removeprefix(prefix)
    if field is not None:
        assert message.startswith(f"{field}: "), line
    assert fragment in message, line
    assert not out.exists()
    assert not list(tmp_path.rglob("*.nc"))
    assert _leftovers(tmp_path, case) == []


def test_bad_cases_are_distinct() -> None:
    """The bad cases have distinct ids, and at least 22 of them are expected to pass."""
    ids = [param.id for param in BAD_CASES]
    assert len(ids) == len(set(ids))
    assert sum(not param.marks for param in BAD_CASES) >= 22


def test_base_case_runs(tmp_path: Path, capsys) -> None:
    """The unedited base case runs and writes its result, so each edit is the only fault."""
    case = _edited()(tmp_path)
    out = tmp_path / "out.nc"

    status = _run(case, out)

    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "som-mc:" not in captured.err
    assert "Results written to" in captured.out
    assert out.read_bytes().startswith(b"\x89HDF")  # netCDF-4 is HDF5
    assert _leftovers(tmp_path, case) == ["out.nc"]


def test_existing_result_needs_force(tmp_path: Path, capsys, monkeypatch) -> None:
    """An existing result is kept without --force (exit 2, message names --force) and is
    replaced with --force."""
    monkeypatch.setattr(sys, "stdin", io.StringIO())  # no terminal: som-mc must not ask
    case = _edited()(tmp_path)
    out = tmp_path / "out.nc"
    out.write_bytes(b"previous result")

    status = _run(case, out)

    captured = capsys.readouterr()
    line = _assert_one_line_error(captured.err, captured.out)
    assert status == 2
    assert str(out) in line
    assert "--force" in line
    assert out.read_bytes() == b"previous result"
    assert _leftovers(tmp_path, case) == ["out.nc"]

    status = _run(case, out, "--force")

    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert out.read_bytes().startswith(b"\x89HDF")
    assert _leftovers(tmp_path, case) == ["out.nc"]


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        pytest.param(
            _edited(("horizon = 3", "horizon = = 3")), "line 4: TOML syntax error", id="toml-syntax"
        ),
        pytest.param(
            _edited(("participants = [20]", "participants = [-20]")),
            "intake.participants[0]: -20 is below 0",
            id="negative-participants",
        ),
    ],
)
def test_command_line_error_in_subprocess(make: Maker, fragment: str, tmp_path: Path) -> None:
    """``python -m som_mc.cli run`` on a bad case exits with 2 and prints one line, no traceback."""
    case = make(tmp_path)
    out = tmp_path / "out.nc"
    args = ["run", str(case), "--draws", "100", "--seed", "1", "--out", str(out)]

    done = subprocess.run(
        [sys.executable, "-m", "som_mc.cli", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )

    assert done.returncode == 2, done.stderr
    line = _assert_one_line_error(done.stderr, done.stdout)
    assert line.startswith(f"som-mc: {case}: {fragment}"), line
    assert _leftovers(tmp_path, case) == []
