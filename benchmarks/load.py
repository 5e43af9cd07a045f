"""Benchmark: cxkit.load_survey against bare pandas readers on 1,000,000 rows.

Generates a seeded 1M-row transactional export (CSV and Parquet) in benchmarks/_data/
(git-ignored), then times, best of REPEAT runs each:

* bare ``pandas.read_csv(path)`` vs ``cxkit.load_survey(config)`` on the CSV;
* bare ``pandas.read_parquet(path)`` vs ``cxkit.load_survey(config)`` on the Parquet file.

The target is ratio <= 2 (validation is vectorised).  Run:

    .venv/bin/python benchmarks/load.py [n_rows]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
REPEAT = 5


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


def best(fn, repeat=REPEAT):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(n: int = 1_000_000) -> None:
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
        # interleaved runs, so both see the same machine load; best of REPEAT each
        tb, tc = [], []
        for _ in range(REPEAT):
            tb.append(best(lambda: bare(path), 1)[0])
            t, (resp, report) = best(lambda: cxkit.load_survey(cfg_path), 1)
            tc.append(t)
        t_bare, t_cx = min(tb), min(tc)
        rows.append((label, t_bare, t_cx, t_cx / t_bare, report.rows_read, report.rows_kept))
    print(f"load_survey vs bare pandas, {n:,} rows, best of {REPEAT} "
          f"(pandas {pd.__version__}, numpy {np.__version__})")
    print(f"{'format':<8} {'pandas s':>9} {'cxkit s':>9} {'ratio':>6} {'read':>10} {'kept':>10}")
    for label, tb, tc, r, nr, nk in rows:
        print(f"{label:<8} {tb:>9.2f} {tc:>9.2f} {r:>6.2f} {nr:>10,} {nk:>10,}")
    worst = max(r[3] for r in rows)
    print(f"target ratio <= 2: {'met' if worst <= 2 else 'NOT met'} (worst {worst:.2f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
