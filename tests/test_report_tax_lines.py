"""The HTML report's table by consequence shows a taxed transfer's gain before tax and its
income-tax line beneath its gain (docs/model.md §3), in Danish and English, with the numbers of
the deterministic Dataset and of the console (issue 17, part 3)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from som_mc import example_path
from som_mc.conventions import ACTORS
from som_mc.inputs.case.load import load_case
from som_mc.pipeline.engine import deterministic, run
from som_mc.pipeline.results import summarize
from som_mc.present.console import print_deterministic
from som_mc.present.labels import consequence_name
from som_mc.present.report import ReportData, render_report, write_report

WORDS = {"en": ("Before tax", "Income tax"), "da": ("Før skat", "Indkomstskat")}


def _report_data(name: str) -> ReportData:
    """A report's data without the sensitivity analyses (they do not touch SØM's table)."""
    case = load_case(example_path(name))
    results = run(case, draws=200, seed=1)
    return ReportData(case, deterministic(case), results, summarize(results), {})


@pytest.fixture(scope="module")
def cannabis() -> ReportData:
    """The cannabis example: unemployment benefit (uddannelseshjælp) and SU are taxed."""
    return _report_data("cannabis_youth")


@pytest.fixture(scope="module")
def rendered(cannabis) -> dict[str, str]:
    """The cannabis example's report in each language, rendered once for the module."""
    return {lang: render_report(cannabis, lang) for lang in ("da", "en")}


class _Rows(HTMLParser):
    """The rows (class and cells) of the table that follows the heading with ``title``."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title, self.rows = title, []
        self._state = "before"  # before, heading, table, done
        self._cell: list[str] | None = None
        self._heading: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "h3" and self._state == "before":
            self._heading = []
            self._state = "heading"
        elif self._state == "table" and tag == "tr":
            self.rows.append((dict(attrs).get("class", ""), []))
        elif self._state == "table" and tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3" and self._state == "heading":
            self._state = "table" if "".join(self._heading).strip() == self.title else "before"
        elif tag == "td" and self._cell is not None:
            self.rows[-1][1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table" and self._state == "table":
            self._state = "done"

    def handle_data(self, data: str) -> None:
        if self._state == "heading":
            self._heading.append(data)
        elif self._cell is not None:
            self._cell.append(data)


def _consequence_rows(html: str, lang: str) -> list[tuple[str, list[str]]]:
    title = {
        "en": "Gain by consequence over the horizon",
        "da": "Gevinst pr. konsekvens over tidshorisonten",
    }[lang]
    parser = _Rows(title)
    parser.feed(html)
    return [row for row in parser.rows if row[1]]  # the body's rows (not the header's)


def _written(value: float, lang: str) -> str:
    """A whole number as SØM's table writes it, by Python's own format: 1.234.567 and −5 in
    Danish (thousands point, minus sign U+2212), 1,234,567 in English."""
    text = f"{round(value):,d}"
    if lang == "da":
        text = text.replace(",", ".")
    return text.replace("-", "−")


def _read(cell: str, lang: str) -> float:
    text = cell.replace("−", "-")
    return float(text.replace(".", "") if lang == "da" else text.replace(",", ""))


def _taxed(det) -> list[str]:
    taxed = (det.tax_by_consequence != 0).any(("year", "actor"))
    return [str(c) for c in det.consequence.values if bool(taxed.sel(consequence=c))]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_taxed_line_shows_its_gross_and_its_tax_beneath_its_gain(
    cannabis, rendered, lang
) -> None:
    """Each taxed consequence's gain row is followed by its gain before tax and its tax line,
    each cell the Dataset's ``gain_gross_by_consequence`` / ``tax_by_consequence`` summed over
    the years, written in the language's number format; the gain is their sum (the identity
    of docs/model.md §3, up to the rounding of the three cells); untaxed lines have no such
    rows."""
    det = cannabis.det
    taxed = _taxed(det)
    assert taxed == ["uddannelseshjaelp_weeks", "su_months"]  # the example's two transfers
    rows = _consequence_rows(rendered[lang], lang)
    pairs = zip(det.consequence.values, det["consequence_label"].values, strict=True)
    names = [consequence_name(str(k), str(g), lang) for k, g in pairs]
    first = [cells[0] for _, cells in rows]
    gross_word, tax_word = WORDS[lang]
    assert first.count(gross_word) == first.count(tax_word) == len(taxed)
    gross = det.gain_gross_by_consequence.sum("year")
    tax = det.tax_by_consequence.sum("year")
    gain = det.gain_by_consequence.sum("year")
    for key, name in zip(det.consequence.values, names, strict=True):
        at = first.index(name)
        assert rows[at][0] == "part-gain"
        if str(key) not in taxed:
            assert at + 1 == len(rows) or rows[at + 1][0] in ("part-gain", "part-cost")
            continue
        (gross_class, gross_cells), (tax_class, tax_cells) = rows[at + 1], rows[at + 2]
        assert (gross_class, gross_cells[0]) == ("part-gross", gross_word)
        assert (tax_class, tax_cells[0]) == ("part-tax", tax_word)
        for cells, part in ((gross_cells, gross), (tax_cells, tax), (rows[at][1], gain)):
            values = [float(part.sel(consequence=key, actor=a)) for a in ACTORS]
            expected = [_written(v, lang) for v in [*values, sum(values)]]
            assert cells[2:] == expected, (key, cells)
        for k in range(2, 2 + len(ACTORS) + 1):  # the gain is gross + tax, cell by cell
            parts = _read(gross_cells[k], lang) + _read(tax_cells[k], lang)
            assert abs(_read(rows[at][1][k], lang) - parts) <= 1.0
    # The tax line is not nothing: the public purse gets back a share of a transfer's price.
    assert float(tax.sel(consequence="uddannelseshjaelp_weeks", actor="kommune")) < -1e5
    np.testing.assert_allclose(gain, gross + tax, rtol=1e-12, atol=1e-6)
    assert rows[-1][0] == "part-cost"


def test_danish_report_writes_danish_numbers_and_words(cannabis, rendered, tmp_path: Path) -> None:
    """The Danish report file: the benefit's tax line for the kommune written 540.000 with a
    minus sign, no English tax words; the explanation of the tax is there in Danish; the
    English report has the English words and 540,000."""
    html = write_report(None, tmp_path, lang="da", data=cannabis).read_text(encoding="utf-8")
    tax = float(cannabis.det.tax_by_consequence.sum("year").sel(
        consequence="uddannelseshjaelp_weeks", actor="kommune"))  # fmt: skip
    assert -541_000 < tax < -539_000  # the example as shipped; the cells below follow from it
    assert f"<td>{_written(tax, 'da')}</td>" in html and "−540.000" in html
    assert "Indkomstskat" in html and 'id="tax-note"' in html and "indkomstskat af den" in html
    assert "Income tax" not in html and "Before tax" not in html
    english = rendered["en"]
    assert "−540,000" in english and "Income tax" in english and "Indkomstskat" not in english


@pytest.mark.parametrize("lang", ["da", "en"])
def test_report_and_console_show_the_same_tax_rows(cannabis, rendered, lang) -> None:
    """The console's table by consequence and the report's have the same gross and tax rows
    (both read present/consequence_table.py): every number of the report's tax rows is in the
    console's output, in the same format."""
    console = Console(record=True, width=220)
    print_deterministic(cannabis.det, console, lang=lang)
    out = console.export_text()
    words = [w.lower() for w in WORDS[lang]]
    on_screen = []
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells and cells[0].lower() in words:
            on_screen.append([cells[0].lower(), *cells[2:]])
    rows = _consequence_rows(rendered[lang], lang)
    in_report = [
        [cells[0].lower(), *cells[2:]] for part, cells in rows if part in ("part-gross", "part-tax")
    ]
    assert len(in_report) == 2 * len(_taxed(cannabis.det)) == 4
    assert on_screen == in_report


