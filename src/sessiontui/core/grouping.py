"""Drawing and editing groups for pairing and breakout items, as pure functions of a session.

Kept free of the disk and of Textual so the promises people rely on (everyone present placed
once, nobody left on their own, "don't pair me with" always honoured, the same seed giving the
same groups) can be checked by property tests and reused by the CLI and the screens alike.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from itertools import combinations

from sessiontui.core import item_kinds
from sessiontui.core.live_agenda import live_agenda
from sessiontui.core.model import AgendaItem, Group, Participant, Session

__all__ = [
    "DEFAULT_BREAKOUT_SIZE",
    "GROUPED_KINDS",
    "GroupingError",
    "add_latecomer",
    "avoid_pairs",
    "draw_groups",
    "group_pairs",
    "group_sizes",
    "grouped_item",
    "grouped_items",
    "groups_for",
    "move_member",
    "past_pairs",
    "present_names",
    "repeated_pairs",
    "replace_groups",
]

GROUPED_KINDS = item_kinds.grouped_names()
"""The agenda item kinds that have groups (declared in `item_kinds`); others are for the room."""

DEFAULT_BREAKOUT_SIZE = item_kinds.default_group_size("breakout")
"""People per group for a breakout item without `group_size`: small enough that all speak."""

# The kinds that have groups as the messages below name them: "pairing or breakout".
_GROUPED_WORDS = " or ".join(GROUPED_KINDS)

SEED_LIMIT = 2**31
"""Seeds are drawn below this, so they stay short enough to read out and type back."""

RESTARTS = 12
"""Random starting points tried when earlier pairings repeat; more finds better draws, slower."""

SEARCH_LIMIT = 20_000
"""Placements tried by the exact search for exclusions before giving up, so a hopeless
file is reported within a second or so instead of searching for hours."""

_PAIR = 2


class GroupingError(ValueError):
    """Groups cannot be made as asked; the message is one line a facilitator can act on."""


class _SearchTooLong(Exception):
    """The exact search gave up; draw_groups turns it into a GroupingError naming people."""


# ---------------------------------------------------------------------------- reading a session


def grouped_items(session: Session) -> list[AgendaItem]:
    """The pairing and breakout items being run, in running order, inserted ones included.

    From the live agenda, not the plan, so an item added during the run can have groups too.
    """
    return [live.item for live in live_agenda(session) if live.item.kind in GROUPED_KINDS]


def grouped_item(session: Session, item_id: str) -> AgendaItem:
    """The pairing or breakout item with this id; raises GroupingError naming the valid ids."""
    try:
        item = session.item(item_id)
    except KeyError:
        valid = [item.id for item in grouped_items(session)]
        choice = f"choose one of: {', '.join(valid)}" if valid else "this session has none"
        raise GroupingError(f"no {_GROUPED_WORDS} item has id {item_id!r}; {choice}") from None
    if item.kind not in GROUPED_KINDS:
        raise GroupingError(f"item {item_id!r} is a {item.kind} item, not a {_GROUPED_WORDS} item")
    return item


def present_names(session: Session) -> list[str]:
    """The names of the participants not marked absent, in roster order."""
    return [person.name for person in session.participants if not person.absent]


def groups_for(session: Session, item_id: str) -> list[Group]:
    """The groups already drawn for one item, in file order (empty when none are)."""
    return [group for group in session.groups if group.item == item_id]


def avoid_pairs(participants: Iterable[Participant]) -> frozenset[frozenset[str]]:
    """Every pair of names that must never share a group; symmetric, as one asking is enough."""
    return frozenset(
        frozenset((person.name, other))
        for person in participants
        for other in person.avoid
        # Someone listing themselves is a slip, not a constraint that nothing can satisfy.
        if other != person.name
    )


def unknown_avoids(participants: Sequence[Participant]) -> list[str]:
    """A sentence for each `avoid` name that is no participant's, so a typo is not silently ignored.

    Groups are kept apart by exact name, so "ben clarke" for Ben Clarke would never apply;
    such a name is pointed at the participant it was probably meant to be.
    """
    names = {person.name for person in participants}
    folded = {" ".join(name.split()).casefold(): name for name in names}
    problems: list[str] = []
    for person in participants:
        for other in person.avoid:
            if other in names:
                continue
            meant = folded.get(" ".join(other.split()).casefold())
            hint = f" (did you mean {meant}?)" if meant else ""
            problems.append(
                f"{person.name} is to be kept apart from {other!r}, who is not a participant"
                f"{hint}: the groups cannot honour it"
            )
    return problems


def group_pairs(groups: Iterable[Group]) -> Iterator[frozenset[str]]:
    """Every unordered pair of people who share a group, in group and member order."""
    for group in groups:
        for first, second in combinations(group.members, 2):
            if first != second:
                yield frozenset((first, second))


def past_pairs(
    sessions: Iterable[Session], series: str | None, before: dt.date
) -> frozenset[frozenset[str]]:
    """The pairs grouped together in earlier sessions of a series, to avoid repeating them.

    Only sessions of the same, named series and an earlier date count: a session without a
    series has no history, and a later one (planned ahead) has not happened yet.
    """
    if series is None:
        return frozenset()
    return frozenset(
        pair
        for session in sessions
        if session.series == series and session.date < before
        for pair in group_pairs(session.groups)
    )


def repeated_pairs(
    groups: Iterable[Group], past: AbstractSet[frozenset[str]]
) -> list[frozenset[str]]:
    """The pairs in these groups that were grouped before, so callers can say how many."""
    return [pair for pair in group_pairs(groups) if pair in past]


# ---------------------------------------------------------------------------- drawing


def group_sizes(count: int, size: int) -> list[int]:
    """How many people go in each group when `count` people make groups of `size`.

    Groups of `size`, with people left over each joining a different group (pairs and one
    three). When more are left over than there are groups (7 people in fours), one group
    more, as even as possible and none above `size` (a four and a three), as that stays
    closer to the plan than one group of seven. Fewer people than `size` make one group.
    Never a group of one from 2 people or more.
    """
    if size < _PAIR:
        raise GroupingError(f"groups need at least 2 people, not {size}")
    if count <= size:
        return [count] if count else []
    whole, left = divmod(count, size)
    groups = whole if left <= whole else whole + 1
    small, bigger = divmod(count, groups)
    return [small + 1] * bigger + [small] * (groups - bigger)


def draw_groups(
    session: Session,
    item_id: str,
    *,
    size: int | None = None,
    seed: int | None = None,
    past: AbstractSet[frozenset[str]] = frozenset(),
) -> list[Group]:
    """Random groups of the people present for one item, reproducible from their seed.

    `size` overrides the item's `group_size` (default 2 for pairing, 4 for breakout). Pairs
    in `avoid` lists are never together (GroupingError when that cannot be done); pairs in
    `past` are kept apart as far as possible. The seed is stored in every group so the same
    draw can be made again.
    """
    item = grouped_item(session, item_id)
    if size is None:
        size = item.group_size or item_kinds.default_group_size(item.kind)
    if size < _PAIR:
        raise GroupingError(f"item {item_id!r}: groups need at least 2 people, not {size}")
    people = present_names(session)
    if len(people) < _PAIR:
        raise GroupingError(
            f"item {item_id!r}: need at least 2 people present to make groups,"
            f" and {len(people)} {'is' if len(people) == 1 else 'are'}"
        )
    seen: set[str] = set()
    for name in people:
        if name in seen:
            raise GroupingError(
                f"item {item_id!r}: two people present are both called {name!r};"
                " names must differ to draw groups"
            )
        seen.add(name)
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)

    apart = avoid_pairs(session.participants)
    sizes = group_sizes(len(people), size)
    try:
        arranged = _arrange(people, sizes, apart, past, random.Random(seed))
        verdict = "cannot keep"
    except _SearchTooLong:
        arranged, verdict = None, f"gave up after {SEARCH_LIMIT} tries to keep"
    if arranged is None:
        shapes = " and ".join(str(n) for n in sorted(set(sizes)))
        raise GroupingError(
            f"item {item_id!r}: {verdict} {_clash_list(people, apart)}"
            f" in groups of {shapes} from the {len(people)} people present"
        )
    # Roster order inside each group reads better than draw order, and says nothing new.
    rank = {name: index for index, name in enumerate(people)}
    return [
        Group(
            item=item_id,
            name=f"Group {number}",
            members=sorted(members, key=rank.__getitem__),
            seed=seed,
        )
        for number, members in enumerate(arranged, start=1)
    ]


def replace_groups(session: Session, item_id: str, groups: Sequence[Group]) -> Session:
    """A copy of the session with one item's groups replaced and every other table untouched."""
    grouped_item(session, item_id)
    stray = [group.name for group in groups if group.item != item_id]
    if stray:
        raise GroupingError(f"groups {', '.join(stray)} belong to another item than {item_id!r}")
    copy = session.model_copy(deep=True)
    fresh = [group.model_copy(deep=True) for group in groups]
    kept: list[Group] = []
    placed = False
    for group in copy.groups:
        if group.item != item_id:
            kept.append(group)
        elif not placed:
            # Where the old groups were, so a hand-ordered file keeps its order.
            kept.extend(fresh)
            placed = True
    if not placed:
        kept.extend(fresh)
    copy.groups = kept
    return copy


