"""The facilitator's groups screen, through Textual's Pilot, at the smallest supported size.

Each test opens the app on the run screen (as the facilitator would) and pushes the groups
screen over it; what matters is checked in the saved file as well as on the screen.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, SelectionList, Static

from pilot_helpers import START, FakeClock, settle
from sessiontui import session_file
from sessiontui.core import grouping
from sessiontui.core.model import AgendaItem, Event, Group, Participant, Session
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import SessionApp, make_app
from sessiontui.tui.dialogs.confirm import ConfirmScreen
from sessiontui.tui.screens.groups import GroupsScreen
from sessiontui.tui.widgets.groups import GroupsView

ITEM = "coffee-trial"


@pytest.fixture
def workshop(tmp_path: Path, example_path: Path) -> Path:
    """A copy of the reference workshop, alone in its own sessions folder."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    return Path(shutil.copy(example_path, folder / "workshop.toml"))


def edit(path: Path, **changes: object) -> Session:
    session = session_file.load(path).session.model_copy(update=changes, deep=True)
    session_file.save(path, session)
    return session


def people(*names: str, absent: tuple[str, ...] = ()) -> list[Participant]:
    return [Participant(name=name, absent=name in absent) for name in names]


def saved_groups(path: Path, item: str = ITEM) -> list[Group]:
    return grouping.groups_for(session_file.load(path).session, item)


def members(groups: list[Group]) -> list[list[str]]:
    return [list(group.members) for group in groups]


@asynccontextmanager
async def groups_app(
    path: Path, *, item: str | None = ITEM
) -> AsyncIterator[tuple[SessionApp, Pilot[None], GroupsScreen]]:
    clock = FakeClock(START)
    app = make_app(session_path=path, folder=path.parent, clock=clock, config=UserConfig())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        screen = GroupsScreen(path, clock, item=item)
        await app.push_screen(screen)
        await settle(pilot)
        yield app, pilot, screen


def shown(screen: GroupsScreen, selector: str) -> str:
    widget = screen.query_one(selector)
    assert isinstance(widget, Static | GroupsView)
    return str(widget.render())


async def highlight(pilot: Pilot[None], screen: GroupsScreen, name: str) -> None:
    roster: SelectionList[int] = screen.query_one("#present", SelectionList)
    assert screen.session is not None
    roster.focus()
    roster.highlighted = [p.name for p in screen.session.participants].index(name)
    await pilot.pause()


async def test_draw_places_everyone_present_once_with_the_seed(workshop: Path) -> None:
    roster = session_file.load(workshop).session.participants
    edit(
        workshop,
        participants=[p.model_copy(update={"absent": p.name == "Ben Clarke"}) for p in roster],
    )
    async with groups_app(workshop) as (_, pilot, screen):
        assert "No groups drawn yet" in shown(screen, "#groups")
        await pilot.press("d")
        await settle(pilot)
        groups = saved_groups(workshop)
        assert "Group 1: " in shown(screen, "#groups")
        assert f"Seed {groups[0].seed}" in shown(screen, "#draw")
    placed = [name for group in groups for name in group.members]
    assert sorted(placed) == sorted(p.name for p in roster if p.name != "Ben Clarke")
    assert "Ben Clarke" not in placed
    assert {group.seed for group in groups} == {groups[0].seed}
    assert groups[0].seed is not None
    assert [group.name for group in groups] == [f"Group {n}" for n in range(1, 7)]


