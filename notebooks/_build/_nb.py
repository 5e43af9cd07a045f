"""Shared helpers for the notebook generator scripts (nbformat), so notebooks diff cleanly."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parents[1]
#: The copies shipped with the package (inputs only): what ``cxkit report`` executes.
SHIPPED = NOTEBOOKS.parent / "cxkit" / "report" / "notebooks"


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str, *, tags=()):
    cell = new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def params(text: str):
    return code(text, tags=["parameters"])


def write(name: str, cells) -> Path:
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "cxkit", "display_name": "Python (cxkit)", "language": "python"},
        "language_info": {"name": "python"},
    })
    path = NOTEBOOKS / f"{name}.ipynb"
    nbformat.write(nb, path)
    # the pristine copy the report runs; same cells (and cell ids), never executed in place
    SHIPPED.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, SHIPPED / f"{name}.ipynb")
    return path