# ---------------------------------------------------------------------------- editing by hand


def add_latecomer(
    groups: Sequence[Group], name: str, *, avoid: AbstractSet[frozenset[str]]
) -> list[Group]:
    """The groups with a latecomer in the smallest one they may join; nobody else moves.

    `avoid` is required (see `avoid_pairs`) because exclusions hold for latecomers too; ties
    go to the first group, so the choice is predictable to the person at the front.
    """
    if not groups:
        raise GroupingError(f"no groups to add {name!r} to; draw the groups first")
    items = sorted({group.item for group in groups})
    if len(items) > 1:
        raise GroupingError(f"these groups belong to several items ({', '.join(items)})")
    for group in groups:
        if name in group.members:
            raise GroupingError(f"{name!r} is already in {group.name}")
    allowed = [index for index, group in enumerate(groups) if not _clashes(name, group, avoid)]
    if not allowed:
        blocked = sorted({member for group in groups for member in _clashes(name, group, avoid)})
        raise GroupingError(
            f"{name!r} cannot join any group of item {items[0]!r}:"
            f" every group has someone they must be kept apart from ({', '.join(blocked)})"
        )
    # min() keeps the first of equals, which is the tie rule.
    target = min(allowed, key=lambda index: len(groups[index].members))
    return [
        group.model_copy(update={"members": [*group.members, name]})
        if index == target
        else group.model_copy(deep=True)
        for index, group in enumerate(groups)
    ]


