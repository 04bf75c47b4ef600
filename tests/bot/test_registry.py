"""Declarations are checked against the strictest platform rules when they are registered."""

import pytest

from bot.commands.catalog import build_registry
from bot.registry import Command, Option, Registry
from bot.replies import Reply


async def nothing(ctx, args) -> Reply:
    return Reply(text="")


@pytest.mark.parametrize(
    "command",
    [
        Command("Bad-Name", "ok", nothing),
        Command("x" * 33, "ok", nothing),
        Command("ok", "", nothing),
        Command("ok", "d" * 101, nothing),
        Command("ok", "ok", nothing, options=(Option("Upper", "ok"),)),
        Command("ok", "ok", nothing, options=(Option("a", "ok"), Option("a", "ok"))),
        Command("ok", "ok", nothing, options=(Option("a", "ok"), Option("b", "ok", required=True))),
        Command("ok", "ok", nothing, options=(Option("a", "ok", choices=tuple("x" * 26)),)),
    ],
)
def test_bad_declarations_are_refused(command: Command) -> None:
    with pytest.raises(ValueError):
        Registry().add(command)


def test_the_public_contract() -> None:
    registry = build_registry()
    expected = {
        "logged-interview": [
            "contact",
            "company",
            "role",
            "date",
            "via",
            "referrals",
            "may-use-name",
            "notes",
        ],
        "outreach": ["contact", "company", "via", "date", "how", "notes"],
        "scheduled": ["contact", "date", "time"],
        "declined": ["contact"],
        "thanked": ["contact"],
        "pending": [],
        "prep": ["field"],
        "settings": [
            "tz",
            "hour",
            "quiet",
            "reminders",
            "leaderboard",
            "targets",
            "coach",
            "plans",
        ],
        "partners": ["state"],
        "plan": ["text", "share"],
        "coach-link": ["action"],
        "export": [],
        "forget-me": ["confirm"],
        "peerpath": ["command"],
        "undo": ["confirm"],
        "history": ["edit", "delete", "date", "via", "notes", "confirm"],
    }
    for name, options in expected.items():
        assert [o.name for o in registry.get(name).options] == options, name
        assert registry.get(name).example.startswith(f"/{name}")


def test_shortcuts_and_the_forms_they_submit() -> None:
    registry = build_registry()
    assert {s.name: s.kind.value for s in registry.shortcuts.values()} == {
        "log-outreach": "message",
        "log-reply": "message",
        "log-interview": "global",
    }
    # "Log a reply" submits a form-only command: never typed, found for a form.
    assert registry.get("reply") is None
    assert registry.submitted("reply") is registry.forms["reply"]
    assert [o.name for o in registry.forms["reply"].options] == [
        "request",
        "answer",
        "date",
        "time",
    ]


def test_every_command_but_a_groups_is_personal() -> None:
    group = {c.name for c in build_registry() if c.group}
    assert group == {
        "group-setup",
        "join",
        "leave",
        "leaderboard",
        "digest",
        "win",
        "practice",
        "partners",
        "coach-link",
    }
    assert all(c.personal != c.group for c in build_registry())
