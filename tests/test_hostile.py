"""The hostile corpus (issue 16.7): every case is a clear cxkit error naming the file or option,
or a load whose rows are all accounted for (rows kept + excluded = rows read, counted by the
corpus from what it wrote), with values neither shifted nor leaked.  Files are generated at
test time by tests/hostile/make_corpus.py."""

from __future__ import annotations

import csv
import io

import pytest

import cxkit
from cxkit.io.config import config_from_dict, read_config
from hostile.make_corpus import CASES, build, config_for

IDS = [c.name for c in CASES]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("hostile"))


def _run(case, folder):
    if case.yaml is not None:
        return cxkit.load_survey(read_config(folder / "survey.yaml"))
    return cxkit.load_survey(config_from_dict(config_for(case, folder)))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_hostile_case(case, corpus):
    folder = corpus[case.name]
    if case.error is not None:
        etype = getattr(cxkit, case.error_type)
        with pytest.raises(etype) as info:
            _run(case, folder)
        msg = str(info.value)
        for part in case.error:
            assert part in msg, f"{part!r} not in: {msg}"
        if case.rows is not None:
            assert info.value.rows == case.rows, info.value.rows
        return
    resp, report = _run(case, folder)
    assert report.rows_read == case.read, str(report)
    assert report.rows_kept == case.kept, str(report)
    assert report.rows_kept + report.rows_excluded == report.rows_read
    assert len(resp) == report.rows_kept
    got = report.exclusions.groupby("reason")["count"].sum().to_dict()
    assert got == case.excluded, str(report)
    for part in case.notes:
        assert any(part in n for n in report.notes), (part, report.notes)
    if case.check is not None:
        case.check(resp, report)


def test_every_issue_class_has_cases():
    classes = {c.cls.split()[0] + " " + c.cls.split()[1] for c in CASES}
    for want in ("16.1 fields", "16.1 dates", "16.1 weights", "16.1 ids", "16.1 excel",
                 "16.1 encoding", "16.3 pii", "16.3 escaped", "16.5 text", "16.5 config",
                 "16.5 excel", "16.6 yaml", "14.2 text"):
        assert want in classes, want


def test_rows_read_are_the_rows_written(corpus):
    """The corpus' own counts of CSV data rows agree with the csv module (an outside count)."""
    for case in CASES:
        name = next(iter(case.files), "")
        if case.read is None or not name.endswith(".csv") or callable(case.files[name]):
            continue
        raw = case.files[name]
        enc = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
        text = raw.decode(enc).replace("\r\r\n", "\n")
        if "\n" not in text:
            text = text.replace("\r", "\n")
        header_rows = 3 if case.name.startswith("cr_cr_lf_qualtrics") else 1
        csv.field_size_limit(1 << 30)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(rows) - header_rows == case.read, case.name


def test_read_export_unknown_encoding_is_a_cxkit_error(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("id,nps\n1,9\n")
    with pytest.raises(cxkit.SurveyDataError, match="encoding: utf-9"):
        cxkit.read_export(p, encoding="utf-9")


def test_config_with_a_few_anchors_still_loads(tmp_path):
    (tmp_path / "a.csv").write_text("id,nps,csat\n1,9,4\n2,8,5\n")
    (tmp_path / "s.yaml").write_text(
        "sources: [a.csv]\nrespondent_id: id\nscores:\n  nps: {column: nps}\n"
        "  csat: &c {column: csat, metric: csat}\n  csat2: *c\n")
    resp, report = cxkit.load_survey(tmp_path / "s.yaml")
    assert report.rows_kept == 2 and resp["csat2"].tolist() == [4.0, 5.0]
