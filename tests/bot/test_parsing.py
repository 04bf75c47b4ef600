"""The text form shared by Slack and the console."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands.catalog import build_registry
from bot.errors import UserError
from bot.parsing import MAX_INPUT, parse_text, tokenize

REGISTRY = build_registry()
LOG = REGISTRY.get("logged-interview")
THANKED = REGISTRY.get("thanked")


def test_the_documented_example() -> None:
    raw = parse_text(LOG, '"Jane Doe" company=Acme date=yesterday referrals="Bob Lee; Ann Wu"')
    assert raw == {
        "contact": "Jane Doe",
        "company": "Acme",
        "date": "yesterday",
        "referrals": "Bob Lee; Ann Wu",
    }


def test_unquoted_words_join_the_first_option_and_continue_a_value() -> None:
    raw = parse_text(LOG, "Jane Doe company=Acme Corp notes=great chat about pricing")
    assert raw == {
        "contact": "Jane Doe",
        "company": "Acme Corp",
        "notes": "great chat about pricing",
    }


def test_apostrophes_inside_words_are_letters() -> None:
    assert parse_text(LOG, "Jane notes=She's great, isn't she")["notes"] == "She's great, isn't she"


def test_curly_quotes_group_words() -> None:
    assert parse_text(THANKED, "\u201cJane Doe\u201d") == {"contact": "Jane Doe"}


def test_keys_accept_underscores_and_any_case() -> None:
    assert parse_text(LOG, "Jane COMPANY=Acme")["company"] == "Acme"


def test_a_quoted_key_value_is_just_text() -> None:
    assert parse_text(THANKED, '"company=Acme"') == {"contact": "company=Acme"}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Jane compnay=Acme", "has no option `compnay`"),
        ("Jane company=A company=B", "given twice"),
        ('"Jane Doe', "never closed"),
        ("x" * (MAX_INPUT + 1), "too long"),
        ('"Jane \\" Doe', "never closed"),  # an escaped quote does not close one
    ],
)
def test_bad_text_is_explained(text: str, says: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_text(LOG, text)
    assert says in caught.value.message
    assert caught.value.example


def test_a_command_without_options_refuses_text() -> None:
    with pytest.raises(UserError, match="takes no options"):
        parse_text(REGISTRY.get("pending"), "something")


def test_tokenize_marks_quoted_tokens() -> None:
    assert tokenize("a 'b c' d='e f'") == [("a", False), ("b c", True), ("d=e f", False)]


@given(st.text(max_size=300))
def test_any_text_parses_or_is_explained(text: str) -> None:
    for command in REGISTRY:
        try:
            raw = parse_text(command, text)
        except UserError as error:
            assert error.message
            continue
        assert set(raw) <= {o.name for o in command.options}


# ---- the usual slips, forgiven ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Jane company = Acme Corp",
        "Jane company =Acme Corp",
        "Jane company= Acme Corp",
        'Jane company = "Acme Corp"',
        "Jane COMPANY = Acme Corp",
    ],
)
def test_spaces_around_the_equals_sign(text: str) -> None:
    assert parse_text(LOG, text) == {"contact": "Jane", "company": "Acme Corp"}


def test_an_equals_sign_inside_a_value_stays_text() -> None:
    assert parse_text(LOG, "Jane notes = 2+2=4")["notes"] == "2+2=4"
    assert parse_text(LOG, 'Jane notes = "a = b"')["notes"] == "a = b"
    assert parse_text(THANKED, '"Jane = Doe"') == {"contact": "Jane = Doe"}


def test_a_misspelt_key_with_spaces_is_still_a_misspelt_key() -> None:
    with pytest.raises(UserError, match="has no option `compnay`"):
        parse_text(LOG, "Jane compnay = Acme")


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        (r'"Jane \"JJ\" Doe"', 'Jane "JJ" Doe'),
        (r'contact="Jane \"JJ\" Doe"', 'Jane "JJ" Doe'),
        (r"'Ann \'Annie\' Wu'", "Ann 'Annie' Wu"),
        (r"Jane \"JJ\" Doe", 'Jane "JJ" Doe'),  # unquoted, the escape is a quote all the same
        ("\u201cJane \\\u201dJJ\\\u201d Doe\u201d", "Jane \u201dJJ\u201d Doe"),
        (r'"back\slash"', "back\\slash"),  # only a quote is escaped
    ],
)
def test_escaped_quotes_inside_names(text: str, contact: str) -> None:
    assert parse_text(THANKED, text) == {"contact": contact}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("logged-interview", "Jane company=A company=B"),
        ("logged-interview", "Jane company = A company=B"),
        ("logged-interview", "Jane company=A COMPANY = B"),
        ("logged-interview", "Jane contact=Bob"),  # the leading words were the contact
        ("logged-interview", 'Jane notes="a" notes = "b"'),
        ("group-setup", "digest_hour=1 digest-hour=2"),
        ("forget-me", "yes confirm=yes"),
    ],
)
def test_an_option_given_twice_is_refused_in_every_form(name: str, text: str) -> None:
    with pytest.raises(UserError, match="given twice") as caught:
        parse_text(REGISTRY.get(name), text)
    assert caught.value.example


def test_a_flag_is_set_by_its_name_alone() -> None:
    forget = REGISTRY.get("forget-me")
    assert parse_text(forget, "confirm") == {"confirm": "yes"}
    assert parse_text(forget, "CONFIRM") == {"confirm": "yes"}
    assert parse_text(forget, "yes") == {"confirm": "yes"}
    with pytest.raises(UserError, match="given twice"):
        parse_text(forget, "confirm confirm=yes")


def test_a_line_longer_than_any_command_needs_comes_back_whole() -> None:
    text = "Jane notes=" + "x" * MAX_INPUT
    with pytest.raises(UserError) as caught:
        parse_text(LOG, text)
    assert "nothing was saved" in caught.value.message
    assert caught.value.attachment is not None
    assert caught.value.attachment.content.decode() == text


@pytest.mark.parametrize(
    ("command", "text", "says"),
    [
        ("group-setup", "partners=", "`partners` needs one of: off, weekly, fortnightly"),
        ("group-setup", 'partner-size=""', "`partner-size` needs one of: 2, 3"),
        ("plan", 'text="x" share=', "`share` needs one of: group"),
    ],
)
def test_a_choice_typed_empty_is_refused_with_the_allowed_values(
    command: str, text: str, says: str
) -> None:
    with pytest.raises(UserError, match=re.escape(says)):
        parse_text(REGISTRY.get(command), text)
