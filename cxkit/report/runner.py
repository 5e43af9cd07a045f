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
from ..core.paths import NOTEBOOKS_DIR, PACKAGE_DIR, SHIPPED_NOTEBOOKS_DIR
from ..core.periods import PERIOD_WORDS

__all__ = ["save_summary", "json_safe", "run_report", "refresh_notebooks", "ReportResult",
           "REPORT_NOTEBOOKS", "copy_notebooks", "check_month", "declared_parameters",
           "weighting_notes"]

#: The analysis notebooks of the monthly report, in report order: (name, title).
REPORT_NOTEBOOKS = [
    ("overview", "Overview: scores per month"),
    ("score_change", "Did the score really change, and where?"),
    ("sample_size", "Sample-size planning"),
    ("competitor_nps", "Competitor NPS"),
    ("drivers", "What to fix first: key drivers"),
]
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

    from jupyter_client.kernelspec import KernelSpec

    class IPCKernelManager(KernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(folder, "kernel")

        @property
        def kernel_spec(self):
            # the kernel is this interpreter, so it imports the same cxkit as the runner (an
            # installed wheel, or a checkout on PYTHONPATH), whatever kernelspecs exist
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name="Python (cxkit)", language="python", name=self.kernel_name,
                resource_dir="")

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
        cwd=str(output_path.parent), progress_bar=False, engine_name="cxkit",
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


#: Parameters the runner sets itself (from --config, --month, --no-redact): not for ``-p``.
_RUNNER_PARAMETERS = ("config", "month", "summary_path", "redact", "engine")
#: ``report:`` keys that feed a differently named parameter of one notebook.
_RENAMED_SETTINGS = {"competitor_window": ("competitor_nps", "month"),
                     "planning_metric": ("sample_size", "metric")}

_MONTH_FORMATS = {"M": (r"\d{4}-(0[1-9]|1[0-2])", "YYYY-MM, e.g. 2026-10"),
                  "Q": (r"\d{4}Q[1-4]", "YYYYQn, e.g. 2026Q3"),
                  "Y": (r"\d{4}", "YYYY, e.g. 2018")}


def declared_parameters(path) -> dict:
    """``{name: default}`` of the parameters cell of the notebook at ``path`` (lines
    ``name: type = value`` or ``name = value``), read without executing it."""
    import ast

    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            out = {}
            for node in ast.parse(cell.source).body:
                target = node.target if isinstance(node, ast.AnnAssign) else (
                    node.targets[0] if isinstance(node, ast.Assign) else None)
                if isinstance(target, ast.Name):
                    try:
                        out[target.id] = ast.literal_eval(node.value) if node.value else None
                    except ValueError:
                        out[target.id] = None
            return out
    return {}


def _period_listing(periods) -> str:
    names = [str(p) for p in periods]
    if len(names) > 14:
        names = names[:5] + [f"… ({len(names) - 10} more) …"] + names[-5:]
    return ", ".join(names)


def check_month(month, responses, freq: str):
    """The report period for ``month`` (``--month``), checked against the survey's period type
    and the periods that have responses; ``"latest"`` is the last complete period.

    Raises
    ------
    ReportError
        Wrong format for the survey's period type (``2026Q3`` for a monthly survey, ``2026-13``)
        or a period without responses; the message lists the periods present.
    """
    import re

    import pandas as pd

    from ..core.periods import latest_complete_period
    from ..engines.rows import periods_of

    present = periods_of(responses)           # pandas table or engine survey (SELECT DISTINCT)
    if not present:
        raise ReportError("the survey has no periods (no dated responses kept); check `date:` or "
                          "the sources' `period:` in the config.")
    word = PERIOD_WORDS.get(freq, freq)
    text = str(month).strip()
    if text.lower() in ("latest", "last"):
        return latest_complete_period(responses)
    pattern, example = _MONTH_FORMATS.get(freq, (r".+", "a period"))
    listing = _period_listing(present)
    if not re.fullmatch(pattern, text):
        raise ReportError(f"--month {text!r} is not a {word} of this survey (its periods are "
                          f"{word}s): write {example}, or latest. Periods with responses: "
                          f"{listing}.")
    period = pd.Period(text, freq=freq)
    if period not in set(present):
        raise ReportError(f"--month {text}: the survey has no responses in {text}. Periods with "
                          f"responses: {listing}.")
    return period


