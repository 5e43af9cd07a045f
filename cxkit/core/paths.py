"""Project paths resolved from the package location, never from the working directory.

JupyterLab, papermill and nbval start kernels in different working directories, so every
path cxkit needs is derived from this file's location (or from a config file's location).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "PROJECT_DIR", "DATA_DIR", "NOTEBOOKS_DIR", "DEMO_CONFIG",
           "DEMO_RELATIONSHIP_CONFIG", "resolve_path"]

PACKAGE_DIR = Path(__file__).resolve().parent.parent   # cxkit/ (this file is cxkit/core/paths.py)
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
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
