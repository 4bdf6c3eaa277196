"""A quantity written in one spreadsheet cell: a number, or a distribution as short text.

A case file writes a distribution as a TOML inline table; a cell holds it as a call::

    0.14                                   a plain number (a number cell)
    pert(min=0.05, mode=0.14, max=0.3)     { dist = "pert", min = 0.05, mode = 0.14, max = 0.3 }
    beta(k=14, n=100, prior=jeffreys)      { dist = "beta", k = 14, n = 100, prior = "jeffreys" }
    normal(ci95=[400, 600])                { dist = "normal", ci95 = [400, 600] }
    lognormal(mean=750, sd=100, source="tariff")   ... with the table's source
    preset(price_medium, 750)              { preset = "price_medium", value = 750 }
    preset(name=price_medium, value=750)   the same, with keywords

The name before the brackets is a family of :data:`som_mc.inputs.distributions.FAMILIES` (any case:
``PERT(...)`` as ``som-mc inputs`` prints it works too) or ``preset``. Inside, parameters are
``key=value`` separated by commas; a value is a number (with a decimal point, never a comma),
``[lo, hi]``, ``true``/``false``, a bare word (``jeffreys``) or text in double quotes (``\\"`` and
``\\\\`` inside it). The text is parsed by a small recursive-descent parser, never evaluated.

:func:`format_quantity` and :func:`parse_quantity` are inverses on every form a case file can
hold: numbers keep their type (``14`` stays an int, ``0.3`` a float, written with ``repr``).

A reimbursement split is written the same way without the call: a rule's name
(``refusion_110_within_cap``) or shares (``kommune=0.5, stat=0.5``).
"""

from __future__ import annotations

import difflib
import json
import math
import re
from typing import Any

from som_mc.checks import is_number
from som_mc.inputs.distributions import FAMILIES, META_KEYS, Distribution

__all__ = [
    "TextError",
    "family_keys",
    "format_quantity",
    "format_split",
    "format_value",
    "parse_quantity",
    "parse_split",
]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_WORDS = {"true": True, "false": False}
#: Keys a preset call takes besides its name and value (those of a preset table in TOML).
_PRESET_META = ("source", "note", "illustrative")
_EXAMPLE = "pert(min=1, mode=2, max=4)"


class TextError(ValueError):
    """The text of a cell is not a number or distribution; the reader adds sheet and cell."""


def family_keys(family: str) -> list[str]:
    """Parameter keys of a distribution family, in the order of its forms (then meta keys)."""
    keys: list[str] = []
    for form in FAMILIES[family].forms:
        keys += [k for k in form.required + form.optional if k not in keys]
    return keys


# ------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------


