"""Shared test set-up: a non-interactive matplotlib backend, figures closed after each test,
and paths to the real public data beside the project (used when present)."""

import os
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402
import pytest  # noqa: E402

matplotlib.use("Agg")

PROJECT = Path(__file__).resolve().parents[1]
REALDATA = Path(os.environ.get("CXKIT_REALDATA") or PROJECT.parent / "shared" / "realdata")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def realdata():
    """Folder of the real public survey data (skips the test when it is not beside the repo)."""
    if not REALDATA.exists():
        pytest.skip(f"real data folder {REALDATA} is not present")
    return REALDATA


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The full demo report, built once per test session: (out folder, ReportResult)."""
    from cxkit.report import run_report

    out = tmp_path_factory.mktemp("reports")
    result = run_report("demo", "latest", out, progress="quiet")
    return out, result
