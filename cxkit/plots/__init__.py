"""Plots of cxkit results (seaborn/matplotlib).  Every function returns the matplotlib Axes
(or Figure for multi-panel plots) so callers can keep styling."""

from . import changes as _changes, competitors as _competitors, overview as _overview, planning as _planning
from . import drivers as _drivers
from .changes import *  # noqa: F401,F403
from .competitors import *  # noqa: F401,F403
from .overview import *  # noqa: F401,F403
from .planning import *  # noqa: F401,F403
from .drivers import *  # noqa: F401,F403

# An explicit __all__, so `from .plots import *` in cxkit/__init__.py exports the plot functions
# only, never the submodule names (which would shadow cxkit.changes, cxkit.planning, …).
__all__ = [*_overview.__all__, *_changes.__all__, *_planning.__all__, *_competitors.__all__,
           *_drivers.__all__]
