"""``load_survey(config, engine="duckdb")``: the loader's checks run in DuckDB.

The reference is the pandas loader (``cxkit.load_survey(config)``), whose checks are tested
against hand-counted fixtures in tests/test_loader.py; here the same configs and files go
through both paths and the LoadReports must be equal — rows read and kept per file, every
exclusion (reason, column, count, the first source rows and the quoted, redacted values),
the missing answers per score and their declared codes — and so must the error messages
of ``on_invalid: error``.  The analyses on the engine survey must agree with the pandas
results to 1e-9 (relative).  The fixtures' counts per reason are also stated by hand below
(``EXPECTED``), so that a bug shared by both paths cannot pass unseen.
"""

import math

import numpy as np
import pandas as pd
import pytest

import cxkit
import cxkit.core.paths
from cxkit.core.errors import ConfigError, SurveyDataError

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("ibis")

RTOL = 1e-9

HEADER = "id,date,region,ltr,sat,w,comment"
# (row text, why) — the source row numbers start at 2 (the header is row 1)
ROWS = [
    ("R01,2026-01-05,North,10,5,1.0,Great", "kept"),
    ("R02,2026-01-06,South,9,4,1.5,", "kept"),
    (",,,,,,", "empty row"),
    (",2026-01-07,North,8,4,1.0,", "missing respondent id"),
    ("R01,2026-01-08,North,7,3,1.0,repeat", "duplicate respondent id"),
    ("R05,,West,6,3,1.0,", "missing date"),
    ("R06,2026-13-45,West,5,2,1.0,", "unparseable date"),
    ("R07,1850-01-01,West,5,2,1.0,", "date out of range"),
    ("R08,2026-02-01,North,5,2,,", "missing weight"),
    ("R09,2026-02-02,North,5,2,abc,", "weight not a number"),
    ("R10,2026-02-03,North,5,2,inf,", "weight not a number"),
    ("R11,2026-02-04,South,5,2,0,", "non-positive weight"),
    ("R12,2026-02-05,South,5,2,-1,", "non-positive weight"),
    ("R13,2026-02-06,South,5,2,1e200,", "weight out of range"),
    ("R14,2026-02-07,South,jane@example.com,2,1.0,", "score not a number"),
    ("R15,2026-02-08,South,7.5,2,1.0,", "score not a whole number"),
    ("R16,2026-02-09,South,12,2,1.0,", "score outside scale"),
    ("R17,2026-02-10,South,11,,1.0,", "no valid score"),
    ("R18,2026-02-11,West,N/A,4,1.0,declared text code", "kept"),
    ("R19,2026-02-12,West,11,3,1.0,declared numeric code", "kept"),
    ("R20,05/03/2026, West ,10 - Extremely likely,5,2.0,padded segment", "kept"),
    ("R21,2026-03-06T10:00:00+02:00,North,0,1,0.5,offset", "kept"),
    ("R22,2026-03-07,,3,2,1.0,no region", "kept"),
    ("R23,2026-03-08,North,,6,1.0,", "score outside scale"),
]
EXPECTED = {}
for _, why in ROWS:
    if why != "kept":
        EXPECTED[why] = EXPECTED.get(why, 0) + 1


def _config(paths, on_invalid="exclude", **extra):
    cfg = {"survey": "Engine test",
           "sources": [p if isinstance(p, dict) else str(p) for p in paths],
           "respondent_id": "id",
           "date": {"column": "date", "format": ["ISO8601", "%d/%m/%Y"], "min": "1990-01-01",
                    "max": "2030-12-31"},
           "period": "month", "weight": "w", "segments": {"region": "region"},
           "scores": {"nps": {"column": "ltr", "metric": "nps", "scale": [0, 10],
                              "missing": [11, "N/A"]},
                      "csat": {"column": "sat", "metric": "csat", "scale": [1, 5]}},
           "text": ["comment"], "on_invalid": on_invalid}
    cfg.update(extra)
    return cfg


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("eng") / "wave1.csv"
    p.write_text(HEADER + "\n" + "\n".join(r for r, _ in ROWS) + "\n", encoding="utf-8")
    return p


