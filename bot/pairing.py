"""Who partners whom in a round: a pure function of the members, their hours and the
recent rounds, so it is tested and measured on its own.

Every candidate is matched (nobody alone when two or more take part; nobody twice):
teams of the group's size, odd ones out joining a trio (with size 3, a remainder of one
turns a trio and the one left into two pairs). Two preferences shape the teams: partners
of the last rounds only when no other choice exists (a heavy cost), and partners whose
reminder hours are close on a shared clock (each hour read in its member's own zone), so
both are prompted around the same time of day.

Teams are built greedily along the members sorted by hour — each member chooses among
the next few not yet matched — and then repaired by swapping members between teams while
that lowers the cost (in small groups, between any two teams). Small groups try several
orders and keep the cheapest.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass

REPEAT_COST = 1000.0  # a partner of a recent round: only when nothing else is possible
WINDOW = 24  # how many members ahead (by hour) each member considers
SMALL = 60  # groups up to this size try several orders
TRIES = 24
DAY_HOURS = 24.0

Team = tuple[int, ...]


@dataclass(frozen=True)
class Candidate:
    """A member taking part: their id and reminder hour on a shared (UTC) clock."""

    id: int
    hour: float


def gap(a: float, b: float) -> float:
    """Hours between two times of day, round the clock (23:00 and 01:00 are 2 apart)."""
    d = abs(a - b) % DAY_HOURS
    return min(d, DAY_HOURS - d)


def team_sizes(count: int, size: int) -> list[int]:
    """The sizes of the teams ``count`` members make: pairs (or trios) as asked, with odd
    ones out in a trio; nobody alone when ``count`` ≥ 2."""
    if count < 2:
        return []
    if size == 2:
        return [2] * (count // 2 - count % 2) + [3] * (count % 2)
    trios, left = divmod(count, 3)
    if left == 1:  # a trio and the one left become two pairs
        return [3] * (trios - 1) + [2, 2]
    return [3] * trios + [2] * (left // 2)


def match(
    candidates: Sequence[Candidate],
    size: int,
    recent: Collection[frozenset[int]],
    seed: int = 0,
) -> list[Team]:
    """Teams for one round. ``recent``: pairs of members partnered in the last rounds."""
    sizes = team_sizes(len(candidates), size)
    if not sizes:
        return []
    rng = random.Random(seed)
    hours = {c.id: c.hour for c in candidates}
    costs = _Costs(hours, frozenset(recent))
    tries = TRIES if len(candidates) <= SMALL else 1
    best: list[list[int]] | None = None
    best_cost = 0.0
    for _ in range(tries):
        order = list(candidates)
        rng.shuffle(order)
        order.sort(key=lambda c: c.hour)
        start = rng.randrange(len(order))  # the day is round: start anywhere on it
        teams = _greedy([c.id for c in order[start:] + order[:start]], sizes, costs)
        _repair(teams, costs, everywhere=tries > 1)
        cost = sum(costs.team(t) for t in teams)
        if best is None or cost < best_cost:
            best, best_cost = teams, cost
    assert best is not None
    return [tuple(sorted(t)) for t in best]


class _Costs:
    def __init__(self, hours: dict[int, float], recent: frozenset[frozenset[int]]) -> None:
        self.hours = hours
        self.partners: dict[int, set[int]] = {}
        for pair in recent:
            a, b = tuple(pair)
            self.partners.setdefault(a, set()).add(b)
            self.partners.setdefault(b, set()).add(a)

    def pair(self, a: int, b: int) -> float:
        d = abs(self.hours[a] - self.hours[b]) % DAY_HOURS
        repeat = REPEAT_COST if b in self.partners.get(a, ()) else 0.0
        return repeat + min(d, DAY_HOURS - d)

    def joining(self, member: int, team: Sequence[int]) -> float:
        return sum(self.pair(member, other) for other in team)

    def team(self, team: Sequence[int]) -> float:
        return sum(self.pair(a, b) for i, a in enumerate(team) for b in team[i + 1 :])

    def repeats(self, team: Sequence[int]) -> bool:
        return any(b in self.partners.get(a, ()) for i, a in enumerate(team) for b in team[i + 1 :])


def _greedy(order: list[int], sizes: list[int], costs: _Costs) -> list[list[int]]:
    """Each first member not yet matched takes the cheapest of the next few as partners."""
    waiting = list(order)
    teams: list[list[int]] = []
    for team_size in sorted(sizes, reverse=True):
        team = [waiting.pop(0)]
        while len(team) < team_size:
            pick, best = 0, float("inf")
            for i in range(min(WINDOW, len(waiting))):
                cost = costs.joining(waiting[i], team)
                if cost < best:
                    pick, best = i, cost
            team.append(waiting.pop(pick))
        teams.append(team)
    return teams


def _repair(teams: list[list[int]], costs: _Costs, everywhere: bool) -> None:
    """Swap members between a team with a recent partnership (``everywhere``: any team)
    and any other team while the swap lowers the two teams' cost."""
    for _ in range(3 if not everywhere else 10):
        improved = False
        for t, team in enumerate(teams):
            if everywhere or costs.repeats(team):
                improved |= _swap_out(t, teams, costs)
        if not improved:
            return


def _swap_out(t: int, teams: list[list[int]], costs: _Costs) -> bool:
    team = teams[t]
    for i in range(len(team)):
        for u, other in enumerate(teams):
            if u == t:
                continue
            before = costs.team(team) + costs.team(other)
            for j in range(len(other)):
                team[i], other[j] = other[j], team[i]
                if costs.team(team) + costs.team(other) < before:
                    return True
                team[i], other[j] = other[j], team[i]
    return False
