"""The text form shared by Slack and the console."""

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
