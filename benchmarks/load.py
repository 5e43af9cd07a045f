"""Benchmark: cxkit.load_survey against bare pandas readers on 1,000,000 rows.

Generates a seeded 1M-row transactional export (CSV and Parquet) in benchmarks/_data/
(git-ignored), then times REPEAT interleaved pairs of runs on the same file:

* bare ``pandas.read_csv(path)`` vs ``cxkit.load_survey(config)`` on the CSV;
* bare ``pandas.read_parquet(path)`` vs ``cxkit.load_survey(config)`` on the Parquet file.

Each pair runs back to back (alternating which goes first), so both see the same machine load;
the ratio reported is the median of the REPEAT per-pair ratios (the times are medians too, with
the fastest run alongside).  The target is ratio <= 2 (validation is vectorised).  Run:

    .venv/bin/python benchmarks/load.py [n_rows] [repeat]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
REPEAT = 9


def make_data(n: int, seed: int = 2026) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ltr = rng.choice(np.arange(12), size=n, p=[.02, .01, .02, .03, .03, .06, .08, .12, .2, .2,
                                               .21, .02]).astype(float)
    sat = rng.integers(1, 6, size=n).astype(float)
    sat[rng.random(n) < 0.05] = np.nan
    effort = rng.integers(1, 8, size=n).astype(float)
    effort[rng.random(n) < 0.04] = np.nan
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730, size=n), unit="D")
    comments = np.where(rng.random(n) < 0.1, "Service was fine, thanks", None)
    return pd.DataFrame({
        "response_id": pd.Series(np.arange(1, n + 1)).map("T{:07d}".format),
        "response_date": days.strftime("%Y-%m-%d"),
        "channel": rng.choice(["Web", "App", "Phone", "Store"], size=n),
        "region": rng.choice(["North", "South", "East", "West", "Central"], size=n),
        "ltr": pd.array(ltr, dtype="Int64"),
        "satisfaction": pd.array(sat, dtype="Int64"),
        "effort": pd.array(effort, dtype="Int64"),
        "weight": np.round(rng.gamma(8, 1 / 8, size=n), 4) + 0.01,
        "comment": comments,
    })


CONFIG = """\
survey: Benchmark survey ({n:,} rows)
sources:
  - path: {file}
respondent_id: response_id
date: response_date
period: month
weight: weight
segments: {{channel: channel, region: region}}
scores:
  nps:  {{column: ltr, metric: nps, scale: [0, 10], missing: [11]}}
  csat: {{column: satisfaction, metric: csat, scale: [1, 5], top_box: [4, 5]}}
  ces:  {{column: effort, metric: ces, scale: [1, 7]}}
text: [comment]
"""


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main(n: int = 1_000_000, repeat: int = REPEAT) -> None:
    sys.path.insert(0, str(HERE.parent))
    import cxkit

    DATA.mkdir(exist_ok=True)
    csv_path, pq_path = DATA / f"bench_{n}.csv", DATA / f"bench_{n}.parquet"
    if not csv_path.exists() or not pq_path.exists():
        df = make_data(n)
        df.to_csv(csv_path, index=False)
        df.to_parquet(pq_path, index=False)
    rows = []
    for label, path, bare in (("CSV", csv_path, pd.read_csv),
                              ("Parquet", pq_path, pd.read_parquet)):
        cfg_path = DATA / f"bench_{label.lower()}.yaml"
        cfg_path.write_text(CONFIG.format(n=n, file=path.name))
        timed(lambda: bare(path))  # warm-up (file cache, imports), not counted
        cxkit.load_survey(cfg_path)
        # interleaved pairs, so both see the same machine load; alternate which runs first
        tb, tc = [], []
        for i in range(repeat):
            if i % 2:
                t_c, (resp, report) = timed(lambda: cxkit.load_survey(cfg_path))
                t_b = timed(lambda: bare(path))[0]
            else:
                t_b = timed(lambda: bare(path))[0]
                t_c, (resp, report) = timed(lambda: cxkit.load_survey(cfg_path))
            tb.append(t_b)
            tc.append(t_c)
        ratio = float(np.median(np.array(tc) / np.array(tb)))
        rows.append((label, np.median(tb), np.median(tc), min(tb), min(tc), ratio,
                     report.rows_read, report.rows_kept))
    print(f"load_survey vs bare pandas, {n:,} rows, {repeat} interleaved pairs, medians "
          f"(fastest run in brackets) (pandas {pd.__version__}, numpy {np.__version__})")
    print(f"{'format':<8} {'pandas s':>12} {'cxkit s':>12} {'ratio':>6} {'read':>10} "
          f"{'kept':>10}")
    for label, tb, tc, mb, mc, r, nr, nk in rows:
        print(f"{label:<8} {tb:>5.2f} ({mb:.2f}) {tc:>5.2f} ({mc:.2f}) {r:>6.2f} {nr:>10,} "
              f"{nk:>10,}")
    worst = max(r[5] for r in rows)
    print(f"target ratio <= 2: {'met' if worst <= 2 else 'NOT met'} (worst {worst:.2f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000,
         int(sys.argv[2]) if len(sys.argv) > 2 else REPEAT)
