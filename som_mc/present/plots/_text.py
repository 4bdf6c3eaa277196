"""The words on the plots, in English and Danish, defined once.

Axis labels name their unit; money labels carry the price year of the Dataset
(``"Present value, million DKK (2024 prices)"``, ``"Nutidsværdi, mio. kr. (2024-priser)"``).
"""

from __future__ import annotations

from som_mc.errors import InputError
from som_mc.present.locale import LANGUAGES

__all__ = ["actor_name", "check_lang", "money_label", "ordinal_percentile", "word"]

# (English, Danish). Danish follows SØM's own words where it has them (nutidsværdi, aktør,
# kommune, region, stat, succesrate, enhedspris, omkostninger).
_WORDS: dict[str, tuple[str, str]] = {
    "total": ("total", "i alt"),
    "kommune": ("kommune", "kommune"),
    "region": ("region", "region"),
    "stat": ("state", "stat"),
    "year": ("Year", "År"),
    "actor": ("Actor", "Aktør"),
    "present_value": ("Present value", "Nutidsværdi"),
    "mean_present_value": ("Mean present value", "Gennemsnitlig nutidsværdi"),
    "cumulative": ("Cumulative net result", "Kumuleret nettoresultat"),
    "share_of_draws": ("Share of draws, %", "Andel af trækninger, %"),
    "median": ("Median", "Median"),
    "band50": ("50 % interval", "50 %-interval"),
    "band90": ("90 % interval", "90 %-interval"),
    "mean": ("Mean", "Gennemsnit"),
    "p_positive": ("Probability of a positive result", "Sandsynlighed for et positivt resultat"),
    "pv_distribution": ("Distribution of the present value", "Fordeling af nutidsværdien"),
    "who_pays": ("Who pays and who gains", "Hvem betaler, og hvem vinder"),
    "gains": ("Gains (mean)", "Gevinster (gennemsnit)"),
    "costs_neg": ("Costs (mean, drawn below zero)", "Omkostninger (gennemsnit, under nul)"),
    "net_interval": (
        "Net present value (mean and 90 % interval)",
        "Nettonutidsværdi (gennemsnit og 90 %-interval)",
    ),
    "waterfall": ("From costs to net result", "Fra omkostninger til nettoresultat"),
    "costs": ("Costs", "Omkostninger"),
    "net_result": ("Net result", "Nettoresultat"),
    "other_consequences": ("Other consequences", "Øvrige konsekvenser"),
    "consequence": ("Cost or consequence", "Omkostning eller konsekvens"),
    "sum_over_years": ("Sum over years 1–{T}", "Sum over år 1–{T}"),
    "mean_over_draws": ("Mean present value", "Gennemsnitlig nutidsværdi"),
    "break_even": ("When does it break even?", "Hvornår er investeringen tjent hjem?"),
    "break_even_year": (
        "Break-even year (first year the cumulative net result is ≥ 0)",
        "Break-even-år (første år med kumuleret nettoresultat ≥ 0)",
    ),
    "never": ("Never", "Aldrig"),
    "within": ("Breaks even within {T} years: {p}", "Tjent hjem inden for {T} år: {p}"),
    "tornado": ("One-way sensitivity", "Envejsfølsomhed"),
    "uncertain_input": ("Uncertain input", "Usikkert input"),
    "input_or_group": ("Uncertain input or group", "Usikkert input eller gruppe"),
    "at_quantile": ("Input at {q}", "Input ved {q}"),
    "base": ("Base, all inputs at mean: {v}", "Basis, alle input i middelværdi: {v}"),
    "sobol": ("Sobol' indices", "Sobol'-indeks"),
    "sobol_axis": (
        "Sobol' index (share of the variance of the present value)",
        "Sobol'-indeks (andel af nutidsværdiens varians)",
    ),
    "first_order": ("First order, S1 (95 % interval)", "Første orden, S1 (95 %-interval)"),
    "total_order": ("Total, ST (95 % interval)", "Samlet, ST (95 %-interval)"),
    "no_variation": (
        "No variation: the case does not change the present value for {who}",
        "Ingen variation: sagen ændrer ikke nutidsværdien for {who}",
    ),
    "evppi": ("Value of information", "Værdi af information"),
    "evppi_axis": (
        "Expected value of perfect information",
        "Forventet værdi af perfekt information",
    ),
    "evpi_line": ("EVPI, all inputs: {v}", "EVPI, alle input: {v}"),
    "evppi_bars": ("EVPPI, this input or group alone", "EVPPI, dette input eller gruppe alene"),
    "no_voi": (
        "EVPI = 0: no uncertainty here can change the decision for {who}",
        "EVPI = 0: ingen usikkerhed her kan ændre beslutningen for {who}",
    ),
    "pv_vs_input": ("Present value against {x}", "Nutidsværdi mod {x}"),
    "binned_mean": ("Mean in {k} bins of equal count", "Gennemsnit i {k} lige store grupper"),
    "draws_shown": ("Draws ({k} of {n} shown)", "Trækninger ({k} af {n} vist)"),
    "convergence": ("Convergence of the mean", "Konvergens af gennemsnittet"),
    "running_mean": ("Running mean of the present value", "Løbende gennemsnit af nutidsværdien"),
    "number_of_draws": ("Number of draws", "Antal trækninger"),
    "band_2se": ("± 2 standard errors", "± 2 standardfejl"),
    "final_mean": ("Mean of all {n} draws", "Gennemsnit af alle {n} trækninger"),
    "and_more": ("{k} more not shown", "{k} flere ikke vist"),
}