def _good_frame(n=400, seed=3, start=0):
    rng = np.random.default_rng(seed)
    day = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 150, n), unit="D")
    ltr = rng.integers(0, 11, n).astype(float)
    ltr[rng.random(n) < 0.05] = 11.0                      # declared missing code
    ltr[rng.random(n) < 0.03] = np.nan
    return pd.DataFrame({
        "id": [f"P{start + i:05d}" for i in range(n)],
        "date": day.astype("datetime64[us]"),
        "region": rng.choice(["North", "South", "West"], n),
        "ltr": ltr,
        "sat": rng.integers(1, 6, n).astype(float),
        "w": np.round(rng.uniform(0.2, 3.0, n), 4),
        "comment": rng.choice(["ok", None, "slow"], n),
    })


@pytest.fixture(scope="module")
def parquet_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("engpq")
    a = _good_frame(400, 3, 0)
    a.loc[5, "w"] = -2.0                                   # non-positive weight
    a.loc[7, "ltr"] = 14.0                                 # outside the scale
    a.loc[9, "date"] = pd.Timestamp("2099-01-01")          # date out of range
    a.loc[11, "id"] = a.loc[10, "id"]                      # duplicate within the file
    a.loc[13, "w"] = np.nan                                # missing weight
    b = _good_frame(300, 4, 395)                           # ids P00395…P00399 repeat across files
    b.loc[3, "sat"] = 0.0
    pa, pb = d / "a.parquet", d / "b.parquet"
    a.to_parquet(pa, index=False)
    b.to_parquet(pb, index=False)
    return pa, pb


def _both(cfg):
    ref = cxkit.load_survey(cfg)
    eng = cxkit.load_survey(cfg, engine="duckdb")
    return ref, eng


def _same_report(a, b):
    pd.testing.assert_frame_equal(a.files.drop(columns="path"), b.files.drop(columns="path"))
    assert list(a.files["path"]) == list(b.files["path"])
    pd.testing.assert_frame_equal(a.exclusions, b.exclusions)
    pd.testing.assert_frame_equal(a.missing, b.missing)
    assert a.notes == b.notes
    assert a.to_dict() == b.to_dict()


def _close(a, b):
    assert a == pytest.approx(b, rel=RTOL, abs=1e-12) or (math.isnan(a) and math.isnan(b))


def _same_frame(a, b, keys):
    a = a.assign(_k=a[keys].astype(str).agg("|".join, axis=1)).sort_values("_k") \
        .drop(columns="_k").reset_index(drop=True)
    b = b.assign(_k=b[keys].astype(str).agg("|".join, axis=1)).sort_values("_k") \
        .drop(columns="_k").reset_index(drop=True)
    assert len(a) == len(b)
    for c in a.columns:
        if pd.api.types.is_float_dtype(a[c]):
            np.testing.assert_allclose(b[c].to_numpy(float), a[c].to_numpy(float), rtol=RTOL,
                                       equal_nan=True)
        else:
            assert [str(x) for x in a[c]] == [str(x) for x in b[c]], c


def _same_changes(a, b):
    assert (a.period, a.baseline, a.metric) == (b.period, b.baseline, b.metric)
    for k in ("diff", "se", "ci_low", "ci_high", "statistic", "p_value"):
        _close(float(getattr(a.overall, k)), float(getattr(b.overall, k)))
    assert (a.overall.n_a, a.overall.n_b) == (b.overall.n_a, b.overall.n_b)
    keys = [c for c in a.table.columns if not pd.api.types.is_float_dtype(a.table[c])]
    _same_frame(a.table, b.table, keys)


# ---------------------------------------------------------------- the LoadReport -----------
def test_csv_report_equals_pandas(csv_file):
    (p, ref), (s, eng) = _both(_config([csv_file]))
    _same_report(ref, eng)
    got = ref.exclusions.groupby("reason")["count"].sum().to_dict()
    assert got == EXPECTED                                  # the fixture's own reasons
    assert ref.rows_read == len(ROWS) and ref.rows_kept == len(p) == 7
    # the quoted e-mail address is masked on both paths
    e = eng.exclusions.set_index("reason")
    assert e.loc["score not a number", "values"] == ["[email]"]
    assert e.loc["duplicate respondent id", "rows"] == [6]
    m = eng.missing.set_index("score")
    assert m.loc["nps", "codes"] == {"11": 1, "N/A": 1}


