"""The report runner's promises (issues 12 and 16): pristine notebooks, settings from the config,
fast and clear errors for a bad ``--month``/``--out``/``-p``, atomic publishing under kills,
and one run at a time per output folder.

Kill and concurrency cases drive the real ``cxkit`` CLI in subprocesses; the kill points are
set with ``CXKIT_FAULT`` (see :mod:`cxkit.report.publish`).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import cxkit
from cxkit.cli import main as cli_main
from cxkit.core.errors import ConfigError, ReportError
from cxkit.core.paths import NOTEBOOKS_DIR, PROJECT_DIR, SHIPPED_NOTEBOOKS_DIR
from cxkit.report import REPORT_NOTEBOOKS, check_month, run_report
from cxkit.report import publish as pub

MONTH = "2026-10"
CLI = [sys.executable, "-m", "cxkit.cli"]


def _env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT_DIR) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("CXKIT_FAULT", None)
    env.update(extra)
    return env


def _cli(args, *, env=None, **kw):
    return subprocess.run(CLI + args, capture_output=True, text=True, env=env or _env(),
                          cwd=kw.pop("cwd", None), timeout=kw.pop("timeout", 600), **kw)


def _published(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


# --------------------------------------------------------------------------- 12.1 pristine
@pytest.mark.parametrize("name", [n for n, _ in REPORT_NOTEBOOKS])
def test_shipped_notebooks_have_the_cells_of_the_working_copies(name):
    """The repo's working copies (nbval, make lab) and the shipped copies (what the report
    runs) come from the same generator: same cell sources; the shipped ones carry no outputs."""
    work = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    shipped = nbformat.read(SHIPPED_NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    assert [(c.cell_type, c.source) for c in shipped.cells] == [(c.cell_type, c.source) for c in work.cells], (
        f"regenerate: python notebooks/_build/{name}.py")
    assert all(not c.get("outputs") for c in shipped.cells if c.cell_type == "code")


def test_copy_notebooks_writes_the_shipped_set_and_refuses_to_overwrite(tmp_path):
    written = cxkit.report.copy_notebooks(tmp_path / "mine")
    assert sorted(p.name for p in written) == sorted(p.name for p in SHIPPED_NOTEBOOKS_DIR.glob("*.ipynb"))
    with pytest.raises(ReportError, match="--force"):
        cxkit.report.copy_notebooks(tmp_path / "mine")
    assert cxkit.report.copy_notebooks(tmp_path / "mine", overwrite=True)


def test_declared_parameters_are_read_without_running():
    params = cxkit.report.declared_parameters(SHIPPED_NOTEBOOKS_DIR / "score_change.ipynb")
    assert params["baseline"] == "previous" and params["min_n"] == 30 and params["weighted"] is False


# --------------------------------------------------------------------------- 12.2 settings
def _config(tmp_path, report_yaml: str) -> Path:
    demo = cxkit.paths.DATA_DIR / "demo"
    shutil.copy(demo / "transactional.csv", tmp_path / "transactional.csv")
    text = (demo / "transactional.yaml").read_text().replace("relationship_survey: relationship.yaml", "")
    cfg = tmp_path / "survey.yaml"
    cfg.write_text(text + report_yaml)
    return cfg


@pytest.mark.parametrize("section, key", [
    ("report: {weigthed: true}\n", "report.weigthed"),
    ("report: {alpha: 5}\n", "report.alpha"),
    ("report: {correction: holmes}\n", "report.correction"),
    ("report: {segments: [nowhere]}\n", "report.segments"),
    ("report: {min_n: 2.5}\n", "report.min_n"),
    ("report: {trend_periods: 2}\n", "report.trend_periods"),
    ("report: {baseline: last-week}\n", "report.baseline"),
    ("report: [weighted]\n", "report"),
])
def test_bad_report_section_is_a_config_error_naming_the_key(tmp_path, section, key):
    cfg = _config(tmp_path, section)
    with pytest.raises(ConfigError) as info:
        cxkit.read_config(cfg)
    assert f"`{key}`" in str(info.value) and str(cfg) in str(info.value)


def test_report_section_is_read_and_typed(tmp_path):
    cfg = cxkit.read_config(_config(tmp_path, "report:\n  weighted: false\n  segments: [region]\n"
                                              "  alpha: 0.1\n  competitor_window: 2026-05:2026-10\n"))
    assert dict(cfg.report) == {"weighted": False, "segments": ["region"], "alpha": 0.1,
                                "competitor_window": "2026-05:2026-10"}


def test_unknown_p_lists_the_valid_names(capsys, tmp_path):
    code = cli_main(["report", "-p", "weigthed", "true", "--out", str(tmp_path), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "-p weigthed" in err and "Did you mean 'weighted'" in err and "baseline" in err and "min_n" in err
    assert not (tmp_path / MONTH).exists()


@pytest.mark.parametrize("args, text", [
    (["-p", "alpha", "2"], "-p alpha: must be a number between 0 and 1"),
    (["-p", "month", "2026-09"], "-p month: set by the report itself; use --month"),
    (["-p", "segments", "nowhere"], "-p segments: ['nowhere'] not in the config's segments"),
])
def test_bad_p_values_are_errors(capsys, tmp_path, args, text):
    code = cli_main(["report", *args, "--out", str(tmp_path), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and text in err and "Traceback" not in err


def test_config_settings_reach_the_notebooks_and_weighting_follows_the_config(tmp_path):
    cfg = _config(tmp_path, "report:\n  segments: [region, channel, product]\n  min_n: 40\n")
    res = run_report(cfg, MONTH, tmp_path / "out", notebooks="score_change", progress="quiet")
    summary = res.summary
    # the demo declares `weight:`, so the report is weighted unless the config says otherwise
    assert summary["weighted"] is True and summary["settings"]["weighted"] is True
    assert summary["sections"]["score_change"]["weighted"] is True
    nb = nbformat.read(res.path / "notebooks" / "score_change.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'segments = "region,channel,product"' in injected.source and "min_n = 40" in injected.source
    assert "weighted = True" in injected.source
    # every overall change carries its effective sample sizes
    for change in summary["sections"]["score_change"]["changes"]:
        assert change["n_eff_a"] > 0 and change["n_eff_b"] > 0
    # the notes name exactly the rows whose significance differs between the two weightings
    responses = cxkit.load_survey(cfg)[0]
    flips = []
    for m in ("nps", "csat", "ces"):
        sig = {}
        for w in (True, False):
            r = cxkit.score_changes(responses, m, MONTH, by=["region", "channel", "product"], min_n=40,
                                    weighted=w)
            rows = {f"{t.dimension} {t.level}": bool(t.significant) for t in r.table.itertuples()
                    if t.dimension != "overall" and not t.too_few}
            rows["overall"] = bool(r.overall.p_value < 0.05)
            sig[w] = rows
        flips += [f"{m.upper()} {k}" for k in sig[True] if sig[True][k] != sig[False].get(k, sig[True][k])]
    assert flips, "the demo has a row whose conclusion depends on the weights"
    assert sorted(n.split(":")[0] for n in summary["weighting_notes"]) == sorted(flips)
    assert all("this report uses the weighted figures" in n for n in summary["weighting_notes"])


# --------------------------------------------------------------------------- 12.3 / 16.5 month
@pytest.fixture(scope="module")
def demo_responses():
    return cxkit.load_survey("demo")[0]


@pytest.mark.parametrize("month, text", [
    ("2026-13", "is not a month of this survey"),
    ("2026Q3", "is not a month of this survey"),
    ("26-10", "is not a month of this survey"),
    ("2019-01", "no responses in 2019-01"),
])
def test_bad_month_lists_the_periods_present(demo_responses, month, text):
    with pytest.raises(ReportError) as info:
        check_month(month, demo_responses, "M")
    msg = str(info.value)
    assert text in msg and "--month" in msg and "2024-11" in msg and "2026-10" in msg


def test_month_words_follow_the_period_type(demo_responses):
    yearly = demo_responses.assign(period=demo_responses["period"].dt.asfreq("Y"))
    with pytest.raises(ReportError, match="is not a year of this survey.*YYYY"):
        check_month("2026-10", yearly, "Y")
    assert str(check_month("2026", yearly, "Y")) == "2026"
    assert str(check_month("latest", demo_responses, "M")) == MONTH


def test_cli_bad_month_fails_before_any_notebook(tmp_path):
    t0 = time.perf_counter()
    proc = _cli(["report", "--month", "2026-13", "--out", str(tmp_path / "out")])
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "--month '2026-13'" in proc.stderr and "running" not in proc.stderr
    assert not (tmp_path / "out" / "2026-13").exists() and _published(tmp_path / "out") == []
    print(f"bad month rejected in {time.perf_counter() - t0:.1f} s (subprocess incl. start-up)")


# --------------------------------------------------------------------------- 16.5 --out
def test_out_is_a_file(tmp_path, capsys):
    f = tmp_path / "afile"
    f.write_text("x")
    assert cli_main(["report", "--out", str(f), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"--out {f}: is a file, not a folder" in err and "Traceback" not in err


def test_out_is_a_symlink_loop(tmp_path, capsys):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert cli_main(["report", "--out", str(tmp_path / "a"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "symbolic-link loop" in err and "--out" in err and "Traceback" not in err


def test_out_read_only_is_named(tmp_path, capsys, monkeypatch):
    def refuse(self, *a, **k):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert cli_main(["report", "--out", str(tmp_path / "ro"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "--out" in err and "read-only" in err and "writable" in err and "Traceback" not in err


@pytest.fixture
def tiny_mount(tmp_path):
    """A 256 KB tmpfs (root only; skips elsewhere)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("needs root and mount to make a small filesystem")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_out_on_a_read_only_filesystem(tiny_mount):
    assert subprocess.run(["mount", "-o", "remount,ro", str(tiny_mount)]).returncode == 0
    proc = _cli(["report", "--out", str(tiny_mount / "reports"), "--notebooks", "overview"])
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "--out" in proc.stderr and "read-only" in proc.stderr


