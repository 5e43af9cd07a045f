"""The installed package writes reports (issue 12.1): build the wheel, install it into a fresh
virtual environment outside the checkout, and run ``cxkit`` from there.

How the environment is made (honest and fast): ``python -m venv`` **without** system site
packages; the wheel is installed with ``pip install --no-deps --no-index`` (so the venv's
site-packages holds cxkit only from the wheel); the *dependencies* (pandas, papermill, …) come
from the shared environment's site-packages, added by one ``.pth`` line.  A path added by a
``.pth`` line is not itself a site directory, so the editable-install hook of the checkout that
lives there (``_editable_impl_cxkit.pth``) is not processed, and the test checks that ``cxkit``
imports from the new venv.  Likewise nbconvert's templates, data files of that dependency, are
found through ``JUPYTER_PATH`` in the shared environment.  ``PYTHONPATH`` is removed and every command runs in a folder
outside the checkout, so nothing from the checkout can be found: the notebooks, the templates
and the demo data must come from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from cxkit.core.paths import PROJECT_DIR

MONTH = "2026-10"


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    pytest.importorskip("hatchling", reason="hatchling (pinned in the test extra) builds the wheel")
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist), str(PROJECT_DIR)], check=True, capture_output=True, cwd=root)
    wheel = next(dist.glob("cxkit-*.whl"))
    env_dir = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "shared-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index",
                    "-q", str(wheel)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CXKIT_FAULT", "VIRTUAL_ENV")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # nbconvert's HTML templates are data files of the nbconvert *dependency* (installed under
    # <prefix>/share/jupyter by pip); point Jupyter at the shared environment's copy
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    work = root / "elsewhere"
    work.mkdir()
    where = subprocess.run([str(py), "-c", "import cxkit, cxkit.core.paths as p; print(cxkit.__file__); "
                                           "print(p.DATA_DIR); print(p.SHIPPED_NOTEBOOKS_DIR)"],
                           capture_output=True, text=True, check=True, env=env, cwd=work).stdout.split()
    assert all(Path(w).is_relative_to(site) for w in where), where  # cxkit comes from the wheel

    def run(*args, check=True):
        proc = subprocess.run([str(env_dir / "bin" / "cxkit"), *args], capture_output=True, text=True,
                              env=env, cwd=work, timeout=900)
        if check:
            assert proc.returncode == 0, proc.stderr
        return proc

    return run, work, site


def test_demo_report_from_the_installed_wheel(venv):
    run, work, _ = venv
    run("report", "--config", "demo", "--out", "reports", "--quiet")
    target = work / "reports" / MONTH
    summary = json.loads((target / "summary.json").read_text())
    assert summary["notebooks"] == ["overview", "score_change", "sample_size", "competitor_nps",
                                   "drivers"]
    assert all(summary["sections"][n] for n in summary["notebooks"])
    for name in summary["notebooks"]:
        assert (target / f"{name}.html").stat().st_size > 10_000


def test_config_in_another_folder_and_working_copies_do_not_change_the_report(venv, tmp_path):
    run, work, site = venv
    other = tmp_path / "survey"
    shutil.copytree(site / "cxkit" / "data" / "demo", other)
    run("report", "--config", str(other / "transactional.yaml"), "--out", "r1", "--notebooks", "overview",
        "--quiet")
    before = (work / "r1" / MONTH / "summary.json").read_bytes()
    assert json.loads(before)["notebooks_dir"] is None

    # the user copies the notebooks out, edits the parameters and saves (as JupyterLab would)
    run("notebooks", "mine")
    nb_path = work / "mine" / "overview.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("months_shown: int = 24", "months_shown: int = 3")
    cell.source = cell.source.replace('metrics: str = ""', 'metrics: str = "nps"')
    nbformat.write(nb, nb_path)
    assert run("notebooks", "mine", check=False).returncode == 1  # never overwrites silently

    run("report", "--config", str(other / "transactional.yaml"), "--out", "r2", "--notebooks", "overview",
        "--quiet")
    assert (work / "r2" / MONTH / "summary.json").read_bytes() == before  # the edit changed nothing

    # ... and only --notebooks-dir runs the user's copies, named in summary.json and on the index
    run("report", "--config", str(other / "transactional.yaml"), "--out", "r3", "--notebooks", "overview",
        "--notebooks-dir", "mine", "--quiet")
    mine = json.loads((work / "r3" / MONTH / "summary.json").read_text())
    assert mine["notebooks_dir"] == str(work / "mine")
    assert [k["metric"] for k in mine["sections"]["overview"]["kpis"]] == ["nps"]
    assert str(work / "mine") in (work / "r3" / MONTH / "index.html").read_text()
