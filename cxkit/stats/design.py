"""Design-based (Taylor-linearised) variances with strata and first-stage clusters.

Every CX score is a weighted mean of a recoded value (NPS +100/0/−100, top box 100/0, the raw
score for means), so its linearised variance under a stratified, clustered design needs only
the per-PSU sums of w·(x − x̄) — and because x is constant within a score, those sums come from
the score histogram tallied by stratum and cluster (:func:`cxkit.tally` with
``by=[..., strata, cluster]``).  The fast path stays: one tally per metric, then numpy.

:func:`design_summary` is the table (the design form of :func:`cxkit.summarize`),
:func:`design_estimate` one estimate, :func:`design_compare` a difference b − a between two
groups (periods, brands) of the same design, as ``survey::svyttest``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..core.checks import check_conf
from ..core.errors import SurveyDataError
from ..core.metrics import METRIC_KINDS, Estimate
from ..core.periods import parse_list
from ..core.validate import usable_weights
from .tally import _as_list, _weight_column, tally

__all__ = ["Design", "design_summary", "design_estimate", "design_compare", "DesignComparison",
           "configured_design", "design_domain_difference", "design_brand_gaps",
           "DomainContrasts", "design_decomposition", "design_frames_compare",
           "design_brand_tables", "design_brand_comparison"]

_UNITS = {"nps": "points", "top_box": "%"}
_CLIP = {"nps": (-100.0, 100.0), "top_box": (0.0, 100.0)}


@dataclass(frozen=True)
class Design:
    """A survey design: stratum and first-stage cluster (PSU) columns and the fpc.

    Attributes
    ----------
    strata : str or None
        Stratum column.
    cluster : str or None
        First-stage cluster (PSU) column; cluster ids are read *within* strata (``nest=TRUE``
        in R), so "1" in two strata are two PSUs.  None: every response is its own PSU.
    fpc : str, dict, float or None
        Finite population correction: a column (constant within stratum), ``{stratum:
        value}`` or one number for every stratum; values > 1 are population sizes N_h (of
        PSUs when clustered, of units otherwise), values ≤ 1 sampling fractions f_h — as
        ``survey::svydesign(fpc=)``.
    lonely_psu : {"fail", "adjust", "average", "remove", "certainty"}, default "fail"
        What a stratum with a single PSU in the whole design contributes to a variance, as
        R's ``options(survey.lonely.psu=)``: ``"fail"`` (R's default) is an error naming the
        stratum; ``"certainty"`` and ``"remove"`` contribute nothing; ``"adjust"`` centres
        the PSU at the overall mean (its z_u² counts); ``"average"`` replaces it by the
        average contribution of the other strata.
    """

    strata: str | None = None
    cluster: str | None = None
    fpc: object = None
    lonely_psu: str = "fail"

    def to_dict(self) -> dict:
        d = asdict(self)
        if d["lonely_psu"] == "fail":     # R's default: not written (results as before)
            del d["lonely_psu"]
        return d


def configured_design(responses, design=None):
    """Resolve ``design`` (None, False, True, dict or :class:`Design`) to a Design or None.

    ``None`` and ``True`` use the loaded survey's configured design
    (``responses.attrs["cxkit"]["design"]``, from the config's ``design:`` section) — None
    when there is none; ``False`` means simple random sampling (no design).

    Examples
    --------
    >>> import pandas as pd
    >>> configured_design(pd.DataFrame({"s": [1]}), {"strata": "s"})
    Design(strata='s', cluster=None, fpc=None, lonely_psu='fail')
    """
    if design is False:
        return None
    from ..engines.sources import is_engine_input
    if is_engine_input(responses) and design is not None:
        raise SurveyDataError("`design=` (design-based variances) needs the respondent rows: "
                              "load the survey with cxkit.load_survey(config) (pandas) for a "
                              "design; on an engine source leave `design` unset or False.")
    if design is None or design is True:
        conf = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("design")
        if not conf:
            if design is True:
                raise SurveyDataError("`design=True` uses the configured design, but this "
                                      "responses table has none (configure `design:` in the "
                                      "survey YAML or pass design={'strata': ..., 'cluster': ...}).")
            return None
        design = conf
    if isinstance(design, Design):
        _check_lonely(design.lonely_psu)
        return design
    if isinstance(design, dict):
        unknown = set(design) - {"strata", "cluster", "fpc", "lonely_psu"}
        if unknown:
            raise SurveyDataError(f"Unknown design key(s) {sorted(unknown)}; use strata, "
                                  f"cluster, fpc and lonely_psu.")
        d = Design(design.get("strata"), design.get("cluster"), design.get("fpc"),
                   _check_lonely(design.get("lonely_psu") or "fail"))
        if d.strata is None and d.cluster is None:
            raise SurveyDataError("A design needs `strata`, `cluster` or both.")
        return d
    raise SurveyDataError(f"`design` must be a dict with strata/cluster/fpc, a cxkit.Design, "
                          f"True, False or None — not {design!r}.")


LONELY_PSU = ("fail", "adjust", "average", "remove", "certainty")


def _check_lonely(value):
    if value not in LONELY_PSU:
        raise SurveyDataError(f"The design's lonely_psu must be one of {', '.join(LONELY_PSU)} "
                              f"(as R's options(survey.lonely.psu=)), got {value!r}.")
    return value


def _lonely_error(d: Design, strata):
    unit = "PSU" if d.cluster else "response"
    return SurveyDataError(
        f"Stratum {strata} of the design ({d.strata!r}) has a single {unit}, so its variance "
        f"cannot be estimated (R: survey.lonely.psu = 'fail'). Merge it with a similar "
        f"stratum in the data or the design, or choose how it counts with "
        f"design={{..., 'lonely_psu': 'adjust' | 'average' | 'remove' | 'certainty'}} "
        f"(`lonely_psu:` in the config's design section), as R's options(survey.lonely.psu=).",
        column=d.strata)


def _stratum_variance(s1, s2, n_h, f_h, present, lonely):
    """Σ_h of the strata's contributions (1−f_h) n_h/(n_h−1) [Σ_u z_u² − (Σ_u z_u)²/n_h],
    n_h the PSUs of stratum h in the whole design; single-PSU strata with data in the domain
    (``present``) as R's ``survey:::onestrat`` with ``survey.lonely.psu = lonely``."""
    ok = n_h > 1
    nh = np.where(ok, n_h, 2.0)
    c = np.where(ok, (1 - f_h) * nh / (nh - 1) * (s2 - s1 * s1 / nh), 0.0)
    single = ~ok & present
    if not single.any():
        return float(np.sum(c))
    if lonely == "adjust":           # centred at the overall mean (0 for linearised values)
        c = np.where(single, (1 - f_h) * s2, c)
    elif lonely == "average":        # the other strata's average contribution in their place
        nstrat, nok = int(present.sum()), int((present & ok).sum())
        return float(np.sum(c[present & ok]) * nstrat / nok) if nok else math.nan
    elif lonely == "fail":
        raise SurveyDataError("A stratum has a single PSU (survey.lonely.psu = 'fail').")
    return float(np.sum(c))          # remove, certainty: no contribution


def _check_design_columns(responses, d: Design):
    for role, col in (("strata", d.strata), ("cluster", d.cluster)):
        if col is None:
            continue
        if col not in responses.columns:
            if ((getattr(responses, "attrs", {}) or {}).get("cxkit") or {}).get("count"):
                raise SurveyDataError(
                    f"A design-based variance needs the respondent rows with the design's "
                    f"{role} column {col!r}; this is an aggregated table (from "
                    f"cxkit.from_aggregates, or an engine source the analysis aggregated). Load "
                    f"the survey with cxkit.load_survey(config) (pandas) for a design, or pass "
                    f"design=False.", column=col)
            raise SurveyDataError(f"The design's {role} column {col!r} is not in the responses "
                                  f"(columns: {list(responses.columns)[:40]}).", column=col)
        miss = responses[col].isna().to_numpy()
        if miss.any():
            rows = responses.get("source_row", pd.Series(np.arange(len(miss)))).to_numpy()[miss]
            raise SurveyDataError(
                f"{int(miss.sum())} response(s) have no {role} value in {col!r} (rows "
                f"{rows[:10].tolist()}…). Every response needs its stratum and cluster for a "
                f"design-based variance; fill them or exclude those responses.", column=col)


def _fpc_per_stratum(responses, d: Design, strata_levels):
    if d.fpc is None:
        return None
    if isinstance(d.fpc, (int, float)) and not isinstance(d.fpc, bool):   # one N (or f) for all
        vals = np.full(len(strata_levels), float(d.fpc))
    elif isinstance(d.fpc, dict):
        key = {str(k): v for k, v in d.fpc.items()}
        missing = [s for s in strata_levels if str(s) not in key]
        if missing:
            raise SurveyDataError(f"The design's fpc gives no value for strata {missing}.")
        vals = np.array([float(key[str(s)]) for s in strata_levels])
    else:
        if not isinstance(d.fpc, str) or d.fpc not in responses.columns:
            raise SurveyDataError(f"The design's fpc column {d.fpc!r} is not in the responses.",
                                  column=d.fpc if isinstance(d.fpc, str) else None)
        fp = pd.to_numeric(responses[d.fpc], errors="coerce")
        st = responses[d.strata] if d.strata else pd.Series(0, index=responses.index)
        g = fp.groupby(st.astype(str), observed=True)
        if (g.nunique(dropna=False) > 1).any() or fp.isna().any():
            raise SurveyDataError(f"The fpc column {d.fpc!r} must be a number, constant within "
                                  f"each stratum.", column=d.fpc)
        first = g.first()
        vals = np.array([float(first[str(s)]) for s in strata_levels])
    if np.any(~np.isfinite(vals)) or np.any(vals <= 0):
        raise SurveyDataError(f"The design's fpc values must be positive, got {vals.tolist()}.")
    return vals


def _prepare(responses, score, by, d: Design, wcol):
    """Tally by (by…, stratum, cluster) and index strata/PSUs over the whole design (every row
    of ``responses``: the tally's missing-score rows are PSUs, or parts of PSUs, with z = 0)."""
    _check_design_columns(responses, d)
    work = responses
    hcol, ccol = "__stratum__", "__psu__"
    extra = {}
    if d.strata:   # integer codes (no string work on big tables: the tally stays fast)
        hcodes, huniq = pd.factorize(responses[d.strata], sort=True)
        names = [str(u) for u in huniq]
    else:
        hcodes, names = np.zeros(len(responses), dtype=np.int64), ["all"]
    hcodes = np.asarray(hcodes, dtype=np.int64)
    if d.cluster:   # one categorical PSU column (nested in strata); its stratum is looked up
        ccodes, cuniq = pd.factorize(responses[d.cluster], sort=False)
        pc, puniq = pd.factorize(hcodes * max(len(cuniq), 1) + np.asarray(ccodes, np.int64),
                                 sort=False)
        stratum_of = np.empty(len(puniq), dtype=np.int64)
        stratum_of[pc] = hcodes
        extra[ccol] = pd.Categorical.from_codes(pc, categories=np.arange(len(puniq)))
    else:
        extra[hcol] = pd.Categorical.from_codes(hcodes, categories=np.arange(len(names)))
    work = responses.assign(**extra)
    work.attrs = responses.attrs
    cols = by + [ccol if d.cluster else hcol]
    t = tally(work, score, by=cols, weight=wcol)
    spec = t.attrs["tally"]["metric"]
    if spec is None:
        raise SurveyDataError(f"{score!r} has no metric (nps, top box or mean); a design-based "
                              f"estimate needs one.")
    # domain estimation over the WHOLE design (R: svymean(na.rm = TRUE), svyby): every row of
    # ``responses`` is in the design, rows without a valid score (or outside a domain) are
    # PSUs, or parts of PSUs, contributing zero — so n_h and the stratum means of the PSU
    # totals are those of the full design.  df = PSUs − strata with a valid score, as
    # degf(subset(design, !is.na(x))) (svyttest's df + 1).
    strata_levels = names
    H = len(names)
    nz = t["n"].to_numpy(dtype=float) > 0
    if d.cluster:
        psu_codes = np.asarray(t[ccol].to_numpy(), dtype=np.int64)
        psu_h = stratum_of
        h = psu_h[psu_codes]
        n_h = np.bincount(psu_h, minlength=H).astype(float)
        used = np.unique(psu_codes[nz])
        df = float(used.size - np.unique(psu_h[used]).size)
    else:
        h = np.asarray(t[hcol].to_numpy(), dtype=np.int64)
        psu_codes, psu_h = None, None
        n_h = np.bincount(hcodes, minlength=H).astype(float)
        df = float(t["n"].to_numpy(dtype=float).sum() - np.unique(h[nz]).size)
    present = np.bincount(h[nz], minlength=H) > 0
    lonely = [s_ for s_, k, p_ in zip(strata_levels, n_h, present) if k < 2 and p_]
    if lonely and d.lonely_psu == "fail":
        raise _lonely_error(d, lonely)
    fpc = _fpc_per_stratum(responses, d, strata_levels)
    if fpc is None:
        f_h = np.zeros(len(strata_levels))
    else:
        f_h = np.where(fpc <= 1, fpc, n_h / fpc)
        if np.any(f_h > 1 + 1e-12):
            raise SurveyDataError(f"The fpc says fewer {'PSUs' if d.cluster else 'units'} in "
                                  f"the population than sampled in a stratum: {fpc.tolist()} vs "
                                  f"{n_h.tolist()}.")
    return t, spec, h, psu_codes, psu_h, n_h, f_h, H, df, d.lonely_psu


def _variance_parts(zsum, z2sum, h, n_h, f_h, H, psu_codes, psu_h, inside=None,
                    lonely="fail"):
    """Σ_h (1−f_h) n_h/(n_h−1) [Σ_u z_u² − (Σ_u z_u)²/n_h] from per-bin z sums.

    zsum: per tally row, Σ w(x − x̄)/W of the row's responses; z2sum: per row Σ w²(x − x̄)²/W²
    (used when every response is its own PSU); PSUs (strata) without tally rows count with
    z = 0.  ``inside``: the tally rows in the domain (default all; which strata are present
    for the single-PSU rule)."""
    if psu_codes is not None:
        zu = np.bincount(psu_codes, zsum, minlength=psu_h.size)
        s1 = np.bincount(psu_h, zu, minlength=H)
        s2 = np.bincount(psu_h, zu * zu, minlength=H)
    else:
        s1 = np.bincount(h, zsum, minlength=H)
        s2 = np.bincount(h, z2sum, minlength=H)
    present = np.bincount(h if inside is None else h[inside], minlength=H) > 0
    return _stratum_variance(s1, s2, n_h, f_h, present, lonely)


def design_summary(responses, metrics=("nps",), by=None, *, design=None, weighted=True,
                   conf=0.95) -> pd.DataFrame:
    """Design-based estimates (strata, clusters, fpc) for many metrics and groups.

    Parameters
    ----------
    responses : pandas.DataFrame
        Responses with the design's columns.
    metrics : str or list, default ("nps",)
        Score names (as :func:`cxkit.summarize`).
    by : str or list of str, optional
        Domains (groups); their variances use the whole design (domain estimation).
    design : dict, Design, True or None
        ``{"strata": column, "cluster": column, "fpc": column or {stratum: N_h}}``; None/True
        use the configured design (:func:`configured_design`).
    weighted : bool or str, default True
        The weight column (``True``: configured, ignored when there is none; ``False``:
        equal weights).
    conf : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        The group columns, then ``metric, value, se, ci_low, ci_high, n, n_eff, deff, df,
        conf, method, weighted, note, units``; ``method`` is ``"design-linearized"``,
        ``deff`` the design effect of the strata and clusters (design variance over the
        weights-only linearised variance, the ``survey::svymean`` SE with ``ids = ~1``),
        ``n_eff`` = Kish n_eff / deff, ``df`` = PSUs − strata, and for NPS rows the
        ``promoters``, ``passives``, ``detractors`` shares in percent (NaN otherwise).

    Raises
    ------
    cxkit.SurveyDataError
        A design column is missing or has missing values, a stratum with answers has a single
        PSU in the whole design (with ``lonely_psu="fail"``, the default), the fpc is
        inconsistent, or the scores are invalid (as :func:`cxkit.tally`).

    Notes
    -----
    Per domain g: x̄_g = Σ w x / W_g over its responses with a valid score.  Linearised
    values z_i = w_i (x_i − x̄_g)/W_g (0 outside the domain *and* for rows without a valid
    score), PSU totals z_hc, and Var(x̄_g) = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_c (z_hc − z̄_h)²,
    with n_h the PSUs of stratum h in the **whole** design — every row of ``responses``,
    answered or not, so a PSU whose answers are all blank counts with z_hc = 0: item
    non-response is a domain (with-replacement first stage; Wolter 2007, §6.11; Lumley 2010,
    §2.2 and §3.1 for domains; = ``survey::svymean(na.rm = TRUE)``/``svyby`` with
    ``svydesign(ids=, strata=, weights=, fpc=, nest=TRUE)`` on all rows).  The interval is
    x̄ ± t_{df}·se with df = PSUs − strata among the rows with a valid score (as Stata ``svy``
    and ``confint(..., df = degf(subset(design, !is.na(x))))``), clipped to the metric's
    range.  A single-PSU stratum follows ``Design.lonely_psu`` (R's ``survey.lonely.psu``).
    Weights are treated as fixed (raked weights too — the raking's own variance reduction
    is not credited, which is conservative).

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    .. [3] Binder, D. A. (1983). On the variances of asymptotically normal estimators from
       complex surveys. *International Statistical Review* 51(3), 279–292.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 0, 7, 9],
    ...                    "h": ["a"] * 4 + ["b"] * 4, "c": [1, 1, 2, 2, 1, 1, 2, 2]})
    >>> t = design_summary(df, "nps", design={"strata": "h", "cluster": "c"}, weighted=False)
    >>> t[["value", "se", "df"]].round(3).values.tolist()
    [[25.0, 39.528, 2.0]]
    """
    check_conf(conf)
    d = configured_design(responses, design)
    if d is None:
        raise SurveyDataError("design_summary needs a design (strata and/or cluster).")
    by = _as_list(parse_list(by) if isinstance(by, str) else by)
    wcol = _resolve_w(responses, weighted)
    if isinstance(metrics, str) or (isinstance(metrics, tuple) and len(metrics) == 2
                                    and isinstance(metrics[1], str)
                                    and metrics[1] in METRIC_KINDS):
        mlist = [metrics]
    else:
        mlist = list(metrics)
    if len(mlist) == 1 and isinstance(mlist[0], str) and "," in mlist[0]:
        mlist = parse_list(mlist[0])
    frames = []
    for m in mlist:
        frames.append(_design_one(responses, m, by, d, wcol, conf))
    out = pd.concat(frames, ignore_index=True)
    out.attrs["design"] = d.to_dict()
    return out


def _domain_stats(responses, score, by, d, wcol):
    t, spec, h, psu_codes, psu_h, n_h, f_h, H, df, lonely = _prepare(responses, score, by, d,
                                                                      wcol)
    x = spec.values(t["score"].to_numpy(dtype=float))
    n = t["n"].to_numpy(dtype=float)
    w = t["w"].to_numpy(dtype=float) if wcol else n
    w2 = t["w2"].to_numpy(dtype=float) if wcol else n
    if by:
        gcodes, glevels = pd.MultiIndex.from_frame(t[by]).factorize(sort=False) if len(by) > 1 \
            else pd.factorize(t[by[0]], sort=False)
        gcodes = np.asarray(gcodes)
    else:
        gcodes, glevels = np.zeros(len(t), dtype=np.int64), [None]
    G = len(glevels)
    W = np.bincount(gcodes, w, minlength=G)
    N = np.bincount(gcodes, n, minlength=G)
    mean = np.bincount(gcodes, w * x, minlength=G) / W
    dev = x - mean[gcodes]
    var_srs = np.bincount(gcodes, n * dev * dev, minlength=G) / N / N  # unweighted plug-in/N
    if wcol:   # SRS variance of the weighted mean (Kish-type): Σw²(x−x̄)²/W² · N/(N−1)
        var_srs = np.bincount(gcodes, w2 * dev * dev, minlength=G) / W / W
    ne_kish = W * W / np.bincount(gcodes, w2, minlength=G)
    return dict(t=t, spec=spec, h=h, psu_codes=psu_codes, psu_h=psu_h, n_h=n_h, f_h=f_h, H=H,
                x=x, n=n, w=w, w2=w2, gcodes=gcodes, glevels=glevels, G=G, W=W, N=N, mean=mean,
                dev=dev, var_srs=var_srs, ne_kish=ne_kish, df=df, lonely=lonely)


def _group_var(s, mask_sign):
    """Variance of Σ_g sign_g x̄_g (mask_sign: array over groups, 0 = not included)."""
    coef = mask_sign[s["gcodes"]]
    zsum = coef * s["w"] * s["dev"] / s["W"][s["gcodes"]]
    z2sum = coef * coef * s["w2"] * s["dev"] ** 2 / s["W"][s["gcodes"]] ** 2
    return _variance_parts(zsum, z2sum, s["h"], s["n_h"], s["f_h"], s["H"], s["psu_codes"],
                           s["psu_h"], inside=coef != 0, lonely=s["lonely"])


def _design_one(responses, score, by, d, wcol, conf):
    s = _domain_stats(responses, score, by, d, wcol)
    spec, G = s["spec"], s["G"]
    df = float(s["df"])
    q = float(stats.t.ppf(0.5 + conf / 2, df)) if df > 0 else math.nan
    lo, hi = _CLIP.get(spec.kind, (-np.inf, np.inf))
    rows = []
    for g in range(G):
        sign = np.zeros(G)
        sign[g] = 1.0
        var = _group_var(s, sign)
        se = math.sqrt(max(var, 0.0))
        value = float(s["mean"][g])
        n = int(s["N"][g])
        vs = float(s["var_srs"][g]) * (n / (n - 1) if n > 1 else math.nan)
        deff = var / vs if vs > 0 else math.nan
        row = {}
        if by:
            key = s["glevels"][g]
            key = key if isinstance(key, tuple) else (key,)
            row.update(dict(zip(by, key)))
        row.update(metric=spec.name, value=value, se=se,
                   ci_low=max(lo, value - q * se), ci_high=min(hi, value + q * se), n=n,
                   n_eff=(float(s["ne_kish"][g]) / deff if deff and deff > 0 else math.nan),
                   deff=deff, df=df,
                   conf=conf, method="design-linearized", weighted=bool(wcol), note="",
                   units=_UNITS.get(spec.kind, ""))
        if spec.kind == "nps":   # shares in percent, as cxkit.summarize
            for name, val in (("promoters", 100.0), ("passives", 0.0), ("detractors", -100.0)):
                row[name] = float(100 * s["w"][(s["gcodes"] == g) & (s["x"] == val)].sum()
                                  / s["W"][g])
        else:
            row["promoters"] = row["passives"] = row["detractors"] = math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def design_estimate(responses, score="nps", *, design=None, weighted=True, conf=0.95) -> Estimate:
    """One design-based estimate (see :func:`design_summary`).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 0, 7, 9], "h": ["a"] * 4 + ["b"] * 4})
    >>> e = design_estimate(df, design={"strata": "h"}, weighted=False)
    >>> round(e.value, 1), round(e.se, 3), e.method
    (25.0, 33.85, 'design-linearized')
    """
    row = design_summary(responses, score, design=design, weighted=weighted, conf=conf).iloc[0]
    return Estimate(metric=row["metric"], value=float(row["value"]), se=float(row["se"]),
                    ci_low=float(row["ci_low"]), ci_high=float(row["ci_high"]), n=int(row["n"]),
                    n_eff=float(row["n_eff"]), conf=conf, method="design-linearized",
                    weighted=bool(row["weighted"]), note=f"design df {row['df']:g}")


@dataclass(frozen=True)
class DesignComparison:
    """A design-based difference b − a between two domains (:func:`design_compare`)."""

    metric: str
    group: str
    a: object
    b: object
    value_a: float
    value_b: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    statistic: float
    df: float
    p_value: float
    n_a: int
    n_b: int
    conf: float = 0.95
    method: str = "design-linearized"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["a"], d["b"] = str(self.a), str(self.b)
        return d


def design_compare(responses, score="nps", by="period", a=None, b=None, *, design=None,
                   weighted=True, conf=0.95, alternative="two-sided") -> DesignComparison:
    """Difference b − a of a score between two domains of one design, with a design t test.

    Parameters
    ----------
    responses : pandas.DataFrame
    score : str, default "nps"
    by : str, default "period"
        The column whose levels ``a`` and ``b`` are compared (periods, brands, segments).
    a, b : optional
        The two levels; default the first two (in table order) when the column has exactly two.
    design, weighted, conf : as :func:`design_summary`
    alternative : {"two-sided", "larger", "smaller"}
        Sidedness of the test of b − a.

    Returns
    -------
    DesignComparison
        ``diff`` = x̄_b − x̄_a, its linearised ``se``, t ``statistic``, ``df`` = PSUs − strata − 1
        and ``p_value``, as ``survey::svyttest(x ~ group, design)``.

    Notes
    -----
    The difference's linearised values are z_i = w_i(x_i − x̄_b)/W_b in b minus
    w_i(x_i − x̄_a)/W_a in a; its variance is the design formula of :func:`design_summary`
    applied to their PSU totals (covariance between the domains included, as they share
    PSUs).  df = PSUs − strata − 1, the residual df of the two-coefficient regression that
    ``svyttest`` fits.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §3.1, §5.2.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 0, 7, 9, 10, 4], "g": list("ababababab"),
    ...                    "h": ["x"] * 5 + ["y"] * 5})
    >>> c = design_compare(df, by="g", design={"strata": "h"}, weighted=False)
    >>> round(c.diff, 1), c.df
    (-40.0, 7.0)
    """
    from ..core.checks import check_alternative
    check_conf(conf)
    check_alternative(alternative)
    d = configured_design(responses, design)
    if d is None:
        raise SurveyDataError("design_compare needs a design (strata and/or cluster).")
    if by not in responses.columns:
        raise SurveyDataError(f"The responses have no column {by!r} to compare.", column=by)
    s = _domain_stats(responses, score, [by], d, _resolve_w(responses, weighted))
    levels = list(s["glevels"])
    if a is None and b is None:
        if len(levels) != 2:
            raise SurveyDataError(f"{by!r} has levels {levels[:10]}; name the two to compare "
                                  f"with a= and b=.", column=by)
        a, b = sorted(levels, key=str)
    idx = {str(v): i for i, v in enumerate(levels)}
    for lev in (a, b):
        if str(lev) not in idx:
            raise SurveyDataError(f"{by!r} has no valid {s['spec'].name} responses for "
                                  f"{lev!r} (levels: {levels[:10]}).", column=by)
    ia, ib = idx[str(a)], idx[str(b)]
    sign = np.zeros(s["G"])
    sign[ia], sign[ib] = -1.0, 1.0
    se = math.sqrt(max(_group_var(s, sign), 0.0))
    diff = float(s["mean"][ib] - s["mean"][ia])
    df = float(s["df"]) - 1
    tstat = diff / se if se > 0 else math.nan
    if alternative == "two-sided":
        p = 2 * stats.t.sf(abs(tstat), df)
    elif alternative == "larger":
        p = stats.t.sf(tstat, df)
    else:
        p = stats.t.cdf(tstat, df)
    q = float(stats.t.ppf(0.5 + conf / 2, df))
    return DesignComparison(metric=s["spec"].name, group=by, a=a, b=b,
                            value_a=float(s["mean"][ia]), value_b=float(s["mean"][ib]), diff=diff,
                            se=se, ci_low=diff - q * se, ci_high=diff + q * se,
                            statistic=float(tstat), df=df, p_value=float(p),
                            n_a=int(s["N"][ia]), n_b=int(s["N"][ib]), conf=conf)


def _resolve_w(responses, weighted):
    if weighted is True:
        configured = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("weight")
        if configured and configured in responses.columns:
            return configured
        return "weight" if "weight" in responses.columns else None
    return _weight_column(responses, weighted, "weighted") if weighted else None


def design_domain_difference(responses, score, design, domains, *, weighted=True, conf=0.95):
    """Design-based b − a between two domains given as labels ``"a"``/``"b"`` per response.

    ``domains`` is an array or Series aligned with ``responses``: ``"a"``, ``"b"`` or anything
    else (other responses — they stay in the design, so every PSU and stratum counts, as a
    domain analysis in R).  Returns the fields of a :func:`cxkit.score_changes` row:
    ``value_a, ci_low_a, ci_high_a, value_b, ci_low_b, ci_high_b, diff, se, ci_low, ci_high,
    statistic, p_value, n_a, n_b, n_eff_a, n_eff_b, method, df`` (t on PSUs − strata − 1 df
    for the difference, PSUs − strata for each side, as ``svyttest`` / ``svymean``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 0, 7, 9, 10, 4], "g": list("ababababab"),
    ...                    "h": ["x"] * 5 + ["y"] * 5})
    >>> r = design_domain_difference(df, "nps", {"strata": "h"}, df["g"], weighted=False)
    >>> r["diff"] == design_compare(df, by="g", design={"strata": "h"}, weighted=False).diff
    True
    """
    check_conf(conf)
    d = configured_design(responses, design)
    if d is None:
        raise SurveyDataError("design_domain_difference needs a design.")
    lab = pd.Series(np.asarray(domains, dtype=object), index=responses.index)
    lab = lab.where(lab.isin(["a", "b"]), "other")
    work = responses.assign(__domain__=lab.astype(str))
    work.attrs = responses.attrs
    s = _domain_stats(work, score, ["__domain__"], d, _resolve_w(responses, weighted))
    idx = {str(v): i for i, v in enumerate(s["glevels"])}
    out = {"method": "design-linearized", "df": float(s["df"]) - 1}
    lo, hi = _CLIP.get(s["spec"].kind, (-np.inf, np.inf))
    qd = float(stats.t.ppf(0.5 + conf / 2, s["df"])) if s["df"] > 0 else math.nan
    for side in ("a", "b"):
        if side not in idx:
            out.update({f"value_{side}": math.nan, f"ci_low_{side}": math.nan,
                        f"ci_high_{side}": math.nan, f"n_{side}": 0, f"n_eff_{side}": math.nan})
            continue
        g = idx[side]
        sign = np.zeros(s["G"])
        sign[g] = 1.0
        se = math.sqrt(max(_group_var(s, sign), 0.0))
        v = float(s["mean"][g])
        n = int(s["N"][g])
        vs = float(s["var_srs"][g]) * (n / (n - 1) if n > 1 else math.nan)
        deff = se * se / vs if vs > 0 else math.nan
        out.update({f"value_{side}": v, f"ci_low_{side}": max(lo, v - qd * se),
                    f"ci_high_{side}": min(hi, v + qd * se), f"n_{side}": n,
                    f"n_eff_{side}": float(s["ne_kish"][g]) / deff if deff > 0 else math.nan})
    if "a" in idx and "b" in idx:
        sign = np.zeros(s["G"])
        sign[idx["a"]], sign[idx["b"]] = -1.0, 1.0
        se = math.sqrt(max(_group_var(s, sign), 0.0))
        diff = out["value_b"] - out["value_a"]
        df = out["df"]
        t = diff / se if se > 0 else math.nan
        q = float(stats.t.ppf(0.5 + conf / 2, df)) if df > 0 else math.nan
        out.update(diff=diff, se=se, ci_low=diff - q * se, ci_high=diff + q * se, statistic=t,
                   p_value=float(2 * stats.t.sf(abs(t), df)) if math.isfinite(t) else math.nan)
    else:
        out.update(diff=math.nan, se=math.nan, ci_low=math.nan, ci_high=math.nan,
                   statistic=math.nan, p_value=math.nan)
    return out


def design_brand_gaps(responses, own=None, brands=None, *, design=None, weighted=True,
                      conf=0.95) -> pd.DataFrame:
    """Design-based paired NPS gaps brand − own among respondents who rate both (wide form).

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide relationship table: one row per respondent, one 0–10 column per brand.
    own, brands : optional
        Own brand and the brands; default ``attrs["cxkit"]["relationship"]``.
    design, weighted, conf : as :func:`design_summary`

    Returns
    -------
    pandas.DataFrame
        ``brand, n_both, gap, se, ci_low, ci_high, statistic, df, p_value`` (gap in points,
        t on PSUs − strata df, two-sided).

    Notes
    -----
    For the respondents rating both (a domain of the whole design): d_i = x_brand,i − x_own,i
    with x the NPS recode (+100/0/−100); gap = Σ w d / Σ w over the domain; linearised values
    z_i = w_i (d_i − gap)/W (0 outside the domain), PSU totals and the stratified
    with-replacement variance of :func:`design_summary` — ``svymean(~I(xb − xa),
    subset(design, both))`` in R.  Computed by :func:`design_brand_tables` from the joint
    histograms by PSU; :func:`cxkit.brand_comparison` with ``design=`` gives the same gaps in
    its usual result (this function stays as the compact table).

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §2.2.
    """
    check_conf(conf)
    d = configured_design(responses, design)
    if d is None:
        raise SurveyDataError("design_brand_gaps needs a design.")
    _check_design_columns(responses, d)
    rel = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("relationship") or {}
    own = own or rel.get("own")
    brands = list(brands or rel.get("brands") or [])
    if not own or not brands:
        raise SurveyDataError("Name the own brand and the brands (own=, brands=), or load a "
                              "relationship survey with `relationship: {own:, brands:}`.")
    for b in [own] + brands:
        if b not in responses.columns:
            raise SurveyDataError(f"The responses have no brand column {b!r}.", column=b)
    _, gaps = design_brand_tables(responses, own, [own] + [b for b in brands if b != own],
                                  d, weighted=weighted, conf=conf)
    rated = {b: pd.to_numeric(responses[b], errors="coerce").notna().to_numpy()
             for b in [own] + brands}
    gaps.insert(1, "n_both", [int((rated[own] & rated[b]).sum()) for b in gaps["brand"]])
    return gaps


# --------------------------------------------------------------------------------------------
# contrasts of domain means (trend, changes), decomposition, brand tables — issue 17, point 3
# --------------------------------------------------------------------------------------------
def _t_p(t, df, alternative="two-sided"):
    if not math.isfinite(t) or not df > 0:
        return math.nan
    if alternative == "larger":
        return float(stats.t.sf(t, df))
    if alternative == "smaller":
        return float(stats.t.cdf(t, df))
    return float(2 * stats.t.sf(abs(t), df))


def _t_q(conf, df):
    return float(stats.t.ppf(0.5 + conf / 2, df)) if df > 0 else math.nan


class DomainContrasts:
    """Design-based estimates and linear contrasts of the domain means of one score.

    One tally of ``score`` by ``by`` + stratum/PSU (the histograms), then any domain's
    estimate and any linear combination Σ c_g x̄_g of domain means with its linearised
    variance (covariances of domains sharing PSUs included) — the machinery of
    :func:`design_summary` and :func:`design_compare`, used by :func:`cxkit.trend`.
    Domains are addressed by tuples of ``str`` of their ``by`` values.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 0, 7, 9, 10, 4], "g": list("ababababab"),
    ...                    "h": ["x"] * 5 + ["y"] * 5})
    >>> dc = DomainContrasts(df, "nps", ["g"], {"strata": "h"}, weighted=False)
    >>> diff, se = dc.contrast({("a",): -1, ("b",): 1})
    >>> round(diff, 1), dc.df
    (-40.0, 8.0)
    """

    def __init__(self, responses, score, by, design, *, weighted=True):
        d = configured_design(responses, design)
        if d is None:
            raise SurveyDataError("DomainContrasts needs a design (strata and/or cluster).")
        self.by = list(by)
        self.s = _domain_stats(responses, score, self.by, d, _resolve_w(responses, weighted))
        self.spec = self.s["spec"]
        self.df = float(self.s["df"])
        levels = self.s["glevels"]
        self.index = {}
        for g, key in enumerate(levels):
            key = key if isinstance(key, tuple) else (key,)
            self.index[tuple(str(k) for k in key)] = g

    def __contains__(self, key):
        return tuple(str(k) for k in key) in self.index

    def estimate(self, key, conf=0.95) -> dict:
        """``value, se, ci_low, ci_high, n, n_eff, deff, df`` of one domain (t on ``df``)."""
        s, g = self.s, self.index[tuple(str(k) for k in key)]
        sign = np.zeros(s["G"])
        sign[g] = 1.0
        var = _group_var(s, sign)
        se = math.sqrt(max(var, 0.0))
        v = float(s["mean"][g])
        n = int(s["N"][g])
        vs = float(s["var_srs"][g]) * (n / (n - 1) if n > 1 else math.nan)
        deff = var / vs if vs > 0 else math.nan
        q = _t_q(conf, self.df)
        lo, hi = _CLIP.get(self.spec.kind, (-np.inf, np.inf))
        return {"value": v, "se": se, "ci_low": max(lo, v - q * se),
                "ci_high": min(hi, v + q * se), "n": n,
                "n_eff": float(s["ne_kish"][g]) / deff if deff > 0 else math.nan,
                "deff": deff, "df": self.df}

    def contrast(self, coefs) -> tuple:
        """(Σ c_g x̄_g, its linearised SE) for ``coefs`` = {domain key: c_g}."""
        s = self.s
        sign = np.zeros(s["G"])
        for key, c in coefs.items():
            sign[self.index[tuple(str(k) for k in key)]] += float(c)
        value = float(np.dot(sign, s["mean"]))
        return value, math.sqrt(max(_group_var(s, sign), 0.0))


def _decomp_terms(Ta, Xa, Tb, Xb, absent_a, absent_b, method):
    """(change, mix, rate, interaction) of :func:`cxkit.decompose_change` from domain totals
    (T = Σw, X = Σw·x per level; works on complex arrays for the complex-step derivative)."""
    sa, sb = Ta / Ta.sum(), Tb / Tb.sum()
    ma = np.where(absent_a, 0, Xa / np.where(absent_a, 1, Ta))
    mb = np.where(absent_b, 0, Xb / np.where(absent_b, 1, Tb))
    ma, mb = np.where(absent_a, mb, ma), np.where(absent_b, ma, mb)
    Ma, Mb = (sa * ma).sum(), (sb * mb).sum()
    ds, dm = sb - sa, mb - ma
    if method == "three-way":
        mix, rate, inter = ds * (ma - Ma), sa * dm, ds * dm
    else:
        mix, rate, inter = ds * ((ma + mb) / 2 - (Ma + Mb) / 2), (sa + sb) / 2 * dm, 0 * dm
    return np.array([Mb - Ma, mix.sum(), rate.sum(), inter.sum()])


def _side_labels(periods, sides):
    """Per row ``sides[period]`` or "" (one lookup per distinct period, not per row)."""
    codes, uniq = pd.factorize(periods)
    lab = np.array([str(sides.get(q, "")) for q in uniq] + [""], dtype=object)
    return lab[np.where(codes < 0, len(uniq), codes)]


def design_decomposition(responses, score, by, sides, levels, design, *, weighted=True,
                         method="three-way", conf=0.95) -> pd.DataFrame:
    """Design-based SEs of a decomposition's change, mix, rate and interaction totals.

    ``sides`` maps each period to ``"a"`` or ``"b"`` (other periods stay in the design with
    no contribution); ``levels`` are the segment levels of :func:`cxkit.decompose_change`.
    Returns a frame with rows ``change, mix, rate, interaction`` and columns ``term,
    estimate, se, ci_low, ci_high, statistic, df, p_value`` (t on PSUs − strata − 1 df, as a
    change in :func:`cxkit.score_changes`).

    Notes
    -----
    Every term is a smooth function θ = f(T, X) of the domain totals T_{s,i} = Σ w and
    X_{s,i} = Σ w x of side s and level i (shares T_{s,i}/Σ_i T_{s,i}, scores X/T).  Its
    linearised values are z_k = Σ_{s,i} 1[k ∈ (s,i)] w_k (∂f/∂T_{s,i} + ∂f/∂X_{s,i} x_k)
    (Woodruff 1971; Binder 1983), so per histogram cell (side, level, PSU, score) z is the
    cell's weight times a constant, and the variance is the stratified PSU formula of
    :func:`design_summary`.  The derivatives are taken by complex step (exact to rounding
    for these rational functions; Squire & Trapp 1998) — as ``survey::svycontrast`` with an
    expression on ``svytotal``.

    References
    ----------
    .. [1] Woodruff, R. S. (1971). A simple method for approximating the variance of a
       complicated estimate. *JASA* 66, 411–414.
    .. [2] Squire, W., & Trapp, G. (1998). Using complex variables to estimate derivatives of
       real functions. *SIAM Review* 40(1), 110–112.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": ["p1"] * 8 + ["p2"] * 8, "seg": list("xxyyxxyy") * 2,
    ...                    "nps": [10, 9, 3, 8, 10, 0, 7, 9, 9, 9, 0, 0, 10, 5, 8, 10],
    ...                    "h": (["u"] * 4 + ["v"] * 4) * 2})
    >>> u = design_decomposition(df, "nps", "seg", {"p1": "a", "p2": "b"}, ["x", "y"],
    ...                          {"strata": "h"}, weighted=False)
    >>> u["term"].tolist(), round(float(u["estimate"].iloc[0]), 1)
    (['change', 'mix', 'rate', 'interaction'], -12.5)
    """
    check_conf(conf)
    d = configured_design(responses, design)
    if d is None:
        raise SurveyDataError("design_decomposition needs a design.")
    from ..core.metrics import resolve_metric
    from ..core.validate import check_columns

    column, spec0 = resolve_metric(responses, score)
    check_columns(responses, [by], "segment", "by")
    wcol = _resolve_w(responses, weighted)
    keep = [c for c in dict.fromkeys([column, by, wcol, d.strata, d.cluster,
                                      d.fpc if isinstance(d.fpc, str) else None])
            if c is not None and c in responses.columns]
    work = responses[keep].assign(__side__=_side_labels(responses["period"], sides))
    work.attrs = responses.attrs
    score = (column, spec0)
    t, spec, h, psu_codes, psu_h, n_h, f_h, H, df_d, lonely = _prepare(work, score,
                                                                        ["__side__", by], d, wcol)
    x = spec.values(t["score"].to_numpy(dtype=float))
    w = t["w"].to_numpy(dtype=float) if wcol else t["n"].to_numpy(dtype=float)
    w2 = t["w2"].to_numpy(dtype=float) if wcol else t["n"].to_numpy(dtype=float)
    lev = {str(v): i for i, v in enumerate(levels)}
    L = len(levels)
    sd = t["__side__"].astype(str).to_numpy()
    li = np.array([lev.get(str(v), -1) for v in t[by].to_numpy()], dtype=np.int64)
    use = ((sd == "a") | (sd == "b")) & (li >= 0)
    cell = np.where(sd == "b", L, 0) + li              # 0..2L-1 over (side, level)
    T = np.bincount(cell[use], w[use], minlength=2 * L)
    X = np.bincount(cell[use], (w * x)[use], minlength=2 * L)
    absent_a, absent_b = T[:L] == 0, T[L:] == 0
    theta = _decomp_terms(T[:L], X[:L], T[L:], X[L:], absent_a, absent_b, method)
    step = 1e-20
    gT, gX = np.zeros((4, 2 * L)), np.zeros((4, 2 * L))
    for k in range(2 * L):
        for base, grad in ((T, gT), (X, gX)):
            hk = step * max(abs(base[k]), 1.0)
            Tc, Xc = T.astype(complex), X.astype(complex)
            (Tc if base is T else Xc)[k] += 1j * hk
            val = _decomp_terms(Tc[:L], Xc[:L], Tc[L:], Xc[L:], absent_a, absent_b, method)
            grad[:, k] = val.imag / hk
    df = df_d - 1
    q = _t_q(conf, df)
    rows = []
    for j, term in enumerate(("change", "mix", "rate", "interaction")):
        f = np.where(use, gT[j][np.where(use, cell, 0)] + gX[j][np.where(use, cell, 0)] * x, 0.0)
        var = _variance_parts(w * f, w2 * f * f, h, n_h, f_h, H, psu_codes, psu_h,
                              inside=use, lonely=lonely)
        se = math.sqrt(max(var, 0.0))
        est = float(theta[j].real)
        tt = est / se if se > 0 else math.nan
        rows.append({"term": term, "estimate": est, "se": se, "ci_low": est - q * se,
                     "ci_high": est + q * se, "statistic": tt, "df": df,
                     "p_value": _t_p(tt, df)})
    return pd.DataFrame(rows)


def design_frames_compare(a, b, metric="nps", *, design=None, weights=None, conf=0.95,
                          alternative="two-sided"):
    """Design-based b − a between two row sets of one responses table (``cxkit.compare``).

    ``a`` and ``b`` are DataFrames of respondents (rows of one table, disjoint, with the
    design's columns); the design is formed by their rows together.  ``weights``: None uses
    the configured weight column when there is one, a string names the column, False means
    equal weights.  Returns a :class:`cxkit.Comparison` (``method="design-linearized"``, t on
    PSUs − strata − 1 df, as ``svyttest``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 0, 7, 9, 10, 4], "g": list("ababababab"),
    ...                    "h": ["x"] * 5 + ["y"] * 5})
    >>> c = design_frames_compare(df[df.g == "a"], df[df.g == "b"], design={"strata": "h"},
    ...                           weights=False)
    >>> round(c.diff, 1), c.df, c.method
    (-40.0, 7.0, 'design-linearized')
    """
    from ..core.checks import check_alternative
    from ..core.metrics import resolve_metric
    from .twosample import Comparison

    check_conf(conf)
    check_alternative(alternative)
    d = configured_design(a, design)
    if d is None:
        raise SurveyDataError("A design-based compare needs a design (strata and/or cluster).")
    if a.index.intersection(b.index).size:
        raise SurveyDataError(f"`a` and `b` share rows {list(a.index.intersection(b.index)[:5])}"
                              f"; a design-based compare needs two disjoint sets of "
                              f"respondents (for the same respondents use paired gaps: "
                              f"cxkit.brand_comparison(design=...)).")
    both = pd.concat([a, b])
    both.attrs = a.attrs
    column, spec = resolve_metric(both, metric)
    dom = np.r_[np.full(len(a), "a", dtype=object), np.full(len(b), "b", dtype=object)]
    wt = True if weights is None else weights
    r = design_domain_difference(both, (column, spec), d, dom, weighted=wt, conf=conf)
    p = _t_p(r["statistic"], r["df"], alternative)
    return Comparison(metric=spec.name, diff=r["diff"], se=r["se"], ci_low=r["ci_low"],
                      ci_high=r["ci_high"], statistic=r["statistic"], p_value=p,
                      n_a=int(r["n_a"]), n_b=int(r["n_b"]), n_eff_a=r["n_eff_a"],
                      n_eff_b=r["n_eff_b"], method="design-linearized", value_a=r["value_a"],
                      value_b=r["value_b"], conf=conf, alternative=alternative,
                      weighted=_resolve_w(both, wt) is not None, df=r["df"], kind=spec.kind)


class _WideDesign:
    """Stratum and PSU codes of every row of a wide table (the whole design)."""

    def __init__(self, responses, d: Design):
        _check_design_columns(responses, d)
        n = len(responses)
        if d.strata:
            hc, hl = pd.factorize(responses[d.strata], sort=True)
            names = [str(u) for u in hl]
        else:
            hc, names = np.zeros(n, dtype=np.int64), ["all"]
        self.h = np.asarray(hc, dtype=np.int64)
        self.H = len(names)
        if d.cluster:
            cc, cu = pd.factorize(responses[d.cluster], sort=False)
            pc, _ = pd.factorize(self.h * max(len(cu), 1) + np.asarray(cc, np.int64), sort=False)
            self.unit = np.asarray(pc, dtype=np.int64)
            self.psu_h = np.zeros(int(self.unit.max()) + 1, dtype=np.int64)
            self.psu_h[self.unit] = self.h
            self.n_h = np.bincount(self.psu_h, minlength=self.H).astype(float)
            self.df = float(self.psu_h.size - self.H)
        else:
            self.unit, self.psu_h = self.h, None
            self.n_h = np.bincount(self.h, minlength=self.H).astype(float)
            self.df = float(n - self.H)
        self.clustered = bool(d.cluster)
        self.lonely = d.lonely_psu
        lonely = [s for s, k in zip(names, self.n_h) if k < 2]
        if lonely and self.lonely == "fail":
            raise _lonely_error(d, lonely)
        fpc = _fpc_per_stratum(responses, d, names)
        self.f_h = (np.zeros(self.H) if fpc is None
                    else np.where(fpc <= 1, fpc, self.n_h / fpc))
        if np.any(self.f_h > 1 + 1e-12):
            raise SurveyDataError("The fpc says fewer PSUs in the population than sampled.")
        self.U = int(self.unit.max()) + 1 if n else 0

    def variance(self, cell_unit, zsum, z2sum, inside=None):
        """Design variance of Σ z from per-cell sums (cells of a histogram by unit);
        ``inside``: the cells in the domain (strata present, for the single-PSU rule)."""
        if self.clustered:
            zu = np.bincount(cell_unit, zsum, minlength=self.U)
            s1 = np.bincount(self.psu_h, zu, minlength=self.H)
            s2 = np.bincount(self.psu_h, zu * zu, minlength=self.H)
            hc = self.psu_h[cell_unit]
        else:
            s1 = np.bincount(cell_unit, zsum, minlength=self.H)
            s2 = np.bincount(cell_unit, z2sum, minlength=self.H)
            hc = cell_unit
        present = np.bincount(hc if inside is None else hc[inside], minlength=self.H) > 0
        return _stratum_variance(s1, s2, self.n_h, self.f_h, present, self.lonely)


_NPS_CAT_VALUE = np.array([np.nan, -100.0, 0.0, 100.0])   # 0 = not rated, D, P, promoter


def _nps_category(scores):
    s = np.asarray(scores, dtype=float)
    return np.where(np.isnan(s), 0, np.where(s >= 9, 3, np.where(s <= 6, 1, 2))).astype(np.int64)


def _joint_histogram(wd: _WideDesign, cats, w):
    """Histogram of the joint NPS categories (0 = not rated) by design unit: cell index,
    unit of each cell, per-category code of each brand, Σw and Σw² per cell."""
    k = len(cats)
    key = wd.unit.copy()
    for c in cats:
        key = key * 4 + c
    ok = usable_weights(w)                  # the weight rule (zero, NaN, inf: not counted)
    N = np.bincount(key[ok], minlength=wd.U * 4 ** k)
    W = np.bincount(key[ok], w[ok], minlength=wd.U * 4 ** k)
    W2 = np.bincount(key[ok], (w * w)[ok], minlength=wd.U * 4 ** k)
    idx = np.flatnonzero(N > 0)
    codes, rest = [], idx
    for _ in range(k):
        codes.append(rest % 4)
        rest = rest // 4
    return rest, codes[::-1], W[idx], W2[idx], N[idx]


def _brand_estimate(wd, cat, w, conf):
    unit, (c,), W, W2, N = _joint_histogram(wd, [cat], w)
    rated = c > 0
    Wr = W[rated].sum()
    x = _NPS_CAT_VALUE[c]
    m = float((W[rated] * x[rated]).sum() / Wr) if Wr > 0 else math.nan
    f = np.where(rated, (np.nan_to_num(x) - m) / Wr, 0.0) if Wr > 0 else np.zeros(len(W))
    se = math.sqrt(max(wd.variance(unit, W * f, W2 * f * f, inside=rated), 0.0))
    q = _t_q(conf, wd.df)
    n = int(N[rated].sum())
    vs = float((W2[rated] * f[rated] ** 2).sum()) * (n / (n - 1) if n > 1 else math.nan)
    deff = se * se / vs if vs > 0 else math.nan
    n_eff = Wr * Wr / float(W2[rated].sum()) / deff if Wr > 0 and deff > 0 else math.nan
    return {"nps": m, "se": se, "ci_low": max(-100.0, m - q * se),
            "ci_high": min(100.0, m + q * se), "df": wd.df, "deff": deff, "n_eff": n_eff}


def _pair_gap(wd, co, cb, w, conf, alternative, overlap=False):
    """Gap brand − own with its design SE from the joint (own, brand) histogram by unit."""
    unit, (c_o, c_b), W, W2, _ = _joint_histogram(wd, [co, cb], w)
    xo, xb = np.nan_to_num(_NPS_CAT_VALUE[c_o]), np.nan_to_num(_NPS_CAT_VALUE[c_b])
    ro, rb = c_o > 0, c_b > 0
    if overlap:   # difference of the two brand NPS, each over everyone rating it
        Wo, Wb = W[ro].sum(), W[rb].sum()
        if Wo <= 0 or Wb <= 0:
            return None
        mo, mb = (W * xo)[ro].sum() / Wo, (W * xb)[rb].sum() / Wb
        gap = float(mb - mo)
        f = np.where(rb, (xb - mb) / Wb, 0.0) - np.where(ro, (xo - mo) / Wo, 0.0)
        inside = ro | rb
    else:         # mean of the per-respondent differences among those rating both
        both = ro & rb
        Wp = W[both].sum()
        if Wp <= 0:
            return None
        dv = xb - xo
        gap = float((W * dv)[both].sum() / Wp)
        f = np.where(both, (dv - gap) / Wp, 0.0)
        inside = both
    se = math.sqrt(max(wd.variance(unit, W * f, W2 * f * f, inside=inside), 0.0))
    q = _t_q(conf, wd.df)
    t = gap / se if se > 0 else math.nan
    return {"gap": gap, "se": se, "ci_low": gap - q * se, "ci_high": gap + q * se,
            "statistic": t, "df": wd.df, "p_value": _t_p(t, wd.df, alternative)}


def design_brand_tables(responses, own, names, design, *, weighted=True, conf=0.95,
                        alternative="two-sided", paired_method="paired-t"):
    """Design-based brand NPS and gaps brand − own of a wide relationship table.

    Returns ``(brands, gaps)``: ``brands`` with ``brand, nps, se, ci_low, ci_high, df, deff``
    (each brand over the respondents rating it, a domain of the whole design); ``gaps`` with
    ``brand, gap, se, ci_low, ci_high, statistic, df, p_value`` for every brand but ``own``:
    the paired gap among respondents rating both (or, with ``paired_method="overlap"``, the
    difference of the two brand NPS).  All from histograms of the joint NPS categories
    (not rated, detractor, passive, promoter) tallied by design unit (PSU, or stratum when
    every respondent is a PSU) — 16 cells per PSU for a pair, so the cost is one pass of
    ``numpy.bincount`` over the rows.  Used by :func:`cxkit.brand_comparison` with
    ``design=``.

    Notes
    -----
    Paired gap: d_i = x_brand,i − x_own,i (NPS recodes ±100/0) over the domain D of
    respondents rating both; gap = Σ_D w d / W_D; z_i = w_i (d_i − gap)/W_D on D, 0 elsewhere;
    within a histogram cell (unit, own category, brand category) z is the cell's Σw times a
    constant, so the PSU totals z_hc and Σ z² (unclustered) come from the cells' Σw and Σw².
    Var = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_c (z_hc − z̄_h)² with n_h the PSUs of the whole
    table's design — ``svymean(~I(xb - xa), subset(design, !is.na(xa) & !is.na(xb)))``.
    Overlap gap: z_i = w_i(x_b,i − m_b)/W_b·1[rates b] − w_i(x_o,i − m_o)/W_o·1[rates own]
    (``svycontrast`` of the ratio of totals).  t on PSUs − strata df.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §2.2, §3.1.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"own": [10, 9, 3, 8, 10, 0, 7, 9], "rival": [9, 9, 0, 10, 6, 0, 8, 10],
    ...                    "h": ["a"] * 4 + ["b"] * 4})
    >>> brands, gaps = design_brand_tables(df, "own", ["own", "rival"], {"strata": "h"},
    ...                                    weighted=False)
    >>> gaps[["brand", "gap", "df"]].values.tolist()
    [['rival', -12.5, 6.0]]
    """
    check_conf(conf)
    d = configured_design(responses, design)
    if d is None:
        raise SurveyDataError("design_brand_tables needs a design.")
    from ..core.validate import check_columns
    from .competitors import _nps_scores

    names = list(names)
    if own not in names:
        names = [own] + names
    check_columns(responses, names, "brand", "brands")
    wd = _WideDesign(responses, d)
    wcol = _resolve_w(responses, weighted)
    w = (pd.to_numeric(responses[wcol], errors="coerce").to_numpy(dtype=float) if wcol
         else np.ones(len(responses)))
    # NPS needs whole numbers 0–10 (core.validate): text or 11 are refused, not dropped
    cats = {b: _nps_category(_nps_scores(responses[b], b)) for b in names}
    brands = []
    for b in names:
        e = _brand_estimate(wd, cats[b], w, conf)
        brands.append({"brand": b, "nps": e["nps"], "se": e["se"], "ci_low": e["ci_low"],
                       "ci_high": e["ci_high"], "n_eff": e["n_eff"], "df": e["df"],
                       "deff": e["deff"]})
    gaps = []
    for b in names:
        if b == own:
            continue
        both = ((cats[own] > 0) & (cats[b] > 0)).any()
        r = _pair_gap(wd, cats[own], cats[b], w, conf, alternative,
                      overlap=(paired_method == "overlap") or not both)
        r = r or {"gap": math.nan, "se": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                  "statistic": math.nan, "df": wd.df, "p_value": math.nan}
        gaps.append({"brand": b, **r})
    return pd.DataFrame(brands), pd.DataFrame(gaps)


def design_brand_comparison(responses, own, names, brands, gaps, design, *, weighted=False,
                            conf=0.95, alternative="two-sided", paired_method="paired-t"):
    """The ``brands`` and ``gaps`` tables of :func:`cxkit.brand_comparison` made design-based.

    Replaces each brand's ``nps, se, ci_low, ci_high, n_eff`` and each gap's ``gap, se,
    ci_low, ci_high, statistic, p_value`` by the values of :func:`design_brand_tables`, sets
    ``method`` to ``"design-linearized"`` and adds a ``df`` column (PSUs − strata); the
    counts, shares and pair columns stay.  Returns ``(brands, gaps)``.
    """
    d = configured_design(responses, design)
    b, g = design_brand_tables(responses, own, list(names), d, weighted=weighted, conf=conf,
                               alternative=alternative, paired_method=paired_method)
    brands = brands.copy()
    bi = b.set_index("brand")
    for col in ("nps", "se", "ci_low", "ci_high", "n_eff"):
        brands[col] = brands["brand"].map(bi[col]).astype(float)
    brands["method"] = "design-linearized"
    brands["df"] = brands["brand"].map(bi["df"]).astype(float)
    gaps = gaps.copy()
    if len(gaps):
        gi = g.set_index("brand")
        for col in ("gap", "se", "ci_low", "ci_high", "statistic", "p_value"):
            gaps[col] = gaps["brand"].map(gi[col]).astype(float)
        gaps["method"] = "design-linearized"
        gaps["df"] = gaps["brand"].map(gi["df"]).astype(float)
    brands.attrs["design"] = gaps.attrs["design"] = d.to_dict()
    return brands, gaps
