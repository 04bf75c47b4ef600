"""Option declarations that several commands share, so they read the same everywhere."""

from __future__ import annotations

from bot.models import HowKnown, MeetingVia, Via
from bot.registry import Option, OptionType

CONTACT = Option(
    "contact", "Who you talked to or wrote to, e.g. Jane Doe", OptionType.CONTACT, required=True
)
COMPANY = Option("company", "Where they work, e.g. Acme")
ROLE = Option("role", "Their job title, e.g. Product Manager")
WHEN_HELD = Option("date", "When: 2026-03-14, today, yesterday, last tuesday", OptionType.DATE)
OUTREACH_VIA = Option("via", "How you reached out", choices=tuple(v.value for v in Via))
MEETING_VIA = Option("via", "How you met", choices=tuple(v.value for v in MeetingVia))
HOW_KNOWN = Option("how", "How you know them", choices=tuple(h.value for h in HowKnown))
