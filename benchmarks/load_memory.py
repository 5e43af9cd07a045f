"""Benchmark: peak memory of cxkit.load_survey against a bare pandas.read_csv (issue 16).

Generates (once) the seeded export of benchmarks/load.py with N rows (default 2,000,000) in
benchmarks/_data/ (git-ignored), then runs each of

* ``pandas.read_csv(path)`` (bare),
* ``cxkit.load_survey(config)`` on the same file,

REPEAT times, each in a fresh Python subprocess, alternating.  A subprocess reports its peak
resident set size (the high-water mark, including every transient copy, arrow and numpy
buffers that tracemalloc would not see) after the imports and after the read (``VmHWM`` from
``/proc/self/status``; ``ru_maxrss`` would inherit the parent's high-water mark across
``exec``).  Printed: medians of the peak RSS and of the increment (peak minus the baseline
after imports), and their ratios cxkit / pandas.  Target: increment ratio at or under
~1.3–1.8 (the level measured in issue 16).  Run:

    .venv/bin/python benchmarks/load_memory.py [n_rows] [repeat]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
REPEAT = 3

CHILD = r"""
import json, resource, sys
sys.path.insert(0, {root!r})
import pandas as pd
import cxkit, cxkit.io.loader, cxkit.io.readers  # same imports on both sides
def peak():
    # VmHWM: this process's peak RSS (ru_maxrss would carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
base = peak()
if {which!r} == "pandas":
    out = pd.read_csv({path!r})
    rows = len(out)
else:
    resp, report = cxkit.load_survey({cfg!r})
    rows = report.rows_kept
print(json.dumps({{"base": base, "peak": peak(), "rows": rows}}))
"""


def run(which, path, cfg):
    code = CHILD.format(root=str(HERE.parent), which=which, path=str(path), cfg=str(cfg))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(n: int = 2_000_000, repeat: int = REPEAT) -> None:
    sys.path.insert(0, str(HERE))
    from load import CONFIG, make_data

    DATA.mkdir(exist_ok=True)
    path = DATA / f"bench_{n}.csv"
    if not path.exists():
        make_data(n).to_csv(path, index=False)
    cfg = DATA / f"bench_memory_{n}.yaml"
    cfg.write_text(CONFIG.format(n=n, file=path.name))
    res = {"pandas": [], "cxkit": []}
    for i in range(repeat):
        for which in (("pandas", "cxkit") if i % 2 == 0 else ("cxkit", "pandas")):
            res[which].append(run(which, path, cfg))
    mb = 1 / 2**20
    print(f"peak memory, {n:,}-row CSV ({path.stat().st_size * mb:,.0f} MB), {repeat} fresh "
          f"subprocesses each, medians")
    print(f"{'reader':<8} {'peak RSS MB':>12} {'after imports MB':>17} {'increment MB':>13}")
    med = {}
    for which, runs in res.items():
        peak = float(np.median([r["peak"] for r in runs]))
        base = float(np.median([r["base"] for r in runs]))
        inc = float(np.median([r["peak"] - r["base"] for r in runs]))
        med[which] = (peak, inc)
        print(f"{which:<8} {peak * mb:>12,.0f} {base * mb:>17,.0f} {inc * mb:>13,.0f}")
    r_peak = med["cxkit"][0] / med["pandas"][0]
    r_inc = med["cxkit"][1] / med["pandas"][1]
    print(f"ratio cxkit / pandas: peak RSS {r_peak:.2f}, increment {r_inc:.2f} "
          f"(target increment <= 1.8: {'met' if r_inc <= 1.8 else 'NOT met'})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000,
         int(sys.argv[2]) if len(sys.argv) > 2 else REPEAT)
