"""The monthly report runner: papermill → HTML (inputs hidden) → ``reports/YYYY-MM/``.

``cxkit report --config survey.yaml --month 2026-10 --out reports/`` executes every analysis
notebook with the config and month injected, converts each to HTML with nbconvert (inputs
hidden, no CDN assets), collects each notebook's headline numbers into ``summary.json`` and
writes an ``index.html`` linking the pages.  The build happens in a temporary folder beside
the target and is renamed into place only when every notebook succeeded, so a failed run
leaves the last good report untouched.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


from ..core.jsonsafe import json_safe
from ..core.errors import ConfigError, ReportError
from ..core.paths import NOTEBOOKS_DIR, PACKAGE_DIR
from ..core.periods import PERIOD_WORDS

__all__ = ["save_summary", "json_safe", "run_report", "refresh_notebooks", "ReportResult",
           "REPORT_NOTEBOOKS"]

#: The analysis notebooks of the monthly report, in report order: (name, title).
REPORT_NOTEBOOKS = (
    ("overview", "Overview: scores per month"),
    ("score_change", "Did the score really change, and where?"),
    ("sample_size", "Sample-size planning"),
    ("competitor_nps", "Competitor NPS"),
    ("drivers", "What to fix first: key drivers"),
)
_TITLES = dict(REPORT_NOTEBOOKS)
KERNEL_NAME = "cxkit"


# --------------------------------------------------------------------------- summaries
def save_summary(path, data: dict) -> dict:
    """Write a notebook's headline numbers as JSON for the report runner.

    Notebooks call this in their last cell with their ``summary_path`` parameter; when the
    path is empty (interactive use) nothing is written.

    Parameters
    ----------
    path : str or Path
        Target file, or ``""`` to skip writing.
    data : dict
        Headline numbers; converted with :func:`json_safe`.

    Returns
    -------
    dict
        The JSON-safe data (so a notebook shows what the report will contain).

    Examples
    --------
    >>> save_summary("", {"nps": 31.0, "p": float("nan")})
    {'nps': 31.0, 'p': None}
    """
    safe = json_safe(data, digits=10)
    if path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(safe, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return safe


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- progress
class _Progress:
    """Progress across notebooks and cells: a live line on a terminal, plain log lines otherwise."""

    def __init__(self, mode="auto", stream=None):
        self.stream = stream or sys.stderr
        self.quiet = mode == "quiet"
        self.verbose = mode == "verbose"
        self.tty = (mode != "plain") and hasattr(self.stream, "isatty") and self.stream.isatty()

    def log(self, msg, *, always=False):
        if self.quiet and not always:
            return
        if self.tty:
            self.stream.write("\r\033[K")
        stamp = _dt.datetime.now().strftime("%H:%M:%S")
        self.stream.write(f"[cxkit {stamp}] {msg}\n")
        self.stream.flush()

    def cell(self, nb_index, nb_total, name, cell_index, cell_total):
        if self.quiet:
            return
        if self.tty:
            width = 24
            done = int(width * cell_index / max(cell_total, 1))
            self.stream.write(f"\r\033[K[{nb_index}/{nb_total}] {name:<16} "
                              f"[{'#' * done}{'.' * (width - done)}] cell {cell_index}/{cell_total}")
            self.stream.flush()
        elif self.verbose:
            self.log(f"[{nb_index}/{nb_total}] {name}: cell {cell_index}/{cell_total}")


# --------------------------------------------------------------------------- execution
@contextlib.contextmanager
def _inline_figures():
    """Kernels inherit the environment: an ``MPLBACKEND=Agg`` set for a headless job (or a test
    run) would stop figures from reaching the notebook outputs.  Pin the inline backend for the
    kernels started inside this block."""
    old = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = old


def _ipc_kernel_manager():
    """A kernel manager class whose kernels talk over Unix sockets in a private temporary
    folder rather than TCP on localhost (no other local user can connect; no TCP warning)."""
    import tempfile

    from jupyter_client.manager import KernelManager

    folder = tempfile.mkdtemp(prefix="cxkit-kernel-")

    class IPCKernelManager(KernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(folder, "kernel")

        def cleanup_resources(self, restart=False):
            super().cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(folder, ignore_errors=True)

    return IPCKernelManager


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    return KERNEL_NAME if KERNEL_NAME in specs else "python3"


def _execute(input_path: Path, output_path: Path, parameters: dict, progress: _Progress,
             nb_index: int, nb_total: int, kernel_name: str):
    """Run one notebook with papermill; return its executed nbformat node."""
    import nbformat
    import papermill as pm
    from papermill.engines import NBClientEngine, papermill_engines

    name = input_path.stem
    total = sum(1 for c in nbformat.read(input_path, as_version=4).cells if c.cell_type == "code") + 1

    class _Engine(NBClientEngine):  # papermill engine that reports cell progress
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            orig = nb_man.cell_start
            counter = {"i": 0}

            def cell_start(cell, cell_index=None, **kw):
                if cell.cell_type == "code":
                    counter["i"] += 1
                    progress.cell(nb_index, nb_total, name, counter["i"], total)
                return orig(cell, cell_index, **kw)

            nb_man.cell_start = cell_start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register("cxkit", _Engine)
    return pm.execute_notebook(
        str(input_path), str(output_path), parameters=parameters, kernel_name=kernel_name,
        cwd=str(input_path.parent), progress_bar=False, engine_name="cxkit",
        log_output=progress.verbose, report_mode=False, kernel_manager_class=_ipc_kernel_manager(),
    )


def _failure_message(name: str, exc: Exception) -> str:
    cell = getattr(exc, "exec_count", None)
    cell_index = getattr(exc, "cell_index", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    where = f"cell {cell_index + 1}" if isinstance(cell_index, int) else "a cell"
    if cell:
        where += f" (execution count {cell})"
    return f"notebook {name}.ipynb failed in {where}: {ename}: {evalue}"


def _to_html(executed_path: Path, html_path: Path, title: str):
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(PACKAGE_DIR / "report" / "templates")])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    nb = nbformat.read(executed_path, as_version=4)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html_path.write_text(body, encoding="utf-8")


# --------------------------------------------------------------------------- the runner
@dataclass(frozen=True)
class ReportResult:
    """What :func:`run_report` produced.

    Attributes
    ----------
    path : Path
        The report folder ``<out>/<YYYY-MM>``.
    month : str
        The reporting month.
    timings : dict
        Seconds per notebook.
    summary : dict
        The content of ``summary.json``.
    """

    path: Path
    month: str
    timings: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)


def _select(notebooks, has_relationship: bool, freq: str = "M", has_drivers: bool = True):
    """The notebooks to run and, for the default selection, those skipped with the reason."""
    names = [n for n, _ in REPORT_NOTEBOOKS]
    if notebooks:
        chosen = [n.strip() for n in (notebooks.split(",") if isinstance(notebooks, str) else notebooks) if n.strip()]
        unknown = [n for n in chosen if n not in names]
        if unknown:
            raise ConfigError(f"Unknown notebook(s) {unknown}; the report has {names}.")
        return chosen, {}
    skipped = {}
    if not has_relationship:
        skipped["competitor_nps"] = "the config has no relationship survey (`relationship_survey:`)"
    if not has_drivers:
        skipped["drivers"] = "the config lists no driver ratings (`drivers:`)"
    if freq != "M":
        skipped["sample_size"] = (f"segment planning needs monthly periods; this survey's periods are "
                                  f"{PERIOD_WORDS.get(freq, freq)}s")
    return [n for n in names if n not in skipped], skipped


def run_report(config="demo", month="latest", out="reports", *, notebooks=None, parameters=None,
               redact=True, progress="auto", stream=None, notebooks_dir=None,
               follow_up=True) -> ReportResult:
    """Build the monthly report for ``month`` into ``<out>/<YYYY-MM>/``, atomically.

    Parameters
    ----------
    config : str or Path
        Survey config (``"demo"`` for the bundled synthetic survey).
    month : str
        ``"YYYY-MM"`` or ``"latest"`` (the last complete month in the data).
    out : str or Path
        Folder holding one sub-folder per month.
    notebooks : list of str or comma-separated str, optional
        Subset of :data:`REPORT_NOTEBOOKS` to run; default all (competitor NPS only when the
        config has or names a relationship survey).
    parameters : dict, optional
        Extra parameters injected into every notebook that declares them.
    redact : bool
        Mask e-mail addresses, phone numbers and long digit runs in comments (default on).
    progress : {"auto", "quiet", "verbose", "plain"}
        Terminal progress display or log lines.
    follow_up : bool
        Write the month's callback list (:func:`cxkit.follow_up`, comments **unmasked**) as
        ``follow_up.csv`` beside the pages (never into the HTML) and its counts into
        ``summary.json``; ``False`` (CLI ``--no-follow-up``) leaves it out.

    Returns
    -------
    ReportResult

    Raises
    ------
    ReportError
        A notebook failed: names the notebook, cell and error; the failed executed notebook is
        kept under ``<out>/.failed/`` and any previous report for the month is left untouched.
    """
    from ..io.loader import load_survey
    from ..core.periods import period_freq, resolve_period

    t_start = time.perf_counter()
    prog = _Progress(progress, stream)
    nb_dir = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
    from ..io.config import read_config

    cfg = config if hasattr(config, "sources") else read_config(config)
    config_path = cfg.path
    prog.log(f"loading {config_path}")
    responses, load_report = load_survey(cfg)
    period = resolve_period(month, responses)
    month_str = str(period)
    rel_path = cfg.path if cfg.relationship else cfg.relationship_survey
    freq = period_freq(responses)
    chosen, skipped = _select(notebooks, rel_path is not None, freq, bool(cfg.drivers))
    for name, why in skipped.items():
        prog.log(f"skipping {name}: {why}")

    out = Path(out).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    target = out / month_str
    tmp = out / f".tmp-{month_str}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "notebooks").mkdir(parents=True)
    (tmp / "summary").mkdir()
    kernel = _kernel_name()
    timings: dict[str, float] = {}
    try:
        for i, name in enumerate(chosen, 1):
            params = {"config": str(rel_path if name == "competitor_nps" else config_path),
                      "month": month_str, "summary_path": str(tmp / "summary" / f"{name}.json"),
                      "redact": bool(redact)}
            if name == "competitor_nps":
                params["month"] = "all"
            params.update(parameters or {})
            executed = tmp / "notebooks" / f"{name}.ipynb"
            prog.log(f"[{i}/{len(chosen)}] running {name}")
            t0 = time.perf_counter()
            try:
                with _inline_figures():
                    _execute(nb_dir / f"{name}.ipynb", executed, params, prog, i, len(chosen), kernel)
            except Exception as exc:  # papermill raises PapermillExecutionError with the cell
                failed_dir = out / ".failed"
                failed_dir.mkdir(exist_ok=True)
                if executed.exists():
                    shutil.copy2(executed, failed_dir / f"{month_str}-{name}.ipynb")
                msg = _failure_message(name, exc)
                prog.log(f"FAILED: {msg}; executed notebook kept in {failed_dir}", always=True)
                raise ReportError(f"{msg} (executed notebook kept in {failed_dir}/{month_str}-{name}.ipynb; "
                                  f"no report was written for {month_str})") from None
            timings[name] = time.perf_counter() - t0
            _to_html(executed, tmp / f"{name}.html", _TITLES.get(name, name))
            prog.log(f"[{i}/{len(chosen)}] {name} done in {timings[name]:.1f} s")

        sections = {}
        for name in chosen:
            f = tmp / "summary" / f"{name}.json"
            sections[name] = json.loads(f.read_text()) if f.exists() else {}
        shutil.rmtree(tmp / "summary")
        data_files = [src.path for src in cfg.sources]
        summary = json_safe({
            "cxkit_summary_version": 1,
            "month": month_str,
            "period_type": PERIOD_WORDS.get(freq, freq),
            "survey": cfg.survey,
            "config": {"path": config_path.name, "sha256": _sha256(config_path)},
            "data_files": [{"path": p.name, "sha256": _sha256(p)} for p in data_files if p.exists()],
            "load_report": load_report.to_dict(),
            "notebooks": chosen,
            "skipped": skipped,
            "sections": sections,
        }, digits=10)
        if follow_up:
            summary["follow_up"] = _write_follow_up(responses, period, tmp, prog)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        from .index import render_index

        from .. import __version__
        meta = {"version": __version__, "run_seconds": time.perf_counter() - t_start,
                "generated": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "timings": timings,
                "titles": dict(_TITLES)}
        (tmp / "index.html").write_text(render_index(summary, meta), encoding="utf-8")

        # Atomic swap: the old report moves aside only once the new one is complete.
        old = out / f".old-{month_str}-{os.getpid()}"
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        if old.exists():
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    total = time.perf_counter() - t_start
    prog.log("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + f"; total {total:.1f} s")
    prog.log(f"report written to {target / 'index.html'}")
    return ReportResult(target, month_str, timings, summary)


def _write_follow_up(responses, period, folder: Path, prog) -> dict | None:
    """``follow_up.csv`` (the callback list, comments unmasked) beside the pages; its counts
    (and the contact/resolution times when configured) for ``summary.json``."""
    import pandas as pd

    from ..stats.followup import describe_follow_up, follow_up, follow_up_times

    meta = (responses.attrs or {}).get("cxkit", {})
    outcome = (meta.get("drivers") or {}).get("outcome") or "nps"
    if "respondent_id" not in responses.columns or outcome not in responses.columns:
        return None  # no one to call back: no respondent ids or no NPS-like outcome
    cfg = meta.get("follow_up") or {}
    table = follow_up(responses, period, group=cfg.get("group", "detractors"))
    out = table.drop(columns=["has_comment"]).copy()
    if "date" in out:
        out["date"] = out["date"].dt.strftime("%Y-%m-%d %H:%M")
    out.to_csv(folder / "follow_up.csv", index=False, encoding="utf-8", lineterminator="\n")
    info = {"file": "follow_up.csv", "group": str(table.attrs["follow_up"]["group"]),
            "period": str(period), "n": len(table), "n_comments": int(table["has_comment"].sum()),
            "sentence": describe_follow_up(table, "follow_up.csv")}
    if "contacted" in table.columns:
        info["times"] = follow_up_times(table, target_hours=cfg.get("target_hours")).to_dict()
    xlsx = folder / "tables.xlsx"
    if xlsx.exists():  # a sheet beside the report's other tables
        with pd.ExcelWriter(xlsx, mode="a", engine="openpyxl", if_sheet_exists="replace") as xw:
            out.to_excel(xw, sheet_name="follow_up", index=False)
    prog.log(f"follow-up list: {info['sentence']}")
    return info


def refresh_notebooks(names=None, *, notebooks_dir=None) -> list[Path]:
    """Re-execute notebooks in place with their default parameters (refreshes stored outputs).

    Used by ``make notebooks`` so nbval compares against outputs from the current demo data.
    """
    import nbformat
    from nbclient import NotebookClient

    nb_dir = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
    paths = [nb_dir / f"{n}.ipynb" for n in names] if names else sorted(nb_dir.glob("*.ipynb"))
    kernel = _kernel_name()
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        print(f"executing {p.name} …", file=sys.stderr)
        with _inline_figures():
            NotebookClient(nb, kernel_name=kernel, timeout=600, kernel_manager_class=_ipc_kernel_manager(),
                           resources={"metadata": {"path": str(nb_dir)}}).execute()
        for cell in nb.cells:  # keep stored notebooks free of volatile execution metadata
            cell.get("metadata", {}).pop("execution", None)
        nbformat.write(nb, p)
    return paths


if __name__ == "__main__":  # python -m cxkit.report refresh-notebooks [names...]
    if len(sys.argv) >= 2 and sys.argv[1] == "refresh-notebooks":
        refresh_notebooks(sys.argv[2:] or None)
    else:
        print("usage: python -m cxkit.report refresh-notebooks [name ...]", file=sys.stderr)
        sys.exit(2)
