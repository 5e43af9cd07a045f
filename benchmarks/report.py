"""Time of the whole demo report against its floor.

The floor is papermill executing the same number of *empty* notebooks (kernel start-up and
papermill overhead only).  Prints both times, the per-notebook timings and the ratio.
Target (issue: monthly report): the whole demo report in under 60 s on a 2-core machine.

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


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        result = run_report("demo", "latest", tmp / "reports", progress="quiet")
        total = time.perf_counter() - t0
        floor = floor_seconds(len(result.timings), tmp)
    print(f"demo report ({len(result.timings)} notebooks, month {result.month}): {total:.1f} s")
    for name, secs in result.timings.items():
        print(f"  {name:<16} {secs:6.1f} s")
    print(f"floor (papermill, {len(result.timings)} empty notebooks): {floor:.1f} s")
    print(f"ratio report / floor: {total / floor:.2f}x   target: report < 60 s -> "
          f"{'met' if total < 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
