"""What members type, read as they meant it — dates (rule 3), settings (rule 10) and the
text parser's forgiveness (rule 11) — in the console, for a member in New York (west of
UTC) and one in Kolkata (east), in the week the US clocks go back (Sun 1 Nov 2026)."""

from pathlib import Path

from tests.scenarios.console import console


def replies(out: str) -> list[str]:
    """Each reply the console printed, title line first."""
    return ["== " + part for part in ("\n" + out).split("\n== ")[1:]]


def test_dates_mean_what_each_member_meant(tmp_path: Path) -> None:
    script = """\
/settings tz=America/New_York
/logged-interview "Jane Doe" date=today
/logged-interview "Kim Lee" date=3.10.
/outreach "Sam Poe"
/scheduled "Sam Poe" date=3/11
:press 1
/logged-interview "Ray Woo" date=9:30
/logged-interview "Ray Woo" date=3pm
/logged-interview "Ray Woo" date=31 Feb
/logged-interview "Ray Woo" date=2026-02-30
/logged-interview "Ray Woo" date=1999-12-31
/scheduled "Sam Poe" date=2037-01-01
:as ben
/settings tz=Asia/Kolkata
/logged-interview "Jane Doe" date=today
/outreach "Amy Ng"
/outreach "Bo Li"
/outreach "Cy Oh"
/outreach "Di Xu"
/scheduled "Amy Ng" date=tmrw
/scheduled "Bo Li" date=next week
/scheduled "Cy Oh" date=in 3 days
/scheduled "Di Xu" date=3.11.
:as ann
:advance 4h
/logged-interview "Ann Two" date=today
/pending
"""
    # 03:30 UTC on Sun 1 Nov: still Saturday night (EDT) in New York, Sunday morning in
    # Kolkata; four hours later New York is on EST and it is Sunday there too.
    out = console(tmp_path / "p.db", script, "--user", "ann", "--now", "2026-11-01T03:30:00Z")
    said = replies(out)
    assert "Logged your conversation with Jane Doe on Sat 31 Oct." in out  # ann's calendar
    assert "Logged your conversation with Kim Lee on Sat 3 Oct." in out  # dots: day first
    question = next(r for r in said if r.startswith("== Which did you mean?"))
    assert "`3/11` could be Tue 3 Nov or Thu 11 Mar 2027." in question
    assert "[1] Tue 3 Nov\n  [2] Thu 11 Mar 2027" in question
    assert "Your conversation with Sam Poe is on Tue 3 Nov." in out  # the answer, saved
    assert out.count("reads as a time of day") == 2
    assert out.count("There is no such day as") == 2
    assert "Fri 31 Dec 1999 is outside the dates peerpath keeps: from Sat 1 Jan 2000 to " in out
    assert "Fri 31 Oct 2036." in out  # ten years from ann's own today
    assert "Thu 1 Jan 2037 is outside the dates peerpath keeps" in out
    assert "Logged your conversation with Jane Doe on Sun 1 Nov." in out  # ben's calendar
    assert "Amy Ng is on Mon 2 Nov." in out  # tmrw, from ben's Sunday
    assert "Bo Li is on Sun 8 Nov." in out
    assert "Cy Oh is on Wed 4 Nov." in out
    assert "Di Xu is on Tue 3 Nov." in out  # the coming 3 November, for a plan
    assert "Logged your conversation with Ann Two on Sun 1 Nov." in out  # after the change
    assert out.count("== Interview logged ==") == 4  # nothing refused was saved
    assert "Traceback" not in out


