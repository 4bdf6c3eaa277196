"""Check a knowledge base together with the example cases that use it."""

from __future__ import annotations

from pathlib import Path

from som_mc.errors import InputError
from som_mc.inputs.case.load import load_case
from som_mc.inputs.course_file import load_course
from som_mc.inputs.knowledge.base import check_knowledge

__all__ = ["validate_knowledge"]


def validate_knowledge(
    path: str | Path | None = None, presets: str | Path | None = None
) -> list[InputError]:
    """Every problem in a knowledge base, its presets, its example cases (``cases/``) and
    example courses (``courses/``).

    Parameters
    ----------
    path, presets : str or Path, optional
        The knowledge folder and the presets folder; the shipped ones by default.

    Returns
    -------
    list of InputError
        Empty when everything checks out; otherwise one per problem, naming file and entry.
    """
    kb, problems = check_knowledge(path, presets)
    for case_file in sorted((kb.path / "cases").glob("*.toml")):
        try:
            load_case(case_file, knowledge=kb)
        except InputError as err:
            problems.append(err)
    for course_file in sorted((kb.path / "courses").glob("*.toml")):
        try:
            load_course(course_file)
        except InputError as err:
            problems.append(err)
    return problems
