"""Matching, measured over simulated rounds: nobody alone or twice, no partner of the
last 3 rounds when another choice exists, and reminder hours closer than chance."""

from __future__ import annotations

import itertools
import random
from statistics import mean

import pytest

from bot.pairing import Candidate, gap, match, team_sizes

ROUNDS = 12
# Reminder hours as members set them, each in their own zone (offsets from UTC): a group
# spread over Berlin, New York, Kolkata and Sydney.
ZONES = (1.0, -5.0, 5.5, 11.0)
HOURS = (7, 8, 9, 12, 18, 20)


def members(count: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    return [Candidate(n, (rng.choice(HOURS) - rng.choice(ZONES)) % 24) for n in range(1, count + 1)]


def pairs(teams: list[tuple[int, ...]]) -> set[frozenset[int]]:
    return {frozenset(p) for team in teams for p in itertools.combinations(team, 2)}


def simulate(group: list[Candidate], size: int) -> list[list[tuple[int, ...]]]:
    history: list[list[tuple[int, ...]]] = []
    for number in range(ROUNDS):
        recent = set().union(*(pairs(teams) for teams in history[-3:]))
        history.append(match(group, size, recent, seed=number))
    return history


@pytest.mark.parametrize("size", [2, 3])
@pytest.mark.parametrize("seed", range(5))
def test_a_group_of_8_meets_no_partner_of_its_last_3_rounds(size: int, seed: int) -> None:
    history = simulate(members(8, seed), size)
    for number, teams in enumerate(history):
        earlier = set().union(*(pairs(t) for t in history[max(0, number - 3) : number]))
        assert not pairs(teams) & earlier, (number, teams)


def simulate_blind(group: list[Candidate], size: int, seed: int) -> list[list[tuple[int, ...]]]:
    """Rounds that keep the same rules but pick partners at random: every hour alike."""
    alike = [Candidate(c.id, 0.0) for c in group]
    history: list[list[tuple[int, ...]]] = []
    for number in range(ROUNDS):
        recent = set().union(*(pairs(teams) for teams in history[-3:]))
        history.append(match(alike, size, recent, seed=seed * 1000 + number))
    return history


@pytest.mark.parametrize("size", [2, 3])
@pytest.mark.parametrize("seed", range(5))
def test_chosen_partners_hours_are_no_further_apart_than_random_pairings(
    size: int, seed: int
) -> None:
    """Against random pairing (for pairs, where any pairing can keep the rule) and against
    random matching under the same no-repeat rule (which, for trios of 8, leaves little
    choice)."""
    group = members(8, seed)
    hours = {c.id: c.hour for c in group}
    rng = random.Random(1000 + seed)

    def mean_gap(teams: list[tuple[int, ...]]) -> float:
        return mean(gap(hours[a], hours[b]) for a, b in map(tuple, pairs(teams)))

    chosen = mean(mean_gap(teams) for teams in simulate(group, size))
    blind = mean(mean_gap(t) for n in range(10) for t in simulate_blind(group, size, n))
    assert chosen <= blind
    if size == 2:
        shuffled = []  # the mean of random pairing: many shuffles, not one per round
        for _ in range(ROUNDS * 50):
            ids = [c.id for c in group]
            rng.shuffle(ids)
            shuffled.append(mean_gap([tuple(ids[at : at + 2]) for at in range(0, 8, 2)]))
        assert chosen <= mean(shuffled)


@pytest.mark.parametrize("count", range(0, 14))
@pytest.mark.parametrize("size", [2, 3])
def test_everyone_is_matched_once_and_nobody_alone(count: int, size: int) -> None:
    group = members(count, count)
    teams = match(group, size, set(), seed=count)
    matched = [m for team in teams for m in team]
    assert sorted(matched) == ([c.id for c in group] if count >= 2 else [])
    assert all(2 <= len(team) <= 3 for team in teams)
    assert sorted(len(t) for t in teams) == sorted(team_sizes(count, size))
    if size == 2:
        assert sum(len(t) == 3 for t in teams) == count % 2 if count >= 2 else teams == []


def test_a_recent_partner_only_when_there_is_no_one_else() -> None:
    group = [Candidate(1, 9.0), Candidate(2, 9.0)]
    assert match(group, 2, {frozenset((1, 2))}) == [(1, 2)]


def test_gap_goes_round_the_clock() -> None:
    assert gap(23.0, 1.0) == 2.0 and gap(5.5, 17.5) == 12.0