async def test_a_latecomer_joins_the_smallest_group_and_nobody_moves(workshop: Path) -> None:
    names = ("Ana", "Ben", "Cy", "Di", "Eve", "Fay")
    edit(
        workshop,
        participants=people(*names, absent=("Fay",)),
        groups=[
            Group(item=ITEM, name="Group 1", members=["Ana", "Ben", "Cy"], seed=7),
            Group(item=ITEM, name="Group 2", members=["Di", "Eve"], seed=7),
        ],
    )
    async with groups_app(workshop) as (app, pilot, screen):
        await highlight(pilot, screen, "Fay")
        await pilot.press("space")
        await settle(pilot)
        assert "Group 2: Di, Eve, Fay" in shown(screen, "#groups")
        assert any("Fay joined Group 2" in n.message for n in app._notifications)
    session = session_file.load(workshop).session
    assert members(grouping.groups_for(session, ITEM)) == [
        ["Ana", "Ben", "Cy"],
        ["Di", "Eve", "Fay"],
    ]
    assert not session.participants[-1].absent


async def test_a_latecomer_kept_apart_from_everyone_stays_unplaced_and_says_why(
    workshop: Path,
) -> None:
    roster = people("Ana", "Ben", "Cy", "Di", "Eve", absent=("Eve",))
    roster[-1] = roster[-1].model_copy(update={"avoid": ["Ana", "Cy"]})
    edit(
        workshop,
        participants=roster,
        groups=[
            Group(item=ITEM, name="Group 1", members=["Ana", "Ben"]),
            Group(item=ITEM, name="Group 2", members=["Cy", "Di"]),
        ],
    )
    async with groups_app(workshop) as (_, pilot, screen):
        await highlight(pilot, screen, "Eve")
        await pilot.press("space")
        await settle(pilot)
        problem = screen.query_one("#groups-problem", Static)
        assert problem.display
        assert "cannot join any group" in str(problem.render())
        assert "Not in a group: Eve" in shown(screen, "#groups")
    session = session_file.load(workshop).session
    assert not session.participants[-1].absent  # here, just not placed
    assert members(grouping.groups_for(session, ITEM)) == [["Ana", "Ben"], ["Cy", "Di"]]


async def test_marking_someone_absent_keeps_the_groups_and_warns_of_a_group_of_one(
    workshop: Path,
) -> None:
    edit(
        workshop,
        participants=people("Ana", "Ben", "Cy", "Di"),
        groups=[
            Group(item=ITEM, name="Group 1", members=["Ana", "Ben"]),
            Group(item=ITEM, name="Group 2", members=["Cy", "Di"]),
        ],
    )
    async with groups_app(workshop) as (_, pilot, screen):
        await highlight(pilot, screen, "Ben")
        await pilot.press("space")
        await settle(pilot)
        assert "Ben (absent)" in shown(screen, "#groups")
        assert "Group 1 has only Ana" in shown(screen, "#lonely")
    assert session_file.load(workshop).session.participants[1].absent
    assert members(saved_groups(workshop)) == [["Ana", "Ben"], ["Cy", "Di"]]


async def test_an_avoid_pair_is_never_together_however_often_drawn(workshop: Path) -> None:
    roster = people("Ana", "Ben", "Cy", "Di", "Eve", "Fay", "Gus")
    roster[0] = roster[0].model_copy(update={"avoid": ["Ben"]})
    roster[2] = roster[2].model_copy(update={"avoid": ["Di", "Eve"]})
    edit(workshop, participants=roster)
    apart = grouping.avoid_pairs(roster)
    async with groups_app(workshop) as (_, pilot, screen):
        for _ in range(8):
            await pilot.press("d")
            await settle(pilot)
            if isinstance(pilot.app.screen, ConfirmScreen):
                await pilot.press("y")
                await settle(pilot)
            assert isinstance(pilot.app.screen, GroupsScreen)
            drawn = saved_groups(workshop)
            assert not set(grouping.group_pairs(drawn)) & apart
        # A hand move skips the group they must be kept out of.
        groups = saved_groups(workshop)
        home = next(i for i, g in enumerate(groups) if "Ana" in g.members)
        await highlight(pilot, screen, "Ana")
        await pilot.press("m")
        await settle(pilot)
        moved = saved_groups(workshop)
        assert not any("Ana" in g.members for g in moved if g.name == groups[home].name)
        assert not set(grouping.group_pairs(moved)) & apart