def move_member(
    groups: Sequence[Group], name: str, to_group: str, *, avoid: AbstractSet[frozenset[str]]
) -> list[Group]:
    """The groups with one person moved into the group named `to_group`, by hand.

    Someone not yet in any group is simply added. A group the move empties is dropped; the
    others keep their names, because notes refer to groups by name. A group of one is
    returned as it is (the screen warns), but exclusions are refused even by hand.
    """
    names = [group.name for group in groups]
    if to_group not in names:
        raise GroupingError(f"no group called {to_group!r}; groups are: {', '.join(names)}")
    target = groups[names.index(to_group)]
    if name in target.members:
        return [group.model_copy(deep=True) for group in groups]
    clash = _clashes(name, target, avoid)
    if clash:
        raise GroupingError(
            f"{name!r} must be kept apart from {', '.join(clash)}; not moving them to {to_group}"
        )
    moved: list[Group] = []
    for group in groups:
        if group is target:
            moved.append(group.model_copy(update={"members": [*group.members, name]}))
        elif name in group.members:
            rest = [member for member in group.members if member != name]
            if rest:
                moved.append(group.model_copy(update={"members": rest}))
        else:
            moved.append(group.model_copy(deep=True))
    return moved


def _clash_list(people: Sequence[str], apart: AbstractSet[frozenset[str]]) -> str:
    """The excluded pairs by person ("Ana apart from Ben and Cy; Ben apart from Di"), to act on."""
    parts: list[str] = []
    for index, name in enumerate(people):
        others = [other for other in people[index + 1 :] if frozenset((name, other)) in apart]
        if others:
            listed = ", ".join(others[:-1]) + " and " + others[-1] if len(others) > 1 else others[0]
            parts.append(f"{name} apart from {listed}")
    return "; ".join(parts)


