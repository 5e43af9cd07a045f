"""Plots of cxkit results (seaborn/matplotlib).  Every function returns the matplotlib Axes
(or Figure for multi-panel plots) so callers can keep styling."""

from .overview import *  # noqa: F401,F403
from .changes import *  # noqa: F401,F403
from .planning import *  # noqa: F401,F403
from .competitors import *  # noqa: F401,F403