async def test_m_moves_the_highlighted_person_to_the_next_group_and_saves(workshop: Path) -> None:
    edit(
        workshop,
        participants=people("Ana", "Ben", "Cy", "Di", "Eve"),
        groups=[
            Group(item=ITEM, name="Group 1", members=["Ana", "Ben"], seed=3),
            Group(item=ITEM, name="Group 2", members=["Cy", "Di", "Eve"], seed=3),
        ],
    )
    async with groups_app(workshop) as (_, pilot, screen):
        await highlight(pilot, screen, "Ana")
        await pilot.press("m")
        await settle(pilot)
        assert members(saved_groups(workshop)) == [["Ben"], ["Cy", "Di", "Eve", "Ana"]]
        lonely = screen.query_one("#lonely", Static)
        assert lonely.display
        assert "Group 1 has only Ben" in str(lonely.render())
        # Again: round to the first group.
        await pilot.press("m")
        await settle(pilot)
        assert members(saved_groups(workshop)) == [["Ben", "Ana"], ["Cy", "Di", "Eve"]]
        assert not screen.query_one("#lonely", Static).display


async def test_a_redraw_asks_first_and_cancel_keeps_the_groups(workshop: Path) -> None:
    before = [
        Group(item=ITEM, name="Group 1", members=["Ana", "Ben"], seed=5),
        Group(item=ITEM, name="Group 2", members=["Cy", "Di"], seed=5),
    ]
    edit(workshop, participants=people("Ana", "Ben", "Cy", "Di"), groups=before)
    async with groups_app(workshop) as (app, pilot, screen):
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "notes stay with the group names" in str(app.screen.query_one("#question").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert "Seed 5" in shown(screen, "#draw")
    assert saved_groups(workshop) == before


async def test_earlier_pairings_of_the_series_are_avoided_and_broken_files_skipped(
    workshop: Path,
) -> None:
    session = edit(workshop, participants=people("Ana", "Ben", "Cy", "Di"))
    earlier = session.model_copy(
        update={
            "date": session.date - dt.timedelta(days=30),
            "groups": [
                Group(item=ITEM, name="Group 1", members=["Ana", "Ben"]),
                Group(item=ITEM, name="Group 2", members=["Cy", "Di"]),
            ],
        }
    )
    session_file.save(workshop.with_name("earlier.toml"), earlier)
    workshop.with_name("broken.toml").write_text("title = [\n", encoding="utf-8")
    async with groups_app(workshop) as (_, pilot, screen):
        assert screen.past == frozenset({frozenset({"Ana", "Ben"}), frozenset({"Cy", "Di"})})
        await pilot.press("d")
        await settle(pilot)
        assert "no repeat pairings from earlier sessions" in shown(screen, "#draw")
    assert not set(grouping.group_pairs(saved_groups(workshop))) & screen.past


async def test_a_draw_before_the_earlier_sessions_are_read_waits_for_them(workshop: Path) -> None:
    edit(workshop, participants=people("Ana", "Ben", "Cy", "Di"))
    async with groups_app(workshop) as (_, pilot, screen):
        screen.past = None  # as if the folder were still being read
        await pilot.press("d")
        await settle(pilot)
        assert saved_groups(workshop) == []
        assert "Reading earlier sessions" in shown(screen, "#draw")
        screen.post_message(GroupsScreen.PastFound(frozenset({frozenset({"Ana", "Ben"})})))
        await settle(pilot)
    drawn = saved_groups(workshop)
    assert len(drawn) == 2
    assert frozenset({"Ana", "Ben"}) not in set(grouping.group_pairs(drawn))


async def test_hostile_names_show_literally_and_nothing_breaks(workshop: Path) -> None:
    hostile = ["[/]", "[@click=app.quit]x", "[bold]Ana", "Ben\x1b[31m"]
    edit(workshop, participants=people(*hostile))
    async with groups_app(workshop) as (app, pilot, screen):
        await pilot.press("d")
        await settle(pilot)
        groups_shown = shown(screen, "#groups")
        for name in ("[/]", "[@click=app.quit]x", "[bold]Ana", "Ben␛[31m"):
            assert name in groups_shown
        roster = screen.query_one("#present", SelectionList)
        prompts = [str(roster.get_option_at_index(i).prompt) for i in range(roster.option_count)]
        assert prompts[:3] == ["[/]", "[@click=app.quit]x", "[bold]Ana"]
        await highlight(pilot, screen, "[@click=app.quit]x")
        await pilot.press("m")
        await settle(pilot)
        assert app.is_running
        assert app.screen is screen
    placed = sorted(name for group in saved_groups(workshop) for name in group.members)
    assert placed == sorted(hostile)


async def test_escape_goes_back_once_saved(workshop: Path) -> None:
    edit(workshop, participants=people("Ana", "Ben", "Cy", "Di"))
    async with groups_app(workshop) as (app, pilot, screen):
        await pilot.press("d")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen
    assert len(saved_groups(workshop)) == 2


async def test_the_item_defaults_to_the_first_pairing_or_breakout(workshop: Path) -> None:
    async with groups_app(workshop, item="welcome-nonexistent") as (_, _, screen):
        assert screen.item_id == ITEM
        assert screen.query_one("#present").size.height >= 5
        assert screen.query_one("#groups-box").size.width >= 30


async def test_a_broken_file_is_said_on_screen(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("title = [\n", encoding="utf-8")
    async with groups_app(path) as (_, pilot, screen):
        problem = screen.query_one("#groups-problem", Static)
        assert problem.display
        assert "broken.toml" in str(problem.render())
        await pilot.press("d", "m")  # nothing loaded: nothing to do, nothing breaks
        await settle(pilot)


QUICK = "quick-pairs"


def with_inserted_pairing(path: Path) -> None:
    """Log an insert of a pairing item before the start, so it comes first, then the start."""
    new_item = AgendaItem(id=QUICK, title="Quick pairs", kind="pairing", minutes=10)
    edit(
        path,
        log=[
            Event(at=START - dt.timedelta(minutes=1), kind="insert", new_item=new_item),
            Event(at=START, kind="start"),
        ],
    )


async def test_an_item_inserted_live_is_offered_and_drawn_for(workshop: Path) -> None:
    with_inserted_pairing(workshop)
    async with groups_app(workshop, item=QUICK) as (_, pilot, screen):
        picker: Select[str] = screen.query_one("#item", Select)
        assert picker.value == QUICK
        offered = {value: str(prompt) for prompt, value in picker._options}
        assert offered[QUICK] == "Quick pairs"
        # In running order: the inserted item first, as it was put before the start.
        assert [value for value in offered if isinstance(value, str)][:2] == [QUICK, ITEM]
        assert "No groups drawn yet" in shown(screen, "#groups")
        await pilot.press("d")
        await settle(pilot)
        assert "Group 1: " in shown(screen, "#groups")
    drawn = saved_groups(workshop, QUICK)
    session = session_file.load(workshop).session
    assert sorted(name for group in drawn for name in group.members) == sorted(
        grouping.present_names(session)
    )
    assert saved_groups(workshop) == []  # the planned pairing item kept no groups


async def test_g_on_the_run_screen_opens_the_groups_of_an_inserted_item_being_run(
    workshop: Path,
) -> None:
    with_inserted_pairing(workshop)
    app = make_app(
        session_path=workshop, folder=workshop.parent, clock=FakeClock(START), config=UserConfig()
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GroupsScreen)
        assert screen.item_id == QUICK
        assert screen.query_one("#item", Select).value == QUICK
        await pilot.press("d")
        await settle(pilot)
    assert len(saved_groups(workshop, QUICK)) == 6
