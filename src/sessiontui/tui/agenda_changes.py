"""The run screen's agenda keys: add, drop, move and resize items while the session runs.

`AgendaChangingScreen` sits between the controls (`ControlledScreen`) and the run screen. It
keeps the highlighted upcoming item (`selected`, moved with up and down, marked "›" in the
agenda) that drop, move and length act on, and logs each change as an event through the same
`_record` as every control: insert and move are their own kinds, a drop is a skip of a later
item, a new length a one-item replan (see `core.live_agenda`). The core's `change_problem`
words why a change would do nothing, and the screen says so instead of logging it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.reactive import var

from sessiontui.display import safe_line
from sessiontui.tui.opening import open_screen
from sessiontui.tui.run_controls import ControlledScreen

if TYPE_CHECKING:
    from sessiontui.core.schedule import ItemRun, RunState
    from sessiontui.tui.dialogs.agenda_change import NewItem

AGENDA = Binding.Group("Agenda", compact=True)

AGENDA_ACTIONS: Final = frozenset(
    {"insert", "drop", "move_up", "move_down", "resize", "select_up", "select_down"}
)
"""Actions that change the agenda being run: off in the read-only summary and after the finish."""


def _key(keys: str, action: str, description: str, tooltip: str, *, show: bool = False) -> Binding:
    """A run screen binding with its "run.<action>" id, as the controls' are."""
    return Binding(
        keys, action, description, tooltip=tooltip, group=AGENDA, show=show, id=f"run.{action}"
    )


def upcoming(state: RunState) -> list[ItemRun]:
    """The items the agenda keys can act on: every item after the current one (all, before it)."""
    first = 0 if state.current is None else state.current + 1
    return [run for run in state.items[first:] if run.state in ("pending", "skipped")]


