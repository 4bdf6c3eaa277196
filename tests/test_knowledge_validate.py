"""`som-mc knowledge validate`: passes on the shipped base, and catches broken files with a
message naming the file and the entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from som_mc.cli import main


def test_validate_passes_on_the_shipped_base(capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped knowledge base, presets and example cases validate (CI runs this)."""
    assert main(["knowledge", "validate"]) == 0
    assert "knowledge base OK" in capsys.readouterr().out


def _edit(relative: str, old: str, new: str) -> Callable[[Path, Path], None]:
    def apply(kb: Path, presets: Path) -> None:
        path = (presets if relative.startswith("distributions/") else kb) / relative.removeprefix(
            "distributions/"
        )
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _add_case(kb: Path, presets: Path) -> None:
    (kb / "cases" / "broken.toml").write_text(
        'name = "broken"\nprice_year = 2024\nhorizon = 2\n[intake]\nparticipants = [5]\n'
        '[[cost]]\nlabel = "c"\ntype = "startup"\namount = 1\n[success]\nrate = 0.1\n'
        '[[consequence]]\nkey = "shelter_dayz"\n',
        encoding="utf-8",
    )


BROKEN = [
    pytest.param(
        _edit(
            "figures/danish_unit_costs.csv",
            "https://bm.dk/satser/satser-for-2023/kontanthjaelp/,high",
            ",high",
        ),
        "figures/danish_unit_costs.csv",
        "kontanthjaelp_30plus_ikke_forsorger_2023",
        "source_url is empty",
        id="missing-source",
    ),
    pytest.param(
        _edit("consequences.toml", 'unit = "days"', 'unit = "nights"'),
        "consequences.toml",
        "consequence[",
        "unit 'nights' is not a known unit",
        id="unknown-unit",
    ),
    pytest.param(
        _edit(
            "rules.toml",
            "shares = { kommune = 0.20, stat = 0.80 }",
            "shares = { kommunen = 0.20, stat = 0.80 }",
        ),
        "rules.toml",
        "refusion_ladder_weeks_1_4",
        "unknown actor 'kommunen'",
        id="unknown-actor",
    ),
    pytest.param(
        _edit(
            "consequences.toml", 'key = "uddannelseshjaelp_weeks"', 'key = "kontanthjaelp_weeks"'
        ),
        "consequences.toml",
        "kontanthjaelp_weeks",
        "duplicate key",
        id="duplicate-key",
    ),
    pytest.param(
        _edit(
            "figures/danish_unit_costs.csv",
            "DKK per inmate-day,1469,2015",
            "DKK per inmate-day,1469,1985",
        ),
        "prices.toml",
        "prison_days",
        "price year 1985 is outside the price index",
        id="price-year-outside-index",
    ),
    pytest.param(
        _edit(
            "target_groups.toml",
            "values = [-120, -120, -120, -120, -120]",
            'values = [-120, "many", -120, -120, -120]',
        ),
        "target_groups.toml",
        "long_term_shelter_users",
        "'many'",
        id="profile-not-a-number",
    ),
    pytest.param(
        _add_case,
        "broken.toml",
        "consequence[0].key",
        "'shelter_dayz' is not in the knowledge base",
        id="case-references-missing-key",
    ),
    pytest.param(
        _edit("distributions/presets.toml", "cv = 0.05", "cv = -0.1"),
        "distributions/presets.toml",
        "price_high",
        "cv -0.1 is impossible",
        id="preset-impossible-cv",
    ),
    pytest.param(
        _edit("distributions/presets.toml", 'family = "lognormal"', 'family = "lognormall"'),
        "distributions/presets.toml",
        "price_high",
        "family",
        id="preset-unknown-family",
    ),
    pytest.param(
        _edit(
            "rules.toml",
            "shares = { kommune = 0.80, stat = 0.20 }",
            "shares = { kommune = 0.70, stat = 0.30 }",
        ),
        "rules.toml",
        "refusion_ladder_weeks_53plus",
        "stat's share 0.3 differs from figure refusion_trappe_uge_53plus = 0.2",
        id="rule-contradicts-figure",
    ),
    pytest.param(
        _edit(
            "prices.toml",
            'figure = "faengsel_arrest_gennemsnit_doegn_2015"',
            'figure = "faengsel_gennemsnit"',
        ),
        "prices.toml",
        "prison_days",
        "figure 'faengsel_gennemsnit' is not in figures",
        id="price-missing-figure",
    ),
    pytest.param(
        _edit("prices.toml", 'consequence = "prison_days"', 'consequence = "prison_days'),
        "prices.toml",
        "",
        "cannot be read",
        id="toml-syntax-error",
    ),
    pytest.param(
        _edit(
            "rules.toml",
            'source = "No reimbursement: the service is financed by the kommune"\n',
            "",
        ),
        "rules.toml",
        "kommune_only",
        "has no source",
        id="rule-without-source",
    ),
    pytest.param(
        _edit(
            "target_groups.toml",
            'illustrative = true\nreasoning = "The group is defined',
            'illustrative = false\nreasoning = "The group is defined',
        ),
        "target_groups.toml",
        "shelter_days",
        "has no source",
        id="profile-without-source",
    ),
    pytest.param(
        _edit("prices.toml", 'split = "stat_only"', 'split = "state_only"'),
        "prices.toml",
        "convictions_property",
        "split 'state_only' is not a rule",
        id="price-unknown-rule",
    ),
]


@pytest.mark.parametrize("breakage, file, entry, fragment", BROKEN)
def test_validate_catches_a_broken_file(
    copy_kb: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    breakage: Callable[[Path, Path], None],
    file: str,
    entry: str,
    fragment: str,
) -> None:
    """One thing broken in a copy of the knowledge base: validate exits 2 and one of its
    one-line messages names the file, the entry and what is wrong."""
    kb, presets = copy_kb
    breakage(kb, presets)
    code = main(["knowledge", "validate", "--path", str(kb), "--presets", str(presets)])
    err = capsys.readouterr().err
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("som-mc: ")]
    assert "Traceback" not in err
    hits = [line for line in lines if file in line and entry in line and fragment in line]
    assert hits, err