def test_csv_error_messages_equal_pandas(csv_file):
    cfg = _config([csv_file], on_invalid="error")
    with pytest.raises(SurveyDataError) as a:
        cxkit.load_survey(cfg)
    with pytest.raises(SurveyDataError) as b:
        cxkit.load_survey(cfg, engine="duckdb")
    assert str(a.value) == str(b.value)
    assert "missing respondent id" not in str(b.value) and "blank respondent ids" in str(b.value)
    assert b.value.rows == a.value.rows == [5]


@pytest.mark.parametrize("drop", [
    [3, 4], [3, 4, 5], [3, 4, 5, 6], [3, 4, 5, 6, 7], [3, 4, 5, 6, 7, 8],
    [3, 4, 5, 6, 7, 8, 9], [3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], list(range(3, 16)), list(range(3, 17)),
    list(range(3, 18)) + [23]])
def test_each_error_message_equals_pandas(tmp_path, drop):
    """Error mode: remove the rows before one reason, the next reason's message is the
    first one raised — identical text on both paths (file, column, count, rows, values)."""
    keep = [r for i, (r, _) in enumerate(ROWS) if i not in drop]
    p = tmp_path / "cut.csv"
    p.write_text(HEADER + "\n" + "\n".join(keep) + "\n", encoding="utf-8")
    cfg = _config([p], on_invalid="error")
    try:
        cxkit.load_survey(cfg)
    except SurveyDataError as exc:
        want = str(exc)
    else:
        want = None
    if want is None:
        _same_report(cxkit.load_survey(cfg).report, cxkit.load_survey(cfg, engine="duckdb").report)
        return
    with pytest.raises(SurveyDataError) as b:
        cxkit.load_survey(cfg, engine="duckdb")
    assert str(b.value) == want


def test_parquet_two_files_equal_pandas(parquet_files):
    (p, ref), (s, eng) = _both(_config(parquet_files))
    _same_report(ref, eng)
    e = ref.exclusions
    assert set(e["reason"]) == {"non-positive weight", "score outside scale",
                                "date out of range", "duplicate respondent id",
                                "missing weight"}
    cross = e[(e["file"] == "b.parquet") & (e["reason"] == "duplicate respondent id")]
    # P00395 … P00399 repeat; P00398 is excluded in b.parquet for its csat of 0 first
    assert int(cross["count"].sum()) == 4
    assert cross["values"].iloc[0] == ["P00395", "P00396", "P00397", "P00399"]
    assert ref.rows_kept == len(p)


def test_parquet_cross_file_duplicate_error_equals_pandas(parquet_files):
    cfg = _config(parquet_files, on_invalid="error")
    a_only = _config(parquet_files[1:], on_invalid="error")
    for c in (cfg, a_only):
        with pytest.raises(SurveyDataError) as a:
            cxkit.load_survey(c)
        with pytest.raises(SurveyDataError) as b:
            cxkit.load_survey(c, engine="duckdb")
        assert str(a.value) == str(b.value)


def test_demo_report_and_analyses_equal_pandas():
    (p, ref), (s, eng) = _both("demo")
    _same_report(ref, eng)
    assert isinstance(s, cxkit.EngineSurvey)
    for key in ("metrics", "scales", "segments", "weight", "period", "survey",
                "relationship", "config_path", "labels", "drivers", "follow_up"):
        assert key in s.attrs["cxkit"], key
        if key != "metrics":
            assert s.attrs["cxkit"][key] == p.attrs["cxkit"][key], key
    assert set(p.columns) <= set(s.columns) | {"source"}
    for weighted in (False, True):
        a = cxkit.summarize(p, ["nps", "csat", "ces"], by="region", weighted=weighted)
        b = cxkit.summarize(s, ["nps", "csat", "ces"], by="region", weighted=weighted)
        _same_frame(a, b, ["metric", "region"])
    _same_changes(cxkit.score_changes(p, "nps", by="channel"),
                  cxkit.score_changes(s, "nps", by="channel"))
    _same_changes(cxkit.score_changes(p, "nps", by="region", weighted=True),
                  cxkit.score_changes(s, "nps", by="region", weighted=True))


