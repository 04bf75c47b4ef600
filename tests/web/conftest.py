"""The pages' tests start on the Monday of the seeded cohort's first week."""

from __future__ import annotations

import pytest

from bot.clock import SimulatedClock
from tests.web.support import MONDAY


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(MONDAY)