def _check_overrides(parameters, declared: dict, cfg) -> dict:
    """Validate ``-p`` overrides: known notebook parameters or ``report:`` keys, typed."""
    from ..io.config import REPORT_SETTINGS, check_report_settings

    parameters = dict(parameters or {})
    notebook_params = sorted({k for d in declared.values() for k in d} - set(_RUNNER_PARAMETERS))
    valid = sorted(set(notebook_params) | (set(REPORT_SETTINGS) - {"notebooks"}))
    settings, extra = {}, {}
    for name, value in parameters.items():
        if name in _RUNNER_PARAMETERS:
            option = {"config": "--config", "month": "--month", "redact": "--no-redact",
                      "summary_path": "(set by the runner)"}[name]
            raise ConfigError(f"-p {name}: set by the report itself; use {option}.")
        if name in REPORT_SETTINGS and name != "notebooks":
            settings[name] = value
        elif name in notebook_params:
            extra[name] = value
        else:
            import difflib

            close = difflib.get_close_matches(name, valid, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"-p {name}: unknown report parameter.{hint} Valid parameters: "
                              f"{', '.join(valid)}.")
    settings = check_report_settings(settings, path=None, scores=tuple(cfg.scores),
                                     segments=tuple(cfg.segments), where="-p")
    return {**settings, **extra}


def _notebook_parameters(name, declared, settings, base) -> dict:
    """What to inject into notebook ``name``: the runner's own parameters, then every setting
    the notebook declares (lists as comma-separated text)."""
    params = dict(base)
    for key, value in settings.items():
        if key == "notebooks":
            continue
        target = key
        if key in _RENAMED_SETTINGS:
            nb, target = _RENAMED_SETTINGS[key]
            if nb != name:
                continue
        if target in declared:
            params[target] = ",".join(value) if isinstance(value, list) else value
    return params


def _missing_baseline(responses, period, baseline) -> str:
    """Why the change page cannot compare ``period`` with its baseline ('' when it can)."""
    from ..stats.changes import parse_baseline

    try:
        base = parse_baseline(baseline, period, responses)
    except ValueError as exc:
        return f"no baseline to compare with: {exc}"
    from ..engines.rows import periods_of

    present = set(periods_of(responses))
    missing = [str(q) for q in base if q not in present]
    if missing:
        from ..core.periods import period_freq

        word = PERIOD_WORDS.get(period_freq(responses), "period")
        return (f"no responses in the baseline {word} {', '.join(missing)} (baseline "
                f"{baseline!r}), so there is no change to test")
    return ""


def weighting_notes(used: dict, other: dict) -> list[str]:
    """Sentences for the changes whose conclusion depends on the weights.

    Parameters
    ----------
    used, other : dict
        ``{metric: ScoreChanges}`` as reported, and the same comparisons with the other
        weighting (weighted ↔ unweighted), e.g. from :func:`cxkit.score_changes`.

    Returns
    -------
    list of str
        One sentence per overall or segment change that is significant (adjusted p < alpha)
        one way and not the other, giving both differences and p-values.

    Examples
    --------
    >>> weighting_notes({}, {})
    []
    """
    notes = []
    for m, res in used.items():
        if m not in other:
            continue
        rows = {}
        for r in (res, other[m]):
            o = r.overall
            rows.setdefault("overall", {})[r.weighted] = (o.diff, o.p_value, r.headline()["significant"])
            for t in r.table.itertuples():
                if t.dimension == "overall" or bool(t.too_few):
                    continue
                rows.setdefault(f"{t.dimension} {t.level}", {})[r.weighted] = (
                    t.diff, t.p_adj, bool(t.significant))
        for where, v in rows.items():
            if len(v) == 2 and v[True][2] != v[False][2]:
                def said(x, label):
                    d, p, sig = x
                    ptxt = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
                    return f"{label} {d:+.1f} ({ptxt}, {'significant' if sig else 'not significant'})"
                notes.append(f"{m.upper()} {where}: {said(v[True], 'weighted')} but "
                             f"{said(v[False], 'unweighted')}; this report uses the "
                             f"{'weighted' if res.weighted else 'unweighted'} figures.")
    return notes