def test_csv_analyses_equal_pandas(csv_file):
    (p, _), (s, _) = _both(_config([csv_file]))
    for weighted in (False, True):
        a = cxkit.summarize(p, ["nps", "csat"], weighted=weighted)
        b = cxkit.summarize(s, ["nps", "csat"], weighted=weighted)
        _same_frame(a, b, ["metric"])
    ta = cxkit.tally(p, "nps", by=["period"])
    tb = cxkit.tally(s, "nps", by=["period"])
    pd.testing.assert_frame_equal(ta.astype({"period": str}), tb.astype({"period": str}))


def test_parquet_analyses_equal_pandas(parquet_files):
    (p, _), (s, _) = _both(_config(parquet_files))
    a = cxkit.summarize(p, ["nps", "csat"], by="region", weighted=True)
    b = cxkit.summarize(s, ["nps", "csat"], by="region", weighted=True)
    _same_frame(a, b, ["metric", "region"])
    _same_changes(cxkit.score_changes(p, "nps", by="region"),
                  cxkit.score_changes(s, "nps", by="region"))


# ---------------------------------------------------------------- the kept rows ------------
def test_canonical_columns(csv_file):
    (p, _), (s, _) = _both(_config([csv_file]))
    got = s.run(s.expression().order_by("source_row"))
    want = p.sort_values("source_row").reset_index(drop=True)
    assert list(got["respondent_id"]) == list(want["respondent_id"])
    assert list(got["source"]) == ["wave1.csv"] * len(want)
    assert list(got["source_row"]) == list(want["source_row"])
    assert list(got["date"]) == list(want["date"])
    assert [str(x) for x in pd.PeriodIndex(pd.to_datetime(got["period"]), freq="M")] == \
        [str(x) for x in want["period"]]
    assert [None if pd.isna(x) else x for x in got["region"]] == \
        [None if pd.isna(x) else x for x in want["region"]]
    np.testing.assert_array_equal(got["nps"].to_numpy(float), want["nps"].to_numpy(float))
    np.testing.assert_array_equal(got["weight"].to_numpy(float), want["weight"].to_numpy(float))
    assert [None if pd.isna(x) else x for x in got["comment"]] == \
        [None if pd.isna(x) else x for x in want["comment"]]


def test_engine_key_in_config(csv_file, tmp_path):
    import yaml

    cfg = _config([csv_file], engine="duckdb")
    r, rep = cxkit.load_survey(cfg)
    assert isinstance(r, cxkit.EngineSurvey)
    r2, _ = cxkit.load_survey(cfg, engine="pandas")         # the argument wins
    assert isinstance(r2, pd.DataFrame)
    y = tmp_path / "s.yaml"
    y.write_text(yaml.safe_dump(_config([csv_file], engine="duckdb")))
    assert isinstance(cxkit.load_survey(y).responses, cxkit.EngineSurvey)
    with pytest.raises(ConfigError, match="engine.*duckbd.*did you mean 'duckdb'"):
        cxkit.load_survey(_config([csv_file], engine="duckbd"))
    with pytest.raises(ConfigError, match="`engine`: must be a text"):
        cxkit.load_survey(_config([csv_file], engine=5))
    with pytest.raises(ConfigError, match="one of pandas, duckdb"):
        cxkit.load_survey(cfg, engine="spark")