def _clashes(name: str, group: Group, avoid: AbstractSet[frozenset[str]]) -> list[str]:
    return [member for member in group.members if frozenset((name, member)) in avoid]


# ---------------------------------------------------------------------------- the search
#
# People are numbered 0..n-1 in roster order; every order-sensitive step iterates lists in a
# fixed order driven by the seeded RNG, never a set of strings, whose order changes with
# PYTHONHASHSEED and would make the same seed give different groups in another process.


def _arrange(
    people: Sequence[str],
    sizes: Sequence[int],
    apart: AbstractSet[frozenset[str]],
    past: AbstractSet[frozenset[str]],
    rng: random.Random,
) -> list[list[str]] | None:
    """Groups of the given sizes with no excluded pair and few past pairs; None if impossible."""
    count = len(people)
    # One excluded pair must outweigh every possible repeat, so a repeat never buys it.
    heavy = count * (count - 1) // 2 + 1
    weights: list[dict[int, int]] = [{} for _ in people]
    conflicts: list[set[int]] = [set() for _ in people]
    for first, second in combinations(range(count), 2):
        pair = frozenset((people[first], people[second]))
        weight = heavy if pair in apart else 1 if pair in past else 0
        if weight:
            weights[first][second] = weights[second][first] = weight
        if weight == heavy:
            conflicts[first].add(second)
            conflicts[second].add(first)

    best: list[list[int]] | None = None
    best_score = 0
    for _ in range(RESTARTS):
        order = list(range(count))
        rng.shuffle(order)
        shape = list(sizes)
        rng.shuffle(shape)
        groups = _improve(_chunk(order, shape), weights, rng)
        score = _score(groups, weights)
        if best is None or score < best_score:
            best, best_score = groups, score
        if score == 0:
            break
    assert best is not None
    if best_score >= heavy:
        # Random starts did not separate everyone; an exact search decides whether it can be.
        start = _keep_apart(count, sizes, conflicts, rng)
        if start is None:
            return None
        # Swaps only ever lower the score, so this never brings an excluded pair back.
        best = _improve(start, weights, rng)
    return [[people[index] for index in group] for group in best]


def _chunk(order: Sequence[int], sizes: Sequence[int]) -> list[list[int]]:
    groups: list[list[int]] = []
    start = 0
    for size in sizes:
        groups.append(list(order[start : start + size]))
        start += size
    return groups


def _score(groups: Sequence[Sequence[int]], weights: Sequence[dict[int, int]]) -> int:
    return sum(
        weights[first].get(second, 0)
        for group in groups
        for first, second in combinations(group, 2)
    )


def _cost(person: int, members: Sequence[int], weights: Sequence[dict[int, int]]) -> int:
    mine = weights[person]
    return sum(mine.get(other, 0) for other in members if other != person)


