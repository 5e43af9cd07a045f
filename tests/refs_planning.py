"""Reference values for cxkit.planning, computed OUTSIDE cxkit.

Sources: published outputs of R ``pwr`` (Champely 2020) and G*Power, the Krejcie & Morgan
(1970) table, and formulas worked by hand here with :func:`scipy.stats.norm.ppf` (no cxkit
code is imported in this file).
"""

import math

from scipy import optimize, stats

Z975 = stats.norm.ppf(0.975)          # 1.959964
Z80 = stats.norm.ppf(0.80)            # 0.841621
ZSUM = Z975 + Z80

# --- published ------------------------------------------------------------------------------
# R: pwr::pwr.2p.test(h = 0.3, power = 0.8, sig.level = 0.05)  ->  n = 174.4195 per group
PWR_2P_H03_N = 174.4195
# R: pwr::pwr.t.test(d = 0.5, power = 0.8, sig.level = 0.05)  ->  n = 63.76576 per group
# (G*Power 3.1, t tests, two independent means, d = 0.5: 64 per group)
PWR_T_D05_N = 63.76576
GPOWER_T_D05_N = 64
# R: pwr::pwr.t.test(d = 0.5, power = 0.8, type = "paired")  ->  n = 33.36713 pairs
PWR_T_PAIRED_D05_N = 33.36713
# Krejcie & Morgan (1970), Table 1 (p = .5, ±5%, 95%, with the finite-population correction):
# N = 1,000 -> 278; N = 10,000 -> 370.
KM_N1000 = 278
KM_N10000 = 370

# --- hand formulas ----------------------------------------------------------------------------
# NPS margin ±5 points, worst case V = 1, 95%: n = z^2 V / m^2 = 1536.58 -> 1537.
NPS_WORST_MARGIN5_EXACT = Z975 ** 2 * 1.0 / 0.05 ** 2
NPS_WORST_MARGIN5_N = 1537

# NPS (pP, pD) = (.5, .2): V = .5 + .2 - .3^2 = .61
V_A = 0.5 + 0.2 - (0.5 - 0.2) ** 2
# margin at n = 400, 95%: z sqrt(V/n) * 100
NPS_MARGIN_400 = Z975 * math.sqrt(V_A / 400) * 100
# with population N = 2,000: * sqrt((N - n)/(N - 1))
NPS_MARGIN_400_N2000 = NPS_MARGIN_400 * math.sqrt((2000 - 400) / (2000 - 1))
# with design effect 1.8: * sqrt(1.8)
NPS_MARGIN_400_DEFF18 = NPS_MARGIN_400 * math.sqrt(1.8)

# Two samples, + 5 points: half into promoters, half out of detractors -> (.525, .175)
V_B = 0.525 + 0.175 - (0.525 - 0.175) ** 2          # .5775
NPS_2S_5PT_EXACT = ZSUM ** 2 * (V_A + V_B) / 0.05 ** 2     # 3728.2 per group
NPS_2S_5PT_N = math.ceil(NPS_2S_5PT_EXACT)                 # 3729
# same with ratio n_b/n_a = 2: n_a = zsum^2 (V_a + V_b/2) / d^2
NPS_2S_5PT_RATIO2_EXACT = ZSUM ** 2 * (V_A + V_B / 2) / 0.05 ** 2
# explicit alternative (.55, .20) -> d = 5 points, V_b = .75 - .35^2
V_B_EXPLICIT = 0.55 + 0.20 - 0.35 ** 2
NPS_2S_EXPLICIT_EXACT = ZSUM ** 2 * (V_A + V_B_EXPLICIT) / 0.05 ** 2
# -10 points from (.5, .2): (.45, .25)
V_B_MINUS10 = 0.45 + 0.25 - 0.20 ** 2
NPS_2S_MINUS10_EXACT = ZSUM ** 2 * (V_A + V_B_MINUS10) / 0.10 ** 2
# default shift when detractors run out: NPS 68 at (.70, .02), + 10 points -> 78: only 2 points
# can leave the detractors, so promoters gain the other 8 (from passives): (.78, 0).
NPS_SHIFT_CLIPPED = (0.78, 0.0)