# ---------------------------------------------------------------- nothing materialised -----
def test_rows_are_not_materialised(csv_file, parquet_files, monkeypatch):
    """The engine path never reads the files with pandas, and every frame DuckDB hands back
    to Python is small (counts, quoted rows): a relation's ``df``/``fetchall`` larger than a
    few rows would mean rows came back."""
    def refuse(*a, **k):
        raise AssertionError("pandas reader used on the engine path")

    monkeypatch.setattr(pd, "read_csv", refuse)
    monkeypatch.setattr(pd, "read_parquet", refuse)
    import cxkit.io.readers as readers
    monkeypatch.setattr(readers, "read_export", refuse)
    fetched = []
    real = duckdb.DuckDBPyConnection.sql

    class Spy:
        def __init__(self, rel):
            self._rel = rel

        def fetchall(self):
            out = self._rel.fetchall()
            fetched.append(len(out))
            return out

        def df(self):
            out = self._rel.df()
            fetched.append(len(out))
            return out

        def __getattr__(self, k):
            return getattr(self._rel, k)

    monkeypatch.setattr(duckdb.DuckDBPyConnection, "sql",
                        lambda self, *a, **k: Spy(real(self, *a, **k)))
    for cfg in (_config([csv_file]), _config(parquet_files)):
        s, rep = cxkit.load_survey(cfg, engine="duckdb")
        cxkit.summarize(s, ["nps"], by="region", weighted=True)
    assert fetched and max(fetched) <= 40, fetched          # rows read: 24 and 700


# ---------------------------------------------------------------- unsupported, hostile -----
def test_unsupported_keys_are_config_errors(csv_file, tmp_path):
    base = _config([csv_file])
    cases = [
        ({"weighting": {"targets": {"region": {"North": 50, "South": 30, "West": 20}}}},
         "`weighting`"),
        ({"design": {"strata": "region"}}, "`design`"),
        ({"relationship": {"form": "long", "brand_column": "region", "score_column": "ltr",
                           "brands": ["North", "South"]}}, "`relationship.form`"),
    ]
    for extra, key in cases:
        cfg = {**base, **extra}
        if "relationship" in extra:
            del cfg["scores"]
        with pytest.raises(ConfigError, match=key + ".*not supported by the DuckDB loader"):
            cxkit.load_survey(cfg, engine="duckdb")
    q = tmp_path / "q.csv"
    q.write_text("StartDate,EndDate,Status,ResponseId,Q1\nStart Date,End Date,Response Type,"
                 "Response ID,How likely\n{\"ImportId\":\"startDate\"},{\"ImportId\":\"endDate\"},"
                 "{\"ImportId\":\"status\"},{\"ImportId\":\"_recordId\"},{\"ImportId\":\"QID1\"}\n"
                 "2026-01-01,2026-01-01,0,R_1,9\n", encoding="utf-8")
    cfg = {"sources": [str(q)], "scores": {"nps": {"column": "Q1", "metric": "nps"}}}
    with pytest.raises(ConfigError, match="qualtrics header.*plain\\s+CSV/TSV.*Parquet"):
        cxkit.load_survey(cfg, engine="duckdb")
    with pytest.raises(ConfigError, match="`sources\\[0\\].encoding`"):
        cxkit.load_survey({**base, "sources": [{"path": str(csv_file), "encoding": "cp1252"}]},
                          engine="duckdb")


def test_hostile_inputs_give_cxkit_errors(csv_file, tmp_path):
    with pytest.raises(SurveyDataError, match="file not found"):
        cxkit.load_survey(_config([tmp_path / "nope.csv"]), engine="duckdb")
    bad = _config([csv_file])
    bad["scores"]["nps"]["column"] = "LTR"
    with pytest.raises(SurveyDataError, match="column 'LTR'.*not found.*Closest: 'ltr'"):
        cxkit.load_survey(bad, engine="duckdb")
    corrupt = tmp_path / "c.parquet"
    corrupt.write_bytes(b"PAR1" + b"\x00garbage" * 50)
    with pytest.raises(SurveyDataError, match="c.parquet: DuckDB cannot read this Parquet"):
        cxkit.load_survey(_config([corrupt]), engine="duckdb")
    ragged = tmp_path / "r.csv"
    ragged.write_text(HEADER + "\nR1,2026-01-05,North,10,5,1.0,x,EXTRA\n", encoding="utf-8")
    with pytest.raises(SurveyDataError, match="r.csv: row 2 has 8 fields but the header has 7"):
        cxkit.load_survey(_config([ragged]), engine="duckdb")
    empty = tmp_path / "e.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(SurveyDataError, match="empty"):
        cxkit.load_survey(_config([empty]), engine="duckdb")
    header_only = tmp_path / "h.csv"
    header_only.write_text(HEADER + "\n", encoding="utf-8")
    with pytest.raises(SurveyDataError, match="header but no data rows"):
        cxkit.load_survey(_config([header_only]), engine="duckdb")


