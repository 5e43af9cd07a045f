"""Tests of the closed loop (cxkit.follow_up, follow_up_times), derived segments and the planted
effects of the demo data, with expected values computed here with plain pandas."""

import numpy as np
import pandas as pd
import pytest
import yaml

import cxkit
from cxkit.core import paths


@pytest.fixture(scope="module")
def demo():
    return cxkit.load_survey("demo").responses


def test_follow_up_lists_every_detractor_of_the_month(demo):
    f = cxkit.follow_up(demo, "2026-10")
    month = demo[demo["period"].astype(str) == "2026-10"]
    det = month[month["nps"] <= 6]
    assert len(f) == len(det)
    assert set(f["respondent_id"]) == set(det["respondent_id"].astype(str))
    assert f["has_comment"].sum() == int((det["comment"].fillna("").str.strip() != "").sum())
    assert cxkit.describe_follow_up(f, "follow_up.csv") == (
        f"{len(det)} detractors in 2026-10, {int(f['has_comment'].sum())} with comments: "
        f"follow_up.csv")


def test_follow_up_priority_order_and_unmasked_comment():
    df = pd.DataFrame({
        "respondent_id": list("abcdef"),
        "date": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
                                "2026-10-05", "2026-10-06"]),
        "nps": [6, 2, 2, 2, 9, 2],
        "q": [1, 5, 1, 1, 1, 5],
        "comment": ["", "", "call me at jane.doe@example.com", "", "great", ""]})
    f = cxkit.follow_up(df, drivers=["q"])
    # score 2 first; among them the comment (c), then low ratings (d), then newest (f before b)
    assert f["respondent_id"].tolist() == ["c", "d", "f", "b", "a"]
    assert f["priority"].tolist() == [1, 2, 3, 4, 5]
    assert f.loc[0, "comment"] == "call me at jane.doe@example.com"      # not masked
    assert f.loc[0, "low_ratings"] == "q 1" and f.loc[2, "n_low"] == 0
    assert len(cxkit.follow_up(df, group=2)) == 4


def test_follow_up_times_by_hand():
    f = pd.DataFrame({
        "respondent_id": ["a", "b", "c", "d"],
        "date": pd.to_datetime(["2026-10-01 08:00", "2026-10-01 09:00", "2026-10-02 10:00",
                                "2026-10-03 10:00"]),
        "contacted": ["2026-10-01 10:00", "2026-10-03 09:00", "", "2026-10-03 22:00"],
        "resolved": ["2026-10-02 08:00", "", "", "2026-10-05 10:00"]})
    r = cxkit.follow_up_times(f, target_hours=24)
    # hours to contact: 2, 48, (none), 12 -> median 12; within 24 h: a, d = 2 of 4
    assert (r.n, r.n_contacted, r.median_hours_to_contact) == (4, 3, 12.0)
    assert r.within_target == 50.0
    # hours to resolution: 24, 48 -> median 36
    assert (r.n_resolved, r.median_hours_to_resolution) == (2, 36.0)
    f.loc[0, "contacted"] = "2026-09-30 10:00"
    with pytest.raises(ValueError, match="before responding"):
        cxkit.follow_up_times(f)


def _with_time_segments():
    d = yaml.safe_load(paths.DEMO_CONFIG.read_text(encoding="utf-8"))
    d["segments"]["weekday"] = {"from": "response_date", "part": "weekday"}
    d["segments"]["hour"] = {"from": "response_date", "part": "hour"}
    return cxkit.config_from_dict(d, base=paths.DEMO_CONFIG.parent, path=paths.DEMO_CONFIG)


def test_derived_segments_natural_order_and_values():
    r = cxkit.load_survey(_with_time_segments()).responses
    assert list(r["weekday"].cat.categories) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
                                                 "Sun"]
    assert list(r["hour"].cat.categories) == [f"{h:02d} h" for h in range(24)]
    raw = pd.read_csv(paths.DEMO_CONFIG.parent / "transactional.csv",
                      usecols=["response_id", "response_date"])
    ts = pd.to_datetime(raw["response_date"], format="%Y-%m-%d %H:%M")
    want = ts.dt.day_name().str[:3]
    got = r.set_index("respondent_id")["weekday"].astype(str)
    assert (got.loc[raw["response_id"]].to_numpy() == want.to_numpy()).all()
    assert (r.set_index("respondent_id")["hour"].astype(str).loc[raw["response_id"]].to_numpy()
            == ts.dt.strftime("%H h").to_numpy()).all()


def test_planted_monday_morning_shows_up_in_score_changes():
    r = cxkit.load_survey(_with_time_segments()).responses
    nps = lambda s: 100 * ((s >= 9).mean() - (s <= 6).mean())  # noqa: E731
    mon = r[r["weekday"] == "Mon"]
    am = mon["hour"].isin(["08 h", "09 h"])
    assert nps(mon.loc[am, "nps"].dropna()) < nps(mon.loc[~am, "nps"].dropna()) - 20
    res = cxkit.score_changes(r, "nps", "2026-10", "previous", by=["hour", "weekday"])
    v = res.vs_rest
    flagged = v[v["significant"] & (v["diff"] < 0)]
    assert set(flagged["level"].astype(str)) == {"08 h", "09 h"}
    assert set(flagged["dimension"]) == {"hour"}


