"""The language of ``som-mc run``'s console output: ``--lang``, else the case's ``lang``, else
English; a case's ``lang`` other than da or en is a one-line error (docs/cases.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from som_mc.cli import main
from som_mc.inputs.examples import example_path

_DANISH = "Budgetøkonomisk nettoresultat pr. år"
_ENGLISH = "Net budget result by year"


def _case(tmp_path: Path, lang: str | None) -> Path:
    """The CTI example, with ``lang = ...`` added at the top when ``lang`` is given."""
    text = example_path("cti").read_text(encoding="utf-8")
    path = tmp_path / "case.toml"
    path.write_text((f'lang = "{lang}"\n' if lang else "") + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("case_lang", "flag", "danish"),
    [
        (None, None, False),  # English as before
        (None, "da", True),
        ("da", None, True),  # the case's language
        ("da", "en", False),  # the command wins
        ("en", "da", True),
    ],
)
def test_deterministic_table_language(
    case_lang: str | None,
    flag: str | None,
    danish: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
) -> None:
    """``run --deterministic`` prints SØM's table in the chosen language."""
    argv = ["run", str(_case(tmp_path, case_lang)), "--deterministic"]
    assert main(argv + (["--lang", flag] if flag else [])) == 0
    out = capsys.readouterr().out
    assert (_DANISH in out) is danish
    assert (_ENGLISH in out) is not danish
    if danish:  # a consequence by its Danish name from the knowledge base
        assert "herberg" in out


def test_summary_in_the_case_language(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A Monte Carlo run's summary follows the case's lang, and --lang overrides it."""
    path = _case(tmp_path, "da")
    base = ["run", str(path), "--draws", "256", "--seed", "1", "--no-save", "--quiet"]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "Nutidsværdi af nettoresultatet" in out and "trækninger" in out
    assert main([*base, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Present value of the net result" in out and "draws" in out


def test_unknown_case_language_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """``lang = "de"`` is refused with the file, the field, the value and what is allowed."""
    path = _case(tmp_path, "de")
    assert main(["run", str(path), "--deterministic"]) == 2
    err = capsys.readouterr().err
    assert err == f"som-mc: {path}: lang: 'de' is not allowed; allowed: 'da' or 'en'\n"


def test_unknown_flag_language_is_refused(capsys: pytest.CaptureFixture) -> None:
    """argparse refuses another --lang, naming the choices."""
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(example_path("cti")), "--lang", "de"])
    assert exit_.value.code == 2
    assert "invalid choice: 'de'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "danish_words", "english_words"),
    [
        (
            ["compare", "cti", "housing_first", "--discount-rate", "fm2021"],
            ("Hvilken mulighed er bedst?", "mulighed", "P(bedst)", "i alt", "Grundlag"),
            ("Which option is best?", "expected loss", "Basis:"),
        ),
        (
            ["course", "--example", "cti_then_housing_first"],
            ("Middel af nutidsværdien pr. trin", "Nutidsværdi af nettoresultatet", "aktør"),
            ("Mean present value by step", "Present value of the net result"),
        ),
    ],
)
def test_multi_case_tables_in_danish(
    args: list[str], danish_words, english_words, capsys: pytest.CaptureFixture
) -> None:
    """`compare` and `course` print their tables in Danish with --lang da (words and the
    Danish number format: a thousands point, a decimal comma), in English without it."""
    assert main([*args, "--draws", "300", "--seed", "1", "--quiet", "--lang", "da"]) == 0
    danish = capsys.readouterr().out
    for word in danish_words:
        assert word in danish, word
    for word in english_words:
        assert word not in danish, word
    assert main([*args, "--draws", "300", "--seed", "1", "--quiet"]) == 0
    english = capsys.readouterr().out
    for word in english_words:
        assert word in english, word


def test_batch_table_in_danish(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`batch --lang da`: the Danish title and percentages with a decimal comma."""
    table = tmp_path / "batch.csv"
    table.write_text("case,label\nexample:cti,Aarhus\n", encoding="utf-8")
    assert main(["batch", str(table), "--draws", "200", "--quiet", "--lang", "da"]) == 0
    printed = capsys.readouterr().out
    assert "Kørsel af tabel" in printed and "Aarhus" in printed and "Batch:" not in printed
