"""Tests of the synthetic demo data generator (cxkit.demo) and the committed demo files.

Statistics are computed here directly with numpy (not with cxkit), so these tests check the
data, not cxkit's estimators.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
import yaml

from cxkit import demo, paths

DEMO_DIR = paths.DATA_DIR / "demo"
FILES = ("transactional.csv", "transactional.yaml", "relationship.csv", "relationship.yaml")
BRAND_COLUMNS = ["nps_acme", "nps_brightline", "nps_corvo", "nps_dunmore"]

# Requirements of the demo data (from the task brief, not from cxkit).
MIN_SOUTH_DROP = 6.0          # NPS points, last month vs the 6 months before
MAX_OTHER_CHANGE = 8.0        # other regions: no planted change
MIN_COMPETITOR_CORR = 0.3
EXPECTED_MONTHS = [str(p) for p in pd.period_range("2024-11", "2026-10", freq="M")]


def _nps(scores) -> float:
    """NPS in points of 0–10 scores: % of 9–10 minus % of 0–6 (Reichheld 2003)."""
    s = np.asarray(scores, dtype=float)
    s = s[~np.isnan(s)]
    return 100.0 * (np.mean(s >= 9) - np.mean(s <= 6))


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return demo.write_demo_data(folder, seed=demo.DEMO_SEED)


@pytest.fixture(scope="module")
def tx():
    return pd.read_csv(DEMO_DIR / "transactional.csv", dtype={"comment": str},
                       keep_default_na=False, na_values={"effort": [""]})


@pytest.fixture(scope="module")
def rel():
    return pd.read_csv(DEMO_DIR / "relationship.csv")


# --- reproducibility ---------------------------------------------------------------------------

def test_same_seed_same_frame():
    a = demo.make_transactional(7, months=3, monthly_responses=300)
    b = demo.make_transactional(7, months=3, monthly_responses=300)
    pd.testing.assert_frame_equal(a, b)
    r1 = demo.make_relationship(7, respondents=300)
    r2 = demo.make_relationship(7, respondents=300)
    pd.testing.assert_frame_equal(r1, r2)


def test_different_seed_differs():
    a = demo.make_transactional(7, months=3, monthly_responses=300)
    b = demo.make_transactional(8, months=3, monthly_responses=300)
    assert not a.equals(b)
    assert not demo.make_relationship(7, respondents=300).equals(
        demo.make_relationship(8, respondents=300))


def test_generator_accepts_numpy_generator():
    a = demo.make_relationship(np.random.default_rng(5), respondents=200)
    b = demo.make_relationship(5, respondents=200)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("name", FILES)
def test_committed_files_equal_fresh_generation(regenerated, name):
    committed = DEMO_DIR / name
    assert committed.exists(), f"{committed} missing: run `python -m cxkit.io.demo`"
    assert _sha(regenerated[name]) == _sha(committed), (
        f"{name} differs from a fresh generation: run `python -m cxkit.io.demo` and commit")


def test_end_is_fixed_not_clock():
    df = demo.make_transactional(months=2, monthly_responses=100)
    assert sorted(df["response_date"].str[:7].unique()) == ["2026-09", "2026-10"]
    df = demo.make_transactional(end="2025-02", months=1, monthly_responses=100)
    assert set(df["response_date"].str[:7]) == {"2025-02"}


@pytest.mark.parametrize("kwargs", [{"end": "October"}, {"end": "2026-13"}, {"end": "2026-10-01"},
                                    {"months": 0}, {"seed": -1}, {"seed": 1.5}])
def test_bad_arguments(kwargs):
    with pytest.raises((ValueError, TypeError)):
        demo.make_transactional(**kwargs)


# --- file format -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["transactional.csv", "relationship.csv"])
def test_plain_csv(name):
    raw = (DEMO_DIR / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    raw.decode("utf-8")
    assert (DEMO_DIR / "transactional.csv").stat().st_size < 6_000_000


def test_configs_match_contract():
    t = yaml.safe_load((DEMO_DIR / "transactional.yaml").read_text(encoding="utf-8"))
    assert t["survey"] == "Demo transactional survey (synthetic)"
    assert t["sources"] == [{"path": "transactional.csv", "format": "csv"}]
    assert (t["respondent_id"], t["date"], t["period"], t["weight"]) == (
        "response_id", "response_date", "month", "weight")
    assert t["segments"] == {"channel": "channel", "region": "region", "product": "product"}
    assert t["scores"]["nps"] == {"column": "ltr", "metric": "nps", "scale": [0, 10],
                                  "missing": [11]}
    assert t["scores"]["csat"] == {"column": "satisfaction", "metric": "csat",
                                   "scale": [1, 5], "top_box": [4, 5]}
    assert t["scores"]["ces"] == {"column": "effort", "metric": "ces", "scale": [1, 7],
                                  "missing": [""]}
    assert t["text"] == ["comment"]
    r = yaml.safe_load((DEMO_DIR / "relationship.yaml").read_text(encoding="utf-8"))
    assert r["relationship"] == {"own": "Acme",
                                 "brands": ["Acme", "Brightline", "Corvo", "Dunmore"]}
    for brand, col in zip(r["relationship"]["brands"], BRAND_COLUMNS):
        assert r["scores"][brand] == {"column": col, "metric": "nps", "scale": [0, 10],
                                      "missing": [""]}
    assert (r["respondent_id"], r["date"], r["period"]) == ("respondent_id", "survey_date",
                                                             "month")
    assert set(r["segments"]) == {"region", "customer_type"}


# --- transactional: contents -------------------------------------------------------------------

def test_transactional_columns_and_ranges(tx):
    assert list(tx.columns) == ["response_id", "response_date", "channel", "region", "product",
                                "ltr", "satisfaction", "effort", "weight", "comment",
                                "q_speed", "q_staff", "q_ease", "q_info", "q_price"]
    assert 50_000 <= len(tx) <= 70_000
    assert tx["response_id"].is_unique
    assert tx["response_id"].str.fullmatch(r"T\d{6}").all()
    dates = pd.to_datetime(tx["response_date"], format="%Y-%m-%d %H:%M")
    assert sorted(dates.dt.strftime("%Y-%m").unique()) == EXPECTED_MONTHS
    assert set(tx["channel"]) == {"Web", "App", "Phone", "Store"}
    assert set(tx["region"]) == {"North", "South", "East", "West"}
    assert tx["product"].nunique() == 3
    assert tx["ltr"].between(0, 11).all()
    assert 0.005 < (tx["ltr"] == 11).mean() < 0.02
    assert tx["satisfaction"].between(1, 5).all()
    effort = tx["effort"].dropna()
    assert effort.between(1, 7).all() and (effort == effort.round()).all()
    assert 0.01 < tx["effort"].isna().mean() < 0.10
    assert (tx["weight"] > 0).all()
    assert tx["weight"].between(0.3, 3.0).all()
    assert abs(tx["weight"].mean() - 1) < 0.01


def test_transactional_realistic_levels(tx):
    valid = tx["ltr"] <= 10
    assert 30 <= _nps(tx.loc[valid, "ltr"]) <= 45
    assert 75 <= 100 * (tx["satisfaction"] >= 4).mean() <= 85
    assert 2.5 <= tx["effort"].mean() <= 3.5
    by_channel = {c: _nps(g.loc[g["ltr"] <= 10, "ltr"]) for c, g in tx.groupby("channel")}
    assert by_channel["Phone"] < min(by_channel["Web"], by_channel["App"], by_channel["Store"])
    assert by_channel["App"] > max(by_channel["Web"], by_channel["Phone"], by_channel["Store"])
    # a respondent's scores are correlated (effort: lower = easier, so negative)
    ok = valid & tx["effort"].notna()
    corr = np.corrcoef(np.vstack([tx.loc[ok, "ltr"], tx.loc[ok, "satisfaction"],
                                  tx.loc[ok, "effort"]]))
    assert corr[0, 1] > 0.5 and corr[0, 2] < -0.5


def test_volumes_differ_by_segment_and_month(tx):
    for col in ("channel", "region", "product"):
        counts = tx[col].value_counts()
        assert counts.max() > 1.3 * counts.min(), col
    per_month = tx.groupby(tx["response_date"].str[:7]).size()
    assert per_month.max() > 1.1 * per_month.min()
    south = tx[tx["region"] == "South"].groupby(tx["response_date"].str[:7]).size()
    assert south.min() >= 500


def test_planted_change_south_last_month(tx):
    month = tx["response_date"].str[:7]
    valid = tx["ltr"] <= 10
    last, previous = EXPECTED_MONTHS[-1], EXPECTED_MONTHS[-7:-1]
    for region in ("North", "South", "East", "West"):
        in_region = valid & (tx["region"] == region)
        now = _nps(tx.loc[in_region & (month == last), "ltr"])
        before = _nps(tx.loc[in_region & month.isin(previous), "ltr"])
        if region == "South":
            assert now <= before - MIN_SOUTH_DROP, (now, before)
        else:
            assert abs(now - before) < MAX_OTHER_CHANGE, (region, now, before)


def test_planted_change_is_switchable():
    on = demo.make_transactional(3, months=2, monthly_responses=400)
    off = demo.make_transactional(3, months=2, monthly_responses=400, plant_change=False)
    changed = on["ltr"].to_numpy() != off["ltr"].to_numpy()
    rows = on.loc[changed]
    assert len(rows) > 0
    assert set(rows["region"]) == {"South"}
    assert set(rows["response_date"].str[:7]) == {"2026-10"}


def test_comments_mostly_blank_with_fake_pii(tx):
    has = tx["comment"] != ""
    assert 0.01 < has.mean() < 0.2
    text = " ".join(tx.loc[has, "comment"])
    assert "jane.doe@example.com" in text
    assert "+1 555 0100" in text


# --- relationship: contents --------------------------------------------------------------------

def test_relationship_columns_and_ranges(rel):
    assert list(rel.columns) == ["respondent_id", "survey_date", "region", "customer_type",
                                 *BRAND_COLUMNS, "weight"]
    assert 2_500 <= len(rel) <= 3_500
    assert rel["respondent_id"].is_unique
    months = pd.to_datetime(rel["survey_date"], format="%Y-%m-%d").dt.strftime("%Y-%m")
    assert sorted(months.unique()) == EXPECTED_MONTHS[-12:]
    assert set(rel["customer_type"]) == {"Consumer", "Business"}
    for col in BRAND_COLUMNS:
        s = rel[col].dropna()
        assert s.between(0, 10).all() and (s == s.round()).all()
    unknown = rel[BRAND_COLUMNS].isna().mean()
    assert unknown["nps_acme"] < 0.10
    assert all(0.15 <= unknown[c] <= 0.40 for c in BRAND_COLUMNS[1:])
    assert (rel["weight"] > 0).all()


def test_relationship_brand_levels(rel):
    nps = {c: _nps(rel[c]) for c in BRAND_COLUMNS}
    assert nps["nps_brightline"] > nps["nps_acme"] > nps["nps_corvo"] > nps["nps_dunmore"]
    assert 15 <= nps["nps_acme"] <= 35
    assert nps["nps_acme"] - nps["nps_dunmore"] > 10


def test_competitor_ratings_correlated(rel):
    corr = rel[BRAND_COLUMNS].corr()  # pairwise complete observations
    off_diagonal = corr.to_numpy()[~np.eye(len(BRAND_COLUMNS), dtype=bool)]
    assert off_diagonal.min() > MIN_COMPETITOR_CORR