# Power of the NPS z test at n = 2000 per group for the +5 point change (two tails):
_se = math.sqrt(V_A / 2000 + V_B / 2000)
NPS_POWER_2000 = stats.norm.cdf(0.05 / _se - Z975) + stats.norm.cdf(-0.05 / _se - Z975)

# Paired NPS from a joint table (rows: period a, columns: period b; detractor, passive, promoter)
JOINT = [[0.14, 0.04, 0.02],
         [0.02, 0.22, 0.06],
         [0.01, 0.03, 0.46]]
_levels = [-1.0, 0.0, 1.0]
_m1 = sum(JOINT[i][j] * (_levels[j] - _levels[i]) for i in range(3) for j in range(3))
_m2 = sum(JOINT[i][j] * (_levels[j] - _levels[i]) ** 2 for i in range(3) for j in range(3))
JOINT_VAR_D = _m2 - _m1 ** 2
JOINT_DIFF_POINTS = 100 * _m1                                  # 7 points
NPS_PAIRED_JOINT_EXACT = ZSUM ** 2 * JOINT_VAR_D / _m1 ** 2
# Paired NPS by correlation rho = .6, (.5, .2) -> (.525, .175): Var(D) = Va + Vb - 2 rho sqrt(Va Vb)
_var_d = V_A + V_B - 2 * 0.6 * math.sqrt(V_A * V_B)
NPS_PAIRED_RHO06_EXACT = ZSUM ** 2 * _var_d / 0.05 ** 2

# Top box: margin ±3 points at p = .5 (95%): z^2 .25 / .03^2 = 1067.07 -> 1068
TOPBOX_MARGIN3_EXACT = Z975 ** 2 * 0.25 / 0.03 ** 2
# Top box .50 -> .65 (R pwr.2p.test with h = ES.h(.65, .5)): solve the two-tailed normal power
# 0.8 = Phi(h sqrt(n/2) - z) + Phi(-h sqrt(n/2) - z) for n with Brent's method.
H_65_50 = 2 * math.asin(math.sqrt(0.65)) - 2 * math.asin(math.sqrt(0.50))


def _pwr2p(n, h):
    t = h * math.sqrt(n / 2)
    return stats.norm.cdf(t - Z975) + stats.norm.cdf(-t - Z975)


TOPBOX_65_50_EXACT = optimize.brentq(lambda n: _pwr2p(n, H_65_50) - 0.8, 2, 10_000)
# Minimum detectable top-box change at n = 500 per group from p = .8 (increase):
# h = solve power(h) = .8; p_b = sin^2(asin(sqrt(.8)) + h/2)
_h500 = optimize.brentq(lambda h: _pwr2p(500, h) - 0.8, 1e-6, 3)
TOPBOX_MDD_500_P08 = 100 * (math.sin(math.asin(math.sqrt(0.8)) + _h500 / 2) ** 2 - 0.8)

# Means: margin at sd 1.5, n 200: z sd / sqrt(n)
MEAN_MARGIN_SD15_N200 = Z975 * 1.5 / math.sqrt(200)

# Invitations: ceil(1537 / .12) = ceil(12808.3) = 12809
INVITATIONS_1537_AT_12 = 12809

stats_norm_cdf = stats.norm.cdf

# Paired top box, p .5 -> .6, correlation .3: Var(D) = .25 + .24 - 2 (.3) sqrt(.25 * .24)
TOPBOX_PAIRED_EXACT = ZSUM ** 2 * (0.25 + 0.24 - 2 * 0.3 * math.sqrt(0.25 * 0.24)) / 0.10 ** 2

# Correlation of the recoded values implied by JOINT (rows a, columns b)
_ea = sum(JOINT[i][j] * _levels[i] for i in range(3) for j in range(3))
_eb = sum(JOINT[i][j] * _levels[j] for i in range(3) for j in range(3))
_va = sum(JOINT[i][j] * _levels[i] ** 2 for i in range(3) for j in range(3)) - _ea ** 2
_vb = sum(JOINT[i][j] * _levels[j] ** 2 for i in range(3) for j in range(3)) - _eb ** 2
_cov = sum(JOINT[i][j] * _levels[i] * _levels[j] for i in range(3) for j in range(3)) - _ea * _eb
JOINT_CORRELATION = _cov / math.sqrt(_va * _vb)
