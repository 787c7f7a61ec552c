"""The plan editor: a session's fields and agenda items, edited by keyboard and saved as typed.

Opened by `sessiontui edit FILE`, and by `e` from home and the run screen. Three tabs: the
agenda (the items with their computed times, and the selected item's form), the session's
own fields, and its people and series. The warnings line under them is always in view.

Every valid change updates the screen from memory at once (times and warnings are
`schedule.planned` and `schedule.plan_issues` of the new version), goes on the undo history
and is handed to `SaveStatus`, which saves it in a worker through the session-file service
and merges in what others (a note-taker) saved meanwhile. A field that does not check stays
as typed with its message under it, and nothing is saved until it is fixed; the status line
says so. Undo and redo restore only the plan's fields, so they never take back others' notes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, TabbedContent, TabPane

from sessiontui.core import plan_edit
from sessiontui.display import safe_line, user_line
from sessiontui.tui.editing import EditingScreen
from sessiontui.tui.saving_soon import SavingSoonScreen
from sessiontui.tui.widgets.footer import SettledFooter
from sessiontui.tui.widgets.plan_item_form import ItemForm
from sessiontui.tui.widgets.plan_items import (
    PlanItemsHeader,
    PlanItemsTable,
    PlanStatus,
    PlanWarnings,
    plan_rows,
)
from sessiontui.tui.widgets.plan_keys import PLAN_KEYS
from sessiontui.tui.widgets.plan_session_form import (
    FieldsEdited,
    FieldsInvalid,
    PeopleForm,
    SessionForm,
)

if TYPE_CHECKING:
    from sessiontui.core.model import AgendaItem, Session


class PlanEditorScreen(SavingSoonScreen):
    """Edit a session's plan: its fields and its items, with times and warnings as you type."""

    CSS_PATH = "plan.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (Textual declares it)
    """Under 100 columns the item's form goes under the list instead of beside it."""
    BINDINGS: ClassVar[list[BindingType]] = list(PLAN_KEYS)

    def __init__(self, path: Path, clock: Callable[[], datetime]) -> None:
        super().__init__(path, clock)
        self.history = plan_edit.History()
        self.invalid: dict[str, dict[str, str]] = {}
        """Per form, the fields that do not check (kept as typed, not saved)."""
        self._renamed: dict[str, str] = {}
        """Old id to new, for a new item whose id followed its title as it was typed."""

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="plan-tabs", initial="agenda"):
            with TabPane("Agenda (F2)", id="agenda"), Horizontal(id="agenda-row"):
                with Vertical(id="plan-list"):
                    yield PlanItemsHeader(id="plan-items-header")
                    yield PlanItemsTable(id="plan-items")
                yield ItemForm(id="item-form")
            # Their forms are mounted when first shown: opening a plan waits for the agenda only.
            yield TabPane("Session (F3)", id="session")
            yield TabPane("People and series (F4)", id="people")
        yield PlanWarnings(id="plan-warnings")
        yield PlanStatus(f"Opening {safe_line(self.path.name)}…", id="plan-status")
        yield self.saver
        yield SettledFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = safe_line(self.path.name)
        self.call_after_refresh(self._load)

    @on(EditingScreen.Failed)
    def _failed(self, message: EditingScreen.Failed) -> None:
        self.query_one(PlanStatus).update(user_line(self.failure_line(message)))
        hook = getattr(self.app, "session_load_failed", None)
        if callable(hook) and len(self.app.screen_stack) == 1:
            hook(list(message.problems))

    @on(EditingScreen.Loaded)
    def _loaded(self, message: EditingScreen.Loaded) -> None:
        self.session = message.session
        self.saver.after_merge = self._merged
        # A merge must start from this screen's newest version, not one still waiting.
        self.saver.before_merge = self.hand_to_saver
        self.saver.open(self.path, message.session)
        self.title = safe_line(message.session.title)
        self._show_plan(cursor=0)
        self._show_item(force=True)
        self.call_later(self._mount_form, self.query_one(TabbedContent).active)
        self._show_status()
        self.query_one(PlanItemsTable).focus()

    # ------------------------------------------------------------------ showing

    @property
    def selected(self) -> int | None:
        """The index of the item under the list's cursor, or None with no items."""
        if self.session is None or not self.session.agenda:
            return None
        row = self.query_one(PlanItemsTable).cursor_row
        return max(0, min(row, len(self.session.agenda) - 1))

    def _show_plan(self, cursor: int | None = None) -> None:
        """Recompute every item's times and the warnings, and show what changed."""
        from sessiontui.core import schedule

        session = self.session
        if session is None:
            return
        planned = schedule.planned(session)
        issues = schedule.plan_issues(session)
        table = self.query_one(PlanItemsTable)
        table.show([item.id for item in session.agenda], plan_rows(planned, issues), cursor)
        self.query_one(PlanWarnings).show(issues, len(session.agenda))

    def _show_item(self, *, force: bool = False) -> None:
        """Fill the item form from the selected item when it is another item (or `force`).

        Not after the form's own edits: keys typed since are still on their way, and filling
        the form again would take them back.
        """
        form = self.query_one(ItemForm)
        index = self.selected
        item = None if index is None or self.session is None else self.session.agenda[index]
        if force or item is None or form.item is None or item.id != form.item.id:
            # Old ids of the item shown until now: an id may be given to a new item again.
            self._renamed.clear()
            form.show_item(item)
            self.invalid.pop("item-form", None)
            self._show_status()

    def _show_forms(self, session: Session) -> None:
        for form in [*self.query(SessionForm), *self.query(PeopleForm)]:
            form.show_session(session)
        self.invalid.pop("session-form", None)
        self.invalid.pop("people-form", None)

    def take_typing(self) -> None:
        """Put what the forms show into the session now: their messages may still be on the way.

        Quitting or a signal can come right behind a key whose edit has not reached the screen.
        """
        item = self.query_one(ItemForm).checked()
        if item is not None:
            self._apply_item(item, "typing")
        for form in [*self.query(SessionForm), *self.query(PeopleForm)]:
            values, errors = form.values()
            session = self.session
            if errors or session is None:
                continue
            changes = {name: v for name, v in values.items() if getattr(session, name) != v}
            if changes:
                self.change(session.model_copy(update=changes), from_form=True)

    def unsaved_fields(self) -> list[str]:
        fields = [name.replace("_", " ") for errors in self.invalid.values() for name in errors]
        return [f"{', '.join(fields)} in the plan editor"] if fields else []

    def _show_status(self, note: str | None = None) -> None:
        fields = [name.replace("_", " ") for errors in self.invalid.values() for name in errors]
        self.query_one(PlanStatus).show(fields, note)

    # ------------------------------------------------------------------ changing

    def change(
        self,
        session: Session,
        key: object = None,
        cursor: int | None = None,
        *,
        from_form: bool = False,
    ) -> None:
        """Make this the session: on the undo history, on screen at once, saved in a worker."""
        if self.session is None:
            return
        self.history.record(self.session, key)
        self.session = session
        self.save_soon()
        self._show_plan(cursor)
        self._show_item(force=not from_form)
        self._show_status()

    def _merged(self, session: Session, conflicts: tuple[str, ...]) -> None:
        """Another screen's save came in: show it; forms change only if their fields did."""
        before, self.session = self.session, session
        if before is None or any(
            getattr(before, name) != getattr(session, name) for name in plan_edit.PLAN_FIELDS
        ):
            index = self.selected
            self._show_forms(session)
            self._show_plan()
            # The item form only if the merge changed its item: typing may be on its way.
            was = plan_edit.item_at(before, index)
            self._show_item(force=was is None or plan_edit.item_at(session, index) != was)
        for conflict in conflicts:
            self.notify(safe_line(conflict), severity="warning", markup=False)

    @on(ItemForm.Edited)
    def _item_edited(self, message: ItemForm.Edited) -> None:
        self._apply_item(message.item, message.field)

    def _apply_item(self, edited: AgendaItem, field: str) -> None:
        """Put the form's valid item into the session, by its id (or the id it had)."""
        session = self.session
        if session is None:
            return
        item_id = edited.id
        while item_id in self._renamed:
            item_id = self._renamed[item_id]
        index = next((i for i, it in enumerate(session.agenda) if it.id == item_id), None)
        if index is None:
            return
        self.invalid.pop("item-form", None)
        item = plan_edit.id_following_title(
            session, index, edited.model_copy(update={"id": item_id})
        )
        if item == session.agenda[index]:
            return  # already in (saving took it from the form before this message came)
        if item.id != item_id:
            # Edits already on their way carry the old id: they find the item through this.
            self._renamed[item_id] = item.id
            self._renamed.pop(item.id, None)  # back to an earlier title: no loop
            self.query_one(ItemForm).adopt_id(item_id, item.id)
        self.change(
            plan_edit.replace_item(session, index, item),
            # By position: a new item's id changes with each letter of its title.
            key=("item", index, field),
            from_form=True,
        )

    @on(ItemForm.Invalid)
    def _item_invalid(self, message: ItemForm.Invalid) -> None:
        self.invalid["item-form"] = message.errors
        self._show_status()

    @on(FieldsEdited)
    def _fields_edited(self, message: FieldsEdited) -> None:
        if self.session is not None:
            self.change(
                self.session.model_copy(update=message.changes), key=("session", message.field)
            )

    @on(FieldsInvalid)
    def _fields_invalid(self, message: FieldsInvalid) -> None:
        if message.errors:
            self.invalid[message.form] = message.errors
        else:
            self.invalid.pop(message.form, None)
        self._show_status()

    @on(PlanItemsTable.Highlighted)
    def _row_highlighted(self) -> None:
        self._show_item()

    @on(PlanItemsTable.Selected)
    def _row_selected(self) -> None:
        self.action_edit_item()

    def action_list(self, move: str, by: int) -> None:
        """Move the list's cursor (a line or a page), in key order with Enter."""
        table = self.query_one(PlanItemsTable)
        moves = {"page": table.action_page, "jump": table.action_jump}
        moves.get(move, table.action_cursor)(by)
        self._show_item()  # now, not when the list's message arrives: typing may follow

    def action_edit_item(self) -> None:
        """Put the cursor in the selected item's title."""
        self.set_focus(self.query_one("#item-title", Input))  # now: typing follows

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"duplicate_item", "delete_item", "move_up", "move_down"}:
            return self.selected is not None
        if action == "list":
            return self.query_one(PlanItemsTable).has_focus
        if action == "edit_item":
            # Only in the list: elsewhere Enter belongs to the field (a new line, a choice).
            return self.query_one(PlanItemsTable).has_focus and self.selected is not None
        if action == "leave":
            return len(self.app.screen_stack) > 1 or not self.query_one(PlanItemsTable).has_focus
        return super().check_action(action, parameters)

    def action_add_item(self) -> None:
        """Add a ten-minute item after the selected one and put the cursor in its title."""
        if self.session is None:
            return
        self.query_one(TabbedContent).active = "agenda"
        index = -1 if self.selected is None else self.selected
        item = plan_edit.new_item(self.session)
        self.change(plan_edit.insert_item(self.session, index + 1, item), cursor=index + 1)
        self.set_focus(self.query_one("#item-title", Input))  # now: typing follows

    def action_duplicate_item(self) -> None:
        """Copy the selected item right after it."""
        if self.session is not None and (index := self.selected) is not None:
            self.change(plan_edit.duplicate_item(self.session, index), cursor=index + 1)

    def action_delete_item(self) -> None:
        """Delete the selected item (refused when notes were taken for it)."""
        if self.session is None or (index := self.selected) is None:
            return
        try:
            session = plan_edit.delete_item(self.session, index)
        except plan_edit.PlanEditError as error:
            self.notify(safe_line(str(error)), severity="warning", markup=False)
            return
        title = self.session.agenda[index].title
        self.change(session, cursor=max(0, min(index, len(session.agenda) - 1)))
        self._show_status(f"Deleted {title}; ctrl+z brings it back.")

    def _move(self, by: int) -> None:
        if self.session is None or (index := self.selected) is None:
            return
        target = max(0, min(index + by, len(self.session.agenda) - 1))
        if target != index:
            self.change(plan_edit.move_item(self.session, index, by), cursor=target)

    def action_move_up(self) -> None:
        """Move the selected item one place earlier."""
        self._move(-1)

    def action_move_down(self) -> None:
        """Move the selected item one place later."""
        self._move(1)

    def _restore(self, undo: bool) -> None:
        current = self.session
        if current is None:
            return
        restored = self.history.undo(current) if undo else self.history.redo(current)
        if restored is None:
            self._show_status("Nothing to undo." if undo else "Nothing to redo.")
            return
        try:
            session = plan_edit.with_plan(current, restored)
        except plan_edit.PlanEditError as error:
            self.history.put_back(restored, undone=undo)
            self.notify(safe_line(str(error)), severity="warning", markup=False)
            return
        self.session = session
        self.save_soon()
        self._show_forms(session)
        self._show_plan()
        self._show_item(force=True)
        self._show_status("Undone." if undo else "Redone.")

    def action_undo(self) -> None:
        """Take back the last change to the plan."""
        self._restore(undo=True)

    def action_redo(self) -> None:
        """Do again the last change undo took back."""
        self._restore(undo=False)

    async def _mount_form(self, tab: str) -> None:
        """Mount the session or people form the first time its tab is shown."""
        if tab not in ("session", "people") or self.session is None:
            return
        pane = self.query_one(f"#{tab}", TabPane)
        if pane.children:
            return
        form = SessionForm(id="session-form") if tab == "session" else PeopleForm(id="people-form")
        await pane.mount(form)
        form.show_session(self.session)

    @on(TabbedContent.TabActivated)
    async def _tab_shown(self, message: TabbedContent.TabActivated) -> None:
        await self._mount_form(message.pane.id or "")

    async def action_tab(self, tab: str) -> None:
        """Show one of the tabs (agenda, session, people), its first field focused."""
        self.query_one(TabbedContent).active = tab
        await self._mount_form(tab)
        first = {"agenda": "#plan-items", "session": "#session-form-title"}
        target = self.query_one(first.get(tab, "#people-form-participants"))
        # The first field is at the top: no scrolling, which raced the new form's first layout.
        self.call_after_refresh(self.set_focus, target, scroll_visible=False)

    def action_leave(self) -> None:
        """From a field, back to the item list; from the list, back to the screen before."""
        table = self.query_one(PlanItemsTable)
        if not table.has_focus:
            self.query_one(TabbedContent).active = "agenda"
            self.set_focus(table)
            return
        super().action_leave()

    def action_help(self) -> None:
        """Show every key of this screen."""
        from sessiontui.tui.dialogs.help import HelpScreen, binding_rows

        rows = binding_rows(self, Binding.make_bindings(self.BINDINGS))
        self.app.push_screen(HelpScreen("Keys of the plan editor", rows))
