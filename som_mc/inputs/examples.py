"""The example cases shipped with som-mc (``knowledge/cases/`` in the source tree)."""

from __future__ import annotations

from pathlib import Path

from som_mc.errors import InputError
from som_mc.inputs.knowledge.base import knowledge_dir

__all__ = ["course_names", "course_path", "example_names", "example_path"]


def _cases_dir() -> Path:
    return knowledge_dir() / "cases"


def example_names() -> list[str]:
    """Names of the shipped example cases."""
    return sorted(p.stem for p in _cases_dir().glob("*.toml"))


def example_path(name: str) -> Path:
    """Path of a shipped example case.

    Examples
    --------
    >>> example_path("cti").name
    'cti.toml'
    """
    path = _cases_dir() / f"{name}.toml"
    if not path.is_file():
        raise InputError(
            "--example", f"'{name}' is not an example; allowed: {', '.join(example_names())}"
        )
    return path


def course_names() -> list[str]:
    """Names of the shipped example courses (several interventions, see som_mc.pipeline.course)."""
    return sorted(p.stem for p in (knowledge_dir() / "courses").glob("*.toml"))


def course_path(name: str) -> Path:
    """Path of a shipped example course.

    Examples
    --------
    >>> course_path("cti_then_housing_first").name
    'cti_then_housing_first.toml'
    """
    path = knowledge_dir() / "courses" / f"{name}.toml"
    if not path.is_file():
        raise InputError(
            "--example", f"'{name}' is not an example course; allowed: {', '.join(course_names())}"
        )
    return path
