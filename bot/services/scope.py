"""Whose rows a bulk read covers: a list of member ids, in chunks, or a group's subquery."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Select

CHUNK = 1000  # ids per IN (…) list: far below SQLite's and PostgreSQL's bind limits


Scope = Sequence[int] | Select
"""Whose rows to read: a list of member ids, or a SELECT of them (a whole group)."""


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def batches(scope: Scope) -> Iterator[Select | list[int]]:
    """What to put in ``member_id IN (…)`` to cover ``scope``: the subquery, or id chunks."""
    if isinstance(scope, Select):
        yield scope
    else:
        yield from chunks(scope)
