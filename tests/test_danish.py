"""The Danish report, console and plots (issue 17, item 8): no English consequence name, Danish
number formats, rendered in a real browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from rich.console import Console

from som_mc import example_path
from som_mc.inputs.knowledge.base import load_knowledge
from som_mc.pipeline.engine import deterministic, run
from som_mc.pipeline.results import summarize
from som_mc.present.console import print_deterministic, print_summary
from som_mc.present.labels import consequence_name, translate_note
from som_mc.present.report import compute_report_data, render_report, write_report


def _english_only_labels() -> list[str]:
    """The knowledge base's English consequence labels that differ from the Danish ones."""
    kb = load_knowledge()
    return [c.label_en for c in kb.consequences.values() if c.label_en != c.label_da]


class _Text(HTMLParser):
    """The visible text of a page (not style, script or attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _text(html: str) -> str:
    page = _Text()
    page.feed(html)
    return " ".join(page.parts)


@pytest.fixture(scope="module")
def housing_first():
    """The Housing First example's report data, small."""
    return compute_report_data(example_path("housing_first"), draws=500, seed=1, sobol_n=64)


def test_consequence_names_come_from_the_knowledge_base_in_both_languages() -> None:
    """Every catalogued consequence has a label in each language, and a catalogue label the
    case took (the English one) is shown in the language asked for; a case's own label is
    kept."""
    kb = load_knowledge()
    for entry in kb.consequences.values():
        assert entry.label_da.strip() and entry.label_en.strip()
        assert consequence_name(entry.key, entry.label_en, "da") == entry.label_da
        assert consequence_name(entry.key, "", "en") == entry.label_en
    assert consequence_name("shelter_days", "Our own words", "da") == "Our own words"


def test_knowledge_notes_are_translated_with_danish_numbers() -> None:
    """The price note's frame is Danish, its amount written 1.506,85 kr., its key a name."""
    note = (
        "shelter_days: unit price 1,506.85 DKK per unit (days), 2023 prices moved to 2024 by "
        "cpi_fm (x1.0210), confidence medium, preset price_medium; figures f1; source S"
    )
    da = translate_note(note, "da")
    assert da.startswith("Døgn på herberg eller forsorgshjem (SEL § 110): enhedspris 1.506,85 kr.")
    assert "2023-priser fremskrevet til 2024 med cpi_fm (x1,0210)" in da
    assert "sikkerhed middel" in da and "source" not in da
    assert translate_note(note, "en") == note


@pytest.mark.slow
def test_danish_report_in_chromium_has_no_english_consequence_name(housing_first, tmp_path):
    """Headless Chromium renders the Danish report; its text (the DOM after rendering) holds
    every consequence of the case by its Danish label, no English label of the knowledge base,
    and Danish number formats (1.234.567 kr., 14,0 %)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed here")
    path = write_report(None, tmp_path, lang="da", data=housing_first)
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    text = _text(dom)
    assert "Gevinst pr. konsekvens" in text  # the page was rendered
    english = [label for label in _english_only_labels() if label in text]
    assert english == []
    kb = load_knowledge()
    for key in housing_first.det.consequence.values:
        assert kb.consequences[str(key)].label_da in text
    assert "Hjemløse med komplekse støttebehov" in text  # the target group, by its Danish label
    assert re.search(r"\d{1,3}(\.\d{3})+ kr\.", text) and re.search(r"\d,\d %", text)
    assert not re.search(r"\d,\d{3}\.\d", text)  # no English thousands-and-decimal number
    # The English report of the same data names them in English.
    en = _text(render_report(housing_first, "en"))
    assert kb.consequences["shelter_days"].label_en in en


def test_console_summary_and_tables_in_danish() -> None:
    """`print_summary` and `print_deterministic` in Danish: Danish words, consequence labels,
    decimal commas and thousands points, the region "ikke berørt"."""
    case = example_path("housing_first")
    console = Console(record=True, width=200)
    print_summary(summarize(run(case, draws=400, seed=1)), console, lang="da")
    print_deterministic(deterministic(case), console, lang="da")
    out = console.export_text()
    assert "Nutidsværdi af nettoresultatet" in out and "Ikke berørt" in out and "region" in out
    assert re.search(r"\d,\d %", out) and re.search(r"\d\.\d{3}", out)
    assert "Døgn på herberg eller forsorgshjem (SEL § 110)" in out
    assert [label for label in _english_only_labels() if label in out] == []
    assert "never" not in out and "Not affected" not in out
    with pytest.raises(Exception, match="--lang"):
        print_summary(summarize(run(case, draws=100, seed=1)), console, lang="de")


def test_danish_plots_use_danish_consequence_names() -> None:
    """The waterfall's tick labels in Danish are the knowledge base's Danish labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from som_mc.present.plots import consequence_waterfall

    det = deterministic(example_path("housing_first"))
    fig, ax = plt.subplots()
    try:
        consequence_waterfall(det, ax=ax, lang="da")
        ticks = " ".join(t.get_text().replace("\n", " ") for t in ax.get_xticklabels())
        ticks += " ".join(t.get_text().replace("\n", " ") for t in ax.get_yticklabels())
    finally:
        plt.close(fig)
    assert "Døgn på herberg" in ticks
    assert not any(label[:20] in ticks for label in _english_only_labels())


def test_every_text_of_the_report_and_the_workbook_help_is_in_both_languages() -> None:
    """The report's words and the Help sheet's have a Danish and an English text for every key
    (a text added in one language only would show a key or an English word in Danish), and
    the Danish ones are not the English copied where a Danish word exists (the tax rows)."""
    from som_mc.inputs.workbook.case_layout import CONSEQUENCE_COLUMNS
    from som_mc.present.report.texts import TEXTS
    from som_mc.present.workbook.help_sheet import allowed_text

    assert set(TEXTS["da"]) == set(TEXTS["en"])
    for key in ("gross_line", "tax_line", "tax_note", "cost_line"):
        assert TEXTS["da"][key] and TEXTS["da"][key] != TEXTS["en"][key], key
    tax = next(f for f in CONSEQUENCE_COLUMNS if f.name == "tax")
    assert allowed_text(tax, "da").startswith("en skattenøgle i vidensdatabasen")
    assert allowed_text(tax, "en") == tax.allowed
