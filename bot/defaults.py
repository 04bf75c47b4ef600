"""What members and groups start with until they choose otherwise — stated once.

The models take their column defaults from here, and so does everything that creates a
member or a group or falls back when nothing was chosen (goal history, help text).
"""

from __future__ import annotations

WEEKLY_OUTREACH = 5  # requests a week
WEEKLY_INTERVIEWS = 1  # conversations a week
REMINDER_HOUR = 9  # day-level reminders come at 09:00 on the member's clock
QUIET_START, QUIET_END = 21, 8  # no DMs from 21:00 to 08:00
DIGEST_DAY = 0  # Monday
DIGEST_HOUR = 9
# Days a workspace's data is kept after it removed the app (PEERPATH_UNINSTALLED_RETENTION_DAYS).
UNINSTALLED_RETENTION_DAYS = 30
