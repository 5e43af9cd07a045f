"""Loading with the checks in DuckDB (``load_survey(config, engine="duckdb")``) vs the pandas
loader: time and peak memory of the load and of one grouped summary, on generated Parquet and
CSV files (a few invalid rows excluded on both paths; the LoadReports must agree).

Usage: ``.venv/bin/python benchmarks/engine_load.py [rows]`` (default 2,000,000 rows split
over 4 monthly files).  Each path runs in its own subprocess, so the peak resident memory
(``ru_maxrss``) is that path's alone.  Output recorded in benchmarks/README.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def make(folder: Path, n: int, kind: str) -> Path:
    rng = np.random.default_rng(11)
    per = n // 4
    for m in range(4):
        k = per
        ltr = rng.integers(0, 11, k).astype(float)
        ltr[rng.random(k) < 0.02] = 11.0                 # declared missing
        w = np.round(rng.uniform(0.2, 3.0, k), 3)
        w[:3] = -1.0                                    # non-positive weights (excluded)
        df = pd.DataFrame({
            "id": [f"M{m}-{i:08d}" for i in range(k)],
            "date": (pd.Timestamp(f"2026-0{m + 1}-01") +
                     pd.to_timedelta(rng.integers(0, 27, k), unit="D")).astype("datetime64[us]"),
            "channel": rng.choice(["app", "web", "phone", "store"], k),
            "region": rng.choice(["North", "South", "East", "West"], k),
            "ltr": ltr, "sat": rng.integers(1, 6, k).astype(float), "w": w})
        if kind == "parquet":
            df.to_parquet(folder / f"2026-0{m + 1}.parquet", index=False)
        else:
            df.to_csv(folder / f"2026-0{m + 1}.csv", index=False)
    cfg = {"survey": "bench", "sources": sorted(str(p) for p in folder.glob(f"*.{kind}")),
           "respondent_id": "id", "date": "date", "period": "month", "weight": "w",
           "segments": {"channel": "channel", "region": "region"}, "on_invalid": "exclude",
           "scores": {"nps": {"column": "ltr", "metric": "nps", "missing": [11]},
                      "csat": {"column": "sat", "metric": "csat"}}}
    path = folder / "config.json"
    path.write_text(json.dumps(cfg))
    return path


CHILD = r"""
import json, resource, sys, time
import cxkit
cfg = json.load(open(sys.argv[1])); engine = sys.argv[2]
t0 = time.perf_counter()
responses, report = cxkit.load_survey(cfg, engine=engine)
t1 = time.perf_counter()
res = cxkit.summarize(responses, "nps", by=["period", "channel"], weighted=True)
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "summary": t2 - t1, "rss_mb":
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "report": report.to_dict(), "nps": res["value"].round(9).tolist()}))
"""


def run(cfg: Path, engine: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(cfg), engine], check=True,
                         capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    print(f"engine_load: {n:,} responses in 4 monthly files; load_survey + one weighted "
          f"summarize by period x channel; each path in its own process")
    print(f"{'files':8} {'engine':7} {'load s':>8} {'summary s':>10} {'peak MB':>8}")
    for kind in ("parquet", "csv"):
        with tempfile.TemporaryDirectory() as tmp:
            cfg = make(Path(tmp), n, kind)
            got = {e: run(cfg, e) for e in ("pandas", "duckdb")}
            for e, r in got.items():
                print(f"{kind:8} {e:7} {r['load']:8.2f} {r['summary']:10.2f} {r['rss_mb']:8.0f}")
            a, b = got["pandas"], got["duckdb"]
            for r in (a, b):
                for f in r["report"]["files"]:
                    f.pop("path")
            same_report = a["report"] == b["report"]
            same_nps = np.allclose(sorted(a["nps"]), sorted(b["nps"]), rtol=1e-9)
            print(f"{kind:8} duckdb/pandas: load {b['load'] / a['load']:.2f}x, peak memory "
                  f"{b['rss_mb'] / a['rss_mb']:.2f}x; LoadReports equal: {same_report}, "
                  f"NPS equal: {same_nps}")


if __name__ == "__main__":
    main()
