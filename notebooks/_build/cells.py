"""What both notebook builders share: markdown and code cells, and a notebook with fixed ids."""

from __future__ import annotations

from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def md(text: str):
    """A markdown cell from an indented triple-quoted string."""
    return new_markdown_cell(dedent(text).strip("\n"))


def code(text: str):
    """A code cell from an indented triple-quoted string."""
    return new_code_cell(dedent(text).strip("\n"))


def notebook(prefix: str, cells: list) -> nbformat.NotebookNode:
    """A notebook without outputs; fixed cell ids, so an unchanged rebuild changes nothing."""
    for i, cell in enumerate(cells):
        cell.id = f"{prefix}-{i:02d}"
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb
