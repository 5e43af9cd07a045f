"""Seeded generator of the bundled **synthetic** demo surveys.

Nothing here is real customer data.  Two surveys are generated, fully reproducibly from a
seed (same seed → byte-identical files):

* a *transactional* survey (:func:`make_transactional`): one row per post-interaction
  response over 24 monthly periods, with NPS (0–10), CSAT (1–5) and CES (1–7) scores derived
  from one latent satisfaction per respondent, segment differences, mild seasonality, a slow
  drift, survey weights, a few free-text comments and declared missing codes — and **one
  planted real change**: in the last month NPS drops by about 10 points in region ``South``
  only;
* a *relationship* (competitor) survey (:func:`make_relationship`): each respondent rates the
  own brand ``Acme`` and three competitors on 0–10, blank when they do not know a brand.

:func:`write_demo_data` writes both surveys with their YAML configs into ``data/demo``;
``python -m cxkit.io.demo`` regenerates the committed files.  The periods are fixed by the
``end`` argument (default ``"2026-10"``), never by the clock, so the data does not change
with the date.  ``data/README.md`` documents every column and the generating model.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..core import paths
from ..core.checks import check_number

__all__ = ["make_transactional", "make_relationship", "write_demo_data", "DEMO_SEED",
           "DEMO_END", "PLANTED_CHANGE", "PLANTED_DRIVERS", "PLANTED_HOURS"]

#: Seed of the committed demo data.
DEMO_SEED = 2026
#: Last (complete) month of the committed demo data.
DEMO_END = "2026-10"

#: The one real change planted in the transactional data: a shift of the latent satisfaction
#: of every response in ``region`` in the last month (about −10 NPS points).
PLANTED_CHANGE = MappingProxyType({"region": "South", "period": "last", "latent_shift": -0.26,
                                   "expected_nps_change": -10.0})

#: The driver ratings of the transactional survey (1–5, blank = not answered): column ->
#: (label, loading on the standardised latent satisfaction, centre of the 1–5 rating, share
#: blank).  The planted effect: ``q_speed`` loads most on satisfaction and rates lowest, so it
#: is the driver to fix first; ``q_staff`` matters and rates well (keep); ``q_price`` rates low
#: but matters little.
PLANTED_DRIVERS = MappingProxyType({
    "q_speed": ("Speed of service", 1.00, 3.05, 0.05),
    "q_staff": ("Staff friendliness", 0.62, 4.05, 0.04),
    "q_ease": ("Ease of use", 0.45, 3.90, 0.06),
    "q_info": ("Clear information", 0.32, 3.55, 0.08),
    "q_price": ("Value for money", 0.18, 3.00, 0.12),
})
#: The hour pattern of the response times: on working days a share of the detractors (ltr 0–6)
#: answered at 08:00–09:59 — most of all on Mondays — and everyone else follows the daily
#: profile, so "08 h" and "09 h" score clearly below the rest of the day, Monday mornings worst.
PLANTED_HOURS = MappingProxyType({"hours": (8, 9), "detractor_share_monday": 0.6,
                                  "detractor_share_tue_fri": 0.25})
#: Responses per hour of the day (relative), the daily profile of the response times.
_HOUR_PROFILE = (1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 10, 10, 10, 9, 9, 9, 10, 10, 9, 8, 6, 4, 2)
#: Stream key of the extra seeded generator that draws the driver ratings and response times,
#: so every column of the original model keeps its values.
_EXTRA_STREAM = 13

# --- transactional survey: segment levels, sample shares and latent effects -----------------
_CHANNELS = ("Web", "App", "Phone", "Store")
_CHANNEL_SHARE = (0.40, 0.28, 0.20, 0.12)
_CHANNEL_POP = (0.35, 0.25, 0.25, 0.15)          # population shares used for the weights
_CHANNEL_EFFECT = (0.00, 0.30, -0.45, 0.12)

_REGIONS = ("North", "South", "East", "West")
_REGION_SHARE = (0.31, 0.25, 0.26, 0.18)
_REGION_POP = (0.28, 0.27, 0.24, 0.21)
_REGION_EFFECT = (0.05, -0.05, 0.10, 0.00)

_PRODUCTS = ("Basic", "Plus", "Premium")
_PRODUCT_SHARE = (0.50, 0.34, 0.16)
_PRODUCT_EFFECT = (-0.10, 0.05, 0.25)

_BASE_LATENT = 8.32      # mean latent satisfaction on the 0–10 LTR scale
_RESPONDENT_SD = 1.55    # spread of the latent satisfaction between respondents
_ITEM_SD = 0.75          # item-specific noise of each of the three scores
_SEASON_AMPLITUDE = 0.08  # latent units; peaks in early summer, lowest around the new year
_DRIFT_TOTAL = 0.12      # latent units gained over the whole span (slow improvement)
_MONTHLY_BASE = 2_500    # responses in an average month

_LTR_NO_ANSWER = 11      # declared missing code of ``ltr``
_LTR_NO_ANSWER_RATE = 0.01
_EFFORT_BLANK_RATE = 0.04
_COMMENT_RATE = 0.07

_POSITIVE = (
    "Quick and friendly service.",
    "Great app, easy to use.",
    "The agent solved my problem at once.",
    "Delivery was on time.",
    "Very happy, thank you!",
    "Easy checkout.",
    "Staff were helpful and polite.",
    "Everything worked as expected.",
)
_NEUTRAL = (
    "OK overall.",
    "Fine, but the website is a bit slow.",
    "Took a while but got there.",
    "Average experience.",
    "Prices went up.",
)
_NEGATIVE = (
    "Waited too long on the phone.",
    "I had to explain my issue three times.",
    "The app keeps logging me out.",
    "Nobody called me back.",
    "Too expensive for what you get.",
    "Order arrived damaged.",
    "Hard to find the right contact.",
)
#: Comments with clearly fake personal data (example.com addresses, 555-01xx numbers) so the
#: privacy redaction of the reports can be demonstrated.
_PII_COMMENTS = (
    "Please contact me at jane.doe@example.com about my refund.",
    "Call me back on +1 555 0100, nobody answered my e-mail.",
    "My email is john.smith@example.com and my phone is +1 555 0199.",
    "Send the invoice to j.roe@example.org please.",
)

# --- relationship survey ----------------------------------------------------------------------
_BRANDS = ("Acme", "Brightline", "Corvo", "Dunmore")
_BRAND_MEAN = (8.1, 8.35, 8.07, 7.62)     # latent brand means on the 0–10 scale
_BRAND_UNKNOWN = (0.03, 0.16, 0.27, 0.38)  # share of respondents who do not know the brand
_REL_RESPONDENT_SD = 1.35
_REL_ITEM_SD = 1.25
_CUSTOMER_TYPES = ("Consumer", "Business")
_CUSTOMER_SHARE = (0.68, 0.32)
_CUSTOMER_POP = (0.75, 0.25)
#: brand × customer type effects (rows: brands; columns: Consumer, Business)
_CUSTOMER_EFFECT = ((0.00, 0.20), (0.05, -0.15), (0.00, 0.00), (-0.05, 0.15))


def _rng(seed):
    """A numpy Generator from an int seed (or a Generator, returned as is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    check_number("seed", seed, low=0, integer=True)
    return np.random.default_rng(int(seed))


def _months(end, months) -> pd.PeriodIndex:
    """The ``months`` monthly periods ending with ``end`` (a ``"YYYY-MM"`` string)."""
    check_number("months", months, low=1, high=600, integer=True)
    text = str(end)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise ValueError(
            f"The value for `end` must be a month like '2026-10', but {end!r} was passed."
        )
    last = pd.Period(text, freq="M")
    return pd.period_range(end=last, periods=int(months), freq="M")


def _random_dates(rng, periods) -> np.ndarray:
    """A uniformly random calendar day inside each given monthly period (datetime64[D])."""
    start = np.array([p.start_time.to_datetime64() for p in periods], dtype="datetime64[D]")
    days = np.array([p.days_in_month for p in periods])
    return start + np.floor(rng.random(len(periods)) * days).astype("timedelta64[D]")


def _weights(rng, cell_ratio, noise_sd=0.25, low=0.3, high=3.0) -> np.ndarray:
    """Post-stratification-like weights: population/sample share of the cell × small noise,
    clipped to [low, high] and rescaled to mean 1 (rounded to 4 decimals)."""
    w = cell_ratio * np.exp(rng.normal(0.0, noise_sd, len(cell_ratio)))
    w = np.clip(w, low, high)
    w = np.clip(w / w.mean(), low, high)
    return np.round(w, 4)


def make_transactional(seed=DEMO_SEED, end: str = DEMO_END, months: int = 24, *,
                       monthly_responses: int = _MONTHLY_BASE,
                       plant_change: bool = True) -> pd.DataFrame:
    """Generate the synthetic transactional (post-interaction) survey.

    Parameters
    ----------
    seed : int or numpy.random.Generator, default 2026
        Seed of ``numpy.random.default_rng``; the same seed gives the same frame.
    end : str, default "2026-10"
        Last month (``"YYYY-MM"``) of the data; fixed, so the data never depends on the clock.
    months : int, default 24
        Number of monthly periods ending with ``end``.
    monthly_responses : int, default 2500
        Responses in an average month (actual volumes vary with season and a slow growth).
    plant_change : bool, default True
        Plant the one real change of :data:`PLANTED_CHANGE`: NPS about 10 points lower in
        region ``South`` in the last month only.

    Returns
    -------
    pandas.DataFrame
        One row per response, sorted by date, with columns ``response_id`` (``"T000001"``…),
        ``response_date`` (ISO date string), ``channel``, ``region``, ``product``, ``ltr``
        (0–10, 11 = no answer), ``satisfaction`` (1–5), ``effort`` (1–7, lower = easier,
        nullable ``Int64`` with blanks), ``weight`` (positive, mean 1) and ``comment``
        (mostly empty strings), then the driver ratings ``q_speed``, ``q_staff``, ``q_ease``,
        ``q_info``, ``q_price`` (1–5, nullable ``Int64`` with blanks; :data:`PLANTED_DRIVERS`).
        ``response_date`` carries a time of day (``"YYYY-MM-DD HH:MM"``, with the hour
        pattern of :data:`PLANTED_HOURS`).

    Notes
    -----
    Each respondent *i* gets one latent satisfaction on the 0–10 scale

    .. math:: u_i = \\mu + c_{channel} + r_{region} + p_{product} + s(month) + d(t)
              + \\delta_i + \\varepsilon_i,\\quad \\varepsilon_i \\sim N(0, 1.55^2)

    (season *s* a sinusoid of amplitude 0.08, drift *d* linear, +0.12 over the span, and
    :math:`\\delta_i` the planted shift).  The three scores add independent item noise
    N(0, 0.75²) to :math:`u_i` and are rounded and clipped: ``ltr`` = u + e, ``satisfaction``
    by cut points (4.5, 6, 7, 8.4) of u + e, ``effort`` = 1 + 0.8·(10.3 − u − e).  So the
    scores of one respondent are positively correlated (effort negatively: lower is easier).
    Weights are population ÷ sample share of the channel × region cell (post-stratification)
    times log-normal noise, clipped to [0.3, 3] and rescaled to mean 1.  Driver *j* rates
    clip(round(c_j + a_j·z_i + N(0, 0.85²)), 1, 5) with z_i = (u_i − 8.32)/1.55 (loadings and
    centres in :data:`PLANTED_DRIVERS`), drawn — like the response times — from a second
    seeded stream so the other columns do not change.

    References
    ----------
    .. [1] Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business
       Review* 81(12), 46–54 (the 0–10 recommend item and NPS).
    .. [2] Dixon, M., Freeman, K., Toman, N. (2010). Stop trying to delight your customers.
       *Harvard Business Review* 88(7/8) (the Customer Effort Score).
    .. [3] Kish, L. (1965). *Survey Sampling*. Wiley (post-stratification weights).

    Examples
    --------
    >>> df = make_transactional(months=2, monthly_responses=200)
    >>> sorted(df["response_date"].str[:7].unique())
    ['2026-09', '2026-10']
    >>> bool(df["ltr"].between(0, 11).all())
    True
    """
    rng = _rng(seed)
    periods = _months(end, months)
    check_number("monthly_responses", monthly_responses, low=10, integer=True)
    k = len(periods)
    t = np.arange(k)
    moy = np.array([p.month for p in periods])
    # volumes: a December peak, a summer dip and a slow growth, with Poisson noise
    volume_factor = (1.0 + 0.18 * (moy == 12) + 0.06 * (moy == 1) - 0.08 * np.isin(moy, (7, 8))
                     + 0.10 * (t / max(k - 1, 1) - 0.5))
    volumes = rng.poisson(monthly_responses * volume_factor)
    month_idx = np.repeat(t, volumes)
    n = int(month_idx.size)

    # segments: channel share drifts slowly from Web to App over the span
    app_shift = 0.05 * (month_idx / max(k - 1, 1) - 0.5)
    cp = np.tile(np.array(_CHANNEL_SHARE), (n, 1))
    cp[:, 0] -= app_shift
    cp[:, 1] += app_shift
    channel = (rng.random(n)[:, None] > np.cumsum(cp, axis=1)).sum(axis=1)
    channel = np.minimum(channel, len(_CHANNELS) - 1)
    region = rng.choice(len(_REGIONS), size=n, p=_REGION_SHARE)
    product = rng.choice(len(_PRODUCTS), size=n, p=_PRODUCT_SHARE)

    # latent satisfaction per respondent
    season = _SEASON_AMPLITUDE * np.sin(2 * math.pi * (moy[month_idx] - 3) / 12)
    drift = _DRIFT_TOTAL * (month_idx / max(k - 1, 1))
    u = (_BASE_LATENT + np.array(_CHANNEL_EFFECT)[channel] + np.array(_REGION_EFFECT)[region]
         + np.array(_PRODUCT_EFFECT)[product] + season + drift
         + rng.normal(0.0, _RESPONDENT_SD, n))
    if plant_change:
        hit = (month_idx == k - 1) & (region == _REGIONS.index(PLANTED_CHANGE["region"]))
        u = u + PLANTED_CHANGE["latent_shift"] * hit

    ltr = np.clip(np.rint(u + rng.normal(0.0, _ITEM_SD, n)), 0, 10).astype(np.int64)
    sat_latent = u + rng.normal(0.0, _ITEM_SD, n)
    satisfaction = 1 + np.searchsorted(np.array([4.5, 6.0, 7.0, 8.4]), sat_latent, side="right")
    effort_latent = 1.0 + 0.8 * (10.3 - u - rng.normal(0.0, _ITEM_SD, n))
    effort = np.clip(np.rint(effort_latent), 1, 7).astype(np.int64)

    # declared missing codes: "no answer" on ltr, skipped effort question
    ltr[rng.random(n) < _LTR_NO_ANSWER_RATE] = _LTR_NO_ANSWER
    effort_blank = rng.random(n) < _EFFORT_BLANK_RATE

    # weights: population share / sample share of the channel × region cell
    ratio = (np.array(_CHANNEL_POP) / np.array(_CHANNEL_SHARE))[channel] * \
            (np.array(_REGION_POP) / np.array(_REGION_SHARE))[region]
    weight = _weights(rng, ratio)

    # dates, then sort by date and number the responses in that order
    dates = _random_dates(rng, periods[month_idx])
    comment = _comments(rng, ltr, n)
    order = np.lexsort((rng.random(n), dates))

    df = pd.DataFrame({
        "response_id": [f"T{i:06d}" for i in range(1, n + 1)],
        "response_date": np.datetime_as_string(dates[order], unit="D"),
        "channel": np.array(_CHANNELS)[channel[order]],
        "region": np.array(_REGIONS)[region[order]],
        "product": np.array(_PRODUCTS)[product[order]],
        "ltr": ltr[order],
        "satisfaction": satisfaction[order].astype(np.int64),
        "effort": pd.array(effort[order], dtype="Int64"),
        "weight": weight[order],
        "comment": comment[order],
    })
    df.loc[effort_blank[order], "effort"] = pd.NA
    # driver ratings and response times from their own seeded stream (the columns above keep
    # their values): ratings load on the latent satisfaction u, times follow a daily profile
    extra = _extra_rng(seed)
    z = (u - _BASE_LATENT) / _RESPONDENT_SD
    for col, (_, load, centre, blank) in PLANTED_DRIVERS.items():
        r = np.clip(np.rint(centre + load * z + extra.normal(0.0, 0.85, n)), 1, 5)
        r = pd.array(r[order].astype(np.int64), dtype="Int64")
        r[extra.random(n) < blank] = pd.NA
        df[col] = r
    stamps = _with_times(extra, dates[order], ltr[order])
    # the two newest responses (below) are the last two of the last day
    stamps[-2:] = [f"{stamps[-2][:10]} 23:58", f"{stamps[-1][:10]} 23:59"]
    df["response_date"] = stamps
    # The two newest responses also carry fake personal data, so the report month's comments
    # show the report's redaction at work.
    df.loc[df.index[-2:], "comment"] = [_PII_COMMENTS[1], _PII_COMMENTS[2]]
    return df


def _extra_rng(seed) -> np.random.Generator:
    """The separate generator of the driver ratings and response times."""
    if isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed.bit_generator.seed_seq.spawn(1)[0])
    return np.random.default_rng([int(seed), _EXTRA_STREAM])


def _with_times(rng, days, ltr) -> np.ndarray:
    """ISO ``YYYY-MM-DD HH:MM`` texts: each day plus a time drawn from the daily profile; on
    working days a share of the detractors answered at 08:00–09:59 (:data:`PLANTED_HOURS`)."""
    n = len(days)
    prof = np.array(_HOUR_PROFILE, dtype=float)
    hour = rng.choice(24, size=n, p=prof / prof.sum())
    weekday = (days.astype("datetime64[D]").astype(np.int64) + 3) % 7      # 0 = Monday
    share = np.where(weekday == 0, PLANTED_HOURS["detractor_share_monday"],
                     np.where(weekday <= 4, PLANTED_HOURS["detractor_share_tue_fri"], 0.0))
    hit = (ltr <= 6) & (rng.random(n) < share)
    hour = np.where(hit, rng.choice(np.array(PLANTED_HOURS["hours"]), size=n), hour)
    minute = rng.integers(0, 60, size=n)
    stamp = (days.astype("datetime64[m]") + (hour * 60 + minute).astype("timedelta64[m]"))
    return np.char.replace(np.datetime_as_string(stamp, unit="m").astype(str), "T", " ")


def _comments(rng, ltr, n) -> np.ndarray:
    """Mostly empty comments; a few short texts matching the score, four with fake PII."""
    out = np.full(n, "", dtype=object)
    has = rng.random(n) < _COMMENT_RATE
    pick = rng.random(n)
    for mask, bank in ((ltr <= 6, _NEGATIVE), ((ltr >= 7) & (ltr <= 8), _NEUTRAL),
                       ((ltr >= 9) & (ltr <= 10), _POSITIVE)):
        m = has & mask
        out[m] = np.array(bank, dtype=object)[(pick[m] * len(bank)).astype(int)]
    pii_rows = rng.choice(n, size=min(len(_PII_COMMENTS), n), replace=False)
    out[pii_rows] = np.array(_PII_COMMENTS[:len(pii_rows)], dtype=object)
    return out


def make_relationship(seed=DEMO_SEED, end: str = DEMO_END, months: int = 12, *,
                      respondents: int = 3_000) -> pd.DataFrame:
    """Generate the synthetic relationship (competitor) survey.

    Each respondent rates the own brand ``Acme`` and the competitors ``Brightline``,
    ``Corvo`` and ``Dunmore`` on the 0–10 recommend scale, or leaves the rating blank when
    they do not know the brand.

    Parameters
    ----------
    seed : int or numpy.random.Generator, default 2026
        Seed of ``numpy.random.default_rng``.
    end : str, default "2026-10"
        Last month (``"YYYY-MM"``) of the fieldwork.
    months : int, default 12
        Monthly fieldwork waves ending with ``end``.
    respondents : int, default 3000
        Approximate number of respondents (split over the months with Poisson noise).

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id`` (``"R00001"``…), ``survey_date`` (ISO date string),
        ``region``, ``customer_type`` (Consumer/Business), ``nps_acme``, ``nps_brightline``,
        ``nps_corvo``, ``nps_dunmore`` (nullable ``Int64``, 0–10, NA = brand unknown) and
        ``weight`` (positive, mean 1).

    Notes
    -----
    Rating of brand *b* by respondent *i*:
    :math:`y_{ib} = \\mathrm{clip}(\\mathrm{round}(m_b + g_{b,type} + a_i + e_{ib}), 0, 10)`
    with a shared respondent latent :math:`a_i \\sim N(0, 1.35^2)` and item noise
    :math:`e_{ib} \\sim N(0, 1.25^2)`, so ratings of one respondent correlate positively
    (about 0.5 before rounding).  Brands are unknown (blank) with fixed rates
    (Acme 3 %, Brightline 16 %, Corvo 27 %, Dunmore 38 %, higher for Business respondents).
    With the default seed the brand NPS are about Acme 26, Brightline 32 (significantly
    ahead), Corvo 22 (not significantly behind) and Dunmore 4.

    Examples
    --------
    >>> df = make_relationship(respondents=300)
    >>> list(df.columns[4:8])
    ['nps_acme', 'nps_brightline', 'nps_corvo', 'nps_dunmore']
    """
    rng = _rng(seed)
    periods = _months(end, months)
    check_number("respondents", respondents, low=10, integer=True)
    k = len(periods)
    volumes = rng.poisson(respondents / k, size=k)
    month_idx = np.repeat(np.arange(k), volumes)
    n = int(month_idx.size)

    region = rng.choice(len(_REGIONS), size=n, p=_REGION_SHARE)
    ctype = rng.choice(len(_CUSTOMER_TYPES), size=n, p=_CUSTOMER_SHARE)
    person = rng.normal(0.0, _REL_RESPONDENT_SD, n)
    region_effect = np.array(_REGION_EFFECT)[region]
    ratings = {}
    for b, brand in enumerate(_BRANDS):
        y = (_BRAND_MEAN[b] + np.array(_CUSTOMER_EFFECT[b])[ctype] + region_effect + person
             + rng.normal(0.0, _REL_ITEM_SD, n))
        y = np.clip(np.rint(y), 0, 10).astype(np.int64)
        unknown_rate = np.minimum(_BRAND_UNKNOWN[b] * np.where(ctype == 1, 1.25, 0.9), 0.95)
        unknown = rng.random(n) < unknown_rate
        col = pd.array(y, dtype="Int64")
        col[unknown] = pd.NA
        ratings[f"nps_{brand.lower()}"] = col

    ratio = (np.array(_CUSTOMER_POP) / np.array(_CUSTOMER_SHARE))[ctype] * \
            (np.array(_REGION_POP) / np.array(_REGION_SHARE))[region]
    weight = _weights(rng, ratio, noise_sd=0.20)
    dates = _random_dates(rng, periods[month_idx])
    order = np.lexsort((rng.random(n), dates))

    df = pd.DataFrame({
        "respondent_id": [f"R{i:05d}" for i in range(1, n + 1)],
        "survey_date": np.datetime_as_string(dates[order], unit="D"),
        "region": np.array(_REGIONS)[region[order]],
        "customer_type": np.array(_CUSTOMER_TYPES)[ctype[order]],
    })
    for name, col in ratings.items():
        df[name] = col[order]
    df["weight"] = weight[order]
    return df


_TRANSACTIONAL_YAML = """\
# SYNTHETIC demo data generated by cxkit.demo (seed {seed}); regenerate with
#   python -m cxkit.io.demo
# See data/README.md for the columns, the generating model and the planted change.
survey: Demo transactional survey (synthetic)
sources:
  - path: transactional.csv
    format: csv
respondent_id: response_id
date: response_date
period: month
weight: weight
segments:
  channel: channel
  region: region
  product: product
scores:
  nps:  {{column: ltr, metric: nps, scale: [0, 10], missing: [11]}}
  csat: {{column: satisfaction, metric: csat, scale: [1, 5], top_box: [4, 5]}}
  ces:  {{column: effort, metric: ces, scale: [1, 7], missing: [""]}}
text: [comment]
# attribute ratings for the key-driver page (planted: speed matters most and rates lowest)
drivers:
  outcome: nps
  ratings:
    q_speed: {{column: q_speed, label: Speed of service}}
    q_staff: {{column: q_staff, label: Staff friendliness}}
    q_ease:  {{column: q_ease, label: Ease of use}}
    q_info:  {{column: q_info, label: Clear information}}
    q_price: {{column: q_price, label: Value for money}}
  scale: [1, 5]
  missing: [""]
  low: [1, 2]
  top_box: [4, 5]
# the companion relationship survey: the monthly report adds a competitor NPS page
relationship_survey: relationship.yaml
"""

