"""Drawing groups: the promises a facilitator relies on, checked as properties."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessiontui.core import grouping
from sessiontui.core.grouping import (
    GroupingError,
    add_latecomer,
    avoid_pairs,
    draw_groups,
    group_pairs,
    group_sizes,
    move_member,
    past_pairs,
    repeated_pairs,
    replace_groups,
    unknown_avoids,
)
from sessiontui.core.model import AgendaItem, Group, Participant, Session
from sessiontui.core.schedule import PlanIssue, plan_issues

Pair = frozenset[str]
SMALL = settings(max_examples=60, deadline=None)


def make_session(
    participants: Sequence[Participant | str],
    *,
    series: str | None = "Series",
    date: dt.date = dt.date(2024, 3, 1),
    groups: Sequence[Group] = (),
) -> Session:
    return Session(
        schema_version=1,
        title="Test session",
        series=series,
        date=date,
        start=dt.time(9),
        end=dt.time(12),
        participants=[
            Participant(name=person) if isinstance(person, str) else person
            for person in participants
        ],
        agenda=[
            AgendaItem(id="welcome", title="Welcome", kind="plenary", minutes=5),
            AgendaItem(id="pairs", title="Coffee", kind="pairing", minutes=15),
            AgendaItem(id="threes", title="Trios", kind="pairing", minutes=15, group_size=3),
            AgendaItem(id="talk", title="Breakout", kind="breakout", minutes=20),
            AgendaItem(id="sixes", title="Big tables", kind="breakout", minutes=20, group_size=6),
        ],
        groups=list(groups),
    )


def names(count: int) -> list[str]:
    return [f"P{index:02d}" for index in range(count)]


def with_avoid(people: Sequence[str], apart: set[Pair]) -> list[Participant]:
    """Participants whose avoid lists hold each pair once, on one side only (it is symmetric)."""
    return [
        Participant(
            name=name,
            avoid=sorted(other for pair in apart if name in pair for other in pair if other > name),
        )
        for name in people
    ]


def members(groups: Sequence[Group]) -> list[str]:
    return sorted(name for group in groups for name in group.members)


def pairs_in(groups: Sequence[Group]) -> set[Pair]:
    return set(group_pairs(groups))


def partitions(people: Sequence[str], sizes: Sequence[int]) -> Iterator[list[list[str]]]:
    """Every way to split people into groups of these sizes, in this order (brute force)."""
    if not sizes:
        yield []
        return
    first, rest = people[0], people[1:]
    for chosen in itertools.combinations(rest, sizes[0] - 1):
        left = [person for person in rest if person not in chosen]
        for tail in partitions(left, sizes[1:]):
            yield [[first, *chosen], *tail]


def fewest_repeats(
    people: Sequence[str], sizes: Sequence[int], apart: set[Pair], past: set[Pair]
) -> int | None:
    """The fewest past pairs any allowed grouping has, or None when exclusions forbid all."""
    best: int | None = None
    for shape in set(itertools.permutations(sizes)):
        for split in partitions(people, shape):
            together = [
                frozenset(pair) for group in split for pair in itertools.combinations(group, 2)
            ]
            if any(pair in apart for pair in together):
                continue
            repeats = sum(pair in past for pair in together)
            best = repeats if best is None else min(best, repeats)
    return best


def pair_sets(people: Sequence[str], density: float) -> st.SearchStrategy[set[Pair]]:
    every = [frozenset(pair) for pair in itertools.combinations(people, 2)]
    if not every:
        return st.just(set())
    return st.sets(st.sampled_from(every), max_size=max(1, int(len(every) * density)))


# ---------------------------------------------------------------------------- sizes


@given(count=st.integers(0, 300), size=st.integers(2, 50))
def test_group_sizes_add_up_and_never_leave_anyone_alone(count: int, size: int) -> None:
    sizes = group_sizes(count, size)
    assert sum(sizes) == count
    assert count < 2 or min(sizes) >= 2
    assert max(sizes, default=0) - min(sizes, default=0) <= 1
    whole, left = divmod(count, size)
    if count <= size:
        assert sizes == ([count] if count else [])
    elif left <= whole:
        # An odd one out joins a group: groups of `size`, some one larger.
        assert set(sizes) <= {size, size + 1}
        assert len(sizes) == whole
    else:
        # More left over than groups: one group more, none above `size`, as even as can be.
        assert max(sizes) <= size
        assert len(sizes) == whole + 1


@given(count=st.integers(2, 300))
def test_pairs_are_pairs_and_at_most_one_three(count: int) -> None:
    sizes = group_sizes(count, 2)
    assert sizes.count(3) == count % 2
    assert set(sizes) <= {2, 3}


def test_group_sizes_examples() -> None:
    assert group_sizes(13, 2) == [3, 2, 2, 2, 2, 2]
    assert group_sizes(13, 4) == [5, 4, 4]
    assert group_sizes(7, 4) == [4, 3]
    assert group_sizes(3, 4) == [3]
    with pytest.raises(GroupingError):
        group_sizes(5, 1)


# ---------------------------------------------------------------------------- drawing


@SMALL
@given(
    count=st.integers(0, 30),
    absent=st.sets(st.integers(0, 29)),
    item=st.sampled_from(["pairs", "threes", "talk", "sixes"]),
    size=st.none() | st.integers(2, 7),
    seed=st.integers(0, 2**31 - 1),
)
def test_everyone_present_is_placed_exactly_once_and_nobody_absent(
    count: int, absent: set[int], item: str, size: int | None, seed: int
) -> None:
    people = [
        Participant(name=name, absent=index in absent) for index, name in enumerate(names(count))
    ]
    session = make_session(people)
    present = [person.name for person in people if not person.absent]
    if len(present) < 2:
        with pytest.raises(GroupingError, match="need at least 2 people present"):
            draw_groups(session, item, size=size, seed=seed)
        return

    groups = draw_groups(session, item, size=size, seed=seed)

    assert members(groups) == sorted(present)
    expected = size or {"pairs": 2, "threes": 3, "talk": 4, "sixes": 6}[item]
    assert sorted(len(group.members) for group in groups) == sorted(
        group_sizes(len(present), expected)
    )
    assert all(len(group.members) >= 2 for group in groups)
    assert [group.name for group in groups] == [f"Group {n}" for n in range(1, len(groups) + 1)]
    assert {group.item for group in groups} == {item}
    assert {group.seed for group in groups} == {seed}


@SMALL
@given(seed=st.integers(), count=st.integers(2, 25), data=st.data())
def test_the_same_seed_draws_the_same_groups(seed: int, count: int, data: st.DataObject) -> None:
    people = names(count)
    apart = data.draw(pair_sets(people, 0.05))
    past = frozenset(data.draw(pair_sets(people, 0.3)))
    session = make_session(with_avoid(people, apart))
    try:
        first = draw_groups(session, "talk", seed=seed, past=past)
    except GroupingError:
        return
    assert draw_groups(session, "talk", seed=seed, past=past) == first


def test_different_seeds_draw_different_groups() -> None:
    session = make_session(names(20))
    draws = {
        tuple(map(tuple, (g.members for g in draw_groups(session, "pairs", seed=s))))
        for s in range(5)
    }
    assert len(draws) == 5


def test_without_a_seed_one_is_drawn_and_stored() -> None:
    session = make_session(names(12))
    groups = draw_groups(session, "pairs")
    seed = groups[0].seed
    assert seed is not None and 0 <= seed < grouping.SEED_LIMIT
    assert draw_groups(session, "pairs", seed=seed) == groups


DRAW_IN_A_FRESH_PROCESS = """
import datetime as dt
from sessiontui.core.grouping import draw_groups
from sessiontui.core.model import AgendaItem, Participant, Session

