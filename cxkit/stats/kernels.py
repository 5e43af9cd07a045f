"""Compiled single-pass histogram kernel (numba) for large in-memory tallies.

:func:`cxkit.stats.tally` counts with numpy (codes, one combined index, :func:`numpy.bincount`).
For large inputs (``_MIN_ROWS`` rows and more) of the common column types, :func:`histogram`
does the same work in one compiled pass over the raw columns — score → code (NaN = the missing
score bin), group codes with their offsets and NA codes, the weight rule, the guessed-bounds
checks — with one local histogram per thread, added at the end.  Its bins are the numpy path's
bins exactly (``n``, ``missing_weight``, ``missing_group`` equal; Σw and Σw² equal up to the
order of the additions).

numba is imported only when a large tally asks for it (``import cxkit`` and small tallies never
load it); without numba (or if it fails to compile) the numpy path runs.  ``cache=True``: the
machine code is compiled once per machine (per argument types) and reused from numba's cache.
"""

from __future__ import annotations

import os

import numpy as np

#: Rows from which the compiled kernel is used (below: numpy; the demo's 60 k rows never load numba).
_MIN_ROWS = 1_000_000
#: Most group columns the kernel takes (more: numpy path).
_MAX_GROUPS = 3

_KERNELS = {}       # compiled chunk function per variant; False when numba is unavailable


def _build(variant):
    """The compiled chunk function of one variant (check, number of group columns, NA code per
    column, check range per column, weighted): the flags are compile-time constants, so the
    row loop carries no branch for a feature it does not use."""
    k = _KERNELS.get(variant)
    if k is not None:
        return k
    if _KERNELS.get("numba") is False or os.environ.get("CXKIT_NO_NUMBA"):
        return False
    try:
        import numba
    except Exception:                                   # not installed / broken: numpy path
        _KERNELS["numba"] = False
        return False
    CHECK, NG, HN0, HN1, HN2, C0, C1, C2, WEIGHTED = variant

    @numba.njit(cache=True, nogil=True)
    def chunk(s, a, b, lo, hi, ilo, S,
              g0, o0, na0, l0, h0,
              g1, o1, na1, k1, l1, h1,
              g2, o2, na2, k2, l2, h2,
              w, trash, n, W, W2, flags):
        """Rows a:b into the local histogram ``n`` (``W``, ``W2``).  ``flags``: out of
        bounds, non-integer score, missing_weight, missing_group."""
        S1 = S + 1
        mw = 0
        mg = 0
        for i in range(a, b):
            x = s[i]
            if CHECK and (x < lo or x > hi):
                flags[0] = 1
                return
            miss = False
            if x != x:
                sc = S
                miss = True
            else:
                ix = np.int64(x)
                if ix != x:
                    flags[1] = 1
                    return
                sc = ix - ilo
            bad_g = False
            idx = np.int64(0)
            if NG > 0:
                r = np.int64(g0[i])
                if C0 and (r < l0 or r > h0):
                    flags[0] = 1
                    return
                code = np.int64(-1) if (HN0 and r == na0) else r - o0
                bad_g = code < 0
                idx = code
                if NG > 1:
                    r = np.int64(g1[i])
                    if C1 and (r < l1 or r > h1):
                        flags[0] = 1
                        return
                    code = np.int64(-1) if (HN1 and r == na1) else r - o1
                    bad_g = bad_g or code < 0
                    idx = idx * k1 + code
                    if NG > 2:
                        r = np.int64(g2[i])
                        if C2 and (r < l2 or r > h2):
                            flags[0] = 1
                            return
                        code = np.int64(-1) if (HN2 and r == na2) else r - o2
                        bad_g = bad_g or code < 0
                        idx = idx * k2 + code
            idx = idx * S1 + sc
            if WEIGHTED:
                wi = w[i]
                if not miss and (not (wi > 0) or np.isinf(wi)):   # NULL/NaN, ±inf, <= 0
                    mw += 1
                    idx = trash
                    wi = 0.0
                    miss = True
                if bad_g:
                    if not miss:
                        mg += 1
                    idx = trash
                n[idx] += 1
                W[idx] += wi
                W2[idx] += wi * wi
            else:
                if bad_g:
                    if not miss:
                        mg += 1
                    idx = trash
                n[idx] += 1
        flags[2] = mw
        flags[3] = mg

    _KERNELS[variant] = chunk
    return chunk


