"""The core answers commands on a real database, SQLite and PostgreSQL alike."""

from tests.support import Person


async def test_outreach_then_pending(ann: Person) -> None:
    reply = await ann.say('/outreach "Jane Doe" company=Acme via=email')
    assert reply.title == "Outreach logged", reply.text
    pending = await ann.say("/pending")
    assert "Jane Doe (Acme)" in pending.fields[0].value