def test_full_disk_is_a_clear_error_and_leaves_no_build(tiny_mount):
    out = tiny_mount / "reports"
    proc = _cli(["report", "--out", str(out), "--notebooks", "overview", "--month", MONTH])
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "disk is full" in proc.stderr and "--out" in proc.stderr
    assert _published(out) == [] and not list((out / ".cxkit").glob("build-*"))


def test_full_disk_simulated(tmp_path, capsys, monkeypatch):
    import cxkit.report.runner as runner

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out"))

    good = run_report("demo", MONTH, tmp_path / "out", notebooks="overview", progress="quiet")
    before = (good.path / "summary.json").read_bytes()
    monkeypatch.setattr(runner, "_to_html", full)
    assert cli_main(["report", "--out", str(tmp_path / "out"), "--notebooks", "overview", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "disk is full" in err and "previous report for 2026-10 is untouched" in err
    assert (good.path / "summary.json").read_bytes() == before


# --------------------------------------------------------------------------- 16.4 atomic
def test_recover_restores_an_interrupted_journaled_swap(tmp_path):
    out = pub.prepare_output(tmp_path / "out")
    (out / MONTH).mkdir()
    (out / MONTH / "summary.json").write_text("old")
    build = pub.new_build(out, MONTH)
    (build / "summary.json").write_text("new")
    old = out / pub.STATE_DIR / f"old-{MONTH}-1"
    (out / pub.STATE_DIR / f"swap-{MONTH}.json").write_text(json.dumps({"target": str(out / MONTH), "old": str(old)}))
    (out / MONTH).rename(old)  # killed here: the month is missing
    done = pub.recover(out)
    assert (out / MONTH / "summary.json").read_text() == "old"
    assert any("restored" in d for d in done) and any("unfinished build" in d for d in done)
    assert sorted(p.name for p in (out / pub.STATE_DIR).iterdir()) == []


def test_publish_exchanges_in_one_step(tmp_path):
    out = pub.prepare_output(tmp_path / "out")
    (out / MONTH).mkdir()
    (out / MONTH / "x").write_text("old")
    build = pub.new_build(out, MONTH)
    (build / "x").write_text("new")
    how = pub.publish(build, out / MONTH)
    assert how in ("exchange", "journaled") and (out / MONTH / "x").read_text() == "new"
    if sys.platform.startswith("linux"):
        assert how == "exchange"
    assert not build.exists() and _published(out) == [MONTH]


def test_lock_says_who_holds_it(tmp_path):
    out = pub.prepare_output(tmp_path / "out")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from cxkit.report import publish as p\n"
        f"with p.output_lock(p.prepare_output({str(out)!r}), '2026-10'):\n"
        "    print('locked', flush=True); time.sleep(30)\n")], stdout=subprocess.PIPE, text=True, env=_env())
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(ReportError) as info:
            with pub.output_lock(out, MONTH, wait=False):
                pass
        assert f"cxkit run pid {holder.pid}" in str(info.value) and "period 2026-10" in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    with pub.output_lock(out, MONTH, wait=False):  # released by the kernel when its holder died
        pass


