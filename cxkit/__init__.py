"""cxkit — honest statistics for customer-experience surveys.

A flat API: ``cxkit.load_survey``, ``cxkit.nps``, ``cxkit.summarize``, ``cxkit.compare``,
``cxkit.score_changes``, ``cxkit.sample_size``, ``cxkit.brand_comparison`` …  Each topic module
lists its public names in ``__all__`` and they are re-exported here.
"""

from importlib.metadata import PackageNotFoundError, version as _version

from .errors import *  # noqa: F401,F403
from .estimate import *  # noqa: F401,F403
from .periods import *  # noqa: F401,F403
from .config import *  # noqa: F401,F403
from .readers import *  # noqa: F401,F403
from .loader import *  # noqa: F401,F403
from .tally import *  # noqa: F401,F403
from .estimators import *  # noqa: F401,F403
from .summary import *  # noqa: F401,F403
from .changes import *  # noqa: F401,F403
from .planning import *  # noqa: F401,F403
from .competitors import *  # noqa: F401,F403
from .plots import *  # noqa: F401,F403
from .redact import *  # noqa: F401,F403
from .formatting import *  # noqa: F401,F403
from . import demo, paths, report  # noqa: F401

try:
    __version__ = _version("cxkit")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
