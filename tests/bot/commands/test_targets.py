"""/targets and /import through the core on SQLite and PostgreSQL: the ranking's reads
(counted per employer by the database) and the import's one-statement insert agree."""

from __future__ import annotations

from bot.app import Peerpath
from bot.models import Contact, Target
from bot.option_types import Upload
from tests.support import Person, count


def order(text: str) -> list[str]:
    return [line.split(". ", 1)[1].split(" — ")[0] for line in text.splitlines()]


async def test_ranking_reads_advocacy_from_logs_and_imports(app: Peerpath, ann: Person) -> None:
    for line in (
        "/targets add company=Globex motivation=2 posting=yes",
        "/targets add company=Acme motivation=2 posting=yes",
        "/targets add company=Initech motivation=2 posting=yes",
        "/targets add company=Hooli motivation=3 posting=no",
    ):
        assert not (await ann.say(line)).is_error
    assert order((await ann.say("/targets")).text) == ["Hooli", "Acme", "Globex", "Initech"]
    await ann.say('/outreach "Bo Li" company="initech, llc" how=friend')
    command = app.registry.commands["import"]
    upload = Upload("people.csv", b"name,company\nCy Orr,GLOBEX\nDi Fox,Globex Inc.\n")
    preview = await app.run(ann.invocation(), command, {"file": upload})
    assert preview.title == "Import preview", preview.text
    assert (await ann.press(preview.actions[0].id)).title == "Contacts imported"
    assert await count(app, Contact) == 3
    await ann.say('/logged-interview "Bo Li" date=yesterday')
    listed = (await ann.say("/targets")).text
    assert order(listed) == ["Hooli", "Initech", "Globex", "Acme"]
    assert "advocacy: an advocate. Next: Interviewed once; thank-you pending." in listed
    assert "Reach out to Cy Orr (1 more there not asked yet)." in listed
    assert await count(app, Target) == 4


async def test_another_members_contacts_give_no_advocacy(ann: Person, ben: Person) -> None:
    await ann.say("/targets add company=Acme motivation=3")
    await ben.say('/outreach "Jane Doe" company=Acme how=alumni')
    assert "advocacy: no one yet" in (await ann.say("/targets")).text


async def test_add_without_a_company_opens_a_form_and_bad_values_are_refused(
    ann: Person,
) -> None:
    form = await ann.say("/targets add")
    assert form.form is not None and form.form.command == "targets"
    assert [name for name, _ in form.form.fields] == ["company", "motivation", "posting"]
    assert form.form.hidden == (("action", "add"),)
    refused = await ann.say("/targets add company=Acme motivation=4")
    assert refused.is_error and "`motivation` must be between 1 and 3" in refused.text
    refused = await ann.say('/targets add company="..."')
    assert refused.is_error and "needs a letter or digit" in refused.text
    assert "No targets yet." in (await ann.say("/targets")).text


async def test_a_long_list_pages_fifteen_at_a_time(ann: Person) -> None:
    for n in range(20):
        await ann.say(f"/targets add company=Employer{n:02d} motivation=2 new=yes")
    first = await ann.say("/targets")
    assert first.title == "Your target employers (20)"
    assert order(first.text.split("\n…")[0])[:2] == ["Employer00", "Employer01"]
    assert len(order(first.text.split("\n…")[0])) == 15 and first.text.endswith("…and 5 more")
    (button,) = first.actions
    second = await ann.press(button.id)
    assert order(second.text)[0] == "Employer15" and len(order(second.text)) == 5
    assert second.actions == []
    assert (await ann.say("/targets page=3")).is_error