_RELATIONSHIP_YAML = """\
# SYNTHETIC demo data generated by cxkit.demo (seed {seed}); regenerate with
#   python -m cxkit.io.demo
# See data/README.md for the columns and the generating model.
survey: Demo relationship survey (synthetic)
sources:
  - path: relationship.csv
    format: csv
respondent_id: respondent_id
date: survey_date
period: month
weight: weight
segments:
  region: region
  customer_type: customer_type
scores:
  Acme:       {{column: nps_acme, metric: nps, scale: [0, 10], missing: [""]}}
  Brightline: {{column: nps_brightline, metric: nps, scale: [0, 10], missing: [""]}}
  Corvo:      {{column: nps_corvo, metric: nps, scale: [0, 10], missing: [""]}}
  Dunmore:    {{column: nps_dunmore, metric: nps, scale: [0, 10], missing: [""]}}
relationship:
  own: Acme
  brands: [Acme, Brightline, Corvo, Dunmore]
"""


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    """Plain UTF-8 CSV without BOM or index, "\\n" line ends, weights with 4 decimals."""
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.4f")


def write_demo_data(folder=None, seed=DEMO_SEED) -> dict:
    """Write the synthetic demo surveys and their YAML configs into ``folder``.

    Parameters
    ----------
    folder : str or Path, optional
        Target folder (created if needed); default ``cxkit.paths.DATA_DIR / "demo"``.
    seed : int, default 2026
        Seed of both generators.

    Returns
    -------
    dict
        ``{"transactional.csv": Path, "transactional.yaml": Path, "relationship.csv": Path,
        "relationship.yaml": Path}``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = write_demo_data(tmp)
    ...     sorted(files)
    ['relationship.csv', 'relationship.yaml', 'transactional.csv', 'transactional.yaml']
    """
    check_number("seed", seed, low=0, integer=True)
    folder = Path(paths.DATA_DIR / "demo" if folder is None else folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {name: folder / name for name in
           ("transactional.csv", "transactional.yaml", "relationship.csv", "relationship.yaml")}
    _write_csv(make_transactional(seed), out["transactional.csv"])
    _write_csv(make_relationship(seed), out["relationship.csv"])
    out["transactional.yaml"].write_text(_TRANSACTIONAL_YAML.format(seed=seed), encoding="utf-8",
                                         newline="\n")
    out["relationship.yaml"].write_text(_RELATIONSHIP_YAML.format(seed=seed), encoding="utf-8",
                                        newline="\n")
    return out


if __name__ == "__main__":
    for _name, _path in write_demo_data().items():
        print(f"wrote {_path} ({_path.stat().st_size:,} bytes)")