# ---------------------------------------------------------------- config variants ----------
def _variant_files(tmp_path):
    text = HEADER + "\n" + "\n".join(r for r, _ in ROWS) + "\n"
    out = {}
    p = tmp_path / "semi.csv"
    p.write_text(text.replace(",", ";"), encoding="utf-8")
    out["semi"] = p
    p = tmp_path / "tab.tsv"
    p.write_text(text.replace(",", "\t"), encoding="utf-8")
    out["tab"] = p
    p = tmp_path / "latin.csv"
    p.write_bytes(text.replace("Great", "Très bien").encode("latin-1"))
    out["latin"] = p
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf" + text.replace("Great", "Très bien").encode("utf-8"))
    out["bom"] = p
    p = tmp_path / "utf16.csv"
    p.write_bytes(text.replace("Great", "Très bien").encode("utf-16"))
    out["utf16"] = p
    p = tmp_path / "quoted.csv"
    p.write_text(text.replace("Great", '"Great, really ""great"""'), encoding="utf-8")
    out["quoted"] = p
    return out


@pytest.mark.parametrize("variant", [
    "no_id", "id_prefix", "labels", "keep_no_score", "no_weight", "no_date", "semi", "tab",
    "latin", "bom", "utf16", "quoted", "rename", "drivers", "derived"])
def test_config_variants_equal_pandas(csv_file, tmp_path, variant):
    files = _variant_files(tmp_path)
    cfg = _config([csv_file])
    if variant == "no_id":
        del cfg["respondent_id"]
    elif variant == "id_prefix":
        cfg["sources"] = [{"path": str(csv_file), "id_prefix": "W1-"}]
    elif variant == "labels":
        cfg["segments"] = {"region": {"column": "region", "labels": {"North": "N", "West": "W"}}}
    elif variant == "keep_no_score":
        cfg["exclude_no_score"] = False
    elif variant == "no_weight":
        del cfg["weight"]
    elif variant == "no_date":
        del cfg["date"], cfg["period"]
    elif variant in ("semi", "tab", "latin", "bom", "utf16", "quoted"):
        src = {"path": str(files[variant])}
        if variant == "semi":
            src["delimiter"] = ";"
        if variant == "latin":
            src["encoding"] = "latin-1"
        cfg["sources"] = [src]
    elif variant == "rename":
        cfg["sources"] = [{"path": str(csv_file), "rename": {"ltr": "LTR"}}]
        cfg["scores"]["nps"]["column"] = "LTR"
    elif variant == "derived":
        cfg["segments"] = {"region": "region",
                           "wd": {"from": "date", "part": "weekday"},
                           "hr": {"from": "date", "part": "hour"},
                           "wk": {"from": "date", "part": "week"},
                           "mo": {"from": "date", "part": "month_of_year"},
                           "wb": {"from": "w", "bins": [0, 1, 1.5, 3]}}
    elif variant == "drivers":
        cfg["drivers"] = {"outcome": "nps", "scale": [1, 5], "ratings": {"sat_d": "sat"}}
    (p, ref), (s, eng) = _both(cfg)
    _same_report(ref, eng)
    assert ref.rows_kept == len(p)
    a = cxkit.summarize(p, ["nps", "csat"], by="region")
    b = cxkit.summarize(s, ["nps", "csat"], by="region")
    _same_frame(a, b, ["metric", "region"])
    got = s.run(s.expression().order_by("source_row"))
    want = p.sort_values("source_row").reset_index(drop=True)
    for col in ["respondent_id", "comment", *cfg["segments"]]:
        assert [None if pd.isna(x) else x for x in got[col]] == \
            [None if pd.isna(x) else x for x in want[col]], col


