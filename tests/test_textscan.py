"""Byte-level field counts (cxkit/io/textscan.py) against Python's csv module (an independent
reader), on random files with quoted delimiters, line ends and doubled quotes, blank lines,
CRLF and unterminated last lines, at block sizes that cut records and quoted values."""

from __future__ import annotations

import csv
import io
import random

import numpy as np
import pytest

import cxkit.io.textscan as ts
from cxkit.io.textscan import TextSource, field_counts, prepare_text, unquoted_delimiters


def _random_text(rng):
    def field():
        r = rng.random()
        if r < 0.1:
            return '"a,b\nc ""q"" d"'
        if r < 0.15:
            return ""
        return rng.choice(["x", "12", "hello world", "é"])
    lines = [",".join(field() for _ in range(rng.choice([3, 3, 3, 2, 4, 0])))
             for _ in range(rng.randint(0, 30))]
    eol = rng.choice(["\n", "\r\n"])
    return eol.join(lines) + (eol if rng.random() < 0.7 else "")


def _csv_counts(text):
    return [len(r) for r in csv.reader(io.StringIO(text, newline=""))]


@pytest.mark.parametrize("chunk", [7, 16, 64, 1 << 20])
def test_field_counts_match_the_csv_module(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(ts, "_CHUNK", chunk)
    rng = random.Random(chunk)
    p = tmp_path / "f.csv"
    for _ in range(150):
        text = _random_text(rng)
        p.write_bytes(text.encode())
        counts, terminated = field_counts(TextSource(p, "utf-8"), ",")
        assert counts.tolist() == _csv_counts(text), repr(text)
        assert terminated == (text == "" or text.endswith("\n"))


@pytest.mark.parametrize("chunk,many", [(7, 0), (64, 4096), (1 << 20, 0), (1 << 20, 4096)])
def test_unquoted_delimiters_match_the_csv_module(tmp_path, monkeypatch, chunk, many):
    monkeypatch.setattr(ts, "_CHUNK", chunk)
    monkeypatch.setattr(ts, "_MANY_QUOTES", many)
    rng = random.Random(chunk + many)
    p = tmp_path / "f.csv"
    for _ in range(150):
        text = _random_text(rng)
        p.write_bytes(text.encode())
        want = sum(max(n - 1, 0) for n in _csv_counts(text))
        assert unquoted_delimiters(TextSource(p, "utf-8"), ",") == want, repr(text)


def test_prepare_text_normalises_line_ends_and_transcodes(tmp_path):
    p = tmp_path / "f.csv"
    p.write_bytes(b"a,b\r\r\n1,2\r\r\n")
    src = prepare_text(p)
    assert src.data == b"a,b\n1,2\n" and "\\r\\r\\n" in src.notes[0]
    p.write_bytes(b"a,b\r1,2\r")
    assert prepare_text(p).data == b"a,b\n1,2\n"
    p.write_bytes("\ufeffa,b\n1,é\n".encode("utf-16-be"))
    src = prepare_text(p)
    assert src.encoding == "utf-8" and src.data == "a,b\n1,é\n".encode()
    assert np.array_equal(field_counts(src, ",")[0], [2, 2])
