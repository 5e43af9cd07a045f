"""Survey config parsing and validation (cxkit.read_config / config_from_dict)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import cxkit
from cxkit.io.config import SurveyConfig, config_from_dict, read_config
from cxkit.core.paths import DEMO_CONFIG

YAML = """\
survey: Test survey
sources:
  - path: data/export.csv
    format: csv
  - path: /abs/other.xlsx
    sheet: Responses
    rename: {Q9Boarding: Q9BOARDING}
respondent_id: id
date: {column: when, format: "%d/%m/%Y"}
period: quarter
weight: w
segments:
  channel: chan
  region: {column: reg, labels: {1: North, 2: South}}
scores:
  nps:  {column: ltr, metric: nps, missing: [11, "N/A"]}
  csat: {column: sat, metric: csat}
  effort: {column: ces, metric: ces}
  tb: {column: q5, metric: top_box, scale: [1, 7], top_box: [6, 7]}
text: [comment]
"""


def write(tmp_path, text, name="survey.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def minimal(**kw):
    d = {"sources": ["a.csv"], "scores": {"nps": {"column": "ltr"}}}
    d.update(kw)
    return d


def test_read_config_full(tmp_path):
    cfg = read_config(write(tmp_path, YAML))
    assert isinstance(cfg, SurveyConfig)
    assert cfg.survey == "Test survey"
    # relative paths are resolved against the config file's folder, absolute ones kept
    assert cfg.sources[0].path == tmp_path / "data" / "export.csv"
    assert cfg.sources[1].path == Path("/abs/other.xlsx")
    assert cfg.sources[1].sheet == "Responses"
    assert dict(cfg.sources[1].rename) == {"Q9Boarding": "Q9BOARDING"}
    assert cfg.date.column == "when" and cfg.date.formats == ("%d/%m/%Y",)
    assert cfg.period == "quarter" and cfg.period_freq == "Q"
    assert cfg.weight == "w"
    assert cfg.segments["channel"].column == "chan"
    assert dict(cfg.segments["region"].labels) == {"1": "North", "2": "South"}
    # defaults per metric: NPS 0-10, CSAT 1-5 with top box 4-5, CES 1-7
    assert cfg.scores["nps"].scale == (0.0, 10.0)
    assert cfg.scores["nps"].missing == (11.0, "N/A")
    assert cfg.scores["csat"].scale == (1.0, 5.0)
    assert cfg.scores["effort"].scale == (1.0, 7.0)
    assert cfg.metrics["csat"] == cxkit.metric_spec("csat", name="csat")
    assert cfg.metrics["csat"].top_box == (4.0, 5.0)
    assert cfg.metrics["tb"].top_box == (6.0, 7.0)
    assert cfg.metrics["effort"].kind == "mean"
    assert cfg.text == ("comment",)
    assert cfg.on_invalid == "error" and cfg.exclude_no_score is True
    assert cfg.path == (tmp_path / "survey.yaml").resolve()


def test_config_is_frozen(tmp_path):
    cfg = read_config(write(tmp_path, YAML))
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.survey = "x"


def test_demo_name_resolves_to_demo_config():
    if not DEMO_CONFIG.exists():
        pytest.skip("demo data not generated")
    cfg = read_config("demo")
    assert cfg.path == DEMO_CONFIG.resolve()
    assert cfg.sources[0].path.parent == DEMO_CONFIG.parent


def test_read_config_passes_surveyconfig_through():
    cfg = config_from_dict(minimal())
    assert read_config(cfg) is cfg


@pytest.mark.parametrize("data,parts", [
    (minimal(scroes={}), ["`scroes`", "unknown key", "Did you mean `scores`", "sources"]),
    (minimal(scores={"nps": {"colum": "ltr"}}),
     ["scores.nps.colum", "Did you mean `column`", "missing"]),
    (minimal(scores={"nps": {"column": "ltr", "metric": "npss"}}),
     ["scores.nps.metric", "did you mean 'nps'", "csat"]),
    (minimal(scores={"x": {"column": "q"}}), ["scores.x.metric", "missing"]),
    (minimal(scores={"x": {"column": "q", "metric": "top_box", "scale": [1, 5]}}),
     ["scores.x.top_box", "needs `top_box"]),
    (minimal(scores={"x": {"column": "q", "metric": "mean"}}), ["scores.x.scale"]),
    (minimal(scores={"nps": {"column": "ltr", "scale": [10, 0]}}),
     ["scores.nps.scale", "low < high"]),
    (minimal(scores={"csat": {"column": "s", "top_box": [5, 6]}}),
     ["scores.csat.top_box", "outside the scale"]),
    (minimal(sources=[{"path": "a.csv", "format": "xls"}]),
     ["sources[0].format", "'xls'", "excel"]),
    (minimal(sources=[{"file": "a.csv"}]), ["sources[0].file", "Did you mean `path`"]),
    (minimal(period="week"), ["`period`", "'week'", "month"]),
    (minimal(sources=[{"path": "a.csv", "period": "2017"}]), ["`period`", "period: year"]),
    (minimal(period="month", sources=[{"path": "a.csv", "period": "2017-13"}]),
     ["sources[0].period", "'2017-13'"]),
    (minimal(on_invalid="drop"), ["on_invalid", "exclude"]),
    (minimal(segments={"weight": "w"}), ["`weight`", "already used"]),
    (minimal(relationship={"own": "Acme", "brands": ["Acme", "Zed"]}),
     ["relationship.brands", "not score names"]),
    ({"scores": {"nps": "ltr"}}, ["`sources`", "missing or empty"]),
    ({"sources": ["a.csv"], "relationship": {"form": "long", "brand_column": "b",
                                               "score_column": "s"}},
     ["relationship.brands", "needed for `form: long`"]),
    (minimal(relationship={"form": "long", "brand_column": "b", "score_column": "s",
                           "brands": ["A"]}), ["`scores`", "remove `scores:`"]),
])
def test_config_errors_name_the_key(data, parts):
    with pytest.raises(cxkit.ConfigError) as info:
        config_from_dict(data, path="survey.yaml")
    msg = str(info.value)
    assert "survey.yaml" in msg
    for p in parts:
        assert p in msg, f"{p!r} not in {msg!r}"


def test_missing_and_invalid_files(tmp_path):
    with pytest.raises(cxkit.ConfigError, match="does not exist"):
        read_config(tmp_path / "nope.yaml")
    with pytest.raises(cxkit.ConfigError, match="not valid YAML"):
        read_config(write(tmp_path, "sources: [a.csv\nscores: {", "bad.yaml"))
    with pytest.raises(cxkit.ConfigError, match="must be a YAML mapping"):
        read_config(write(tmp_path, "- a\n- b\n", "list.yaml"))


def test_shorthand_forms():
    cfg = config_from_dict({"sources": "a.csv", "scores": {"nps": "ltr"}, "segments": ["region"],
                            "text": "comment", "date": "d"}, base="/data")
    assert cfg.sources[0].path == Path("/data/a.csv")
    assert cfg.scores["nps"].column == "ltr" and cfg.scores["nps"].metric == "nps"
    assert cfg.segments["region"].column == "region"
    assert cfg.text == ("comment",)
    assert cfg.date.formats == ("ISO8601",)


def test_long_form_relationship_generates_brand_scores():
    cfg = config_from_dict({"sources": ["a.csv"], "respondent_id": "id",
                            "relationship": {"form": "long", "brand_column": "brand",
                                             "score_column": "ltr", "own": "Acme",
                                             "brands": ["Acme", "Corvo"], "missing": [11]}})
    assert cfg.long_form
    assert list(cfg.scores) == ["Acme", "Corvo"]
    assert cfg.scores["Corvo"].metric == "nps" and cfg.scores["Corvo"].scale == (0.0, 10.0)
    assert cfg.scores["Corvo"].missing == (11.0,)
    assert cfg.metrics["Acme"] == cxkit.metric_spec("nps", name="Acme")


def test_relative_config_path_from_working_directory(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", YAML, "s.yaml")
    monkeypatch.chdir(tmp_path)
    cfg = read_config("sub/s.yaml")
    assert cfg.path == (tmp_path / "sub" / "s.yaml").resolve()
    assert cfg.sources[0].path == (tmp_path / "sub" / "data" / "export.csv").resolve()


def test_report_settings_take_the_kebab_case_names_and_warn_on_the_old_ones():
    from cxkit.io.config import check_report_settings

    assert check_report_settings({"correction": "fdr-bh", "paired_method": "paired-t"}) == {
        "correction": "fdr-bh", "paired_method": "paired-t"}
    with pytest.warns(DeprecationWarning, match="'fdr-bh'"):
        assert check_report_settings({"correction": "fdr_bh"})["correction"] == "fdr-bh"
    with pytest.warns(DeprecationWarning, match="'paired-wald'"):
        assert check_report_settings({"paired_method": "wald"})["paired_method"] == "paired-wald"
    with pytest.raises(cxkit.ConfigError, match="one of holm, fdr-bh"):
        check_report_settings({"correction": "sidak"})
