"""Headers and titles of the results workbook, in English and Danish."""

from __future__ import annotations

from som_mc.conventions import TOTAL
from som_mc.errors import InputError
from som_mc.present.locale import LANGUAGES

__all__ = ["SENSITIVITY_SHEETS", "Labels", "labels"]

# Each entry: English, Danish.
_TEXT: dict[str, tuple[str, str]] = {
    # sheets
    "sheet_som": ("SØM table", "SØM-tabel"),
    "sheet_summary": ("Summary", "Opsummering"),
    "sheet_draws": ("Draws", "Træk"),
    "sheet_about": ("About", "Om"),
    # SØM table
    "som_title": ("SØM table", "SØM-tabel"),
    "som_note": (
        "{currency}, fixed {price_year} prices, undiscounted; every input at its central value "
        "(its mean)",
        "{currency}, faste {price_year}-priser, ikke tilbagediskonteret; hvert input i sin "
        "centrale værdi (middelværdien)",
    ),
    "item": ("", ""),
    "actor": ("actor", "aktør"),
    "year": ("year {year}", "år {year}"),
    "total": ("total", "i alt"),
    "successes": ("successful citizens", "borgere med succes"),
    "gain": ("gain", "gevinst"),
    "cost": ("cost", "omkostning"),
    "net": ("net result", "nettoresultat"),
    "cumulative": ("cumulative net result", "akkumuleret nettoresultat"),
    "present_value": ("present value", "nutidsværdi"),
    "break_even_year": ("break-even year", "break-even-år"),
    "never": (
        "empty break-even year: not within the horizon",
        "tomt break-even-år: ikke inden for tidshorisonten",
    ),
    "by_consequence": ("Gain by consequence", "Gevinst fordelt på konsekvens"),
    "before_tax": ("{name}: before tax", "{name}: før skat"),
    "income_tax": ("{name}: income tax", "{name}: indkomstskat"),
    "consequence": ("consequence", "konsekvens"),
    "area": ("area", "område"),
    "illustrative": (
        "Uses illustrative values (no public source): {items}",
        "Bruger illustrative værdier (ingen offentlig kilde): {items}",
    ),
    # summary
    "summary_title": ("Summary", "Opsummering"),
    "summary_note": (
        "Present values in {currency}, {price_year} prices, discount rate {discount_rate}; "
        "{draws} draws; {interval} interval",
        "Nutidsværdier i {currency}, {price_year}-priser, diskonteringsrente {discount_rate}; "
        "{draws} træk; {interval}-interval",
    ),
    "pv_mean": ("mean present value", "middel-nutidsværdi"),
    "pv_mean_mcse": ("its Monte Carlo s.e.", "dens Monte Carlo-s.e."),
    "pv_lower": ("lower ({q})", "nedre ({q})"),
    "pv_upper": ("upper ({q})", "øvre ({q})"),
    "p_positive": ("P(present value > 0)", "P(nutidsværdi > 0)"),
    "p_positive_mcse": ("its s.e.", "dens s.e."),
    "break_even_median": ("break-even year, median", "break-even-år, median"),
    "p_never_break_even": ("P(never breaks even)", "P(aldrig break-even)"),
    "median_note": (
        "empty median: more than half of the draws never break even within the horizon",
        "tom median: over halvdelen af trækkene når ikke break-even inden for tidshorisonten",
    ),
    # draws
    "draws_all": ("All {n} draws", "Alle {n} træk"),
    "draws_capped": (
        "The first {shown} of {n} draws (max_draws = {shown}); the netCDF result holds them all",
        "De første {shown} af {n} træk (max_draws = {shown}); netCDF-resultatet har dem alle",
    ),
    "draw": ("draw", "træk"),
    "pv_of": ("present value, {actor}", "nutidsværdi, {actor}"),
    # about
    "about_title": ("About these results", "Om resultaterne"),
    "attribute": ("attribute", "attribut"),
    "value": ("value", "værdi"),
    "results_attrs": ("Results", "Resultater"),
    # sensitivity
    "input": ("input", "input"),
    "input_b": ("second input", "andet input"),
    "output": ("output", "resultat"),
    "lower": ("lower", "nedre"),
    "upper": ("upper", "øvre"),
    "at_quantile": ("at the {q} quantile", "ved {q}-fraktilen"),
    "S1": ("S1, first-order index", "S1, førsteordensindeks"),
    "ST": ("ST, total index", "ST, totalindeks"),
    "S1_ci": ("S1", "S1"),
    "ST_ci": ("ST", "ST"),
    "S2": ("S2, second-order index", "S2, andenordensindeks"),
    "S1_by_year": ("S1 of the year's net", "S1 af årets netto"),
    "ST_by_year": ("ST of the year's net", "ST af årets netto"),
    "base": ("present value, every input at its mean", "nutidsværdi, alle input i middelværdien"),
    "swing": ("swing", "udsving"),
    "input_low": ("input at the low quantile", "input ved den lave fraktil"),
    "input_high": ("input at the high quantile", "input ved den høje fraktil"),
    "switching_value": ("switching value", "skifteværdi"),
    "base_value": ("value in the case (mean)", "værdi i casen (middelværdi)"),
    "search_low": ("searched from", "søgt fra"),
    "search_high": ("searched to", "søgt til"),
    "evpi": ("EVPI", "EVPI"),
    "evppi": ("EVPPI", "EVPPI"),
    "mu_star": ("mu*, mean |elementary effect|", "mu*, middel |elementareffekt|"),
    "mu": ("mu, mean elementary effect", "mu, middel elementareffekt"),
    "sigma": ("sigma of the elementary effects", "sigma af elementareffekterne"),
    "mu_star_conf": ("mu*, 95 % half-width", "mu*, 95 %-halvbredde"),
}

#: Sheet names of the sensitivity analyses under the keys the CLI uses, English and Danish.
SENSITIVITY_SHEETS: dict[str, tuple[str, str]] = {
    "sobol": ("Sobol", "Sobol"),
    "tornado": ("Tornado", "Tornado"),
    "switching": ("Switching values", "Skifteværdier"),
    "voi": ("Value of information", "Informationsværdi"),
    "morris": ("Morris", "Morris"),
}


class Labels:
    """Look up a header or title in one language; unknown keys come back as themselves."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._index = LANGUAGES.index(lang)

    def __call__(self, key: str, **values: object) -> str:
        text = _TEXT[key][self._index] if key in _TEXT else key
        return text.format(**values) if values else text

    def actor(self, name: str) -> str:
        """An actor's name; ``total`` is translated, the actors are Danish words already."""
        return self("total") if name == TOTAL else name

    def sheet(self, key: str) -> str:
        """The sheet name of a sensitivity analysis (or of ``key`` itself, made valid)."""
        if key in SENSITIVITY_SHEETS:
            return SENSITIVITY_SHEETS[key][self._index]
        cleaned = "".join(" " if c in "[]:*?/\\" else c for c in key).strip() or "Sensitivity"
        return cleaned[:31]  # Excel's limit on a sheet name


def labels(lang: str) -> Labels:
    """The labels of ``lang`` (``"en"`` or ``"da"``).

    Raises
    ------
    InputError
        For another language.
    """
    if lang not in LANGUAGES:
        raise InputError("lang", f"'{lang}' is not a language; allowed: {', '.join(LANGUAGES)}")
    return Labels(lang)