def test_derived_segment_config_errors():
    d = yaml.safe_load(paths.DEMO_CONFIG.read_text(encoding="utf-8"))
    d["segments"]["weekday"] = {"from": "response_date", "part": "weekdays"}
    with pytest.raises(cxkit.ConfigError, match="did you mean 'weekday'"):
        cxkit.config_from_dict(d)
    d["segments"]["weekday"] = {"from": "weight", "bins": [1, 0.5]}
    with pytest.raises(cxkit.ConfigError, match="increasing"):
        cxkit.config_from_dict(d)


def test_drivers_config_errors():
    d = yaml.safe_load(paths.DEMO_CONFIG.read_text(encoding="utf-8"))
    d["drivers"]["outcome"] = "nope"
    with pytest.raises(cxkit.ConfigError, match="not a score"):
        cxkit.config_from_dict(d)
    d["drivers"] = {"ratings": {"q_speed": {"column": "q_speed", "low": [0]}}}
    with pytest.raises(cxkit.ConfigError, match="outside the scale"):
        cxkit.config_from_dict(d)
    d["drivers"] = ["q_speed", "nps"]
    with pytest.raises(cxkit.ConfigError, match="already used"):
        cxkit.config_from_dict(d)


def test_demo_planted_driver_is_fix_first(demo):
    month = demo[demo["period"].astype(str) == "2026-10"]
    t = cxkit.drivers(month, n_boot=200, seed=1)
    m = cxkit.priority_matrix(t)
    assert t["driver"].iloc[0] == "q_speed"
    assert m.iloc[0]["driver"] == "q_speed" and m.iloc[0]["quadrant"] == "fix first"
    # the loadings' order (data/README.md) is the importance order
    assert t["driver"].tolist() == ["q_speed", "q_staff", "q_ease", "q_info", "q_price"]


# ------------------------------------------------------------------ in the monthly report
def test_report_writes_follow_up_csv_beside_the_pages(built):
    out, result = built
    target = out / result.month
    csv = pd.read_csv(target / "follow_up.csv", keep_default_na=False)
    responses = cxkit.load_survey("demo").responses
    month = responses[responses["period"].astype(str) == result.month]
    det = month[month["nps"] <= 6]
    assert len(csv) == len(det)
    assert csv["priority"].tolist() == list(range(1, len(csv) + 1))
    s = result.summary["follow_up"]
    assert (s["n"], s["file"], s["group"]) == (len(det), "follow_up.csv", "detractors")
    n_comments = int((det["comment"].fillna("").str.strip() != "").sum())
    assert s["n_comments"] == n_comments
    index = (target / "index.html").read_text(encoding="utf-8")
    assert (f"{len(det)} detractors in {result.month}, {n_comments} with comments: "
            f"<a href='follow_up.csv'>") in index
    # comments are unmasked in the CSV only; no page shows a callback-list comment unmasked
    pii = [c for c in csv["comment"] if "@example." in c]
    for page in target.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not any(c in text for c in pii), page.name


def test_driver_page_in_report(built):
    out, result = built
    sec = result.summary["sections"]["drivers"]
    assert sec["fix_first"] == ["q_speed"]
    assert sec["findings"][0].startswith("Fix Speed of service first")
    html = (out / result.month / "drivers.html").read_text(encoding="utf-8")
    assert "<table" in html and "Speed of service" in html


def test_no_follow_up_option_and_skip_without_drivers(tmp_path):
    from cxkit.cli import build_parser
    from cxkit.report.runner import _select

    assert build_parser().parse_args(["report", "--no-follow-up"]).no_follow_up is True
    chosen, skipped = _select(None, True, "M", has_drivers=False)
    assert "drivers" not in chosen and "driver" in skipped["drivers"]
    r = cxkit.report.run_report("demo", "2026-10", tmp_path, notebooks="overview",
                                progress="quiet", follow_up=False)
    assert not (r.path / "follow_up.csv").exists() and "follow_up" not in r.summary


def test_driver_outside_scale_names_the_drivers_key(tmp_path):
    (tmp_path / "s.csv").write_text("id,ltr,q\n1,9,3\n2,4,7\n", encoding="utf-8")
    cfg = cxkit.config_from_dict({"sources": ["s.csv"], "respondent_id": "id",
                                  "scores": {"nps": {"column": "ltr"}}, "drivers": ["q"]},
                                 base=tmp_path)
    with pytest.raises(cxkit.SurveyDataError, match=r"drivers\.ratings\.q\.scale"):
        cxkit.load_survey(cfg)


def test_follow_up_config_loads_timestamps_and_times(tmp_path):
    (tmp_path / "s.csv").write_text(
        "id,when,ltr,contact\n1,2026-10-01 08:00,3,2026-10-01 20:00\n2,2026-10-02 08:00,9,\n"
        "3,2026-10-03 08:00,5,\n", encoding="utf-8")
    cfg = cxkit.config_from_dict({"sources": ["s.csv"], "respondent_id": "id", "date": "when",
                                  "period": "month", "scores": {"nps": {"column": "ltr"}},
                                  "follow_up": {"contacted": "contact", "target_hours": 24}},
                                 base=tmp_path)
    r = cxkit.load_survey(cfg).responses
    f = cxkit.follow_up(r, "2026-10")
    assert f["respondent_id"].tolist() == ["1", "3"] and "contacted" in f
    t = cxkit.follow_up_times(f, target_hours=24)
    assert (t.n, t.n_contacted, t.median_hours_to_contact, t.within_target) == (2, 1, 12.0, 50.0)