LABEL_ROWS = ["id,ltr,sat", "A1,9,Very satisfied", "A2,10, very  SATISFIED ", "A3,3,Dissatisfied",
              "A4,7,Meh", "A5,8,4 - Satisfied", "A6,6,Meh", "A7,5,so-so", "A8,2,N/A"]


@pytest.mark.parametrize("on_invalid", ["exclude", "error"])
def test_score_labels_equal_pandas(tmp_path, on_invalid):
    p = tmp_path / "labels.csv"
    p.write_text("\n".join(LABEL_ROWS) + "\n", encoding="utf-8")
    cfg = {"survey": "Labels", "sources": [str(p)], "respondent_id": "id",
           "on_invalid": on_invalid,
           "scores": {"nps": {"column": "ltr", "metric": "nps"},
                      "csat": {"column": "sat", "metric": "csat", "missing": ["N/A"],
                               "labels": ["Very dissatisfied", "Dissatisfied", "Neutral",
                                          "Satisfied", "Very satisfied"]}}}
    if on_invalid == "error":
        with pytest.raises(SurveyDataError) as a:
            cxkit.load_survey(cfg)
        with pytest.raises(SurveyDataError) as b:
            cxkit.load_survey(cfg, engine="duckdb")
        assert str(a.value) == str(b.value)
        assert "'Meh' (2×), 'so-so' (1×)" in str(b.value)
        return
    (pf, ref), (s, eng) = _both(cfg)
    _same_report(ref, eng)
    assert eng.excluded("unmapped score label") == 3
    assert "answer labels and numeric text" in eng.notes[0]
    a = cxkit.summarize(pf, ["csat"])
    b = cxkit.summarize(s, ["csat"])
    _same_frame(a, b, ["metric"])


def test_blank_lines_are_a_documented_difference(tmp_path):
    p = tmp_path / "blank.csv"
    p.write_text(HEADER + "\nR1,2026-01-05,North,10,5,1.0,a\n\nR2,2026-01-06,South,3,2,1.0,b\n",
                 encoding="utf-8")
    (_, ref), (_, eng) = _both(_config([p]))
    assert ref.rows_read == 3 and ref.excluded("empty row") == 1
    assert eng.rows_read == 2 and eng.excluded("empty row") == 0
    assert "blank lines are skipped by DuckDB" in eng.notes[0]


def test_glob_sources_are_expanded_per_file(parquet_files, tmp_path):
    cfg = _config([parquet_files[0].parent / "*.parquet"])
    s, rep = cxkit.load_survey(cfg, engine="duckdb")
    _, ref = cxkit.load_survey(_config(sorted(parquet_files)))
    _same_report(ref, rep)
    assert list(rep.files["file"]) == ["a.parquet", "b.parquet"]
    with pytest.raises(SurveyDataError, match="no file matches this pattern"):
        cxkit.load_survey(_config([tmp_path / "none-*.parquet"]), engine="duckdb")


def test_number_columns_are_quoted_as_pandas_reads_them(tmp_path):
    """pandas' parser reads a column of numbers as numbers: a weight of ``-1.50`` is quoted
    ``-1.5`` and a date column holding only numbers (``20260105``) is unparseable; the engine
    path says the same."""
    p = tmp_path / "num.csv"
    p.write_text("id,date,ltr,w\nA,20260105,10,1.0\nB,20260106,9,-1.50\nC,20260107,12.0,1\n"
                 "D,,8,2\nE,20260108,7,0\n", encoding="utf-8")
    cfg = {"sources": [str(p)], "respondent_id": "id", "weight": "w", "on_invalid": "exclude",
           "scores": {"nps": {"column": "ltr", "metric": "nps"}}}
    (_, ref), (_, eng) = _both(cfg)
    _same_report(ref, eng)
    e = eng.exclusions.set_index("reason")
    assert e.loc["non-positive weight", "values"] == ["-1.5", "0"]
    assert e.loc["score outside scale", "values"] == ["12"]
    cfg.update(date="date", period="month")
    (_, ref), (_, eng) = _both(cfg)
    _same_report(ref, eng)
    assert eng.excluded("unparseable date") == 4 and eng.excluded("missing date") == 1


