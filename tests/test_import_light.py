"""`import cxkit`, `cxkit --help` and the loader stay free of the heavy libraries (issue 11.4).

A structural check, not a timing: each command runs in a fresh interpreter and reports which of
scipy, statsmodels and matplotlib it left in ``sys.modules``.  The times themselves are measured
by ``benchmarks/import_time.py`` (recorded in benchmarks/README.md).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "statsmodels", "matplotlib")


def _heavy_after(code):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    report = f"import sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code + "\n" + report], check=True, env=env,
                         capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("code", [
    "import cxkit",
    "import cxkit; cxkit.load_survey; cxkit.read_config; cxkit.SurveyDataError",
    "import cxkit.io.loader",
    "import sys; sys.argv = ['cxkit', '--help']\nfrom cxkit.cli import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass",
])
def test_light_entry_points_load_no_heavy_library(code):
    assert _heavy_after(code) == "[]"


def test_heavy_libraries_load_when_a_function_needs_them():
    # the lazy API really does import on use (so the check above is not vacuous)
    assert "scipy" in _heavy_after("import cxkit; cxkit.nps")


def test_an_nps_estimate_loads_scipy_but_not_statsmodels_or_matplotlib():
    loaded = _heavy_after("import cxkit; cxkit.nps([10, 9, 3, 8, 0])")
    assert loaded == "['scipy']"
