"""The note-taker's screen: one group's notes for one item, saved as they are typed.

At the top, the item and group being noted (each a picker) and the room's current item with
its time left, small; below, the notes pane filling the rest, shaped by the item's template.
Typing only updates the pane; the text reaches the session (and the file) when
`notes.autosave_due` says: a second after typing stops, and at least every
`notes.AUTOSAVE_MAX` while it goes on. Leaving the screen, quitting and the signals the app
catches save first. Other screens' saves of the same file (the facilitator's run, other
note-takers) are merged in by `SaveStatus` and shown here within a second.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Header, Select, Static, TextArea

from sessiontui.display import safe_line, user_line
from sessiontui.tui.editing import EditingScreen
from sessiontui.tui.opening import open_screen
from sessiontui.tui.widgets.footer import SettledFooter
from sessiontui.tui.widgets.notes import NotesPane

if TYPE_CHECKING:
    from sessiontui.core.model import AgendaItem, Session

WHOLE_ROOM_LABEL = "Whole room"


def _key(keys: str, action: str, description: str, tooltip: str, *, show: bool = True) -> Binding:
    """A notes screen binding; its id "notes.<action>" is what the settings' keymap names."""
    return Binding(keys, action, description, tooltip=tooltip, show=show, id=f"notes.{action}")