@pytest.mark.parametrize("point", ["building", "before-publish"])
def test_sigkill_keeps_the_previous_report_and_next_run_cleans_up(tmp_path, point):
    out = tmp_path / "out"
    first = _cli(["report", "--out", str(out), "--notebooks", "overview", "--quiet"])
    assert first.returncode == 0, first.stderr
    before = (out / MONTH / "summary.json").read_bytes()
    killed = _cli(["report", "--out", str(out), "--notebooks", "overview", "-p", "months_shown", "6"],
                  env=_env(CXKIT_FAULT=point))
    assert killed.returncode == -signal.SIGKILL
    assert _published(out) == [MONTH]
    assert (out / MONTH / "summary.json").read_bytes() == before
    assert list((out / ".cxkit").glob("build-*")), "the killed run's build is only in the state folder"
    again = _cli(["report", "--out", str(out), "--notebooks", "overview", "--month", MONTH])
    assert again.returncode == 0, again.stderr
    assert "removed the unfinished build" in again.stderr
    assert not list((out / ".cxkit").glob("build-*")) and _published(out) == [MONTH]


def test_sigkill_between_the_renames_is_recovered(tmp_path):
    out = tmp_path / "out"
    env = _env(CXKIT_NO_RENAME_EXCHANGE="1")
    assert _cli(["report", "--out", str(out), "--notebooks", "overview", "--quiet"], env=env).returncode == 0
    before = (out / MONTH / "summary.json").read_bytes()
    env["CXKIT_FAULT"] = "mid-swap"
    killed = _cli(["report", "--out", str(out), "--notebooks", "overview"], env=env)
    assert killed.returncode == -signal.SIGKILL and _published(out) == []  # the month is missing
    # the next run first puts the old report back (under the lock), then publishes its own
    env.pop("CXKIT_FAULT")
    again = _cli(["report", "--out", str(out), "--notebooks", "overview"], env=env)
    assert again.returncode == 0, again.stderr
    assert "restored the previous report 2026-10" in again.stderr
    assert (out / MONTH / "summary.json").read_bytes() == before  # same inputs, same summary
    assert sorted(p.name for p in (out / ".cxkit").iterdir()) == ["lock"]


