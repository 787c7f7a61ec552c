"""A paste holding ESC, BEL or Ctrl-Q, sent by a real terminal, is text: no binding fires.

Issue 16, case 8, on the real app in a pseudo-terminal (tests/helpers/terminal.py): the
terminal wraps the paste in bracketed-paste markers, as terminals do once Textual turns the mode
on. Before the fix, Textual 8.2.8's parser gave the characters after a pasted ESC back as keys,
so the Ctrl-Q in the paste quit the app.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from sessiontui import session_file as session_io
from sessiontui.core import notes

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and a pseudo-terminal"),
]

HELPER = Path(__file__).resolve().parent.parent / "helpers" / "terminal.py"
ITEM, GROUP = "coffee-trial", "Group 1"
NOTES_AREA = "─ Notes ─"
"""The notes area's border title: once drawn, it has the focus and a paste goes into it."""


def load_helper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("terminal", HELPER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


terminal = load_helper()


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        (b"hello\x07\x11world", "helloworld"),
        (b"esc\x1bb\x11c and \x1b[31mred\x1b[0m\x11", "escbc and red"),
    ],
    ids=["bel-and-ctrl-q", "esc-then-ctrl-q"],
)
def test_a_paste_with_control_characters_is_only_text(
    tmp_path: Path, workshop_copy: Path, pasted: bytes, kept: str
) -> None:
    path = workshop_copy
    args = ["notes", str(path), "--item", ITEM, "--group", GROUP]
    with terminal.Terminal.start(args, home=tmp_path / "home", columns=100, rows=30) as term:
        term.wait_for(NOTES_AREA)
        term.send(b"\x1b[200~" + pasted + b"\x1b[201~")
        term.send(" typed after")
        term.wait_for(kept + " typed after")
        assert term.poll() is None, "a key in the paste ended the app"
        term.send(b"\x11")  # a real ctrl+q still quits, and saves
        assert term.wait() == 0, term.output[-3000:]
    note = notes.note_for(session_io.load(path).session, ITEM, GROUP)
    assert note is not None and note.text == kept + " typed after"
