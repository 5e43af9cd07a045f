"""Masking personal data (e-mail addresses, phone, card, account and IBAN numbers) in text.

Reports show verbatim comments, and the loader quotes offending values (a score cell holding an
e-mail address) in its LoadReport and errors; customers write their e-mail address, phone
number or card number into both.  :func:`redact_text` masks those (the report's
``--no-redact`` turns it off for comments; LoadReport values are always masked).  Patterns are
deliberately broad: a masked date-like digit run is a smaller harm than a leaked card number.
This is the primitive every wing may use (io masks at the source); ``cxkit.report.redact``
re-exports it with :func:`cxkit.redact_comments`.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["redact_text"]

# E-mail addresses in any script (internationalised addresses, RFC 6531: ``иван@пример.рф``,
# ``李@例子.中国``): word characters of any alphabet plus combining marks (Indic scripts).
_W = r"[\w\u0300-\u036F\u0900-\u0DFF\u200C\u200D]"
_EMAIL = re.compile(rf"(?:{_W}|[.%+\-])+@{_W}(?:{_W}|[\-])*(?:\.{_W}(?:{_W}|[\-])*)*\.{_W}{{2,}}")
# IBANs (ISO 13616: country code, two check digits, up to 30 letters/digits, printed in groups
# of four or unspaced), e.g. GB82WEST12345698765432 or GB82 WEST 1234 5698 7654 32.
_IBAN = re.compile(r"(?<![\w])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,3})?(?![\w])")
# Phone numbers: optional +country code, then 7+ digits split by spaces, dots, dashes or
# parentheses (e.g. +1 555 0100, (020) 7946 0958, 555-867-5309).
_PHONE = re.compile(r"(?<![\w])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,5}\)[\s.\-]?)?\d{2,5}(?:[\s.\-]\d{2,5}){1,4}(?![\w])")
# Long digit runs (card, account, IBAN-like numbers): 8 or more digits, possibly grouped.
_DIGITS = re.compile(r"(?<![\w])\d(?:[\s\-]?\d){7,}(?![\w])")


#: ISO 8601 dates with an optional time (2026-10-05, 2026-10-05 10:30:00, 2026-10-05T10:30Z)
_DATETIME = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                       r"(?:Z|[+\-]\d{2}:?\d{2})?)?(?!\d)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _digit_count(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


def redact_text(text, *, email="[email]", phone="[phone]", number="[number]"):
    """Mask e-mail addresses, phone numbers and long digit runs in one comment.

    Parameters
    ----------
    text : str or None
        The comment; ``None``/NaN are returned unchanged.
    email, phone, number : str
        Replacement for each kind of match.

    Returns
    -------
    str

    Notes
    -----
    E-mail addresses are matched in any script (internationalised mail, RFC 6531).  An IBAN
    (ISO 13616: two letters, two check digits, then letters and digits, unspaced or in groups
    of four) with at least 8 digits is masked as a number.  A digit group counts as a phone number when it has 7–15 digits in separated groups
    (ITU-T E.164 numbers have at most 15 digits); any run of 8 or more digits (optionally
    grouped by spaces or dashes, as card and account numbers are written) is masked as a number.

    Examples
    --------
    >>> redact_text("Mail me at jane.doe@example.com or call +1 555 0100.")
    'Mail me at [email] or call [phone].'
    >>> redact_text("Card 4111 1111 1111 1111 was charged twice")
    'Card [number] was charged twice'
    >>> redact_text("иван@пример.рф, IBAN GB82WEST12345698765432")
    '[email], IBAN [number]'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return text
    out = _EMAIL.sub(email, str(text))
    out = _IBAN.sub(lambda m: number if _digit_count(m.group()) >= 8 else m.group(), out)
    if _DATETIME.search(out):  # ISO dates and times are not phone numbers: keep them whole
        parts = _DATETIME.split(out)
        keep = _DATETIME.findall(out)
        return "".join(_numbers(p, phone, number) + (keep[i] if i < len(keep) else "")
                       for i, p in enumerate(parts))
    return _numbers(out, phone, number)


def _numbers(out, phone, number):
    out = _PHONE.sub(lambda m: phone if 7 <= _digit_count(m.group()) <= 15 and not _DATE.fullmatch(m.group())
                     else m.group(), out)
    out = _DIGITS.sub(lambda m: m.group() if _DATE.fullmatch(m.group()) else number, out)
    return out
