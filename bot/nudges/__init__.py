"""Reminders planned ahead as rows: when each kind falls due, and what it says.

The core plans nudges when something happens (an interview logged, outreach
sent, a conversation scheduled); ``scheduling/`` only wakes up, claims due rows
and delivers them. Whether a nudge still makes sense is decided at delivery
time from the data, so a thank-you marked in between simply cancels it.
"""