def test_an_untaxed_case_has_no_tax_rows_or_note() -> None:
    """Housing First prices no taxed transfer: no gross or tax rows, no tax explanation."""
    data = _report_data("housing_first")
    assert _taxed(data.det) == []
    for lang in ("da", "en"):
        html = render_report(data, lang)
        rows = _consequence_rows(html, lang)
        assert rows and {part for part, _ in rows} == {"part-gain", "part-cost"}
        assert 'id="tax-note"' not in html


@pytest.mark.parametrize("lang", ["da", "en"])
def test_results_workbook_shows_the_gross_and_tax_rows(cannabis, lang, tmp_path: Path) -> None:
    """The results workbook's table by consequence follows a taxed transfer's rows with its
    gain before tax and its tax line, by actor and year, each cell the Dataset's value; an
    untaxed line has no such rows."""
    from openpyxl import load_workbook

    from som_mc.present.workbook.results import write_results_xlsx

    path = write_results_xlsx(tmp_path / "r.xlsx", deterministic=cannabis.det, lang=lang)
    book = load_workbook(path)
    rows = [[c.value for c in r] for r in book[book.sheetnames[0]].iter_rows()]  # SØM's table
    det = cannabis.det
    label = consequence_name("uddannelseshjaelp_weeks", "", lang)
    before, tax = WORDS[lang]
    for word, var in ((before, "gain_gross_by_consequence"), (tax, "tax_by_consequence")):
        name = f"{label}: {word.lower()}"
        found = [r for r in rows if r[0] == name and r[2] == "kommune"]
        assert len(found) == 1, name
        expected = det[var].sel(consequence="uddannelseshjaelp_weeks", actor="kommune")
        values = found[0][3 : 3 + det.sizes["year"]]
        np.testing.assert_allclose(values, expected.transpose("year").values, rtol=1e-12)
    untaxed = [str(c) for c in det.consequence.values if str(c) not in _taxed(det)]
    other = consequence_name(untaxed[0], "", lang)
    assert not any(str(r[0]).startswith(f"{other}: ") for r in rows)