def _improve(
    groups: list[list[int]], weights: Sequence[dict[int, int]], rng: random.Random
) -> list[list[int]]:
    """Swap people between groups (or move one to a group one smaller) while the score drops."""
    where = {person: index for index, group in enumerate(groups) for person in group}
    people = sorted(where)
    rng.shuffle(people)
    improved = True
    while improved:
        improved = False
        for person in people:
            home = where[person]
            here = _cost(person, groups[home], weights)
            # A better swap always lowers the cost of someone who has one, so start there.
            if here == 0:
                continue
            for other_index, other in enumerate(groups):
                if other_index == home:
                    continue
                there = _cost(person, other, weights)
                if len(groups[home]) == len(other) + 1 and there < here:
                    # Moving from a bigger group to one a person smaller keeps every size.
                    groups[home].remove(person)
                    other.append(person)
                    where[person] = other_index
                    improved = True
                    break
                swap = _best_swap(person, groups[home], other, here, there, weights=weights)
                if swap is not None:
                    groups[home][groups[home].index(person)] = swap
                    other[other.index(swap)] = person
                    where[person], where[swap] = other_index, home
                    improved = True
                    break
    return groups


def _best_swap(
    person: int,
    home: Sequence[int],
    other: Sequence[int],
    here: int,
    there: int,
    *,
    weights: Sequence[dict[int, int]],
) -> int | None:
    """The member of `other` whose swap with `person` lowers the score most, or None."""
    best: int | None = None
    best_change = 0
    mine = weights[person]
    for candidate in other:
        between = mine.get(candidate, 0)
        change = (
            there
            - between
            + _cost(candidate, home, weights)
            - between
            - here
            - _cost(candidate, other, weights)
        )
        if change < best_change:
            best, best_change = candidate, change
    return best


def _keep_apart(
    count: int, sizes: Sequence[int], conflicts: Sequence[set[int]], rng: random.Random
) -> list[list[int]] | None:
    """Groups of these sizes with no conflicting pair, by exact search; None if there are none.

    Only people with a conflict are searched (most conflicts first); everyone else fits
    anywhere and fills the seats left. Raises _SearchTooLong after SEARCH_LIMIT placements.
    """
    constrained = [person for person in range(count) if conflicts[person]]
    rng.shuffle(constrained)
    constrained.sort(key=lambda person: len(conflicts[person]), reverse=True)
    free = [person for person in range(count) if not conflicts[person]]
    rng.shuffle(free)
    members: list[set[int]] = [set() for _ in sizes]
    order = list(range(len(sizes)))
    rng.shuffle(order)

    def options(person: int) -> list[int]:
        chosen: list[int] = []
        empty_sizes: set[int] = set()
        for index in order:
            if len(members[index]) >= sizes[index]:
                continue
            if not members[index]:
                # Empty groups of one size are interchangeable: trying one is trying them all.
                if sizes[index] in empty_sizes:
                    continue
                empty_sizes.add(sizes[index])
            if not conflicts[person] & members[index]:
                chosen.append(index)
        return chosen

    def still_possible(depth: int) -> bool:
        waiting = constrained[depth:]
        for person in waiting:
            if not options(person):
                return False
        for index, size in enumerate(sizes):
            room = size - len(members[index])
            if room <= len(free):
                continue
            fitting = sum(1 for person in waiting if not conflicts[person] & members[index])
            if room > len(free) + fitting:
                return False
        return True

    if not constrained:
        return _chunk(free, sizes)
    placed: list[int] = []
    stack = [options(constrained[0])]
    tried = 0
    while stack:
        if not stack[-1]:
            stack.pop()
            if placed:
                undone = placed.pop()
                members[undone].discard(constrained[len(placed)])
            continue
        index = stack[-1].pop(0)
        tried += 1
        if tried > SEARCH_LIMIT:
            raise _SearchTooLong
        members[index].add(constrained[len(placed)])
        placed.append(index)
        if len(placed) == len(constrained):
            seats = iter(free)
            return [
                sorted(group) + [next(seats) for _ in range(size - len(group))]
                for group, size in zip(members, sizes, strict=True)
            ]
        stack.append(options(constrained[len(placed)]) if still_possible(len(placed)) else [])
    return None
