"""How long do ``import cxkit`` and ``cxkit --help`` take, beyond ``import pandas``?

Each command runs in a fresh Python subprocess (nothing cached in ``sys.modules``), several
times; the best (smallest) wall time of each is printed with its difference from the
``import pandas`` run.  Target (issue 11.4): ``import cxkit`` and ``cxkit --help`` at most
0.5 s beyond ``import pandas``.  The last column lists which of scipy, statsmodels and
matplotlib the command left in ``sys.modules`` (they must load only when a function needs them).

Run from the repository root::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/import_time.py [runs]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "statsmodels", "matplotlib")
TARGET = 0.5  # seconds beyond `import pandas`

# name -> Python code run in a fresh interpreter; it prints the heavy modules it left loaded
_REPORT = ("import sys; print(','.join(m for m in %r if m in sys.modules) or '-')" % (HEAVY,))
CASES = [
    ("python (empty)", "pass"),
    ("import pandas", "import pandas"),
    ("import cxkit", "import cxkit"),
    ("import cxkit; cxkit.load_survey", "import cxkit; cxkit.load_survey"),
    ("import cxkit.io.loader", "import cxkit.io.loader"),
    ("cxkit --help", "import sys; sys.argv = ['cxkit', '--help']\n"
                     "from cxkit.cli import main\n"
                     "try:\n    main()\nexcept SystemExit:\n    pass"),
    ("import cxkit; cxkit.nps([10, 9, 3])", "import cxkit; cxkit.nps([10, 9, 3])"),
    ("import cxkit; cxkit.plots (matplotlib)", "import cxkit; cxkit.plot_trend"),
]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def time_once(code: str, env) -> tuple[float, str]:
    """Wall time (s) of ``python -c code`` in a fresh subprocess, and the heavy modules the code
    left in ``sys.modules``."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code + "\n" + _REPORT], env=env, check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - t0, out.stdout.strip().splitlines()[-1]


def time_cases(runs: int) -> dict:
    """Best time of each case over ``runs`` rounds; each round runs every case once, in turn,
    so that a burst of load on a shared machine hits all cases alike."""
    env = _env()
    best = {name: (float("inf"), "") for name, _ in CASES}
    for _ in range(runs):
        for name, code in CASES:
            t, loaded = time_once(code, env)
            best[name] = (min(best[name][0], t), loaded)
    return best


def main(runs: int = 15) -> int:
    print(f"Import times: best of {runs} rounds of fresh subprocesses ({sys.executable}, Python "
          f"{sys.version.split()[0]}); target: import cxkit and cxkit --help ≤ {TARGET:g} s "
          "beyond import pandas.\n")
    results = time_cases(runs)
    base = results["import pandas"][0]
    print(f"{'command':40} {'best s':>7} {'− pandas':>9}  {'heavy modules loaded':22} check")
    print("-" * 92)
    ok = True
    for name, (t, loaded) in results.items():
        check = ""
        if name in ("import cxkit", "cxkit --help", "import cxkit; cxkit.load_survey",
                    "import cxkit.io.loader"):
            good = (t - base) <= TARGET and loaded == "-"
            ok &= good
            check = "pass" if good else "FAIL"
        print(f"{name:40} {t:7.3f} {t - base:+9.3f}  {loaded:22} {check}")
    print("\n(the last two rows show the heavy libraries loading when a function needs them)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 15))
