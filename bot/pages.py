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
    """Lines of a list shown together, and how many of the list's items come after them."""

    lines: tuple[str, ...]
    hidden: int = 0

    @property
    def shown(self) -> int:
        return len(self.lines)

    @property
    def text(self) -> str:
        """The lines, then "…and N more" when items come after them."""
        return "\n".join(self.lines + (more_line(self.hidden),) if self.hidden else self.lines)


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
    return Block(tuple(kept), total - len(kept))


def spread(lines: Sequence[str], most: int, fields: int) -> list[Block]:
    """Up to ``most`` of ``lines`` over at most ``fields`` fields of :data:`FIELD_BUDGET`
    (long names need more than one); only the last says how many are left."""
    blocks: list[Block] = []
    shown_so_far = 0
    while shown_so_far < min(most, len(lines)) and len(blocks) < fields:
        block = fit(lines[shown_so_far:], FIELD_BUDGET, most=most - shown_so_far)
        if blocks:
            blocks[-1] = Block(blocks[-1].lines)
        blocks.append(block)
        shown_so_far += block.shown
    return blocks
