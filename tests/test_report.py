"""The HTML report: sections, languages, escaping, and a real browser rendering it."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from som_mc import example_path
from som_mc.present.report import compute_report_data, render_report, write_report

SECTIONS = ("inputs", "deterministic", "probabilistic", "sensitivity", "voi", "methods",
            "provenance")  # fmt: skip


@pytest.fixture(scope="module")
def data():
    """The CTI example's report data, small."""
    return compute_report_data(example_path("cti"), draws=2000, seed=1, sobol_n=256)


class _Page(HTMLParser):
    """Ids, resource URLs and table cells of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name == "id":
                self.ids.add(value)
            if name in ("src", "href") and value:
                self.urls.append(value)
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_every_section_and_figure_is_there(data) -> None:
    """The report has every section, its plots embedded as data URIs, and no external URL."""
    page = _parse(render_report(data, "en"))
    assert set(SECTIONS) <= page.ids
    images = [u for u in page.urls if u.startswith("data:image/png;base64,")]
    assert len(images) >= 9
    external = [u for u in page.urls if not u.startswith(("data:", "#"))]
    assert external == []
    text = " ".join(page.text)
    assert "illustrative" in text and "8,393,750" in text  # the CTI cost, in SØM's table


def _number(cell: str, lang: str) -> float | None:
    s = cell.replace("−", "-").replace("kr.", "").replace("DKK", "").replace("%", "").strip()
    s = s.replace("\u00a0", "").replace(" ", "")
    if lang == "da":
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def test_danish_and_english_differ_only_in_language_and_number_format(data) -> None:
    """Both reports have the same tables cell for cell; every number in one is the same number
    in the other, written the Danish way (1.234.567 kr., 14,0 %) or the English way; the words
    differ."""
    en, da = _parse(render_report(data, "en")), _parse(render_report(data, "da"))
    assert len(en.cells) == len(da.cells) and en.ids == da.ids
    numbers = words = 0
    for a, b in zip(en.cells, da.cells, strict=True):
        x, y = _number(a, "en"), _number(b, "da")
        if x is not None or y is not None:
            assert x == pytest.approx(y, rel=1e-12, abs=1e-12), (a, b)
            numbers += 1
        elif a != b:
            words += 1
    assert numbers > 50 and words > 10
    danish = " ".join(da.text)
    assert "kr." in danish and re.search(r"\d,\d %", danish) and re.search(r"\d\.\d{3}", danish)


def test_text_from_the_case_is_escaped(tmp_path: Path) -> None:
    """A case name with HTML in it is shown as text, not run."""
    case = tomllib.loads(example_path("cti").read_text(encoding="utf-8"))
    case = copy.deepcopy(case)
    case["name"] = "<script>alert('x')</script> & co"
    html = render_report(compute_report_data(case, draws=500, seed=1, sobol_n=64), "en")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; co" in html


def test_report_is_written_atomically_and_not_over_an_existing_one(data, tmp_path: Path) -> None:
    """write_report writes report_LANG.html and refuses to replace it without overwrite."""
    from som_mc.io import ResultExistsError

    path = write_report(None, tmp_path, lang="da", data=data)
    assert path.name == "report_da.html" and path.stat().st_size > 10_000
    with pytest.raises(ResultExistsError):
        write_report(None, tmp_path, lang="da", data=data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report_da.html"]


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and not os.environ.get("CI"):
        pytest.skip("chromium is not installed here (CI installs it: .ci/run)")
    assert found is not None, "CI must install chromium (.ci/run)"
    return found


def test_renders_in_headless_chromium_without_errors_or_requests(data, tmp_path: Path) -> None:
    """Headless Chromium loads the report, takes a screenshot, logs no console error, and the
    network log shows no request to any host (everything is embedded)."""
    browser = _chromium()
    path = write_report(None, tmp_path, lang="en", data=data)
    shot, netlog = tmp_path / "report.png", tmp_path / "net.json"
    run = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr",
         "--host-resolver-rules=MAP * ~NOTFOUND",
         "--v=0", f"--log-net-log={netlog}", "--window-size=1280,4000",
         f"--screenshot={shot}", path.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shot.is_file() and shot.stat().st_size > 50_000, run.stderr[-2000:]
    console = [ln for ln in run.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    assert console == []
    # The net log is JSON, possibly unterminated if the browser exits fast: read it as text.
    urls = set(re.findall(r'"url":\s*"([^"]+)"', netlog.read_text(encoding="utf-8")))
    # The browser itself calls its update, time and account services whatever the flags (seen:
    # update.googleapis.com, clients2.google.com, accounts.google.com); those are not the page's.
    own = re.compile(r"^https?://([a-z0-9-]+\.)*(googleapis|google|gvt1|gstatic)\.com/")
    remote = [u for u in urls if u.startswith(("http:", "https:", "ws:", "wss:"))]
    remote = [u for u in remote if not own.match(u)]
    assert remote == []
    if os.environ.get("SOM_MC_SCREENSHOT_DIR"):  # to look at it
        shutil.copy(shot, Path(os.environ["SOM_MC_SCREENSHOT_DIR"]) / "report.png")


def test_cli_report_and_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`som-mc report` writes the HTML report and the Excel workbook; `som-mc template` writes a
    fill-in workbook that `som-mc run` reads back."""
    from som_mc.cli import main

    out = tmp_path / "rep"
    code = main(["report", "--example", "cti", "--out", str(out), "--lang", "da", "--draws",
                 "500", "--n", "64", "--quiet"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert {p.name for p in out.iterdir()} == {"report_da.html", "results_da.xlsx"}
    book = tmp_path / "case.xlsx"
    assert main(["template", str(book), "--example", "cti"]) == 0
    assert main(["run", str(book), "--draws", "200", "--no-save", "--quiet"]) == 0
    assert main(["template", str(book)]) == 2  # exists: not replaced without --force


def test_a_case_with_subgroups_shows_them_and_says_what_is_illustrative() -> None:
    """Subgroups get their figure; an illustrative subgroup is named in the report's note."""
    case = tomllib.loads(example_path("cti").read_text(encoding="utf-8"))
    case["subgroup"] = [
        {"name": "young", "label": "18-29", "share": 0.4, "illustrative": True,
         "success": {"rate": {"dist": "beta", "mean": 0.10, "sd": 0.03}}},
        {"name": "older", "share": 0.6},
    ]  # fmt: skip
    html = render_report(compute_report_data(case, draws=500, seed=1, sobol_n=64), "en")
    assert 'id="figure-subgroups"' in html
    assert "subgroup: young" in html
