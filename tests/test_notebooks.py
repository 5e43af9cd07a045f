"""Structure of the report notebooks: what papermill and the report runner rely on."""

import ast

import nbformat
import papermill as pm
import pytest

from cxkit.core.paths import NOTEBOOKS_DIR
from cxkit.report import REPORT_NOTEBOOKS

NAMES = [n for n, _ in REPORT_NOTEBOOKS]


@pytest.mark.parametrize("name", NAMES)
def test_one_parameters_cell_that_papermill_reads_completely(name):
    path = NOTEBOOKS_DIR / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assigned = [t.target.id for t in ast.parse(tagged[0].source).body if isinstance(t, ast.AnnAssign)]
    # papermill silently skips lines it cannot parse (e.g. '=' in a comment): it must see them all
    assert list(pm.inspect_notebook(str(path))) == assigned
    for needed in ("config", "month", "summary_path", "redact"):
        assert needed in assigned, f"{name} lacks the `{needed}` parameter the report runner injects"


@pytest.mark.parametrize("name", NAMES)
def test_stored_outputs_have_no_errors_and_use_the_cxkit_kernel(name):
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "cxkit"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert any(c.outputs for c in code), "no stored outputs for nbval to compare"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