def test_settings_say_what_applies(tmp_path: Path) -> None:
    script = """\
/settings tz=EST
/settings tz=America/New_York quiet=8-22
/outreach "Sam Poe" company=Beta
:as ben
/settings tz=IST
/settings tz=CET
/settings tz=Asia/Kolkata hour=23 quiet=22-7
/outreach "Kim Lee" company=Gamma
/settings
:advance 133h
:now
:advance 1h
:now
:advance 2h
:now
"""
    # Thu 29 Oct, 12:00 UTC: the first business day after it counted is in the new (EST) week.
    out = console(tmp_path / "p.db", script, "--user", "ann", "--now", "2026-10-29T12:00:00Z")
    assert "`EST` is an abbreviation" in out and "America/New_York or America/Toronto?" in out
    assert "`IST` is an abbreviation" in out
    assert "Asia/Kolkata, Europe/Dublin or Asia/Jerusalem?" in out
    assert "Europe/Berlin, Europe/Paris or Europe/Madrid?" in out
    assert (
        "Note: your reminder hour, 09:00, is inside your quiet hours (08:00-22:00), so "
        "reminders will arrive at 22:00 the same day, when quiet hours end." in out
    )
    assert out.count("reminder hour, 23:00, is inside your quiet hours (22:00-07:00), so ") == 2
    assert "reminders will arrive at 07:00 the next day" in out
    # Tue 3 Nov is the 3B7 day for both. Ben's 23:00 (17:30 UTC) waits for 07:00 in Kolkata
    # (01:30 UTC Wed); ann's 09:00 EST (14:00 UTC) waits for 22:00 EST (03:00 UTC Wed).
    ben_at = out.index("[DM @ben] == No reply yet ==")
    ann_at = out.index("[DM @ann] == No reply yet ==")
    assert out.index("2026-11-04T01:00:00+00:00") < ben_at < out.index("2026-11-04T02:00:00")
    assert out.index("2026-11-04T02:00:00+00:00") < ann_at < out.index("2026-11-04T04:00:00")


def test_the_parser_forgives_the_usual_slips(tmp_path: Path) -> None:
    notes = "We talked about how the team hires. " * 90  # 3,240 characters: over 3,000
    script = f"""\
/settings tz = America/New_York
/outreach "Jane \\"JJ\\" Doe" company = Acme via = linkedin date = yesterday
/outreach "Ann O'Neil" company=Acme company = Beta
/outreach Sam via=email VIA=phone
/logged-interview "Jane \\"JJ\\" Doe" notes="{notes}"
/logged-interview "Jane \\"JJ\\" Doe" notes = short and sweet date = yesterday
:as ben
/settings tz=Asia/Kolkata
/outreach Kim Lee company = Gamma date = yesterday
/forget-me confirm
/pending
"""
    db = tmp_path / "p.db"
    out = console(db, script, "--user", "ann", "--now", "2026-11-02T03:00:00Z")
    said = replies(out)
    assert "Time zone (tz): America/New_York, your own" in said[0]
    assert said[1].startswith("== Outreach logged ==")
    assert 'Logged your request to Jane "JJ" Doe (Acme), sent ' in said[1]
    assert said[2].startswith("== That didn't work ==") and "`company` was given twice" in said[2]
    assert "`via` was given twice" in said[3]
    refused = said[4]
    assert refused.startswith("== That didn't work ==")
    assert "notes: 3,239 characters; at most 3,000 — nothing was saved; here is your text " in (
        refused
    )
    assert (tmp_path / "notes.txt").read_text() == notes.strip()
    # Sun 1 Nov 22:00 in New York: "yesterday" is Saturday there, Sunday in Kolkata.
    assert 'Logged your conversation with Jane "JJ" Doe (Acme) on Sat 31 Oct.' in said[5]
    assert said[7].startswith("== Outreach logged ==") and "Kim Lee (Gamma)" in said[7]
    assert said[8].startswith("== Deleted ==")  # the bare word was a yes
    assert "Nothing is waiting on you" in said[9]
    pending = console(db, "/pending\n", "--user", "ann", "--now", "2026-11-02T03:00:00Z")
    assert 'Jane "JJ" Doe (Acme) — due Sat 7 Nov' in pending
