"""Project paths resolved from the package location, never from the working directory.

JupyterLab, papermill and nbval start kernels in different working directories, so every
path cxkit needs is derived from this file's location (or from a config file's location).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "PROJECT_DIR", "DATA_DIR", "NOTEBOOKS_DIR", "SHIPPED_NOTEBOOKS_DIR",
           "DEMO_CONFIG", "DEMO_RELATIONSHIP_CONFIG", "resolve_path"]

PACKAGE_DIR = Path(__file__).resolve().parent.parent   # cxkit/ (this file is cxkit/core/paths.py)
PROJECT_DIR = PACKAGE_DIR.parent
#: The demo data: ``data/`` of a source checkout, or ``cxkit/data/`` inside an installed wheel
#: (the wheel carries ``data/demo`` there; see ``[tool.hatch.build.targets.wheel.force-include]``).
DATA_DIR = (PACKAGE_DIR / "data") if (PACKAGE_DIR / "data" / "demo").is_dir() else PROJECT_DIR / "data"
#: The working copies a user opens in JupyterLab (``make lab``; a source checkout only).  The
#: report never executes these: it runs :data:`SHIPPED_NOTEBOOKS_DIR`.
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
#: The analysis notebooks as shipped with the package (inputs only, written by
#: ``notebooks/_build/*.py`` next to the working copies).  ``cxkit report`` executes these into
#: its build folder, so saving a working copy in JupyterLab cannot change a scheduled report.
SHIPPED_NOTEBOOKS_DIR = PACKAGE_DIR / "report" / "notebooks"
#: Config of the bundled synthetic transactional survey.
DEMO_CONFIG = DATA_DIR / "demo" / "transactional.yaml"
#: Config of the bundled synthetic relationship (competitor) survey.
DEMO_RELATIONSHIP_CONFIG = DATA_DIR / "demo" / "relationship.yaml"


def resolve_path(path, base=None) -> Path:
    """Resolve ``path``: absolute paths stay; relative ones are taken relative to ``base``
    (a config file's folder), else to the project directory; ``"demo"`` names the demo config.

    >>> resolve_path("demo") == DEMO_CONFIG
    True
    """
    if str(path) == "demo":
        return DEMO_CONFIG
    if str(path) == "demo-relationship":
        return DEMO_RELATIONSHIP_CONFIG
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    return (Path(base) if base is not None else PROJECT_DIR) / p
