"""Time of the whole demo report against its floor.

The floor is papermill executing the same number of *empty* notebooks (kernel start-up and
papermill overhead only).  Prints both times, the per-notebook timings and the ratio, and the
time to reject a bad ``--month`` (load + check, before any notebook starts).
Targets (issue 12): the whole demo report in under 30 s on a 2-core machine; a bad month
rejected in under 2 s.  The load average is printed: on a shared machine the times scale with it.

Run: .venv/bin/python benchmarks/report.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm
from nbformat.v4 import new_code_cell, new_notebook

from cxkit.report.runner import _kernel_name, run_report


def floor_seconds(count: int, folder: Path) -> float:
    kernel = _kernel_name()
    nb = new_notebook(cells=[new_code_cell("x = 1").copy()], metadata={"kernelspec": {
        "name": kernel, "display_name": kernel, "language": "python"}})
    nb.cells[0].metadata["tags"] = ["parameters"]
    src = folder / "empty.ipynb"
    nbformat.write(nb, src)
    t0 = time.perf_counter()
    for i in range(count):
        pm.execute_notebook(str(src), str(folder / f"empty-{i}.ipynb"), parameters={"x": i},
                            kernel_name=kernel, progress_bar=False)
    return time.perf_counter() - t0


def bad_month_seconds(folder: Path) -> float:
    from cxkit.core.errors import ReportError

    t0 = time.perf_counter()
    try:
        run_report("demo", "2026-13", folder / "bad", progress="quiet")
    except ReportError:
        pass
    return time.perf_counter() - t0


def main():
    import os

    print(f"load average before: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bad = bad_month_seconds(tmp)
        t0 = time.perf_counter()
        result = run_report("demo", "latest", tmp / "reports", progress="quiet")
        total = time.perf_counter() - t0
        floor = floor_seconds(len(result.timings), tmp)
    print(f"demo report ({len(result.timings)} notebooks, month {result.month}): {total:.1f} s")
    for name, secs in result.timings.items():
        print(f"  {name:<16} {secs:6.1f} s")
    print(f"floor (papermill, {len(result.timings)} empty notebooks): {floor:.1f} s")
    print(f"ratio report / floor: {total / floor:.2f}x   target: report < 30 s -> "
          f"{'met' if total < 30 else 'MISSED'}")
    print(f"bad --month rejected in {bad:.2f} s (in process, incl. loading the demo)   target < 2 s -> "
          f"{'met' if bad < 2 else 'MISSED'}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
