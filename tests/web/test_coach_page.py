"""The facilitator's page through the HTTP server, on a seeded three-week cohort: every
figure against numbers worked out by hand, the links' checks, consent, and privacy."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from adapters.http import OpsServer
from bot.app import Peerpath
from bot.clock import SimulatedClock
from tests.support import Person
from tests.web.support import PRIVATE, coach_base, fetch, link, seed_cohort

EMPTY_WEEK = "<td>0</td><td>0</td><td>0 of 0</td><td>— (0 of 0)</td><td>0</td></tr>"


@pytest.fixture
async def server(app: Peerpath) -> AsyncIterator[OpsServer]:
    running = OpsServer(app, "127.0.0.1", 0)
    await running.start()
    app.settings = app.settings.model_copy(update={"public_url": coach_base(running) + "/"})
    yield running
    await running.stop()


def week_row(day: str, cells: str) -> str:
    return f'<tr><th scope="row">{day}</th>{cells}</tr>'


def rows_of(html: str, table: str) -> list[str]:
    body = html.split(f'<table id="{table}">', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    return re.findall(r"<tr>.*?</tr>", body)


async def test_every_figure_of_a_seeded_cohort(
    app: Peerpath, clock: SimulatedClock, server: OpsServer
) -> None:
    room = await seed_cohort(app, clock)
    status, html, headers = await fetch(await link(room["olga"]))
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Last week 1 of 5 members met every goal; 2 have logged nothing for two weeks" in html
    members = html.split('<ul class="figures" id="members">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<strong>(\d+)</strong>", members) == [
        "5",
        "0",
        "2",
    ]  # active, paused, quiet
    weekly = rows_of(html, "weekly")
    assert len(weekly) == 8  # the default range: the eight completed weeks
    for day, row in zip(("28 Sep", "05 Oct", "12 Oct", "19 Oct", "26 Oct"), weekly, strict=False):
        assert row == f'<tr><th scope="row">{day} 2026</th>{EMPTY_WEEK}'  # before the group
    assert weekly[5:] == [
        week_row(
            "02 Nov 2026", "<td>5</td><td>1</td><td>1 of 5</td><td>100% (1 of 1)</td><td>2</td>"
        ),
        # cid paused; ann's note to Eve was never sent, and its week is over
        week_row(
            "09 Nov 2026", "<td>2</td><td>1</td><td>1 of 4</td><td>0% (0 of 1)</td><td>0</td>"
        ),
        week_row(
            "16 Nov 2026", "<td>3</td><td>1</td><td>1 of 5</td><td>100% (1 of 1)</td><td>1</td>"
        ),
    ]
    funnel = [re.sub(r"<[^>]+>", "|", row) for row in rows_of(html, "funnel")]
    assert [row.strip("|").split("||")[1] for row in funnel] == ["10", "4", "3", "3"]
    # The charts say the same numbers as the tables, as text too.
    assert "Outreach per week: 28 Sep: 0, 05 Oct: 0, 12 Oct: 0, 19 Oct: 0, 26 Oct: 0, " in html
    assert "02 Nov: 5, 09 Nov: 2, 16 Nov: 3</title>" in html
    assert "Members who met every goal, per week: 28 Sep: 0" in html
    # The leaderboard's members and figures: this week's counts and the streak.
    assert rows_of(html, "board") == [
        week_row("ann", "<td>1</td><td>0</td><td>not yet</td><td>0</td>"),
        week_row("ben", "<td>0</td><td>0</td><td>not yet</td><td>1</td>"),
        week_row("cid", "<td>0</td><td>0</td><td>not yet</td><td>0</td>"),
    ]
    # cid shares their history; nobody else does.
    assert re.findall(r"<h3>(\w+)</h3>\s*<p>Thank-you", html) == ["cid"]
    assert "Thank-you notes on time: — (0 of 0)." in html
    history = html.split('<table class="history">', 1)[1].split("</table>", 1)[0]
    assert "<td>–</td>" * 5 + "<td>1</td><td>0</td><td>0</td>" in history
    assert "<td>–</td>" * 5 + "<td>no</td><td>paused</td><td>no</td>" in history
    for private in PRIVATE:
        assert private not in html


async def test_the_range_the_csv_and_consent_withdrawn(
    app: Peerpath, clock: SimulatedClock, server: OpsServer
) -> None:
    room = await seed_cohort(app, clock)
    url = await link(room["olga"])
    status, html, _ = await fetch(url + "?weeks=4")
    assert status == 200 and len(rows_of(html, "weekly")) == 4
    assert '<option value="4" selected>' in html
    assert len(rows_of((await fetch(url + "?weeks=999"))[1], "weekly")) == 8  # not offered
    status, text, headers = await fetch(url + "/weeks.csv?weeks=4")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert headers["Content-Disposition"] == 'attachment; filename="peerpath-cohort-2026-11-16.csv"'
    assert text.splitlines() == [
        "row,name,week,outreach,interviews,met_every_goal,members_counted,thanked_on_time,"
        "thanks_settled,referrals",
        "group,#cohort,2026-10-26,0,0,0,0,0,0,0",
        "group,#cohort,2026-11-02,5,1,1,5,1,1,2",
        "group,#cohort,2026-11-09,2,1,1,4,0,1,0",
        "group,#cohort,2026-11-16,3,1,1,5,1,1,1",
        "member,cid,2026-11-02,1,0,0,,,,",
        "member,cid,2026-11-09,0,0,,,,,",  # paused: no goal to meet
        "member,cid,2026-11-16,0,0,0,,,,",
    ]
    for private in PRIVATE:
        assert private not in text
    await room["cid"].say("/settings coach=off")
    html = (await fetch(url))[1]
    assert 'class="history"' not in html and "No member has chosen" in html
    assert "member," not in (await fetch(url + "/weeks.csv"))[1]
    # Consent to the facilitator is its own: off the channel's boards, still shown here.
    await room["zedd"].say("/settings coach=on")
    html = (await fetch(url))[1]
    assert "<h3>zedd</h3>" in html and '<th scope="row">zedd</th>' not in html
    assert "member,zedd,2026-11-16,1,0,0,,,," in (await fetch(url + "/weeks.csv"))[1]


async def test_links_wrong_expired_revoked_and_another_groups(
    app: Peerpath, clock: SimulatedClock, server: OpsServer
) -> None:
    room = await seed_cohort(app, clock)
    olga = room["olga"]
    url = await link(olga)
    assert (await fetch(url))[0] == 200
    for tampered in (url[:-2] + "xx", url + "a", coach_base(server) + "/coach/nonsense"):
        status, html, _ = await fetch(tampered)
        assert status == 403 and "not valid" in html and "#cohort" not in html
    other_admin = Person(app, "rita", channel="other", is_admin=True)
    await other_admin.say("/group-setup tz=UTC")
    other = await link(other_admin)
    status, html, _ = await fetch(other)
    assert status == 200 and "#other" in html and "#cohort" not in html
    assert "ann" not in html  # another group's link shows that group alone
    assert (await room["ann"].say("/coach-link")).is_error  # admins only
    revoked = await olga.say("/coach-link revoke")
    assert revoked.title == "Facilitator links revoked"
    status, html, _ = await fetch(url)
    assert status == 403 and "revoked" in html
    assert (await fetch(other))[0] == 200  # another group's links stay
    fresh = await link(olga)
    assert (await fetch(fresh))[0] == 200
    clock.advance(timedelta(days=14, minutes=1))
    status, html, _ = await fetch(fresh)
    assert status == 403 and "expired" in html


async def test_without_a_public_url_the_admin_is_told_what_to_set(
    app: Peerpath, clock: SimulatedClock
) -> None:
    app.settings = app.settings.model_copy(update={"public_url": None})
    admin = Person(app, "olga", channel="cohort", is_admin=True)
    await admin.say("/group-setup tz=UTC")
    reply = await admin.say("/coach-link")
    assert reply.is_error and "PEERPATH_PUBLIC_URL" in reply.text


async def test_names_of_markup_or_formulas_stay_text(
    app: Peerpath, clock: SimulatedClock, server: OpsServer
) -> None:
    admin = Person(app, "olga", channel="cohort", is_admin=True)
    await admin.say("/group-setup tz=UTC")
    await admin.say("/settings leaderboard=off")
    for name in ('<img src=x onerror="alert(1)">', "=1+2"):
        await Person(app, name, channel="cohort").say("/settings coach=on")
    clock.advance(timedelta(days=7))  # a completed week for the CSV to list
    url = await link(admin)
    html = (await fetch(url))[1]
    assert "<img" not in html and "&lt;img src=x onerror=" in html
    csv = (await fetch(url + "/weeks.csv"))[1]
    assert "member,'=1+2,2026-11-02,0,0,0,,,," in csv  # text to a spreadsheet, not a formula


async def test_a_members_months_in_another_group_are_not_this_groups(
    app: Peerpath, clock: SimulatedClock, server: OpsServer
) -> None:
    """Found in a play-test: Carol's outreach, interview and thank-you in #general showed
    in #other's funnel and thank-you columns (and her own rate) once she joined #other,
    though its weekly counts left them out. A member counts from the week they joined."""
    alice = Person(app, "alice", channel="general", is_admin=True)
    carol = Person(app, "carol", channel="general")
    await alice.say("/group-setup tz=UTC")
    await carol.say("/settings coach=on")
    await carol.say('/outreach "Cy One" company=Delta')
    await carol.say('/outreach "Cy Two" company=Delta')
    await carol.say('/logged-interview "Cy One" date=today')
    await carol.say('/thanked "Cy One"')
    clock.advance(timedelta(days=15))
    other = Person(app, "alice", channel="other", is_admin=True)
    await other.say("/group-setup tz=UTC")
    await Person(app, "carol", channel="other").say("/join")
    clock.advance(timedelta(days=7))
    status, html, _ = await fetch(await link(other))
    assert status == 200
    funnel = [re.sub(r"<[^>]+>", "|", row) for row in rows_of(html, "funnel")]
    assert [row.strip("|").split("||")[1] for row in funnel] == ["0", "0", "0", "0"]
    assert "(1 of 1)" not in html  # no thank-you from her time in #general
