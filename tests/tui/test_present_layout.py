"""Which parts of the shared screen stay at which size, and the block digits' sizes (pure)."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.geometry import Region

from sessiontui.tui.widgets.present import big_lines, changed_box
from sessiontui.tui.widgets.present_layout import (
    DROP_ORDER,
    column_widths,
    columns_of,
    countdown_rows,
    fits,
    line_rows,
    parts_that_fit,
    text_rows,
    wanted_rows,
)

EVERYTHING = {
    "broadcast": 3,
    "title": 1,
    "next": 1,
    "other_turns": 1,
    "groups": 6,
    "prompts": 6,
    "agenda": 12,
    "reminders": 8,
}
"""Rows each part wants on a tall screen during a round of threes with a broadcast."""


def test_the_drop_order_is_declared_once_and_names_every_part() -> None:
    assert DROP_ORDER[:2] == ("reminders", "agenda")
    assert DROP_ORDER.index("agenda") < DROP_ORDER.index("groups") < DROP_ORDER.index("next")
    assert DROP_ORDER.index("agenda") < DROP_ORDER.index("broadcast")
    assert set(DROP_ORDER) == set(EVERYTHING)
    assert len(set(DROP_ORDER)) == len(DROP_ORDER)


def test_a_roomy_screen_keeps_everything() -> None:
    assert parts_that_fit(200, 60, EVERYTHING) == set(EVERYTHING)


@pytest.mark.parametrize(
    ("width", "height"), [(120, 40), (80, 24), (40, 12), (20, 6), (20, 5), (10, 3)]
)
def test_what_is_kept_always_fits_and_only_the_least_important_leave(
    width: int, height: int
) -> None:
    kept = parts_that_fit(width, height, EVERYTHING)
    dropped = set(EVERYTHING) - kept
    assert fits(width, height, {name: EVERYTHING[name] for name in kept}) or not kept
    # Whatever leaves a column, leaves in order: nothing kept in it is less important.
    for column in ("main", "side"):
        gone = [DROP_ORDER.index(n) for n in dropped if column in columns_of(n, width)]
        here = [DROP_ORDER.index(n) for n in kept if column in columns_of(n, width)]
        assert not gone or not here or min(here) > max(gone), column


def test_on_a_wide_screen_the_side_column_does_not_leave_for_the_clocks_sake() -> None:
    crowded = {**EVERYTHING, "groups": 20}
    kept = parts_that_fit(120, 40, crowded)
    assert {"agenda", "reminders"} <= kept
    assert "prompts" not in kept  # the main column was the full one
    assert parts_that_fit(80, 40, crowded).isdisjoint({"agenda", "reminders"})


def test_at_20x6_the_countdown_stays_with_the_title_and_what_comes_next() -> None:
    wanted = wanted_rows(
        20,
        6,
        {
            "title": Text("Randomised Coffee Trial"),
            "next": Text("Next: Coffee trial: what did you notice? at 13:30"),
            "other_turns": Text("Fours: turn 2 of 4, 2:15"),
            "groups": Text("Group 1: Amira Patel, Ben Clarke, Chloe Evans"),
            "prompts": Text("• Introductions: who you are, where you're from"),
            "agenda": Text("13:00  Welcome\n13:10  Coffee"),
            "reminders": Text("Presence"),
        },
        fixed=("title", "next"),
    )
    assert parts_that_fit(20, 6, wanted) == {"title", "next"}
    assert countdown_rows(6) == 4  # three rows of digits and their label


def test_the_side_column_does_not_take_the_clocks_rows_on_a_wide_screen() -> None:
    wide = parts_that_fit(120, 30, EVERYTHING)
    narrow = parts_that_fit(99, 30, EVERYTHING)
    assert {"agenda", "reminders"} <= wide
    assert "agenda" not in narrow


def test_a_part_not_wanted_is_never_shown_and_unknown_parts_are_never_dropped() -> None:
    assert parts_that_fit(20, 6, {"clock note": 1}) == {"clock note"}
    assert "broadcast" not in parts_that_fit(120, 40, {"title": 1})


def test_wanted_rows_skip_empty_parts_and_cap_long_lists() -> None:
    agenda = Text("\n".join(f"13:{minute:02}  Item" for minute in range(40)))
    wanted = wanted_rows(120, 40, {"agenda": agenda, "groups": Text(""), "broadcast": None})
    assert set(wanted) == {"agenda"}
    assert wanted["agenda"] == 40 // 3 + 2  # a window of the agenda, in its box
    assert wanted_rows(80, 12, {"agenda": agenda})["agenda"] == 4  # no box on a short screen


def test_before_the_start_a_wide_screen_gives_the_agenda_the_wide_column() -> None:
    assert column_widths(120) == (82, 38)
    assert column_widths(120, agenda_wide=True) == (38, 82)
    assert column_widths(80, agenda_wide=True) == (80, 0)  # narrow: one column either way
    title = Text("Workshop 2: Building common understanding and common purpose")
    texts: dict[str, Text | None] = {"title": title, "agenda": Text("13:00  Welcome")}
    running = wanted_rows(120, 40, texts, fixed=("title",))
    waiting = wanted_rows(120, 40, texts, fixed=("title",), status="planned")
    assert running["title"] == 1
    assert waiting["title"] == 2  # wrapped in the narrow column, not cut
    assert wanted_rows(80, 24, texts, fixed=("title",), status="planned")["title"] == 1


def test_before_the_start_a_narrow_screen_gives_the_agenda_the_rows_the_clock_leaves() -> None:
    agenda = Text("\n".join(f"13:{minute:02}  Item" for minute in range(13)))
    texts: dict[str, Text | None] = {"title": Text("W"), "next": Text("D"), "agenda": agenda}
    running = wanted_rows(80, 24, texts, fixed=("title", "next"))
    waiting = wanted_rows(80, 24, texts, fixed=("title", "next"), status="planned")
    assert running["agenda"] == 24 // 3 + 2
    assert waiting["agenda"] == 24 - countdown_rows(24) - 2  # all but the clock and title
    assert parts_that_fit(80, 24, waiting) == {"title", "next", "agenda"}
    roomy = wanted_rows(80, 40, texts, fixed=("title", "next"), status="planned")
    assert roomy["agenda"] == 13 + 2  # the whole agenda, no more
    short = wanted_rows(40, 12, texts, fixed=("title", "next"), status="planned")
    assert parts_that_fit(40, 12, short) == {"title", "next", "agenda"}


def test_after_the_finish_what_comes_next_may_take_half_the_screen() -> None:
    coming_up = Text("\n".join(f"• Session {number}" for number in range(12)))
    assert wanted_rows(80, 24, {"prompts": coming_up})["prompts"] == 24 // 4 + 2
    assert wanted_rows(80, 24, {"prompts": coming_up}, status="finished")["prompts"] == 14


def test_the_block_letters_thank_the_room() -> None:
    lines = big_lines("THANK YOU", 80, 10)
    assert len(lines) == 5 and all("█" in line for line in lines)
    assert big_lines("THANK YOU", 32, 3) == []  # 33 columns at the smallest


def test_the_block_digits_grow_to_fit_and_give_up_when_too_small() -> None:
    assert big_lines("05:00", 200, 60)[0].count("█") > big_lines("05:00", 40, 5)[0].count("█")
    assert len(big_lines("05:00", 40, 5)) == 5
    assert len(big_lines("05:00", 20, 6)) == 3  # the smallest: half blocks, 17 columns
    assert len(big_lines("05:00", 17, 3)[0]) == 17
    assert big_lines("05:00", 16, 5) == []
    assert big_lines("05:00", 40, 2) == []
    assert big_lines("", 40, 5) == []


def test_the_smallest_digits_keep_their_shape_in_half_blocks() -> None:
    assert big_lines("1", 3, 3) == ["▄█ ", " █ ", "▀▀▀"]


def test_a_tick_repaints_only_the_box_of_cells_that_changed() -> None:
    before = big_lines("05:48", 80, 10)
    after = big_lines("05:47", 80, 10)
    box = changed_box(before, after)
    assert box is not None
    assert box.x >= len(before[0]) * 4 // 5 - 2  # the last digit only
    assert box.height <= len(before)
    assert changed_box(before, before) is None
    assert changed_box([], ["ab"]) == Region(0, 0, 2, 1)
    assert changed_box(["ab", "cd"], ["ab", "cx"]) == Region(1, 1, 1, 1)


def test_rows_are_counted_as_words_wrap() -> None:
    line = "Group 4 · Breakout 4: Chloe Evans, Femi Adeyemi, Grace O'Neill"
    assert line_rows(line, 60) == 2  # 62 cells: "O'Neill" goes to a second row
    assert line_rows(line, 62) == 1
    assert line_rows("abcd", 3) == 2  # a word longer than the row is folded
    assert line_rows("ab cd", 4) == 2 and line_rows("ab cd", 5) == 1
    assert text_rows(Text("a\n\nb"), 10) == 3


def test_a_wrapped_group_gets_its_second_row_in_a_box_under_the_clock() -> None:
    groups = Text(
        "Group 1: Dev Sharma\nGroup 4 · Breakout 4: Chloe Evans, Femi Adeyemi, Grace O'Neill"
    )
    # 100 columns: the main column is 68, the box's text 58 wide once its borders,
    # padding and margins are taken: the second group takes two rows.
    assert wanted_rows(100, 30, {"groups": groups})["groups"] == 3 + 2
