"""/prep: questions written for the member's field where the bank has some, the general
set otherwise — never the general set under a field's heading."""

from __future__ import annotations

from bot import questions
from tests.support import Person

FIELDS = {
    "technology": "software engineering",
    "healthcare": "nursing",
    "finance": "investment banking",
    "education": "teaching",
    "design": "UX research",
    "public sector": "city government",
}


async def test_each_field_gets_its_own_questions(ann: Person) -> None:
    general = (await ann.say("/prep")).text
    lists = {}
    for name, typed in FIELDS.items():
        reply = await ann.say(f'/prep field="{typed}"')
        assert reply.title == f"Questions for your conversation about {typed}", name
        assert questions.for_field(typed).name == name
        lists[name] = reply.text
        # Ends, like every list, by asking for advice and two more names.
        assert reply.text.splitlines()[-1].endswith("may I mention your name?")
    assert len(set(lists.values())) == len(FIELDS)
    assert general not in lists.values()


async def test_a_field_without_questions_gets_the_general_set_said_plainly(ann: Person) -> None:
    general = await ann.say("/prep")
    reply = await ann.say("/prep field=astronomy")
    assert reply.title == general.title == "Questions for your conversation"
    assert reply.text == general.text
    assert reply.fields[0].name == "About your field"
    assert "no questions written for astronomy yet" in reply.fields[0].value
