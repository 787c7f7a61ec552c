"""The facilitator's groups for one pairing or breakout item: who is here, the draw, hand moves.

Ticking someone in "Who is here" marks them present; once the item has groups, a latecomer
joins the smallest group they may. `d` draws (asking first when groups exist, as a redraw
moves people while notes stay with the group names) and `m` moves the highlighted person to
the next group. Every change is saved at once and merged with other screens' saves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from sessiontui.core import grouping
from sessiontui.display import safe_line, user_line
from sessiontui.tui.editing import EditingScreen
from sessiontui.tui.widgets.footer import SettledFooter
from sessiontui.tui.widgets.groups import GroupsView, draw_line, lonely_line
from sessiontui.tui.widgets.saving import SaveStatus

if TYPE_CHECKING:
    from sessiontui.core.model import Group, Session


def _key(keys: str, action: str, description: str, tooltip: str) -> Binding:
    """A groups screen binding; its id "groups.<action>" is what the settings' keymap names."""
    return Binding(keys, action, description, tooltip=tooltip, id=f"groups.{action}")


class GroupsScreen(EditingScreen):
    """One item's groups: mark who is here, draw, place latecomers and move people by hand."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _key("d", "draw", "Draw", "Draw the groups from the people here (asks before a redraw)"),
        _key("m", "move", "Move", "Move the highlighted person to the next group"),
        _key("escape", "leave", "Back", "Back to the screen before, once saved"),
    ]

    class PastFound(Message):
        """The worker gathered who was grouped together in earlier sessions of the series."""

        def __init__(self, pairs: frozenset[frozenset[str]]) -> None:
            super().__init__()
            self.pairs = pairs

    def __init__(
        self, path: Path, clock: Callable[[], datetime], *, item: str | None = None
    ) -> None:
        super().__init__(path, clock)
        self.item_id = item
        self.past: frozenset[frozenset[str]] | None = None
        """Pairs grouped in earlier sessions of the series; None until the folder is read."""
        self._draw_waiting = False
        self._people_shown: object = None
        self._items_shown: object = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Select[str]([], prompt="Item", allow_blank=True, id="item", compact=True)
        yield Static(f"Opening {safe_line(self.path.name)}…", id="draw", markup=False)
        yield Static(id="groups-problem", markup=False)
        yield self.saver
        with Horizontal(id="body"):
            yield SelectionList[int](id="present")
            with VerticalScroll(id="groups-box"):
                yield GroupsView(id="groups")
        yield Static(id="lonely", markup=False)
        yield SettledFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Groups"
        self.query_one("#present", SelectionList).border_title = "Who is here"
        self.query_one("#groups-box").border_title = "Groups"
        self.query_one("#groups-problem").display = False
        self.query_one("#lonely").display = False
        self._load()

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="past", exit_on_error=False)
    def _gather_past(self, series: str | None, before: date) -> None:
        from sessiontui import session_file

        pairs: frozenset[frozenset[str]] = frozenset()
        try:
            listings = session_file.scan(self.path.parent)
            sessions = [listing.session for listing in listings if listing.session is not None]
            pairs = grouping.past_pairs(sessions, series, before)
        except Exception:
            # Earlier pairings only make the draw better; an unreadable folder must not stop it.
            pass
        self.post_message(self.PastFound(pairs))

    @on(EditingScreen.Failed)
    def _failed(self, message: EditingScreen.Failed) -> None:
        self._problem(self.failure_line(message))
        self.query_one("#draw", Static).update("")

    @on(EditingScreen.Loaded)
    def _loaded(self, message: EditingScreen.Loaded) -> None:
        session = message.session
        self.session = session
        self.saver.open(self.path, session)
        self.sub_title = safe_line(session.title)
        # The live agenda: an item inserted during the run has groups too.
        ids = [item.id for item in grouping.grouped_items(session)]
        if self.item_id not in ids:
            self.item_id = ids[0] if ids else None
        if not ids:
            self._problem("This session has no pairing or breakout items to make groups for")
        self._show_all()
        self._gather_past(session.series, session.date)
        self.query_one("#present", SelectionList).focus()

    @on(PastFound)
    def _past_found(self, message: PastFound) -> None:
        self.past = message.pairs
        self._show_groups()
        if self._draw_waiting:
            self._draw_waiting = False
            self.action_draw()

    # ------------------------------------------------------------------ showing

    def _show_all(self) -> None:
        self._show_items()
        self._show_people()
        self._show_groups()

    def _show_items(self) -> None:
        """Fill the item picker, only when what it offers changed, so a merge keeps it still."""
        session = self.session
        if session is None:
            return
        items = grouping.grouped_items(session)
        key = ([(item.id, item.title) for item in items], self.item_id)
        if key == self._items_shown:
            return
        self._items_shown = key
        with self.prevent(Select.Changed):
            picker = self.query_one("#item", Select)
            picker.set_options([(user_line(item.title), item.id) for item in items])
            if self.item_id is not None:
                picker.value = self.item_id

    def _show_people(self) -> None:
        """Fill "Who is here" from the roster, keeping the highlight where it was."""
        session = self.session
        if session is None:
            return
        people = session.participants
        key = [(person.name, person.absent) for person in people]
        if key != self._people_shown:
            self._people_shown = key
            roster = self.query_one("#present", SelectionList)
            highlighted = roster.highlighted
            roster.clear_options()
            # Values are roster positions: two people may share a name in a hand-edited file.
            roster.add_options(
                Selection(user_line(person.name), index, not person.absent)
                for index, person in enumerate(people)
            )
            if people:
                # Someone is always highlighted, so `m` has a person to move from the start.
                roster.highlighted = min(highlighted or 0, len(people) - 1)
        here = sum(not person.absent for person in people)
        self.query_one("#present").border_title = f"Who is here ({here} of {len(people)})"

    def _show_groups(self) -> None:
        session, item_id = self.session, self.item_id
        if session is None or item_id is None:
            return
        groups = grouping.groups_for(session, item_id)
        here = set(grouping.present_names(session))
        placed = {member for group in groups for member in group.members}
        unplaced = [name for name in grouping.present_names(session) if name not in placed]
        self.query_one("#groups", GroupsView).show(groups, here, unplaced)
        repeats = len(grouping.repeated_pairs(groups, self.past or frozenset()))
        self.query_one("#draw", Static).update(
            draw_line(groups, self.past, repeats, series=session.series is not None)
        )
        warning = lonely_line(groups, here)
        lonely = self.query_one("#lonely", Static)
        lonely.display = warning is not None
        lonely.update(warning or "")

    def _problem(self, text: str | None) -> None:
        widget = self.query_one("#groups-problem", Static)
        widget.display = text is not None
        if text is not None:
            widget.update(user_line(text))

    @on(Select.Changed, "#item")
    def _item_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.item_id:
            self.item_id = event.value
            self._problem(None)
            self._show_all()

    # ------------------------------------------------------------------ changing

    def _keep(self, session: Session) -> None:
        """Show this version and save it at once, off the UI thread."""
        self.session = session
        self.saver.submit(session)
        self._show_all()

    @on(SelectionList.SelectionToggled, "#present")
    def _toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        session = self.session
        if session is None:
            return
        index = event.selection.value
        here = index in event.selection_list.selected
        person = session.participants[index]
        participants = list(session.participants)
        participants[index] = person.model_copy(update={"absent": not here})
        updated = session.model_copy(update={"participants": participants})
        self._problem(None)
        groups = grouping.groups_for(updated, self.item_id) if self.item_id else []
        if here and groups and not any(person.name in group.members for group in groups):
            updated = self._place_latecomer(updated, groups, person.name)
        # Said to be shown, as the list already shows it: rebuilding would lose the highlight.
        self._people_shown = [(p.name, p.absent) for p in updated.participants]
        self._keep(updated)

    def _place_latecomer(self, session: Session, groups: list[Group], name: str) -> Session:
        """The session with a latecomer in the smallest group they may join, or as it was."""
        assert self.item_id is not None
        try:
            placed = grouping.add_latecomer(
                groups, name, avoid=grouping.avoid_pairs(session.participants)
            )
        except grouping.GroupingError as error:
            self._problem(str(error))
            return session
        joined = next(group.name for group in placed if name in group.members)
        self.notify(safe_line(f"{name} joined {joined}"), markup=False)
        return grouping.replace_groups(session, self.item_id, placed)

    def action_draw(self) -> None:
        """Draw the groups, asking first if there are some, since a redraw moves people."""
        from sessiontui.tui.dialogs.confirm import ConfirmScreen

        session, item_id = self.session, self.item_id
        if session is None or item_id is None:
            return
        if self.past is None:
            # Drawn as soon as the earlier sessions are read, so repeats are still avoided.
            self._draw_waiting = True
            self.query_one("#draw", Static).update("Reading earlier sessions of the series…")
            return
        if not grouping.groups_for(session, item_id):
            self._draw()
            return
        question = Text("Draw new groups for “", end="")
        question.append_text(user_line(session.item(item_id).title))
        question.append(
            "”? Everyone may move to another group; notes stay with the group names"
            " (Group 1, Group 2, …), not with the people."
        )
        self.app.push_screen(ConfirmScreen(question, "draw again"), self._redraw_answered)

    def _redraw_answered(self, yes: bool | None) -> None:
        if yes:
            self._draw()

    def _draw(self) -> None:
        session, item_id = self.session, self.item_id
        if session is None or item_id is None:
            return
        try:
            drawn = grouping.draw_groups(session, item_id, past=self.past or frozenset())
            updated = grouping.replace_groups(session, item_id, drawn)
        except grouping.GroupingError as error:
            self._problem(str(error))
            return
        self._problem(None)
        self._keep(updated)

    def action_move(self) -> None:
        """Move the highlighted person to the next group that may take them, by hand."""
        session, item_id = self.session, self.item_id
        roster = self.query_one("#present", SelectionList)
        if session is None or item_id is None or roster.highlighted is None:
            return
        person = session.participants[roster.get_option_at_index(roster.highlighted).value]
        groups = grouping.groups_for(session, item_id)
        home = next((i for i, group in enumerate(groups) if person.name in group.members), None)
        if person.absent:
            self._problem(f"{person.name} is marked absent; tick them as here first")
            return
        if not groups or (home is not None and len(groups) == 1):
            self._problem("There is no other group to move them to; draw the groups first")
            return
        # The groups after theirs, wrapping round, so pressing again cycles through them all.
        targets = (
            groups
            if home is None
            else [groups[(home + k) % len(groups)] for k in range(1, len(groups))]
        )
        avoid = grouping.avoid_pairs(session.participants)
        refusal: grouping.GroupingError | None = None
        for target in targets:
            try:
                moved = grouping.move_member(groups, person.name, target.name, avoid=avoid)
            except grouping.GroupingError as error:
                # Kept apart from someone there: try the group after, and say why if none fits.
                refusal = refusal or error
                continue
            self._problem(None)
            self.notify(safe_line(f"{person.name} moved to {target.name}"), markup=False)
            self._keep(grouping.replace_groups(session, item_id, moved))
            return
        self._problem(str(refusal))

    # ------------------------------------------------------------------ merging and leaving

    @on(SaveStatus.Merged)
    def _merged(self, message: SaveStatus.Merged) -> None:
        self.session = message.session
        self._show_all()
        if message.conflicts:
            self.notify(safe_line(" ".join(message.conflicts)), severity="warning", markup=False)
