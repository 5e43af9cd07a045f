"""Masking of personal data in comments (issue: report privacy)."""

import pandas as pd
import pytest

from cxkit.report.redact import redact_comments, redact_text

CASES = [
    ("Mail me at jane.doe@example.com please", "Mail me at [email] please"),
    ("J.Smith+cx@mail.example.co.uk wrote", "[email] wrote"),
    ("call +1 555 0100 after 5", "call [phone] after 5"),
    ("call (020) 7946 0958 now", "call [phone] now"),
    ("ref 555-867-5309", "ref [phone]"),
    ("Card 4111 1111 1111 1111 was charged twice", "Card [number] was charged twice"),
    ("account 12345678901", "account [number]"),
    ("IBAN-ish 4411-2233-4455-6677-88", "IBAN-ish [number]"),
    # things that must stay
    ("on 2026-10-05 at 10.30 I waited 45 min", "on 2026-10-05 at 10.30 I waited 45 min"),
    ("Gate 12, flight 345, 3 bags", "Gate 12, flight 345, 3 bags"),
    ("rated it 9/10", "rated it 9/10"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_redact_text(text, expected):
    assert redact_text(text) == expected


def test_missing_values_pass_through():
    assert redact_text(None) is None
    out = redact_comments(pd.Series(["a@b.org", None, float("nan")]))
    assert out.iloc[0] == "[email]" and pd.isna(out.iloc[1]) and pd.isna(out.iloc[2])


def test_disabled_is_identity():
    s = pd.Series(["mail a@b.org"])
    assert redact_comments(s, enabled=False).tolist() == ["mail a@b.org"]


# Issue 16.3: e-mails in any script and IBANs with letters (ISO 13616 examples from the
# standard's published sample IBANs), in text and mixed with other words.
INTERNATIONAL = [
    ("иван@пример.рф", "[email]"),
    ("пишите: иван.петров@почта.пример.рф спасибо", "пишите: [email] спасибо"),
    ("李@例子.中国", "[email]"),
    ("联系 李@例子.中国 谢谢", "联系 [email] 谢谢"),
    ("write to अजय@डाटामेल.भारत now", "write to [email] now"),
    ("δοκιμή@παράδειγμα.δοκιμή", "[email]"),
    ("IBAN GB82WEST12345698765432 please", "IBAN [number] please"),
    ("IBAN GB82 WEST 1234 5698 7654 32 please", "IBAN [number] please"),
    ("iban de89370400440532013000", "iban [number]"),
    ("NO9386011117947", "[number]"),
    ("MT84MALT011000012345MTLCAST001S", "[number]"),
    # not IBANs: codes with few digits, ordinary words
    ("flight AB12 CDEF GHIJ delayed", "flight AB12 CDEF GHIJ delayed"),
    ("model XY12ABCD was fine", "model XY12ABCD was fine"),
    # ISO dates and date-times (quoted as offending values by the loader) stay whole
    ("9999-12-31 00:00:00", "9999-12-31 00:00:00"),
    ("2024-01-05T10:00:00+02:00 card 4111 1111 1111 1111", "2024-01-05T10:00:00+02:00 card [number]"),
]


@pytest.mark.parametrize("text,expected", INTERNATIONAL)
def test_redact_international_emails_and_ibans(text, expected):
    assert redact_text(text) == expected


def test_redact_primitive_lives_in_core_and_old_names_work():
    import cxkit
    from cxkit.core import redact as core_redact
    from cxkit.report import redact as report_redact

    assert cxkit.redact_text is core_redact.redact_text is report_redact.redact_text
    assert cxkit.redact_comments is report_redact.redact_comments
