"""Readable tables of the key-driver page (Markdown, for notebooks and the report)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["driver_table", "markdown_table"]


def _num(x, d=1, unit=""):
    return "–" if x is None or not np.isfinite(x) else f"{x:.{d}f}{unit}"


def driver_table(table: pd.DataFrame, pain: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per driver in priority order, as display texts: quadrant, importance with its
    interval, performance, n, the outcome gap between high and low raters and, with a
    :func:`cxkit.pain_map`, the points at stake and the share of the low group rating it low.

    >>> t = pd.DataFrame({"driver": ["a"], "label": ["Speed"], "importance": [60.0],
    ...                   "ci_low": [50.0], "ci_high": [70.0], "performance": [3.1],
    ...                   "performance_kind": ["mean"], "n": [100], "gap": [80.0],
    ...                   "quadrant": ["fix first"]})
    >>> driver_table(t).iloc[0].tolist()
    ['Speed', 'fix first', '60% (50–70)', '3.1', '100', '+80.0']
    """
    kind = table["performance_kind"].iloc[0] if "performance_kind" in table else "mean"
    rows = []
    for _, r in table.iterrows():
        label = r["label"] if isinstance(r.get("label"), str) and r.get("label") else r["driver"]
        row = {"driver": label}
        if "quadrant" in table:
            row["priority"] = r["quadrant"]
        ci = (f" ({r['ci_low']:.0f}–{r['ci_high']:.0f})"
              if "ci_low" in r and np.isfinite(r["ci_low"]) else "")
        row["importance (95% CI)"] = f"{r['importance']:.0f}%{ci}"
        row["performance"] = (
            _num(r["performance"], 1) if kind == "mean" else _num(r["performance"], 0, "%"))
        row["n"] = f"{int(r['n']):,}"
        row["gap high − low"] = "–" if not np.isfinite(r["gap"]) else f"{r['gap']:+.1f}"
        if pain is not None:
            p = pain.set_index("driver")
            if r["driver"] in p.index:
                q = p.loc[r["driver"]]
                gi = (f" ({q['gain_low']:.1f} to {q['gain_high']:.1f})"
                      if np.isfinite(q["gain_low"]) else "")
                row["points at stake (95% CI)"] = f"{q['gain']:.1f}{gi}"
                row["rate it low"] = f"{q['low_share']:.0f}%"
                row["detractors rating it low"] = f"{q['group_low_share']:.0f}%"
        rows.append(row)
    return pd.DataFrame(rows)


def markdown_table(df: pd.DataFrame) -> str:
    """A pipe table (GitHub Markdown) of a small DataFrame of texts/numbers.

    >>> print(markdown_table(pd.DataFrame({"a": ["x"], "b": [1]})))
    | a | b |
    |---|---|
    | x | 1 |
    """
    esc = lambda v: str(v).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    head = "| " + " | ".join(esc(c) for c in df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    body = ["| " + " | ".join(esc(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *body])