people = [f"P{index:02d}" for index in range(15)]
avoid = {"P00": ["P01"], "P02": ["P03"], "P04": ["P01"]}
session = Session(
    schema_version=1, title="t", date=dt.date(2024, 3, 1), start=dt.time(9), end=dt.time(12),
    participants=[Participant(name=name, avoid=avoid.get(name, [])) for name in people],
    agenda=[AgendaItem(id="talk", title="Breakout", kind="breakout", minutes=20)],
)
past = frozenset(frozenset(pair) for pair in zip(people, people[1:]))
print([group.members for group in draw_groups(session, "talk", seed=7, past=past)])
"""


def test_the_same_seed_draws_the_same_groups_in_another_process() -> None:
    # Set iteration order of strings changes with PYTHONHASHSEED; the draw must not depend on it.
    outputs = set()
    for hash_seed in ("1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", DRAW_IN_A_FRESH_PROCESS],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert "P00" in outputs.pop()


def test_size_overrides_the_item_and_defaults_follow_the_kind() -> None:
    session = make_session(names(12))
    assert [len(g.members) for g in draw_groups(session, "pairs", seed=1)] == [2] * 6
    assert [len(g.members) for g in draw_groups(session, "threes", seed=1)] == [3] * 4
    assert [len(g.members) for g in draw_groups(session, "talk", seed=1)] == [4] * 3
    assert [len(g.members) for g in draw_groups(session, "sixes", seed=1)] == [6] * 2
    assert [len(g.members) for g in draw_groups(session, "talk", size=2, seed=1)] == [2] * 6


def test_bad_requests_say_what_is_wrong() -> None:
    session = make_session(names(6))
    with pytest.raises(
        GroupingError, match=r"'welcome' is a plenary item, not a pairing or breakout"
    ):
        draw_groups(session, "welcome")
    with pytest.raises(GroupingError, match=r"'nope'.*pairs, threes, talk, sixes"):
        draw_groups(session, "nope")
    with pytest.raises(GroupingError, match=r"'pairs'.*at least 2 people, not 1"):
        draw_groups(session, "pairs", size=1)
    with pytest.raises(
        GroupingError, match=r"need at least 2 people present to make groups, and 1 is"
    ):
        draw_groups(make_session(["Ana", Participant(name="Ben", absent=True)]), "pairs")
    # The model refuses two Anas; model_copy skips validation to reach grouping's own guard.
    twins = make_session(["Ana", "Ben"]).model_copy(
        update={"participants": [Participant(name=n) for n in ("Ana", "Ben", "Ana")]}
    )
    with pytest.raises(GroupingError, match=r"both called 'Ana'"):
        draw_groups(twins, "pairs")


# ---------------------------------------------------------------------------- exclusions


@SMALL
@given(count=st.integers(2, 8), size=st.integers(2, 4), seed=st.integers(0, 1000), data=st.data())
def test_exclusions_are_always_honoured_and_only_refused_when_impossible(
    count: int, size: int, seed: int, data: st.DataObject
) -> None:
    people = names(count)
    apart = data.draw(pair_sets(people, 0.5))
    session = make_session(with_avoid(people, apart))
    possible = fewest_repeats(people, group_sizes(count, size), apart, set()) is not None
    if not possible:
        with pytest.raises(GroupingError, match="cannot keep"):
            draw_groups(session, "talk", size=size, seed=seed)
        return
    groups = draw_groups(session, "talk", size=size, seed=seed)
    assert not pairs_in(groups) & apart
    assert members(groups) == people


@SMALL
@given(count=st.integers(4, 40), size=st.integers(2, 6), seed=st.integers(0, 1000), data=st.data())
def test_people_who_each_avoid_one_other_are_always_separated(
    count: int, size: int, seed: int, data: st.DataObject
) -> None:
    # With two or more groups, such a matching can always be split up, so no error is allowed.
    people = data.draw(st.permutations(names(count)))
    if len(group_sizes(count, size)) < 2:
        size = 2
    apart = {frozenset(people[index : index + 2]) for index in range(0, count - 1, 2)}
    groups = draw_groups(make_session(with_avoid(people, apart)), "talk", size=size, seed=seed)
    assert not pairs_in(groups) & apart


def test_the_exact_search_finds_what_random_starts_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two sets of four who all avoid each other: only pairs across the sets are allowed, which
    # a random start rarely hits. With one start and no improving swaps, the exact search
    # has to find them.
    left, right = names(4), [f"Q{index:02d}" for index in range(4)]
    apart = {frozenset(pair) for side in (left, right) for pair in itertools.combinations(side, 2)}
    session = make_session(with_avoid([*left, *right], apart))
    searched = 0
    search = grouping._keep_apart

    def counted(*args: object) -> list[list[int]] | None:
        nonlocal searched
        searched += 1
        return search(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(grouping, "RESTARTS", 1)
    monkeypatch.setattr(grouping, "_improve", lambda groups, weights, rng: groups)
    monkeypatch.setattr(grouping, "_keep_apart", counted)
    for seed in range(20):
        groups = draw_groups(session, "pairs", seed=seed)
        assert not pairs_in(groups) & apart
        assert members(groups) == sorted([*left, *right])
    assert searched >= 10


def test_impossible_exclusions_name_the_people() -> None:
    apart = {frozenset(("Ana", f"P{index:02d}")) for index in range(5)}
    session = make_session(with_avoid(["Ana", *names(5)], apart))
    with pytest.raises(GroupingError) as caught:
        draw_groups(session, "pairs", seed=1)
    message = str(caught.value)
    assert "item 'pairs'" in message
    assert "Ana apart from P00, P01, P02, P03 and P04" in message


def test_an_excluded_pair_of_three_people_cannot_be_paired() -> None:
    session = make_session([Participant(name="Ana", avoid=["Ben"]), "Ben", "Cy"])
    with pytest.raises(GroupingError, match="cannot keep Ana apart from Ben in groups of 3"):
        draw_groups(session, "pairs", seed=3)


def test_avoid_pairs_are_symmetric_and_ignore_oneself() -> None:
    people = [Participant(name="Ana", avoid=["Ben", "Ana"]), Participant(name="Cy", avoid=["Ana"])]
    assert avoid_pairs(people) == {frozenset(("Ana", "Ben")), frozenset(("Ana", "Cy"))}


def test_an_avoid_name_that_is_no_participant_s_is_reported_with_the_name_it_nearly_is() -> None:
    people = [
        Participant(name="Ana", avoid=["ben ", "Zed"]),
        Participant(name="Ben", avoid=["Ana"]),
    ]
    assert unknown_avoids(people) == [
        "Ana is to be kept apart from 'ben ', who is not a participant (did you mean Ben?):"
        " the groups cannot honour it",
        "Ana is to be kept apart from 'Zed', who is not a participant: the groups cannot honour it",
    ]
    assert plan_issues(make_session(people))[-2:] == [
        PlanIssue("avoid", None, message) for message in unknown_avoids(people)
    ]


# ---------------------------------------------------------------------------- earlier sessions


@SMALL
@given(count=st.integers(2, 8), size=st.integers(2, 4), seed=st.integers(0, 1000), data=st.data())
def test_repeats_are_avoided_whenever_some_grouping_avoids_them(
    count: int, size: int, seed: int, data: st.DataObject
) -> None:
    people = names(count)
    apart = data.draw(pair_sets(people, 0.15))
    past = data.draw(pair_sets(people, 0.6))
    fewest = fewest_repeats(people, group_sizes(count, size), apart, past)
    session = make_session(with_avoid(people, apart))
    if fewest is None:
        return
    groups = draw_groups(session, "talk", size=size, seed=seed, past=frozenset(past))
    assert len(repeated_pairs(groups, past)) == fewest
    assert not pairs_in(groups) & apart


@SMALL
@given(count=st.integers(8, 40), seed=st.integers(0, 1000), rounds=st.integers(1, 3))
def test_a_new_pairing_repeats_no_pair_from_earlier_pairings(
    count: int, seed: int, rounds: int
) -> None:
    session = make_session(names(count))
    past: set[Pair] = set()
    for earlier in range(rounds):
        past |= pairs_in(draw_groups(session, "pairs", seed=seed + 1 + earlier))
    groups = draw_groups(session, "pairs", seed=seed, past=frozenset(past))
    assert repeated_pairs(groups, past) == []


def test_repeats_that_cannot_be_avoided_are_kept_to_the_fewest() -> None:
    people = names(5)
    past = {frozenset(pair) for pair in itertools.combinations(people, 2)} - {
        frozenset(("P00", "P01"))
    }
    groups = draw_groups(make_session(people), "pairs", seed=4, past=frozenset(past))
    # A pair and a three hold 4 pairs, and only one pair of the five people is new.
    assert len(repeated_pairs(groups, past)) == 3


def test_past_pairs_come_from_earlier_sessions_of_the_same_series_only() -> None:
    def held(series: str | None, day: int, group: list[str]) -> Session:
        done = [Group(item="talk", name="Group 1", members=group)]
        return make_session(names(4), series=series, date=dt.date(2024, 2, day), groups=done)

    sessions = [
        held("Series", 1, ["A", "B", "C"]),
        held("Series", 9, ["D", "E"]),  # the same day as the session: not earlier
        held("Series", 20, ["F", "G"]),  # planned later
        held("Other", 1, ["H", "I"]),
        held(None, 1, ["J", "K"]),
    ]
    found = past_pairs(sessions, "Series", dt.date(2024, 2, 9))
    assert found == {frozenset(("A", "B")), frozenset(("A", "C")), frozenset(("B", "C"))}
    assert past_pairs(sessions, None, dt.date(2024, 2, 9)) == frozenset()


# ---------------------------------------------------------------------------- editing


@SMALL
@given(
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=8),
    seed=st.integers(0, 1000),
    data=st.data(),
)
def test_a_latecomer_joins_a_smallest_group_they_may_join_and_nobody_moves(
    sizes: list[int], seed: int, data: st.DataObject
) -> None:
    people = iter(names(sum(sizes)))
    groups = [
        Group(
            item="talk", name=f"Group {n}", members=[next(people) for _ in range(size)], seed=seed
        )
        for n, size in enumerate(sizes, start=1)
    ]
    everyone = [name for group in groups for name in group.members]
    avoided = data.draw(st.sets(st.sampled_from(everyone)))
    avoid = {frozenset(("Late", name)) for name in avoided}
    allowed = [g for g in groups if not set(g.members) & avoided]
    if not allowed:
        with pytest.raises(GroupingError, match="'Late' cannot join any group"):
            add_latecomer(groups, "Late", avoid=avoid)
        return

    after = add_latecomer(groups, "Late", avoid=avoid)

    smallest = min(len(g.members) for g in allowed)
    first_smallest = next(g for g in allowed if len(g.members) == smallest)
    for before, now in zip(groups, after, strict=True):
        if before.name == first_smallest.name:
            assert now.members == [*before.members, "Late"]
        else:
            assert now == before
    assert members(after) == sorted([*everyone, "Late"])


def test_a_latecomer_already_placed_or_without_groups_is_refused() -> None:
    groups = [Group(item="talk", name="Group 1", members=["Ana", "Ben"])]
    with pytest.raises(GroupingError, match="already in Group 1"):
        add_latecomer(groups, "Ana", avoid=set())
    with pytest.raises(GroupingError, match="draw the groups first"):
        add_latecomer([], "Ana", avoid=set())


def test_the_latecomer_does_not_change_the_groups_given() -> None:
    groups = [Group(item="talk", name="Group 1", members=["Ana", "Ben"])]
    add_latecomer(groups, "Cy", avoid=set())
    assert groups[0].members == ["Ana", "Ben"]


def test_move_member_moves_one_person_and_drops_a_group_it_empties() -> None:
    groups = [
        Group(item="talk", name="Group 1", members=["Ana", "Ben"]),
        Group(item="talk", name="Group 2", members=["Cy"]),
        Group(item="talk", name="Group 3", members=["Di", "Ed"]),
    ]
    moved = move_member(groups, "Cy", "Group 3", avoid=set())
    assert [(g.name, g.members) for g in moved] == [
        ("Group 1", ["Ana", "Ben"]),
        ("Group 3", ["Di", "Ed", "Cy"]),
    ]
    # A group of one is allowed by hand; the screen warns about it.
    alone = move_member(moved, "Ana", "Group 3", avoid=set())
    assert [g.members for g in alone] == [["Ben"], ["Di", "Ed", "Cy", "Ana"]]
    assert groups[1].members == ["Cy"]
    assert move_member(groups, "Ana", "Group 1", avoid=set()) == groups


def test_move_member_refuses_exclusions_and_unknown_groups() -> None:
    groups = [
        Group(item="talk", name="Group 1", members=["Ana", "Ben"]),
        Group(item="talk", name="Group 2", members=["Cy", "Di"]),
    ]
    with pytest.raises(GroupingError, match="'Ana' must be kept apart from Di"):
        move_member(groups, "Ana", "Group 2", avoid={frozenset(("Ana", "Di"))})
    with pytest.raises(GroupingError, match="no group called 'Group 9'"):
        move_member(groups, "Ana", "Group 9", avoid=set())


def test_replace_groups_touches_only_that_item() -> None:
    old = [
        Group(item="pairs", name="Group 1", members=["Ana", "Ben"]),
        Group(item="talk", name="Group 1", members=["Ana", "Ben", "Cy"]),
        Group(item="talk", name="Group 2", members=["Di", "Ed"]),
        Group(item="sixes", name="Group 1", members=["Ana"]),
    ]
    session = make_session(["Ana", "Ben", "Cy", "Di", "Ed"], groups=old)
    new = [Group(item="talk", name="Group 1", members=["Ana", "Di"], seed=3)]

    changed = replace_groups(session, "talk", new)

    assert changed.groups == [old[0], new[0], old[3]]
    assert session.groups == old
    assert changed.model_copy(update={"groups": old}) == session
    with pytest.raises(GroupingError, match="belong to another item"):
        replace_groups(session, "pairs", new)
    with pytest.raises(GroupingError, match="plenary"):
        replace_groups(session, "welcome", [])