def format_value(value: Any) -> str:
    """One parameter value as text: ``true``, ``14``, ``0.3``, ``[1, 2]``, ``word``, ``"text"``.

    Raises
    ------
    TypeError
        For a value a case file cannot hold here (a table, a non-finite number).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"{value!r} is not a finite number")
        return repr(value)  # the shortest text that reads back as the same float
    if isinstance(value, str):
        bare = _NAME.fullmatch(value) and value.lower() not in _WORDS
        return value if bare else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    raise TypeError(f"{value!r} cannot be written in a cell")


def format_quantity(value: Any) -> int | float | str:
    """A case's quantity as a cell value: numbers as they are, a table as call text.

    Parameters
    ----------
    value : int, float or dict
        A plain number, a distribution table (``{"dist": "pert", ...}``) or a preset table
        (``{"preset": "price_low", "value": 370.15}``).

    Returns
    -------
    int, float or str

    Raises
    ------
    TypeError
        For anything else (the writer turns it into an :class:`~som_mc.errors.InputError`).

    Examples
    --------
    >>> format_quantity({"dist": "pert", "min": 0.05, "mode": 0.14, "max": 0.3})
    'pert(min=0.05, mode=0.14, max=0.3)'
    >>> format_quantity({"preset": "price_low", "value": 370.15})
    'preset(price_low, 370.15)'
    """
    if isinstance(value, bool):
        raise TypeError(f"{format_value(value)} is not a number or a distribution")
    if isinstance(value, int | float):
        format_value(value)  # rejects inf and nan
        return value
    if not isinstance(value, dict):
        raise TypeError(f"{value!r} is not a number or a distribution table")
    if "dist" in value and isinstance(value["dist"], str):
        args = [f"{k}={format_value(v)}" for k, v in value.items() if k != "dist"]
        return f"{value['dist']}({', '.join(args)})"
    if "preset" in value and "dist" not in value:
        head = [format_value(value["preset"])]
        if "value" in value:
            head.append(format_value(value["value"]))
        rest = [f"{k}={format_value(v)}" for k, v in value.items() if k not in ("preset", "value")]
        return f"preset({', '.join(head + rest)})"
    raise TypeError("a table that is neither a distribution (dist = ...) nor a preset")


def format_split(value: Any) -> str:
    """A split as text: a rule's name, or ``kommune=0.5, stat=0.5``.

    Examples
    --------
    >>> format_split({"kommune": 0.5, "stat": 0.5}), format_split("stat_only")
    ('kommune=0.5, stat=0.5', 'stat_only')
    """
    if isinstance(value, str):
        return format_value(value)
    if isinstance(value, dict) and value:
        return ", ".join(f"{format_value(k)}={format_value(v)}" for k, v in value.items())
    raise TypeError(f"{value!r} is not a rule name or a table of shares")


# ------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------


def parse_quantity(text: str) -> int | float | dict[str, Any]:
    """A cell's text as a number, a distribution table or a preset table.

    The distribution's family and keys are checked here (so that the error can name the cell)
    and so are its parameter values, by building it with
    :func:`~som_mc.inputs.distributions.from_spec`. A preset's name is checked when the case is
    validated, against the knowledge base.

    Raises
    ------
    TextError
        With a message naming what is wrong, where in the text, and what is allowed.

    Examples
    --------
    >>> parse_quantity("beta(k=14, n=100)")
    {'dist': 'beta', 'k': 14, 'n': 100}
    >>> parse_quantity("preset(price_medium, 750)")
    {'preset': 'price_medium', 'value': 750}
    """
    text = text.strip()
    if _NUMBER.fullmatch(text):
        return _number(text)
    if "(" not in text:
        return _not_a_quantity(text)
    parser = _Parser(text)
    name, args, kwargs = parser.call()
    parser.end()
    if name.lower() == "preset":
        return _preset(text, args, kwargs)
    return _distribution(text, name, args, kwargs)


def parse_split(text: str) -> str | dict[str, int | float]:
    """A split cell: a rule's name, or shares ``kommune=0.5, stat=0.5`` (braces optional).

    Examples
    --------
    >>> parse_split("kommune=0.5, stat=0.5"), parse_split("stat_only")
    ({'kommune': 0.5, 'stat': 0.5}, 'stat_only')
    """
    text = text.strip()
    if _NAME.fullmatch(text):
        return text
    body = text[1:-1] if text.startswith("{") and text.endswith("}") else text
    parser = _Parser(body, "a split", "kommune=0.5, stat=0.5 or a rule's name")
    args, kwargs = parser.arguments(until="")
    if args or not kwargs:
        raise TextError(
            f"{text!r} is not a split; write a rule's name (e.g. stat_only) or shares, e.g. "
            "kommune=0.5, stat=0.5"
        )
    for key, value in kwargs.items():
        if not is_number(value):
            raise TextError(f"the share of {key} in {text!r} is not a number")
    return kwargs


def _number(text: str) -> int | float:
    # An integer literal stays an int (as TOML keeps it); anything with . or e is a float.
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)


def _not_a_quantity(text: str) -> Any:
    hint = ""
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        hint = " (write the decimal with a point, e.g. 0.14, or type it as a number)"
    elif text.endswith("%"):
        hint = " (write a share as 0.14, or type 14% so that the cell holds a number)"
    raise TextError(
        f"{text!r} is not a number or a distribution{hint}; write a number, or a distribution "
        f"such as {_EXAMPLE} (see the Help sheet)"
    )


def _distribution(text: str, name: str, args: list, kwargs: dict) -> dict[str, Any]:
    family = name.lower()
    if family not in FAMILIES:
        allowed = [*FAMILIES, "preset"]
        close = difflib.get_close_matches(family, allowed, n=2)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise TextError(f"unknown distribution '{name}'; {hint}allowed: {', '.join(allowed)}")
    if args:
        raise TextError(f"{text!r}: write each parameter of {family} as key=value, e.g. {_EXAMPLE}")
    keys = family_keys(family)
    for key in kwargs:
        if key not in keys and key not in META_KEYS:
            raise TextError(
                f"unknown key '{key}' for {family}; allowed: {', '.join(keys)} "
                f"(and {', '.join(META_KEYS)})"
            )
    spec = {"dist": family, **kwargs}
    _check(spec)
    return spec


def _check(spec: dict[str, Any]) -> Distribution:
    from som_mc.errors import InputError
    from som_mc.inputs.distributions import from_spec

    try:
        return from_spec(spec, field="")
    except InputError as err:
        raise TextError(err.message) from None


def _preset(text: str, args: list, kwargs: dict) -> dict[str, Any]:
    usage = "a preset takes a name and a value, e.g. preset(price_medium, 750)"
    named = dict(kwargs)
    if "name" in named and "preset" in named:
        raise TextError(f"{text!r}: the preset's name is given twice; {usage}")
    name = named.pop("name", named.pop("preset", None))
    value = named.pop("value", None)
    if len(args) > 2 or (args and name is not None) or (len(args) > 1 and value is not None):
        raise TextError(f"{text!r}: {usage}")
    name = args[0] if args else name
    value = args[1] if len(args) > 1 else value
    for key in named:
        if key not in _PRESET_META:
            raise TextError(
                f"unknown key '{key}' for a preset; allowed: name, value, {', '.join(_PRESET_META)}"
            )
    if not isinstance(name, str) or not is_number(value):
        raise TextError(f"{text!r}: {usage}")
    return {"preset": name, "value": value, **named}


class _Parser:
    """Recursive descent over ``name(arg, key=value, ...)``; values are literals only."""

    def __init__(self, text: str, what: str = "a distribution", example: str = _EXAMPLE) -> None:
        self.text = text
        self.pos = 0
        self.what = what
        self.example = example

    def fail(self, what: str) -> TextError:
        near = repr(self.text[self.pos : self.pos + 12]) if self.pos < len(self.text) else "the end"
        hint = ""
        if (
            re.match(r"\d", self.text[self.pos : self.pos + 1])
            and self.text[self.pos - 1 : self.pos] == ","
        ):
            hint = " (write decimals with a point: 0.05, not 0,05)"
        return TextError(
            f"{self.text!r} is not {self.what}: {what} at character {self.pos + 1} "
            f"(at {near}){hint}; write e.g. {self.example} (see the Help sheet)"
        )

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.skip()
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.fail(f"expected '{char}'")
        self.pos += 1

    def end(self) -> None:
        if self.peek():
            raise self.fail("unexpected text after the closing ')'")

    def name(self) -> str:
        self.skip()
        found = _NAME.match(self.text, self.pos)
        if not found:
            raise self.fail("expected a name")
        self.pos = found.end()
        return found.group()

    def call(self) -> tuple[str, list, dict]:
        name = self.name()
        self.expect("(")
        args, kwargs = self.arguments(until=")")
        self.expect(")")
        return name, args, kwargs

    def arguments(self, until: str) -> tuple[list, dict]:
        args: list = []
        kwargs: dict = {}
        while self.peek() != until:
            start = self.pos
            found = _NAME.match(self.text, self.pos)
            after = self.text[found.end() :].lstrip()[:1] if found else ""
            if found and after == "=":
                key = found.group()
                self.pos = found.end()
                self.expect("=")
                if key in kwargs:
                    self.pos = start
                    raise self.fail(f"'{key}' is given twice")
                kwargs[key] = self.value()
            elif kwargs:
                raise self.fail("expected key=value (a value without a key follows one with)")
            else:
                args.append(self.value())
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != until:
                raise self.fail(f"expected ',' or '{until}'" if until else "expected ','")
        return args, kwargs

    def value(self) -> Any:
        char = self.peek()
        if char == "[":
            self.pos += 1
            items = []
            while self.peek() != "]":
                items.append(self.value())
                if self.peek() == ",":
                    self.pos += 1
                elif self.peek() != "]":
                    raise self.fail("expected ',' or ']'")
            self.pos += 1
            return items
        if char == '"':
            found = _STRING.match(self.text, self.pos)
            if not found:
                raise self.fail("text in quotes is not closed")
            self.pos = found.end()
            try:
                return json.loads(found.group())
            except json.JSONDecodeError:
                raise self.fail("a bad \\ escape in quoted text") from None
        found = _NUMBER.match(self.text, self.pos)
        if found and not _NAME.match(self.text, found.end()):
            self.pos = found.end()
            return _number(found.group())
        found = _NAME.match(self.text, self.pos)
        if found:
            self.pos = found.end()
            word = found.group()
            return _WORDS.get(word.lower(), word)
        raise self.fail('expected a value (a number, [lo, hi], a word or "text")')