def test_sigkill_while_a_notebook_runs(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(CLI + ["report", "--out", str(out), "--notebooks", "overview,score_change",
                                   "--quiet"], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((out / ".cxkit").glob("build-*/notebooks/*.ipynb")):
        time.sleep(0.2)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its kernel
    proc.wait()
    assert _published(out) == []
    again = _cli(["report", "--out", str(out), "--notebooks", "overview"])
    assert again.returncode == 0 and _published(out) == [MONTH]
    assert not list((out / ".cxkit").glob("build-*"))


def test_two_concurrent_runs_take_turns(tmp_path):
    """Run A holds the folder (paused just after taking the lock), run B waits and says for
    whom, run C with --no-wait fails naming A; then both A and B publish."""
    out = tmp_path / "out"
    go = tmp_path / "go"
    args = CLI + ["report", "--out", str(out), "--notebooks", "overview", "--month", MONTH]
    a_err, b_err = open(tmp_path / "a.err", "w+"), open(tmp_path / "b.err", "w+")
    a = subprocess.Popen(args, env=_env(CXKIT_FAULT=f"locked:wait={go}"), stdout=subprocess.DEVNULL,
                         stderr=a_err, text=True)
    try:
        deadline = time.monotonic() + 300
        lock = out / ".cxkit" / "lock"
        while time.monotonic() < deadline and not (lock.exists() and lock.read_text()):
            time.sleep(0.1)
        assert json.loads(lock.read_text())["pid"] == a.pid
        b = subprocess.Popen(args, env=_env(), stdout=subprocess.DEVNULL, stderr=b_err, text=True)
        while time.monotonic() < deadline and "waiting:" not in (tmp_path / "b.err").read_text():
            time.sleep(0.1)
        c = _cli(["report", "--out", str(out), "--notebooks", "overview", "--no-wait"])
        assert c.returncode == 1 and "Traceback" not in c.stderr
        assert f"is in use by cxkit run pid {a.pid}" in c.stderr and "period 2026-10" in c.stderr
    finally:
        go.write_text("")
    assert a.wait(timeout=600) == 0, (tmp_path / "a.err").read_text()
    assert b.wait(timeout=600) == 0, (tmp_path / "b.err").read_text()
    assert f"waiting: {out} is in use by cxkit run pid {a.pid}" in (tmp_path / "b.err").read_text()
    assert _published(out) == [MONTH] and not list((out / ".cxkit").glob("build-*"))


def test_weighted_without_a_weight_column_is_an_error(tmp_path, capsys):
    cfg = _config(tmp_path, "")
    cfg.write_text(cfg.read_text().replace("weight: weight\n", ""))
    code = cli_main(["report", "--config", str(cfg), "-p", "weighted", "true", "--out", str(tmp_path / "o"),
                     "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "declares no `weight:` column" in err and "Traceback" not in err
