"""Monte-Carlo check of paired vs naive (independent) NPS gap tests on correlated ratings.

Model (a relationship survey): each respondent has a latent bivariate normal pair
(u_own, u_comp) with means (m_own, m_comp), sd 1.8 and correlation rho; a rating is the
latent rounded to 0–10, so the NPS category is detractor if u < 6.5, passive if
6.5 ≤ u < 8.5, promoter if u ≥ 8.5.  The 3 × 3 joint category probabilities are exact
(bivariate normal rectangle probabilities, scipy), and each replicate draws the joint table
of n respondents from that multinomial.

For every table we run
* the paired t test of ``cxkit.brand_gap`` (the default of ``cxkit.brand_comparison``:
  ``cxkit.compare(..., metric="mean", paired=True)`` on the recoded values), on respondent-level
  scores rebuilt from the table (3 = detractor, 7 = passive, 10 = promoter);
* the paired Wald z test — ``cxkit.compare_nps_paired_counts(method="paired-wald")`` (the same as
  ``cxkit.compare(..., paired=True, method="paired-wald")`` and ``paired_method="paired-wald"``;
  since the size fix ``compare(..., paired=True)`` defaults to the paired t); and
* the naive test that treats the two brands as independent samples —
  ``cxkit.compare_nps_counts`` on the two margins (adjusted Wald, the independent default).

We report, at alpha = 0.05 two-sided: the size (rejection rate when m_own = m_comp, i.e.
the two brands have the same true NPS), the coverage of the 95 % interval of the gap, and the
power when the competitor's latent mean is 0.25 higher (true gap printed).  A second part adds
don't-know answers at random (own brand 5 %, competitor 30 %) and compares the paired t test on
the respondents who rate both, the ``"overlap"`` method (all ratings, linearised SE keeping
the covariance) and the naive independent test on all ratings.  Finally the run time of the
vectorised rank bootstrap on the demo survey.

Run: ``.venv/bin/python benchmarks/paired.py`` (about six minutes).
"""

from __future__ import annotations

import time

import numpy as np
from scipy import stats

import cxkit

SEED = 20261123
SD = 1.8
CUTS = (-np.inf, 6.5, 8.5, np.inf)
M_OWN = 8.0
SHIFT = 0.25
NS = (50, 100, 200, 500, 1000, 2000)
REPS_SIZE = 10_000
REPS_POWER = 3_000
ALPHA = 0.05


def joint_probs(m_own, m_comp, rho, sd=SD):
    """Exact 3 × 3 category probabilities (rows own D/Pa/P, columns competitor D/Pa/P)."""
    mvn = stats.multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]])

    def F(a, b):
        a = np.clip(a, -40, 40)
        b = np.clip(b, -40, 40)
        return mvn.cdf([a, b])

    ca = [(c - m_own) / sd for c in CUTS]
    cb = [(c - m_comp) / sd for c in CUTS]
    P = np.empty((3, 3))
    for i in range(3):
        for j in range(3):
            P[i, j] = (F(ca[i + 1], cb[j + 1]) - F(ca[i], cb[j + 1])
                       - F(ca[i + 1], cb[j]) + F(ca[i], cb[j]))
    P = np.clip(P, 0, None)
    return P / P.sum()


def true_gap(P):
    v = np.array([-100.0, 0.0, 100.0])
    return float(P.sum(axis=0) @ v - P.sum(axis=1) @ v)   # competitor − own


_REP = np.array([3.0, 7.0, 10.0])
_I, _J = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")


def run(P, n, reps, rng, gap):
    """Rejection and coverage rates (percent) of paired t, paired Wald and naive tests."""
    tables = rng.multinomial(n, P.ravel(), size=reps).reshape(reps, 3, 3)
    rej = np.zeros(3)
    cov = np.zeros(3)
    for t in tables:
        own = np.repeat(_REP[_I.ravel()], t.ravel())
        comp = np.repeat(_REP[_J.ravel()], t.ravel())
        results = (cxkit.brand_gap(own, comp),                         # paired t (default)
                   cxkit.compare_nps_paired_counts(t, method="paired-wald"),  # paired Wald
                   cxkit.compare_nps_counts(t.sum(axis=1), t.sum(axis=0)))  # naive
        for k, r in enumerate(results):
            rej[k] += r.p_value < ALPHA
            cov[k] += r.ci_low <= gap <= r.ci_high
    return 100 * rej / reps, 100 * cov / reps


UNKNOWN = (0.05, 0.30)          # don't-know rates of own brand and competitor (MCAR)
NS_OVERLAP = (50, 200, 1000)
REPS_OVERLAP = 5_000