def run_report(config="demo", month="latest", out="reports", *, notebooks=None, parameters=None,
               redact=True, progress="auto", stream=None, notebooks_dir=None, wait=True,
               lock_timeout=None, follow_up=True, engine="") -> ReportResult:
    """Build the report for ``month`` into ``<out>/<period>/``, atomically.

    The notebooks run are those shipped with the package (:data:`cxkit.paths.SHIPPED_NOTEBOOKS_DIR`),
    executed into the build folder, never the working copies a user edits in JupyterLab; the
    settings come from the config's ``report:`` section (weighted by default when the config
    declares a weight), then ``parameters``.

    Parameters
    ----------
    config : str or Path
        Survey config (``"demo"`` for the bundled synthetic survey).
    month : str
        The report period in the survey's period type (``YYYY-MM``, ``YYYYQn`` or ``YYYY``) or
        ``"latest"`` (the last complete period in the data); checked before any notebook runs.
    out : str or Path
        Folder holding one sub-folder per period.
    notebooks : list of str or comma-separated str, optional
        Subset of :data:`REPORT_NOTEBOOKS` to run; default the config's ``report.notebooks``,
        else all that apply (competitor NPS only with a relationship survey).
    parameters : dict, optional
        Overrides (``-p NAME VALUE``): ``report:`` keys or parameters a notebook declares;
        anything else is an error listing the valid names.
    redact : bool
        Mask e-mail addresses, phone numbers and long digit runs in comments (default on).
    progress : {"auto", "quiet", "verbose", "plain"}
        Terminal progress display or log lines.
    notebooks_dir : path-like, optional
        Run a user's own notebooks from this folder instead of the shipped ones (named on the
        index page and in ``summary.json`` as ``notebooks_dir``).
    wait : bool
        When another run holds the output folder's lock: wait (default) or fail at once.
    lock_timeout : float, optional
        Give up waiting for the lock after this many seconds.
    follow_up : bool
        Write the month's callback list (:func:`cxkit.follow_up`, comments **unmasked**) as
        ``follow_up.csv`` beside the pages (never into the HTML) and its counts into
        ``summary.json``; ``False`` (CLI ``--no-follow-up``) leaves it out.
    engine : {"", "pandas", "duckdb"}
        Where the survey is computed (:func:`cxkit.report.open_survey`): ``""`` as the config
        says, ``"duckdb"`` a lazy engine survey — the pages read only aggregates and the rows
        they list; passed to every notebook that declares an ``engine`` parameter.

    Returns
    -------
    ReportResult

    Raises
    ------
    ReportError
        A bad ``month`` or ``out``, a notebook failed (names the notebook, cell and error; the
        failed executed notebook is kept under ``<out>/.failed/``), or the disk is full; any
        previous report for the period is left untouched.
    """
    from ..core.periods import period_freq
    from ..io.config import read_config
    from . import publish as pub
    from .source import open_survey

    t_start = time.perf_counter()
    prog = _Progress(progress, stream)
    out = pub.prepare_output(out)
    if notebooks_dir:
        nb_dir = Path(notebooks_dir).expanduser().resolve()
        if not nb_dir.is_dir():
            raise ConfigError(f"--notebooks-dir {notebooks_dir}: not a folder; pass the folder "
                              f"written by `cxkit notebooks DIR`.")
    else:
        nb_dir = SHIPPED_NOTEBOOKS_DIR

    cfg = config if hasattr(config, "sources") else read_config(config)
    config_path = cfg.path
    prog.log(f"loading {config_path}")
    responses, load_report = open_survey(cfg, engine)
    freq = period_freq(responses)
    period = check_month(month, responses, freq)
    month_str = str(period)
    rel_path = cfg.path if cfg.relationship else cfg.relationship_survey
    rel_cfg = cfg if cfg.relationship else (read_config(rel_path) if rel_path else None)
    chosen, skipped = _select(notebooks or cfg.report.get("notebooks"), rel_path is not None, freq,
                              bool(cfg.drivers))
    for name, why in skipped.items():
        prog.log(f"skipping {name}: {why}")
    missing = [n for n in chosen if not (nb_dir / f"{n}.ipynb").is_file()]
    if missing:
        raise ConfigError(f"notebooks {missing} are not in {nb_dir}"
                          + (" (--notebooks-dir)" if notebooks_dir else "") + "; "
                          "`cxkit notebooks DIR` writes the full set.")
    declared = {n: declared_parameters(nb_dir / f"{n}.ipynb") for n in chosen}

    # settings: defaults < the config's report: section < -p overrides
    settings = {"weighted": cfg.weight is not None}
    if cfg.relationship:
        own = cfg.relationship.get("own") or next(iter(cfg.scores))
        settings["planning_metric"] = str(own)
    settings.update(cfg.report)
    settings.update(_check_overrides(parameters, declared, cfg))
    settings = {k: v for k, v in settings.items() if k != "notebooks"}
    if "score_change" in chosen:
        gap = _missing_baseline(responses, period, settings.get("baseline", "previous"))
        if gap:
            chosen.remove("score_change")
            skipped["score_change"] = gap
            prog.log(f"skipping score_change: {gap}")
    if not chosen:
        raise ReportError(f"nothing to report for {month_str}: "
                          + "; ".join(f"{k}: {v}" for k, v in skipped.items()))
    explicit_weighting = "weighted" in cfg.report or "weighted" in (parameters or {})
    if settings.get("weighted") and cfg.weight is None:
        raise ConfigError(f"weighted: true (report: or -p), but {config_path} declares no "
                          f"`weight:` column; add `weight: <column>` to the config or drop the "
                          f"setting.")

    target = out / month_str
    timings: dict[str, float] = {}
    with pub.output_lock(out, month_str, wait=wait, timeout=lock_timeout, log=prog.log):
        pub.recover(out, prog.log)
        try:
            tmp = pub.new_build(out, month_str)
            (tmp / "notebooks").mkdir()
            (tmp / "summary").mkdir()
        except OSError as exc:
            raise pub.os_error(exc, out, month_str) from None
        try:
            kernel = _kernel_name()
            for i, name in enumerate(chosen, 1):
                nb_cfg = rel_cfg if name == "competitor_nps" else cfg
                base = {"config": str(rel_path if name == "competitor_nps" else config_path),
                        "month": "all" if name == "competitor_nps" else month_str,
                        "summary_path": str(tmp / "summary" / f"{name}.json"),
                        "redact": bool(redact)}
                if engine and "engine" in declared[name]:
                    base["engine"] = str(engine)
                nb_settings = dict(settings)
                if name == "competitor_nps" and not explicit_weighting:
                    nb_settings["weighted"] = nb_cfg.weight is not None
                params = _notebook_parameters(name, declared[name], nb_settings, base)
                params.update({k: v for k, v in (parameters or {}).items()
                               if k in declared[name] and k not in settings})
                executed = tmp / "notebooks" / f"{name}.ipynb"
                prog.log(f"[{i}/{len(chosen)}] running {name}")
                t0 = time.perf_counter()
                try:
                    with _inline_figures():
                        _execute(nb_dir / f"{name}.ipynb", executed, params, prog, i, len(chosen),
                                 kernel)
                except OSError:
                    raise
                except Exception as exc:  # papermill raises PapermillExecutionError with the cell
                    failed_dir = out / ".failed"
                    failed_dir.mkdir(exist_ok=True)
                    if executed.exists():
                        shutil.copy2(executed, failed_dir / f"{month_str}-{name}.ipynb")
                    msg = _failure_message(name, exc)
                    prog.log(f"FAILED: {msg}; executed notebook kept in {failed_dir}", always=True)
                    raise ReportError(f"{msg} (executed notebook kept in {failed_dir}/{month_str}-"
                                      f"{name}.ipynb; no report was written for {month_str})"
                                      ) from None
                timings[name] = time.perf_counter() - t0
                _to_html(executed, tmp / f"{name}.html", _TITLES.get(name, name))
                prog.log(f"[{i}/{len(chosen)}] {name} done in {timings[name]:.1f} s")
                pub._fault("building")

            sections = {}
            for name in chosen:
                f = tmp / "summary" / f"{name}.json"
                sections[name] = json.loads(f.read_text()) if f.exists() else {}
            from .tables import write_tables_xlsx
            write_tables_xlsx(tmp)  # tables.xlsx beside the pages, from the tables the notebooks saved
            shutil.rmtree(tmp / "summary")
            notes = (sections.get("score_change") or {}).get("weighting_notes") or []
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
                "notebooks_dir": str(nb_dir) if notebooks_dir else None,
                "settings": settings,
                "weighted": bool(settings.get("weighted")),
                "weighting_notes": notes,
                "skipped": skipped,
                "sections": sections,
            }, digits=10)
            if follow_up:
                summary["follow_up"] = _write_follow_up(responses, period, tmp, prog)
            (tmp / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n",
                                              encoding="utf-8")
            from .index import render_index

            from .. import __version__
            meta = {"version": __version__, "run_seconds": time.perf_counter() - t_start,
                    "generated": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "timings": timings,
                    "titles": dict(_TITLES)}
            (tmp / "index.html").write_text(render_index(summary, meta), encoding="utf-8")
            how = pub.publish(tmp, target)
            prog.log(f"published {target.name} ({how})", always=False)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise pub.os_error(exc, out, month_str) from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    total = time.perf_counter() - t_start
    prog.log("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + f"; total {total:.1f} s")
    prog.log(f"report written to {target / 'index.html'}")
    return ReportResult(target, month_str, timings, summary)


def copy_notebooks(folder, *, overwrite=False) -> list[Path]:
    """Copy the notebooks shipped with the package into ``folder`` (``cxkit notebooks DIR``),
    for a user to explore or customise; ``cxkit report --notebooks-dir DIR`` runs them.

    Raises
    ------
    ReportError
        A notebook of the same name is already there (pass ``overwrite=True`` /
        ``--force``), or the folder cannot be written.
    """
    from . import publish as pub

    folder = Path(folder).expanduser()
    sources = sorted(SHIPPED_NOTEBOOKS_DIR.glob("*.ipynb"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        clash = [p.name for p in sources if (folder / p.name).exists()]
        if clash and not overwrite:
            raise ReportError(f"{folder}: {', '.join(clash)} already there; pass --force to "
                              f"overwrite them or choose another folder.")
        written = []
        for p in sources:
            shutil.copyfile(p, folder / p.name)
            written.append(folder / p.name)
    except FileExistsError:
        raise ReportError(f"{folder}: is a file, not a folder; pass a folder.") from None
    except OSError as exc:
        raise ReportError(str(pub.os_error(exc, folder)).replace("--out", "DIR")) from None
    return written


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
