"""The turns of a pairing round: where each group size is in its round, for the swap cue.

A pairing item's groups each take one turn per person: pairs 2, threes 3. There is one `Turn`
per group size, from the groups drawn for the item or, before any are drawn, from the people
present (`grouping.group_sizes`). A turn lasts `turn_minutes` when every turn of the group fits
the item's budget (extends included), else the budget shared out evenly, so a 15-minute round
with 7-minute turns gives pairs 7 minutes each and threes 5. Without `turn_minutes` the budget
is shared out. The count goes on past the last turn. `schedule.run_state` gives the current
item's turns as `RunState.turns`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sessiontui.core import grouping, item_kinds
from sessiontui.core.model import AgendaItem, Session

_ZERO = dt.timedelta(0)
_SECOND = dt.timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Turn:
    """Where the groups of one size are in a pairing round, so the room gets its swap cue on time.

    Two turns are equal when they are at the same moment of the round (number, of, remaining):
    that is what a screen compares to cue a swap; the round's shape is carried beside it.
    """

    number: int
    """The turn being had, from 1; above `of` once every person has had theirs."""
    of: int
    """Turns in the round: one per person in the group, so `group_size`."""
    remaining: dt.timedelta
    """Time left in this turn."""
    group_size: int = field(default=0, compare=False)
    """People in each of these groups (2 for pairs, 3 for threes); 0 in a hand-made Turn is `of`."""
    groups: int = field(default=0, compare=False)
    """How many groups of this size there are; 0 when nobody is known (no roster, no groups)."""
    length: dt.timedelta = field(default=_ZERO, compare=False)
    """The length of one turn: `turn_minutes` when every turn fits the item, else a fair share."""

    def __post_init__(self) -> None:
        if self.group_size == 0:
            # A group of N gets N turns, so the size is known from the count.
            object.__setattr__(self, "group_size", self.of)

    @property
    def overtime(self) -> bool:
        """Whether every planned turn has been had; the count goes on so the room still hears it."""
        return self.number > self.of


def turns_of(
    session: Session, item: AgendaItem, budget: dt.timedelta, active: dt.timedelta
) -> list[Turn]:
    """Each group size's place in an item's pairing round, the size with most people first.

    `budget` is the item's minutes with extends and `active` the time it has run, both as the
    replay has them, so the turns follow the same clock as the item.
    """
    if not item_kinds.kind(item.kind).has_turns:
        return []
    # A kind with turns is grouped (item_kinds checks it), so it has a default group size.
    planned_size = item.group_size or item_kinds.default_group_size(item.kind)
    counts = _group_counts(session, item.id, planned_size)
    # Most people first; a tie goes to the size the plan asked for, then the smaller.
    order = sorted(counts, key=lambda size: (-size * counts[size], size != planned_size, size))
    turns: list[Turn] = []
    for size in order:
        length = _turn_length(item, budget, size)
        if length <= _ZERO:
            continue  # an item cut to nothing has no turns to count
        done, into = divmod(active, length)
        turns.append(Turn(done + 1, size, length - into, size, counts[size], length))
    return turns


def _group_counts(session: Session, item_id: str, planned_size: int) -> dict[int, int]:
    """How many groups of each size the item has: as drawn, else as the people present make."""
    drawn = [len(group.members) for group in grouping.groups_for(session, item_id)]
    sizes = [size for size in drawn if size > 0] or grouping.group_sizes(
        len(grouping.present_names(session)), planned_size
    )
    if not sizes:
        # No roster and no groups: the round as planned, of an unknown number of groups.
        return {planned_size: 0}
    counts: dict[int, int] = {}
    for size in sizes:
        counts[size] = counts.get(size, 0) + 1
    return counts


def _turn_length(item: AgendaItem, budget: dt.timedelta, size: int) -> dt.timedelta:
    """One turn: `turn_minutes` when all `size` of them fit the budget, else an even share of it.

    So a 15-minute round with 7-minute turns gives pairs 7 minutes each and threes 5, and
    every group finishes its round within the item. Whole seconds, for the digits.
    """
    if item.turn_minutes is not None:
        wanted = dt.timedelta(minutes=item.turn_minutes)
        if wanted * size <= budget:
            return wanted
    return (max(budget, _ZERO) / size) // _SECOND * _SECOND
