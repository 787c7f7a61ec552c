"""merge_text() when two note-takers type into one text at once: every word of both is kept.

Issue 16, case 11: two people typing into the same group's notes add words at the end of the
text (carrying on the last line, or starting a new one). However their saves interleave, the
merge must keep each side's words, each side's in the order typed; where one side only added
lines next to the lines the other changed, with no markers either.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sessiontui.core.merge import START_MARKER, merge_text


def test_a_new_line_beside_a_longer_last_line_needs_no_markers() -> None:
    assert merge_text("first", "first typed", "first\ntheirs") == ("first typed\ntheirs", False)
    assert merge_text("first", "first\ntheirs", "first typed") == ("first typed\ntheirs", False)


def test_a_line_added_before_a_changed_first_line_needs_no_markers() -> None:
    text, marked = merge_text("one\ntwo\n", "ONE\ntwo\n", "zero\none\ntwo\n")
    assert (text, marked) == ("zero\nONE\ntwo\n", False)


def test_both_carrying_on_the_last_line_keep_both_words_unmarked() -> None:
    assert merge_text("a b", "a b mine", "a b theirs") == ("a b mine theirs", False)
    assert merge_text("a b", "a b theirs", "a b mine") == ("a b mine theirs", False)


def test_text_both_added_at_one_place_goes_in_one_order_whoever_saves() -> None:
    """Both screens put two insertions at one place in the same order, so neither is split.

    Before, the file's text went first: B's save put "b0" after A's half-typed "a00", then
    A's save put B's "b0" before A's next letters, making "a00b001" of "a0001" and "b0001".
    """
    begun = "Seen: "
    file = begun + "a00"  # A typed "a00" and saved
    b_text, _ = merge_text(begun, begun + "b0", file)  # B typed "b0" and saves
    file = b_text
    a_text, _ = merge_text(begun + "a00", begun + "a0001 ", file)  # A carries on, saves
    file = a_text
    b_typed = b_text + "001 "  # B carries on after its own "b0", at the end of its text
    file, marked = merge_text(b_text, b_typed, file)
    assert not marked
    assert file.split() == ["Seen:", "a0001", "b0001"]


def test_a_word_is_not_taken_as_the_start_of_a_longer_one() -> None:
    """A word typed on one screen, a longer one on the other: two words, not one typed on."""
    text, _ = merge_text("Notes:", "Notes: were", "Notes: we")
    assert text.split() == ["Notes:", "we", "were"]
    assert merge_text("Notes:", "Notes: we are", "Notes: we") == ("Notes: we are", False)


def test_both_changing_the_same_word_keep_both_marked() -> None:
    text, marked = merge_text("a door", "a gate", "a hatch")
    assert marked and START_MARKER in text and "gate" in text and "hatch" in text


def _append(text: str, word: str, new_line: bool) -> str:
    if not text:
        return word
    return text + ("\n" if new_line else " ") + word


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_two_typists_saving_in_turn_lose_no_word(data: st.DataObject) -> None:
    """Two screens, each typing words at the end and merging the other's saves now and then.

    Each screen keeps the version it last merged from (its base), as `SyncedSession` does;
    the file is merged into each screen's text, and each screen's text into the file.
    """
    file = ""
    screens = {"a": "", "b": ""}
    bases = {"a": "", "b": ""}
    typed: dict[str, list[str]] = {"a": [], "b": []}
    steps = data.draw(st.lists(st.sampled_from(["a", "b", "save a", "save b"]), max_size=40))
    for step in steps:
        if step in screens:
            word = f"{step}{len(typed[step])}"
            typed[step].append(word)
            screens[step] = _append(screens[step], word, data.draw(st.booleans()))
        else:
            name = step.removeprefix("save ")
            file, _ = merge_text(bases[name], screens[name], file)
            screens[name] = bases[name] = file
    for name, text in screens.items():  # both quit: each saves what it has
        file, _ = merge_text(bases[name], text, file)
    kept = set(file.split())
    for name, words in typed.items():
        assert [word for word in words if word not in kept] == [], (name, file)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_two_typists_on_one_line_keep_every_word_whole(data: st.DataObject) -> None:
    """Two screens typing letter by letter on one line, saving in turn: no word split or joined.

    Each types at the end of its own text and, after a merge, carries on right after its own
    last letter (as the notes pane places the cursor): found as the text it had, whole.
    """
    begun = "Seen: "
    file = begun
    screens = {"a": begun, "b": begun}
    bases = {"a": begun, "b": begun}
    cursors = {"a": len(begun), "b": len(begun)}
    typed: dict[str, list[str]] = {"a": [], "b": []}
    pending = {"a": "", "b": ""}

    def key(name: str) -> None:
        if not pending[name]:
            typed[name].append(f"{name}{len(typed[name])}")
            pending[name] = typed[name][-1] + " "
        text, at = screens[name], cursors[name]
        screens[name] = text[:at] + pending[name][0] + text[at:]
        cursors[name] = at + 1
        pending[name] = pending[name][1:]

    def save(name: str) -> None:
        nonlocal file
        merged, _ = merge_text(bases[name], screens[name], file)
        before = screens[name][: cursors[name]]
        # The letters before the cursor are this screen's, in order: the merge only adds.
        cursors[name] = _after_letters(merged, before)
        file = screens[name] = bases[name] = merged

    steps = data.draw(st.lists(st.sampled_from(["a", "b", "save a", "save b"]), max_size=80))
    for step in steps:
        if step in screens:
            key(step)
        else:
            save(step.removeprefix("save "))
    for name in screens:  # each finishes its word and saves
        while pending[name]:
            key(name)
        save(name)
    kept = file.split()
    for name, words in typed.items():
        assert [word for word in words if word not in kept] == [], (name, file)


def _after_letters(text: str, letters: str) -> int:
    """The offset in `text` right after `letters` taken in order, each as early as possible."""
    at = 0
    for letter in letters:
        at = text.index(letter, at) + 1
    return at