class AgendaChangingScreen(ControlledScreen):
    """The agenda-change keys of the run screen; the subclass shows the run."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _key("i", "insert", "Add", "Add an item to the agenda, after the current one", show=True),
        _key("x", "drop", "Drop", "Drop the highlighted upcoming item (asks first)"),
        _key("left_square_bracket,shift+up", "move_up", "Move up", "Move the highlighted item up"),
        _key(
            "right_square_bracket,shift+down",
            "move_down",
            "Move down",
            "Move the highlighted item down",
        ),
        _key("d", "resize", "Length", "Change the highlighted item's minutes"),
        _key("up", "select_up", "Highlight up", "Highlight the upcoming item above"),
        _key("down", "select_down", "Highlight down", "Highlight the upcoming item below"),
        Binding("e", "edit", "Edit", tooltip="Edit the plan", show=False, id="run.edit"),
    ]

    selected: var[str | None] = var(None, init=False)
    """The id of the highlighted upcoming item, or None for the next one."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in AGENDA_ACTIONS:
            state = self.state
            if self.locked is not None:
                return False
            if state is None or state.status == "finished":
                return None
            return True if action == "insert" or upcoming(state) else None
        if action == "edit":
            return self.session is not None
        return super().check_action(action, parameters)

    def highlighted(self) -> ItemRun | None:
        """The upcoming item the keys act on: the selected one while it is still to come."""
        if self.state is None:
            return None
        rows = upcoming(self.state)
        chosen = next((run for run in rows if run.item.id == self.selected), None)
        return chosen or (rows[0] if rows else None)

    def watch_selected(self) -> None:
        self.tick()

    def _select(self, step: int) -> None:
        state, chosen = self.state, self.highlighted()
        if state is None or chosen is None:
            return
        rows = upcoming(state)
        index = rows.index(chosen) + step
        self.selected = rows[max(0, min(index, len(rows) - 1))].item.id

    def action_select_up(self) -> None:
        """Highlight the upcoming item above."""
        if self._can("select_up"):
            self._select(-1)

    def action_select_down(self) -> None:
        """Highlight the upcoming item below."""
        if self._can("select_down"):
            self._select(+1)

    def _change(self, kind: str, **fields: Any) -> bool:
        """Log one agenda change, or say why the run would ignore it; True when logged."""
        from sessiontui.core.live_agenda import change_problem
        from sessiontui.core.model import Event

        session = self.session
        if session is None:
            return False
        problem = change_problem(session, Event(at=self.clock(), kind=kind, **fields))
        if problem is not None:
            self.notify(safe_line(problem), title="Agenda", severity="warning", markup=False)
            return False
        self._record(kind, **fields)
        return True

    def action_insert(self) -> None:
        """Ask for a new item (title, kind, minutes, place) and add it to the agenda."""
        state = self.state
        if state is None or not self._can("insert"):
            return
        from sessiontui.tui.dialogs.agenda_change import InsertItemScreen

        places: list[tuple[str, str | None]] = []
        if state.current is not None:
            places.append((f"After {state.items[state.current].item.title} (now)", None))
        else:
            places.append(("First", None))
        places += [(f"After {run.item.title}", run.item.id) for run in upcoming(state)]
        self.app.push_screen(InsertItemScreen(places, None), self._inserted)

    def _inserted(self, typed: NewItem | None) -> None:
        session = self.session
        if typed is None or session is None or not self._can("insert"):
            return
        from sessiontui.core.live_agenda import new_item_id
        from sessiontui.core.model import AgendaItem

        item = AgendaItem(
            id=new_item_id(session, typed.title),
            title=typed.title,
            kind=typed.kind,
            minutes=typed.minutes,
        )
        if self._change("insert", new_item=item, after=typed.after):
            self.selected = item.id

    def action_drop(self) -> None:
        """Drop the highlighted upcoming item, once confirmed (a skip of a later item)."""
        chosen = self.highlighted()
        if chosen is None or not self._can("drop"):
            return
        item_id = chosen.item.id

        def answered(confirmed: bool | None) -> None:
            if confirmed and self._can("drop"):
                self._change("skip", item=item_id)

        from sessiontui.tui.dialogs.confirm import ConfirmScreen

        question = Text("Drop ", style="bold", end="")
        question.append_text(Text(safe_line(chosen.item.title), style="bold"))
        question.append(" from the agenda?", style="bold")
        self.app.push_screen(ConfirmScreen(question, "drop"), answered)

    def _move(self, step: int) -> None:
        state, chosen = self.state, self.highlighted()
        if state is None or chosen is None:
            return
        from sessiontui.core.live_agenda import move_target

        ids = [run.item.id for run in state.items]
        first = 0 if state.current is None else state.current + 1
        try:
            after = move_target(ids, first, chosen.index, step)
        except ValueError as reason:
            self.notify(f"{safe_line(chosen.item.title)} is {reason}.", markup=False)
            return
        if self._change("move", item=chosen.item.id, after=after):
            self.selected = chosen.item.id

    def action_move_up(self) -> None:
        """Move the highlighted upcoming item one place earlier."""
        if self._can("move_up"):
            self._move(-1)

    def action_move_down(self) -> None:
        """Move the highlighted upcoming item one place later."""
        if self._can("move_down"):
            self._move(+1)

    def action_resize(self) -> None:
        """Ask for the highlighted item's new minutes and set them (a one-item replan)."""
        chosen = self.highlighted()
        if chosen is None or not self._can("resize"):
            return
        from sessiontui.tui.dialogs.agenda_change import MinutesScreen
        from sessiontui.tui.widgets.agenda import minutes_of

        item_id = chosen.item.id

        def answered(minutes: int | None) -> None:
            if minutes is not None and self._can("resize"):
                self._change("replan", plan={item_id: minutes})

        self.app.push_screen(MinutesScreen(chosen.item.title, minutes_of(chosen.budget)), answered)

    def action_edit(self) -> None:
        """Open the plan editor on this file, once everything is saved."""
        if self.session is not None:
            self.saver.flush()
            open_screen(self, "edit", self.path)