class OutOfBounds(Exception):
    """A score or Period ordinal lies outside the guessed bounds."""


class NotInteger(Exception):
    """A finite score is not a whole number (the caller uses its general coder)."""


def histogram(s, lo, hi, check, S, groups, w, nbins):
    """Histogram of one pass over the rows, in the numpy path's bins, or None (no numba).

    Parameters: ``s`` float64 scores; (``lo``, ``hi``) the integer score bounds (code =
    score − lo, NaN → ``S``); ``check``: raise :class:`OutOfBounds` for a score outside
    them or a group ordinal outside its check range; ``groups``: per group column
    (raw integer codes, offset, NA value or None, size, (check lo, check hi) or None);
    ``w``: float64 weights or None; ``nbins`` = G·(S+1) + 1 (the last bin: trash).

    Returns a dict like the numpy block's: ``n`` (int64, nbins), ``w``/``w2`` when weighted,
    ``missing_weight``, ``missing_group``.
    """
    weighted = w is not None
    variant = (bool(check), len(groups),
               *[j < len(groups) and groups[j][2] is not None for j in range(_MAX_GROUPS)],
               *[j < len(groups) and groups[j][4] is not None for j in range(_MAX_GROUPS)],
               weighted)
    k = _build(variant)
    if not k:
        return None
    rows = len(s)
    # chunks of < 2**31 rows (int32 local counts: half the cache of int64), four per core so
    # that a core taken by another process delays a quarter of the work, not half
    workers = os.cpu_count() or 1
    nchunks = max(1, min(4 * workers, rows // 250_000), -(-rows // (2 ** 31 - 1)))
    dummy = np.zeros(1, dtype=np.int64)
    args = []
    for j in range(_MAX_GROUPS):
        if j < len(groups):
            raw, off, na, size, chk = groups[j]
            args += [raw, int(off), int(na) if na is not None else 0]
            if j:
                args.append(int(size))
            args += [int(chk[0]), int(chk[1])] if chk is not None else [0, 0]
        else:
            args += [dummy, 0, 0] + ([1] if j else []) + [0, 0]
    wv = w if weighted else np.zeros(1)
    nw = nbins if weighted else 1
    n = np.zeros((nchunks, nbins), np.int32)
    W = np.zeros((nchunks, nw))
    W2 = np.zeros((nchunks, nw))
    flags = np.zeros((nchunks, 4), np.int64)
    step = -(-rows // nchunks)

    def run(c):
        k(s, c * step, min(rows, (c + 1) * step), float(lo), float(hi), int(lo), int(S),
          *args, wv, int(nbins) - 1, n[c], W[c], W2[c], flags[c])

    try:
        if nchunks == 1:
            run(0)
        else:                                   # nogil: the chunks run in parallel threads
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(max_workers=min(workers, nchunks)) as pool:
                list(pool.map(run, range(nchunks)))
    except Exception:                           # numba could not compile these argument
        _KERNELS[variant] = False               # types: numpy path, and no retry
        return None
    with np.errstate(invalid="ignore"):         # inf − inf in discarded (missing-score) bins
        return _result(n, W, W2, flags, weighted)


def _result(n, W, W2, flags, weighted):
    if flags[:, 0].any():
        raise OutOfBounds
    if flags[:, 1].any():
        raise NotInteger
    out = {"n": n.sum(axis=0, dtype=np.int64), "missing_weight": int(flags[:, 2].sum()),
           "missing_group": int(flags[:, 3].sum())}
    if weighted:
        out["w"], out["w2"] = W.sum(axis=0), W2.sum(axis=0)
    return out
