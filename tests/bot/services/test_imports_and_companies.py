"""Reading a contacts file never fails with anything but a clear refusal, and employers
compare the same however their names are typed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.companies import close_to, company_key
from bot.errors import UserError
from bot.services import imports

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Acme Inc.", "acme"),
        ("ACME", "acme"),
        ("acme, inc", "acme"),
        ("Acme  Corp", "acme"),
        ("A.C.M.E. GmbH", "acme"),
        ("AT&T", "att"),
        ("Acme-Widgets Ltd", "acme widgets"),
        ("Co", "co"),  # a legal form alone is a name, not nothing
        ("   ", None),
        (None, None),
    ],
)
def test_company_keys(typed: str | None, key: str | None) -> None:
    assert company_key(typed) == key


def test_close_names_are_offered_but_the_same_employer_is_not() -> None:
    assert close_to("Acmee", ["Globex", "Acme Inc."]) == "Acme Inc."
    assert close_to("ACME, inc.", ["Acme"]) is None  # the same employer, not a close one
    assert close_to("Initech", ["Acme"]) is None
    assert close_to("Studio 54", ["Studio 55"]) is None  # numbers are labels


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=8), st.booleans())
def test_any_file_is_read_or_refused_clearly(lines: list[str], with_header: bool) -> None:
    text = (HEADER if with_header else "") + "\n".join(lines)
    try:
        rows = imports.parse(text)
    except UserError as refusal:
        assert refusal.message and "Traceback" not in refusal.message
        return
    for line, row in rows:
        assert line >= 2
        assert isinstance(row, str) or (row.name and len(row.name) <= 100)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_are_refused(content: bytes) -> None:
    try:
        imports.decode(content)
    except UserError as refusal:
        assert "not text" in refusal.message


def test_a_malformed_line_is_named_by_where_its_row_starts() -> None:
    text = HEADER + "Jane,Doe,u,,Acme,PM,d\n" + 'Bob,Lee,u,,"Acme,PM,d\n' + "Cy,Orr,u,,X,PM,d\n"
    with pytest.raises(UserError, match=r"^Line 3 can't be read as CSV"):
        imports.parse(text)
