"""Masking personal data in free-text comments before they reach a report.

Reports show verbatim comments; customers write their e-mail address, phone number or card
number into them.  :func:`redact_text` masks those by default (the report's ``--no-redact``
turns it off).  Patterns are deliberately broad: a masked date-like digit run is a smaller harm
than a leaked card number.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["redact_text", "redact_comments"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# Phone numbers: optional +country code, then 7+ digits split by spaces, dots, dashes or
# parentheses (e.g. +1 555 0100, (020) 7946 0958, 555-867-5309).
_PHONE = re.compile(r"(?<![\w])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,5}\)[\s.\-]?)?\d{2,5}(?:[\s.\-]\d{2,5}){1,4}(?![\w])")
# Long digit runs (card, account, IBAN-like numbers): 8 or more digits, possibly grouped.
_DIGITS = re.compile(r"(?<![\w])\d(?:[\s\-]?\d){7,}(?![\w])")


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
    A digit group counts as a phone number when it has 7–15 digits in separated groups
    (ITU-T E.164 numbers have at most 15 digits); any run of 8 or more digits (optionally
    grouped by spaces or dashes, as card and account numbers are written) is masked as a number.

    Examples
    --------
    >>> redact_text("Mail me at jane.doe@example.com or call +1 555 0100.")
    'Mail me at [email] or call [phone].'
    >>> redact_text("Card 4111 1111 1111 1111 was charged twice")
    'Card [number] was charged twice'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return text
    out = _EMAIL.sub(email, str(text))
    out = _PHONE.sub(lambda m: phone if 7 <= _digit_count(m.group()) <= 15 and not _DATE.fullmatch(m.group())
                     else m.group(), out)
    out = _DIGITS.sub(lambda m: m.group() if _DATE.fullmatch(m.group()) else number, out)
    return out


def redact_comments(comments, *, enabled=True):
    """Apply :func:`redact_text` to a Series (or list) of comments; a no-op when not ``enabled``.

    Examples
    --------
    >>> redact_comments(pd.Series(["ok", "write to a@b.org"])).tolist()
    ['ok', 'write to [email]']
    """
    s = pd.Series(comments, dtype="object") if not isinstance(comments, pd.Series) else comments
    if not enabled:
        return s
    return s.map(redact_text)