class NotesScreen(EditingScreen):
    """Notes for one breakout group, with the item's template, saved as they are typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _key("f1", "help", "Help", "List every key of this screen"),
        _key("ctrl+s", "save", "Save", "Save now (typing is saved a second after it stops)"),
        _key("ctrl+g", "pick_group", "Group", "Choose the group whose notes these are"),
        _key("ctrl+t", "pick_item", "Item", "Choose the agenda item the notes belong to"),
        _key("ctrl+o", "commitments", "Commitments", "Note what each person will do next"),
        _key("ctrl+n", "follow", "Follow room", "Take notes for the item the room is on now"),
        _key("escape", "leave", "Back", "Back to the screen before, once saved"),
        # Priority, so focus moves before the keys typed right after Tab are handed out:
        # otherwise a quick "Tab, word" puts the start of the word in the area just left.
        Binding("tab", "app.focus_next", show=False, priority=True, id="notes.next_field"),
        Binding(
            "shift+tab", "app.focus_previous", show=False, priority=True, id="notes.prev_field"
        ),
    ]

    def __init__(
        self,
        path: Path,
        clock: Callable[[], datetime],
        *,
        item: str | None = None,
        group: str | None = None,
    ) -> None:
        super().__init__(path, clock)
        self.item_id = item
        self.group = group
        self.zone: tzinfo | None = None
        self.first_unsaved: datetime | None = None
        """When the typing not yet in the session began, or None when there is none."""
        self.last_typed: datetime | None = None
        self._autosave: Timer | None = None
        self._pane: NotesPane | None = None
        self._choices_drawn: object = None
        self._now_shown: Text | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pickers"):
            yield Select[str]([], prompt="Item", allow_blank=True, id="item", compact=True)
            yield Select[str]([], prompt="Group", allow_blank=True, id="group", compact=True)
        yield Static(f"Opening {safe_line(self.path.name)}…", id="now", markup=False)
        yield Static(id="members", markup=False)
        yield self.saver
        yield Static(id="conflict", markup=False)
        yield Static(id="notes-problems", markup=False)
        yield SettledFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = safe_line(self.path.name)
        self.query_one("#conflict").display = False
        self.query_one("#notes-problems").display = False
        self.call_after_refresh(self._load)

    @on(EditingScreen.Failed)
    def _failed(self, message: EditingScreen.Failed) -> None:
        widget = self.query_one("#notes-problems", Static)
        widget.display = True
        widget.update(user_line(self.failure_line(message)))
        self.query_one("#now", Static).update("")
        hook = getattr(self.app, "session_load_failed", None)
        if callable(hook) and len(self.app.screen_stack) == 1:
            hook(list(message.problems))

    @on(EditingScreen.Loaded)
    def _loaded(self, message: EditingScreen.Loaded) -> None:
        from sessiontui.core import schedule

        session = message.session
        self.session, self.zone = session, schedule.session_zone(session)
        self.saver.before_merge = self._before_merge
        self.saver.after_merge = self._after_merge
        self.saver.open(self.path, session)
        self.title = safe_line(session.title)
        if self.item_id is None or not any(i.id == self.item_id for i in _run_items(session)):
            self.item_id = self._room_item(session) if self.item_id is None else None
        self._show_choices()
        self._show_pane()
        self.tick()
        self.set_interval(1, self.tick, name="notes clock")

    def _room_item(self, session: Session) -> str | None:
        """The item the room is on, else the first item that takes group notes."""
        from sessiontui.core import schedule

        state = schedule.run_state(session, self.clock(), self.zone)
        if state.current is not None:
            return state.items[state.current].item.id
        items = _run_items(session)
        for item in items:
            if item.notes_template is not None:
                return item.id
        return items[0].id if items else None

    # ------------------------------------------------------------------ pickers

    def _show_choices(self) -> None:
        """Fill the item and group pickers from the session, when what they offer changed."""
        from sessiontui.core import notes

        session = self.session
        if session is None:
            return
        run_items = _run_items(session)
        items = [(user_line(item.title), item.id) for item in run_items]
        groups = notes.group_names(session, self.item_id) if self.item_id else []
        if self.group not in (None, notes.WHOLE_ROOM) and self.group not in groups:
            groups.append(self.group)  # a group named on the command line, not drawn yet
        key = ([item.id for item in run_items], groups, self.item_id, self.group)
        if key == self._choices_drawn:
            return
        self._choices_drawn = key
        with self.prevent(Select.Changed):
            item_picker = self.query_one("#item", Select)
            item_picker.set_options(items)
            if self.item_id is not None:
                item_picker.value = self.item_id
            group_picker = self.query_one("#group", Select)
            options = [(Text(WHOLE_ROOM_LABEL), notes.WHOLE_ROOM)]
            options += [(user_line(name), name) for name in groups]
            group_picker.set_options(options)
            if self.group is None:
                self.group = groups[0] if groups else notes.WHOLE_ROOM
            group_picker.value = self.group

    @on(Select.Changed, "#item")
    def _item_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.item_id:
            self.switch_to(event.value, None)

    @on(Select.Changed, "#group")
    def _group_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.group:
            self.switch_to(self.item_id, event.value)

    def switch_to(self, item_id: str | None, group: str | None) -> None:
        """Take notes for another item or group, after keeping what was typed."""
        self.save_typing()
        self.item_id, self.group = item_id, group
        self._show_choices()
        self._show_pane()
        self.tick()

    def action_pick_group(self) -> None:
        """Open the group picker."""
        self.query_one("#group", Select).action_show_overlay()

    def action_pick_item(self) -> None:
        """Open the item picker."""
        self.query_one("#item", Select).action_show_overlay()

    def action_follow(self) -> None:
        """Take notes for the item the room is on now."""
        if self.session is not None:
            self.switch_to(self._room_item(self.session), None)

    # ------------------------------------------------------------------ the pane

    def _texts(self) -> dict[str, str]:
        from sessiontui.core import notes

        session = self.session
        if session is None or self.item_id is None or self.group is None:
            return {}
        note = notes.note_for(session, self.item_id, self.group)
        return {key: note.answer(key) if note else "" for key in notes.TEXT_FIELDS}

    def _show_pane(self) -> None:
        from sessiontui.core import notes

        session = self.session
        if self._pane is not None:
            self._pane.remove()
            self._pane = None
        if session is None or self.item_id is None:
            return
        item = session.item(self.item_id)
        self._pane = NotesPane(
            notes.fields_of(item),
            self._texts(),
            word_limit=item.word_limit,
            count_words=notes.counts_words(item),
        )
        self.mount(self._pane, before=self.query_one(SettledFooter))
        self._pane.call_after_refresh(self._focus_first_area)
        self._show_members()

    def _focus_first_area(self) -> None:
        if self._pane is not None and self._pane.fields:
            area = self._pane.area(self._pane.fields[0].key)
            # At the end: a note-taker coming back to a group's notes carries on from there.
            area.move_cursor(area.document.end)
            area.focus()

    def _show_members(self) -> None:
        from sessiontui.core import notes

        session, widget = self.session, self.query_one("#members", Static)
        if session is None or self.item_id is None or not self.group:
            widget.update(Text("Notes on the whole room", style="dim"))
            return
        members = notes.members_of(session, self.item_id, self.group)
        line = f"{self.group}: {', '.join(members)}" if members else f"{self.group}"
        widget.update(user_line(line))

    # ------------------------------------------------------------------ saving

    @on(NotesPane.Edited)
    def _typed(self, event: NotesPane.Edited) -> None:
        from sessiontui.core import notes

        now = self.clock()
        if self.first_unsaved is None:
            self.first_unsaved = now
        self.last_typed = now
        if self._autosave is None:
            # One timer per burst of typing, not one per key: when it fires,
            # autosave_if_due sets the next one if typing went on meanwhile.
            due = notes.autosave_due(self.first_unsaved, now)
            self._autosave = self.set_timer(
                max(0.05, (due - now).total_seconds()), self.autosave_if_due, name="autosave"
            )

    def autosave_if_due(self) -> None:
        """Save the typing if `notes.autosave_due` has come, by the screen's clock."""
        from sessiontui.core import notes

        self._autosave = None
        if self.first_unsaved is None or self.last_typed is None:
            return
        due = notes.autosave_due(self.first_unsaved, self.last_typed)
        now = self.clock()
        if now >= due:
            self.save_typing()
        else:
            # Never a zero delay: Textual 8.2.8 never fires a timer set for 0 s.
            self._autosave = self.set_timer(
                max(0.05, (due - now).total_seconds()), self.autosave_if_due, name="autosave"
            )

    def save_typing(self) -> None:
        """Put what was typed into the session and save it off the UI thread."""
        from sessiontui.core import notes

        pane, session = self._pane, self.session
        self.first_unsaved = self.last_typed = None
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        if pane is None or session is None or self.item_id is None or self.group is None:
            return
        texts = self._typed_texts(pane)
        updated = notes.with_texts(session, self.item_id, self.group, texts, self.clock())
        if updated is not session:
            self.session = updated
            self.saver.submit(updated)

    @staticmethod
    def _typed_texts(pane: NotesPane) -> dict[str, str]:
        """Every question's text as its area holds it now, each key typed included.

        The pane's `texts` hear of a key only when the area's Changed message is handled,
        later: a merge coming in between would otherwise put its text over that key.
        """
        texts = pane.texts
        for area in pane.query(TextArea):
            key = (area.id or "").removeprefix("field-")
            if key in texts:
                texts[key] = area.text
        return texts

    def save_now(self) -> str | None:
        """Save everything on this thread (quitting, a signal); returns why it failed, or None."""
        self.save_typing()
        return self.saver.flush()

    def action_save(self) -> None:
        """Save now."""
        self.save_typing()
        self.notify("Saved" if not self.saver.pending else "Saving…", markup=False, timeout=2)

    def _before_merge(self) -> None:
        """Typing not yet in the session goes in first, so the merge keeps it.

        Always, not only when an edit was heard of: a key whose Changed message still waits
        is in the area alone, and the merged text is about to replace the area's.
        """
        self.save_typing()

    def _after_merge(self, session: Session, conflicts: tuple[str, ...]) -> None:
        """Another screen's save came in: show it in the pane and the pickers."""
        self.session = session
        if self._pane is not None:
            self._pane.set_texts(self._texts())
        self._show_choices()
        self._show_members()
        if conflicts:
            banner = self.query_one("#conflict", Static)
            banner.display = True
            banner.update(user_line("⚠ " + " ".join(conflicts)))
            self.notify(safe_line(" ".join(conflicts)), severity="warning", markup=False)

    # ------------------------------------------------------------------ the room's clock

    def tick(self) -> None:
        """Show the room's current item and its time left, small."""
        session, zone = self.session, self.zone
        if session is None or zone is None:
            return
        from sessiontui.core import schedule

        state = schedule.run_state(session, self.clock(), zone)
        line = Text(end="", no_wrap=True, overflow="ellipsis")
        if state.current is None:
            line.append("Not started" if state.status == "planned" else "Finished", style="bold")
        else:
            count = schedule.countdown(session, state)
            item = state.items[state.current].item
            line.append("Now: ", style="bold")
            line.append_text(user_line(item.title))
            if count.phase == "overtime":
                line.append(f" · {count.label}", style="bold")
            else:
                line.append(f" · {count.text} left", style="bold")
                if count.label:
                    line.append(f" · {count.label}", style="bold")
            if item.id != self.item_id:
                line.append("  (notes are for another item: ctrl+n follows the room)", "dim")
        if line != self._now_shown:
            # Only when it changed: a repaint a second of an unchanged line costs idle CPU.
            self._now_shown = line
            self.query_one("#now", Static).update(line)
        self._show_choices()

    # ------------------------------------------------------------------ other screens

    def action_commitments(self) -> None:
        """Note each person's one practical thing."""

        self.save_typing()
        open_screen(self, "commitments", self.path, item=self.item_id)

    def action_help(self) -> None:
        """Show every key of this screen."""
        from sessiontui.tui.dialogs.help import HelpScreen, binding_rows

        rows = binding_rows(self, Binding.make_bindings(self.BINDINGS))
        self.app.push_screen(HelpScreen("Keys of the notes screen", rows))


def _run_items(session: Session) -> list[AgendaItem]:
    """The items being run, in running order: the plan with the items added live."""
    from sessiontui.core.live_agenda import live_agenda

    return [live.item for live in live_agenda(session)]