# Money units by scale: (English, Danish), the currency put in with str.format.
_SCALES: dict[float, tuple[str, str]] = {
    1.0: ("{c}", "kr."),
    1e3: ("thousand {c}", "1.000 kr."),
    1e6: ("million {c}", "mio. kr."),
    1e9: ("billion {c}", "mia. kr."),
}


def check_lang(lang: str) -> int:
    """The column of ``lang`` in the word tables (0 English, 1 Danish), or an InputError."""
    if lang not in LANGUAGES:
        raise InputError("lang", f"{lang!r} is not allowed; allowed: {', '.join(LANGUAGES)}")
    return LANGUAGES.index(lang)


def word(key: str, lang: str, **fill: object) -> str:
    """The phrase ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    text = _WORDS[key][check_lang(lang)]
    return text.format(**fill) if fill else text


def actor_name(actor: str, lang: str, capital: bool = False) -> str:
    """``"kommune"``, ``"region"``, ``"stat"``/``"state"`` or ``"i alt"``/``"total"``."""
    name = word(actor, lang)
    return name[:1].upper() + name[1:] if capital else name


def money_label(
    quantity: str,
    lang: str,
    *,
    scale: float = 1.0,
    currency: str = "DKK",
    price_year: object = None,
    undiscounted: bool = False,
) -> str:
    """An axis label for an amount: ``"<quantity>, million DKK (2024 prices)"``.

    Parameters
    ----------
    quantity : str
        What the amount is, already in ``lang``.
    lang : {"en", "da"}
    scale : float
        1, 1e3, 1e6 or 1e9: the amount is shown in this many DKK.
    currency : str
        The Dataset's currency; Danish labels say ``kr.`` for DKK.
    price_year : int or str, optional
        The price year; left out of the label when unknown.
    undiscounted : bool
        Say that the amounts are not discounted.
    """
    column = check_lang(lang)
    unit = _SCALES[scale][column]
    if column == 1 and currency != "DKK":
        unit = unit.replace("kr.", currency)
    unit = unit.format(c=currency)
    notes = []
    if price_year not in (None, "", "None"):
        notes.append(f"{price_year} prices" if column == 0 else f"{price_year}-priser")
    if undiscounted:
        notes.append("undiscounted" if column == 0 else "ikke tilbagediskonteret")
    suffix = f" ({', '.join(notes)})" if notes else ""
    return f"{quantity}, {unit}{suffix}"


def ordinal_percentile(q: float, lang: str) -> str:
    """``"5th percentile"`` / ``"5 %-fraktil"`` for ``q = 0.05``."""
    pct = round(100 * q, 6)
    text = f"{pct:g}"
    if check_lang(lang) == 1:
        return f"{text.replace('.', ',')} %-fraktil"
    last = int(pct) % 100 if pct == int(pct) else -1
    suffix = (
        "th" if 11 <= last <= 13 or last < 0 else {1: "st", 2: "nd", 3: "rd"}.get(last % 10, "th")
    )
    return f"{text}{suffix} percentile"