SFO = cxkit.core.paths.PROJECT_DIR / "examples" / "sfo" / "sfo.yaml"


@pytest.mark.skipif(not (SFO.parent / "../../../shared/realdata/sfo_customer_survey").exists(),
                    reason="the SFO survey files (/work/shared/realdata) are not here")
def test_sfo_real_data_equal_pandas():
    """Real data: SFO 2017 and 2018 (two CSVs, fixed periods, id prefixes, a rename, coded
    segments, declared codes 0/6/11/BLANK, driver ratings)."""
    (p, ref), (s, eng) = _both(SFO)
    _same_report(ref, eng)
    assert eng.rows_read == 5640 and eng.rows_kept == 5608
    for by in ("period", "destination"):
        a = cxkit.summarize(p, ["nps", "csat"], by=by, weighted=True)
        b = cxkit.summarize(s, ["nps", "csat"], by=by, weighted=True)
        _same_frame(a, b, ["metric", by])
    _same_changes(cxkit.score_changes(p, "nps", period="2018", by="time_of_day",
                                      weighted=True),
                  cxkit.score_changes(s, "nps", period="2018", by="time_of_day",
                                      weighted=True))


def test_fixed_period_sources(csv_file, tmp_path):
    cfg = _config([{"path": str(csv_file), "period": "2026-01"}])
    (p, ref), (s, eng) = _both(cfg)
    _same_report(ref, eng)
    assert ref.excluded("unparseable date") == 0              # dates are not checked then
    ta = cxkit.tally(p, "nps", by=["period"])
    tb = cxkit.tally(s, "nps", by=["period"])
    pd.testing.assert_frame_equal(ta.astype({"period": str}), tb.astype({"period": str}))
    assert list(ta["period"].astype(str).unique()) == ["2026-01"]
    assert [str(x) for x in s.periods()] == ["2026-01"]


def test_periods_of_the_engine_survey(csv_file):
    (p, _), (s, _) = _both(_config([csv_file]))
    assert [str(x) for x in s.periods()] == [str(x) for x in sorted(p["period"].unique())]


def test_parquet_error_messages_equal_pandas(parquet_files, tmp_path):
    """Typed Parquet columns: each reason's error message, one at a time, as pandas says it."""
    a = pd.read_parquet(parquet_files[0])
    for fix in ([], [11], [11, 13], [11, 13, 9], [11, 13, 9, 5]):
        d = a.copy()
        if 11 in fix:
            d.loc[11, "id"] = "P99999"
        if 13 in fix:
            d.loc[13, "w"] = 1.0
        if 9 in fix:
            d.loc[9, "date"] = pd.Timestamp("2026-02-01")
        if 5 in fix:
            d.loc[5, "w"] = 1.0
        p = tmp_path / f"e{len(fix)}.parquet"
        d.to_parquet(p, index=False)
        cfg = _config([p], on_invalid="error")
        with pytest.raises(SurveyDataError) as want:
            cxkit.load_survey(cfg)
        with pytest.raises(SurveyDataError) as got:
            cxkit.load_survey(cfg, engine="duckdb")
        assert str(got.value) == str(want.value)


def test_a_file_that_is_not_utf8_says_which_encoding_to_set(tmp_path):
    """A Windows-1252 byte in a UTF-8 CSV: a cxkit error naming the file and row and the
    `encoding:` to set, without DuckDB's own reader advice (its options are not cxkit's)."""
    (tmp_path / "b.csv").write_bytes(b"id,nps,date\n1,9,2026-01-05\n2,\xff7,2026-01-06\n")
    (tmp_path / "c.yaml").write_text("survey: t\nsources:\n  - path: b.csv\nrespondent_id: id\n"
                                     "date: date\nscores:\n  nps: {column: nps, metric: nps}\n")
    with pytest.raises(cxkit.SurveyDataError) as e:
        cxkit.load_survey(tmp_path / "c.yaml", engine="duckdb")
    msg = str(e.value)
    assert "b.csv" in msg and "row 3" in msg and "encoding: latin-1" in msg
    assert "ignore_errors" not in msg and "Possible Solution" not in msg
    assert e.value.rows == [3]
