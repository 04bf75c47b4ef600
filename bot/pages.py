"""Lists cut into blocks of lines that every platform shows whole.

A reply's text and each of its fields have a budget, measured with
:func:`~bot.lengths.shown_length` (the most any platform counts once it has rendered
the text), chosen under the strictest platform limit the text meets. A list that
does not fit ends in an "…and N more" line that is itself inside the budget: no
renderer ever cuts an item off, or the line saying that more exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.lengths import shown, shown_length

# A field: Discord's field value holds 1,024 characters (Slack's section, 3,000).
FIELD_BUDGET = 1000
# A reply's text: Slack's section holds 3,000 (Discord's description, 4,096).
TEXT_BUDGET = 2900
# A button label: Slack's holds 75 (Discord's, 80).
LABEL_BUDGET = 75
MORE = "…and {} more"


def more_line(count: int) -> str:
    return MORE.format(count)


@dataclass(frozen=True)
class Block:
    """Lines joined for showing, and how many of the list's items they show."""

    text: str
    shown: int


def fit(lines: Sequence[str], budget: int, most: int | None = None, beyond: int = 0) -> Block:
    """The first of ``lines`` that fit ``budget`` (at most ``most``), then "…and N more"
    for the rest and for ``beyond`` further items that are not in ``lines``.

    At least one line is shown when there is one (cut to fit if it alone is too long),
    so paging through a list always moves on.
    """
    kept: list[str] = []
    used = 0
    total = len(lines) + beyond
    for line in lines[: len(lines) if most is None else most]:
        rest = total - len(kept) - 1
        reserve = shown_length("\n" + more_line(rest)) if rest else 0
        cost = shown_length(line) + (1 if kept else 0)
        if used + cost + reserve > budget:
            if not kept:
                kept.append(shown(line, budget - reserve))
            break
        kept.append(line)
        used += cost
    hidden = total - len(kept)
    return Block("\n".join(kept + [more_line(hidden)] if hidden else kept), len(kept))