def joint_with_unknown(P, u_own, u_comp):
    """4 × 4 probabilities: categories D/Pa/P plus "doesn't know" (index 3), MCAR."""
    P4 = np.zeros((4, 4))
    P4[:3, :3] = P * (1 - u_own) * (1 - u_comp)
    P4[:3, 3] = P.sum(axis=1) * (1 - u_own) * u_comp
    P4[3, :3] = P.sum(axis=0) * u_own * (1 - u_comp)
    P4[3, 3] = u_own * u_comp
    return P4


_REP4 = np.array([3.0, 7.0, 10.0, np.nan])
_I4, _J4 = np.meshgrid(np.arange(4), np.arange(4), indexing="ij")


def run_overlap(P4, n, reps, rng, gap):
    """Paired t on the pairs, overlap (all ratings) and naive independent tests."""
    tables = rng.multinomial(n, P4.ravel(), size=reps)
    rej = np.zeros(3)
    cov = np.zeros(3)
    for t in tables:
        own = np.repeat(_REP4[_I4.ravel()], t)
        comp = np.repeat(_REP4[_J4.ravel()], t)
        results = (cxkit.brand_gap(own, comp),                        # paired t, pairs only
                   cxkit.brand_gap(own, comp, method="overlap"),      # all ratings, overlap SE
                   cxkit.brand_gap(own, comp, paired=False))          # naive independent
        for k, r in enumerate(results):
            if not np.isfinite(r.p_value):
                continue
            rej[k] += r.p_value < ALPHA
            cov[k] += r.ci_low <= gap <= r.ci_high
    return 100 * rej / reps, 100 * cov / reps


def main():
    rng = np.random.default_rng(SEED)
    print(f"Paired vs naive NPS gap tests, alpha = {ALPHA}, latent sd {SD}, own latent mean {M_OWN}")
    for rho in (0.5, 0.0):
        P0 = joint_probs(M_OWN, M_OWN, rho)
        P1 = joint_probs(M_OWN, M_OWN + SHIFT, rho)
        g0, g1 = true_gap(P0), true_gap(P1)
        v = np.array([-100.0, 0.0, 100.0])
        print(f"\nrho = {rho}: true NPS own {P0.sum(axis=1) @ v:.1f}; H1 competitor latent mean "
              f"+{SHIFT} -> true gap {g1:+.2f} points; H0 gap {g0:+.2f}")
        print(f"size/coverage: {REPS_SIZE:,} replicates (MC SE of a 5 % rate {100 * np.sqrt(0.05 * 0.95 / REPS_SIZE):.2f} pts); "
              f"power: {REPS_POWER:,} replicates")
        print("columns per block: paired t (default) / paired Wald / naive independent")
        print(f"{'n':>6} | {'size under H0 (%)':^23} | {'95% CI coverage, H0 (%)':^23} | "
              f"{'power under H1 (%)':^23} | {'95% CI coverage, H1 (%)':^23}")
        ns = NS if rho > 0 else (50, 200, 1000)
        for n in ns:
            size, cov0 = run(P0, n, REPS_SIZE, rng, g0)
            power, cov1 = run(P1, n, REPS_POWER, rng, g1)
            cells = [" ".join(f"{x:>7.2f}" for x in arr) for arr in (size, cov0, power, cov1)]
            print(f"{n:>6} | " + " | ".join(cells))

    rho = 0.5
    P0 = joint_probs(M_OWN, M_OWN, rho)
    P1 = joint_probs(M_OWN, M_OWN + SHIFT, rho)
    g1 = true_gap(P1)
    print(f"\nPartial overlap (don't know: own {UNKNOWN[0]:.0%}, competitor {UNKNOWN[1]:.0%}, "
          f"at random), rho = {rho}, n = respondents; {REPS_OVERLAP:,} replicates each")
    print("columns per block: paired t on the pairs (default) / overlap (all ratings) / "
          "naive independent (all ratings)")
    print(f"{'n':>6} | {'size under H0 (%)':^23} | {'95% CI coverage, H0 (%)':^23} | "
          f"{'power under H1 (%)':^23} | {'95% CI coverage, H1 (%)':^23}")
    for n in NS_OVERLAP:
        size, cov0 = run_overlap(joint_with_unknown(P0, *UNKNOWN), n, REPS_OVERLAP, rng, 0.0)
        power, cov1 = run_overlap(joint_with_unknown(P1, *UNKNOWN), n, REPS_OVERLAP, rng, g1)
        cells = [" ".join(f"{x:>7.2f}" for x in arr) for arr in (size, cov0, power, cov1)]
        print(f"{n:>6} | " + " | ".join(cells))

    responses, _ = cxkit.load_survey("demo-relationship")
    t0 = time.perf_counter()
    cxkit.rank_probabilities(responses, n_boot=2000, seed=0)
    dt = time.perf_counter() - t0
    print(f"\nrank_probabilities on the demo survey ({len(responses):,} respondents x 4 brands, "
          f"2,000 bootstrap replicates): {dt:.2f} s")


if __name__ == "__main__":
    main()
