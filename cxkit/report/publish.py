"""Publishing a report folder atomically: the output-folder check, the lock, the swap, recovery.

The report for a period is built in ``<out>/.cxkit/build-<period>-<pid>/`` (a hidden state
folder, never in the published listing) and published as ``<out>/<period>/`` in one step:

* a first report is one ``rename`` (atomic on POSIX);
* a re-run swaps the new folder with the old one with ``renameat2(RENAME_EXCHANGE)`` (Linux
  ≥ 3.15, through ``ctypes``), one atomic step: a reader sees the old report or the new one,
  never none.  Where the call is missing (other platforms, some filesystems) the swap is two
  renames recorded in a journal ``<out>/.cxkit/swap-<period>.json``; a run killed between them
  is repaired by the next run (:func:`recover`), which puts the old report back;
* a lock per output folder (``fcntl.flock`` on ``<out>/.cxkit/lock``, released by the kernel when
  the process dies, even by SIGKILL) serialises runs: a second run waits, telling who holds the
  lock (pid, host, period, start time), or fails at once with ``wait=False``;
* builds left behind by killed runs are removed on the next start (:func:`recover`; under the
  lock, no other run can be building).

Every operating-system failure (read-only folder, a file where the folder should be, a
symlink loop, a full disk) becomes a :class:`cxkit.ReportError` that names ``--out`` and the fix.

``CXKIT_FAULT=<point>`` in the environment kills the process with SIGKILL at that point (the
kill tests drive the real CLI with it): ``building`` (first page written), ``before-publish``,
``mid-swap`` (between the two renames of the journaled swap; set ``CXKIT_NO_RENAME_EXCHANGE=1``
to use that swap); ``locked:wait=<file>`` holds the lock until ``file`` exists.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import os
import shutil
import signal
import socket
import sys
import time
from pathlib import Path

from ..core.errors import ReportError

__all__ = ["prepare_output", "output_lock", "recover", "new_build", "publish", "os_error",
           "STATE_DIR"]

#: Hidden state folder inside the output folder (lock, builds in progress, swap journals).
STATE_DIR = ".cxkit"


def _fault(point: str) -> None:
    """Testing hook: SIGKILL this process at ``point`` when ``CXKIT_FAULT`` names it;
    ``CXKIT_FAULT=<point>:wait=<file>`` pauses there until ``file`` exists (at most 300 s)."""
    fault = os.environ.get("CXKIT_FAULT", "")
    if fault == point:
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    elif fault.startswith(f"{point}:wait="):
        release = Path(fault.split("=", 1)[1])
        deadline = time.monotonic() + 300
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.1)


_OS_FIXES = {
    errno.ENOSPC: "the disk is full: free some space or pass --out on another disk",
    errno.EDQUOT: "the disk quota is exceeded: free some space or pass --out on another disk",
    errno.EROFS: "the folder is on a read-only filesystem: pass --out on a writable disk",
    errno.EACCES: "no permission to write there: pass --out a folder you can write to",
    errno.EPERM: "no permission to write there: pass --out a folder you can write to",
    errno.ELOOP: "the path is a symbolic-link loop: fix the link or pass another --out",
    errno.ENOTDIR: "a part of the path is a file, not a folder: pass --out a folder",
    errno.EEXIST: "a file of that name is in the way: pass --out a folder",
}


def os_error(exc: OSError, out, period: str | None = None) -> ReportError:
    """A :class:`cxkit.ReportError` for an OS failure while writing the report into ``out``."""
    fix = _OS_FIXES.get(exc.errno, "check the folder and pass --out a writable folder")
    where = exc.filename or out
    kept = (f"; any previous report for {period} is untouched" if period else "")
    return ReportError(f"cannot write the report into {out} (--out): {exc.strerror or exc} "
                       f"({where}); {fix}{kept}.")


def prepare_output(out) -> Path:
    """Check and create the output folder ``out`` (``--out``); return its resolved path.

    Raises
    ------
    ReportError
        ``out`` is a file, a symbolic-link loop, read-only, or cannot be created.
    """
    text = str(out)
    p = Path(out).expanduser()
    try:
        resolved = p.resolve()
    except (RuntimeError, OSError):  # Python < 3.13 raises RuntimeError on a loop
        raise ReportError(f"--out {text}: the path is a symbolic-link loop; fix the link or "
                          f"pass another folder.") from None
    if resolved.exists() and not resolved.is_dir():
        raise ReportError(f"--out {text}: is a file, not a folder; pass a folder (the report "
                          f"writes one sub-folder per period into it).")
    try:
        resolved.mkdir(parents=True, exist_ok=True)
        state = resolved / STATE_DIR
        state.mkdir(exist_ok=True)
        probe = state / f"probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except FileExistsError:
        raise ReportError(f"--out {text}: a file is in the way of the folder; pass a folder."
                          ) from None
    except OSError as exc:
        raise os_error(exc, text) from None
    return resolved


def _holder(lock_path: Path) -> str:
    try:
        info = json.loads(lock_path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "another cxkit run"
    return (f"cxkit run pid {info.get('pid')} on {info.get('host')} (period {info.get('period')}, "
            f"started {info.get('started')})")


@contextlib.contextmanager
def output_lock(out: Path, period: str, *, wait=True, timeout=None, log=None):
    """Hold the lock of the output folder ``out`` for the block.

    A second run on the same folder waits (logging who holds the lock) until the first is
    done, or up to ``timeout`` seconds; with ``wait=False`` it fails at once.  The lock is an
    ``fcntl.flock``, so the kernel releases it when its holder dies.
    """
    lock_path = Path(out) / STATE_DIR / "lock"
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield
        return
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise os_error(exc, out) from None
    try:
        t0 = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                who = _holder(lock_path)
                if not wait:
                    raise ReportError(f"--out {out} is in use by {who}; wait for it to finish "
                                      f"or pass another --out.") from None
                if timeout is not None and time.monotonic() - t0 > timeout:
                    raise ReportError(f"--out {out} is still in use by {who} after {timeout:g} "
                                      f"s; wait for it to finish or pass another --out.") from None
                if not told and log is not None:
                    log(f"waiting: {out} is in use by {who}", always=True)
                    told = True
                time.sleep(0.2)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "period": period,
                "started": _dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        try:
            _fault("locked")
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def recover(out: Path, log=None) -> list[str]:
    """Repair what killed runs left in ``out`` (call while holding :func:`output_lock`).

    Removes builds in progress of dead runs, finishes or rolls back an interrupted journaled
    swap (the old report goes back when the new one never arrived), and removes the
    ``.tmp-*``/``.old-*`` folders of cxkit versions before the state folder.  Returns what it did.
    """
    out = Path(out)
    state = out / STATE_DIR
    done = []
    for journal in sorted(state.glob("swap-*.json")):
        try:
            info = json.loads(journal.read_text(encoding="utf-8"))
            target, old = Path(info["target"]), Path(info["old"])
        except (OSError, ValueError, KeyError):
            journal.unlink(missing_ok=True)
            continue
        if old.exists() and not target.exists():
            old.rename(target)
            done.append(f"restored the previous report {target.name} (an earlier run was "
                        f"killed while publishing)")
        elif old.exists():
            shutil.rmtree(old, ignore_errors=True)
        journal.unlink(missing_ok=True)
    for old in sorted(state.glob("old-*")):  # killed after the journal was removed
        shutil.rmtree(old, ignore_errors=True)
    for build in sorted(state.glob("build-*")):
        shutil.rmtree(build, ignore_errors=True)
        done.append(f"removed the unfinished build {build.name} of a killed run")
    for legacy in sorted(out.glob(".old-*")):  # cxkit <= 0.1: .old-<period>-<pid>
        period = legacy.name[len(".old-"):].rsplit("-", 1)[0]
        if not (out / period).exists():
            legacy.rename(out / period)
            done.append(f"restored the previous report {period}")
        else:
            shutil.rmtree(legacy, ignore_errors=True)
    for legacy in sorted(out.glob(".tmp-*")):
        shutil.rmtree(legacy, ignore_errors=True)
        done.append(f"removed the unfinished build {legacy.name} of a killed run")
    if log is not None:
        for line in done:
            log(line)
    return done


def new_build(out: Path, period: str) -> Path:
    """A fresh build folder for ``period`` inside the hidden state folder of ``out``."""
    build = Path(out) / STATE_DIR / f"build-{period}-{os.getpid()}"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    return build


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _rename_exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` atomically with Linux ``renameat2``; False when unavailable."""
    if os.environ.get("CXKIT_NO_RENAME_EXCHANGE") or not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def publish(build: Path, target: Path) -> str:
    """Make the finished ``build`` the published ``target`` in one step; drop the old one.

    Returns the method used: ``"rename"`` (first report), ``"exchange"`` (atomic swap) or
    ``"journaled"`` (two renames with a journal :func:`recover` completes).
    """
    _fault("before-publish")
    if not target.exists():
        build.rename(target)
        return "rename"
    if _rename_exchange(build, target):
        shutil.rmtree(build)  # now holds the previous report
        return "exchange"
    state = build.parent
    old = state / f"old-{target.name}-{os.getpid()}"
    journal = state / f"swap-{target.name}.json"
    journal.write_text(json.dumps({"target": str(target), "old": str(old)}), encoding="utf-8")
    target.rename(old)
    _fault("mid-swap")
    build.rename(target)
    journal.unlink()
    shutil.rmtree(old, ignore_errors=True)
    return "journaled"
