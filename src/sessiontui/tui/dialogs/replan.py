"""The replan proposal: shorter lengths for the items still to come, applied only when confirmed.

The run screen makes the proposal (`replan.propose_replan`) and this modal shows it: each
changed item's minutes before and after, the projected finish before and after, and the
proposal's message. It answers True when the facilitator confirms a proposal that changes
something; the run screen then proposes again at that moment (time moved on while they read)
and logs that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sessiontui.display import user_line, user_text
from sessiontui.tui.widgets.agenda import hhmm, minutes_of

if TYPE_CHECKING:
    from sessiontui.core.replan import Replan
    from sessiontui.core.schedule import RunState


@dataclass(frozen=True, slots=True)
class ReplanView:
    """A proposal as the modal shows it."""

    message: str
    changes: list[tuple[str, int, int]]
    """Title, minutes now and minutes proposed, for each item that changes."""
    before: str
    after: str
    applicable: bool
    """Whether confirming changes anything (feasible, with changes)."""


def replan_view(state: RunState, replan: Replan, zone: tzinfo) -> ReplanView:
    """Word a proposal made from this state."""
    changes = [
        (run.item.title, minutes_of(run.budget), replan.changes[run.item.id])
        for run in state.items
        if run.item.id in replan.changes
    ]
    return ReplanView(
        message=replan.message,
        changes=changes,
        before=hhmm(replan.before, zone),
        after=hhmm(replan.after, zone),
        applicable=replan.feasible and bool(replan.changes),
    )


def proposal_text(view: ReplanView) -> Text:
    """The proposal's body: the message, then each change and the finish before and after."""
    text = Text(end="")
    text.append_text(user_text(view.message, "bold"))
    if not view.applicable:
        return text
    text.append("\n")
    width = max(len(str(old)) for _, old, _ in view.changes)
    for title, old, new in view.changes:
        text.append(f"\n{old:>{width}} → {new:>2} min  ", style="bold")
        text.append_text(user_line(title))
    text.append("\n\nProjected finish: ")
    text.append(view.before, style="bold")
    text.append(" → ")
    text.append(view.after, style="bold")
    return text


class ReplanScreen(ModalScreen[bool]):
    """Shows a replan proposal; Enter or y applies it, Escape or n leaves the plan alone."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "apply", "Apply", id="replan.apply"),
        Binding("escape,n", "cancel", "Cancel", id="replan.cancel"),
    ]

    def __init__(self, view: ReplanView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Replan to finish on time", style="bold"), id="heading")
            with VerticalScroll(id="proposal-scroll", can_focus=False):
                yield Static(proposal_text(self.view), id="proposal", markup=False)
            hint = Text(end="")
            if self.view.applicable:
                hint.append("Enter", style="bold")
                hint.append(" or y: apply · ")
                hint.append("Esc", style="bold")
                hint.append(" or n: keep the plan")
            else:
                hint.append("Enter", style="bold")
                hint.append(" or ")
                hint.append("Esc", style="bold")
                hint.append(": close")
            yield Static(hint, id="hint", markup=False)

    def action_apply(self) -> None:
        """Apply the proposal (if it changes anything)."""
        self.dismiss(self.view.applicable)

    def action_cancel(self) -> None:
        """Leave the plan as it is."""
        self.dismiss(False)
