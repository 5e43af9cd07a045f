"""Byte-level facts about a delimited text export that the CSV parser does not report.

pandas' C parser pads a row with too few fields with blanks, and when the *first* data row has
one field too many it drops a field with only a warning — every row of that width is then read
shifted.  :func:`field_counts` counts the fields of every record straight from the bytes
(vectorised, in chunks, quotes respected) so that the reader can refuse any row whose field
count differs from the header's, naming the rows.  :func:`prepare_text` decides how the bytes
are to be read: the encoding (checked; UTF-16/32 transcoded to UTF-8 so that every byte-level
step, the tail included, sees one encoding), and the line endings (``\\r\\r\\n`` — a Windows
tool's second ``\\r`` — and old Mac CR-only files are normalised to ``\\n``, so that one line is
one row, as ``pandas.read_csv`` reads them).
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import numpy as np

from ..core.errors import SurveyDataError

__all__ = ["prepare_text", "field_counts", "TextSource"]

_CHUNK = 1 << 23  # bytes per scanning step (8 MB: bounded memory on any file size)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class TextSource:
    """How to read one text export: ``path`` or in-memory ``data`` (normalised UTF-8 bytes),
    the ``encoding`` to hand the parser, and ``notes`` for the LoadReport."""

    def __init__(self, path, encoding, data=None, notes=()):
        self.path, self.encoding, self.data, self.notes = Path(path), encoding, data, list(notes)

    def open(self):
        """A binary file object over the bytes to parse."""
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")

    @property
    def parser_input(self):
        """What ``pandas.read_csv`` reads: the path, or a BytesIO of the normalised bytes."""
        return io.BytesIO(self.data) if self.data is not None else self.path


def _check_encoding(path, encoding):
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise SurveyDataError(
            f"{path}: `encoding: {encoding}` is not a text encoding Python knows. Set "
            f"`encoding:` on this source to e.g. utf-8, cp1252 (Windows Western European), "
            f"latin-1 or utf-16, or remove it for UTF-8.", path=path) from None


def prepare_text(path, encoding=None) -> TextSource:
    """Decide encoding and line endings of a text export (see the module docstring).

    Returns a :class:`TextSource`; the file is read into memory only when it must be
    transcoded (UTF-16/32) or its line endings normalised (``\\r\\r\\n``, CR only).
    """
    p = Path(path)
    with open(p, "rb") as f:
        head = f.read(1 << 16)
    notes = []
    if encoding:
        codec = _check_encoding(p, encoding)
        wide = codec.startswith(("utf-16", "utf-32"))
    else:
        codec = next((e for bom, e in _BOMS if head.startswith(bom)), None)
        wide = codec is not None
        encoding = codec or "utf-8-sig"
    if wide:  # transcode: byte-level scans (delimiters, line ends, the tail) need one width
        try:
            text = p.read_bytes().decode(encoding)
        except UnicodeDecodeError as e:
            raise SurveyDataError(
                f"{p}: not valid {encoding} text (byte {e.start}: {e.reason}). Re-save the "
                f"file as UTF-8, or set `encoding:` on this source to its real encoding.",
                path=p) from None
        text = text.lstrip("\ufeff")
        data = _normalise_endings(text.encode("utf-8"), notes)
        return TextSource(p, "utf-8", data, notes)
    if b"\r\r\n" in head or (b"\r" in head and b"\n" not in head):
        data = _normalise_endings(p.read_bytes(), notes)
        return TextSource(p, encoding, data, notes)
    return TextSource(p, encoding, None, notes)


def _normalise_endings(data: bytes, notes) -> bytes:
    if b"\r\r\n" in data:
        notes.append("lines end in \\r\\r\\n (a file that passed through a Windows tool twice); "
                     "each is read as one line end.")
        data = data.replace(b"\r\r\n", b"\n")
    if b"\r" in data and b"\n" not in data:
        notes.append("lines end in a carriage return only (old Mac line endings); read as "
                     "line ends.")
        data = data.replace(b"\r", b"\n")
    return data


def field_counts(source: TextSource, sep: str, quotechar: str = '"', width=None):
    """Fields per record of a delimited text, counted from the bytes.

    Returns ``(counts, terminated)``: an int array with one entry per record (0 for an empty
    line; header rows included), and whether the last record ends with a line end.  Quotes
    follow RFC 4180 (a quoted field may hold delimiters, line ends and doubled quotes); the
    count assumes quotes open fields, so a file with stray quotes inside unquoted fields can
    be miscounted — callers confirm a mismatch with the csv module (:func:`csv_field_counts`).
    ``sep`` must be one ASCII character (UTF-8 and the single-byte encodings keep ASCII bytes
    as they are).

    ``width`` (the header's field count), when given, lets blocks after the first skip the
    per-record count when their delimiters add up to ``width - 1`` per non-empty record
    (their records are then reported as ``width``).  That shortcut is only sound when no
    record has *more* fields than the header, which pandas' C parser guarantees for every
    row after the first data row (it raises "Expected n fields"); the first block, which
    holds the header and the first data rows, is always counted record by record.
    """
    s, q = ord(sep), ord(quotechar)
    counts, carry, terminated = [], b"", True
    with source.open() as f:
        while True:
            block = f.read(_CHUNK)
            eof = len(block) < _CHUNK
            data = carry + block if carry else block
            if not data:
                break
            buf = np.frombuffer(data, dtype=np.uint8)
            ends = np.flatnonzero(buf == 10)
            inside = None
            if q in memoryview(data):  # quote parity: 1 inside a quoted field
                inside = np.bitwise_xor.accumulate((buf == q).view(np.uint8))
                ends = ends[inside[ends] == 0]
            if eof:
                terminated = bool(len(ends)) and int(ends[-1]) == len(buf) - 1
                if not terminated:
                    ends = np.append(ends, len(buf))
                stop = len(buf)
            else:
                if not len(ends):  # one record longer than the block: read on
                    carry = data
                    continue
                stop = int(ends[-1]) + 1
            is_sep = (buf[:stop] == s).view(np.uint8)
            if inside is not None:
                is_sep = is_sep & (inside[:stop] ^ 1)
            starts = np.empty(len(ends), dtype=np.int64)
            starts[0] = 0
            starts[1:] = ends[:-1] + 1
            length = ends - starts
            blank = length == 0
            cr = length == 1
            if cr.any():  # a line holding only "\r" (CRLF file) is empty too
                blank |= cr & (buf[np.minimum(starts, len(buf) - 1)] == 13)
            if width is not None and counts and int(np.count_nonzero(is_sep)) == (width - 1) * (
                    len(ends) - int(np.count_nonzero(blank))):
                fields = np.full(len(ends), width, dtype=np.int64)
            else:
                fields = np.add.reduceat(is_sep, starts, dtype=np.int64) + 1
            fields[blank] = 0
            counts.append(fields)
            if eof:
                break
            carry = data[stop:]
    out = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    return out, terminated


def csv_field_counts(source: TextSource, sep: str):
    """Fields per record with the csv module (slow, exact as Python's csv reads them); used
    to confirm the rows :func:`field_counts` flags."""
    import csv
    import sys

    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        with source.open() as f:
            text = io.TextIOWrapper(f, encoding=source.encoding, errors="replace", newline="")
            return np.array([len(r) if r else 0 for r in csv.reader(text, delimiter=sep)],
                            dtype=np.int64)
    finally:
        csv.field_size_limit(old)
