"""A small yes/no question over the run screen, for the controls that cannot be taken back."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Asks one question; Enter or y answers yes, Escape or n no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: Text, yes: str) -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question", markup=False)
            hint = Text(end="")
            hint.append("Enter", style="bold")
            hint.append(f" or y: {self.yes} · ")
            hint.append("Esc", style="bold")
            hint.append(" or n: cancel")
            yield Static(hint, id="hint", markup=False)

    def action_answer(self, yes: bool) -> None:
        """Close with this answer."""
        self.dismiss(yes)
