"""The countdown's digits keep their width, so a ticking second never lays the screen out again."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult

from sessiontui.tui.widgets.countdown import SteadyDigits


class DigitsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SteadyDigits("10:51")


@pytest.mark.parametrize(
    ("before", "after", "layout", "slot"),
    [
        ("10:51", "10:50", False, ""),  # "1" is narrower than "0": Textual's Digits reflowed
        ("11:00", "10:59", False, ""),
        ("9:59", "10:59", True, ""),  # one more character: the slot really grows
        ("10:00", "+0:01", False, ""),  # same slot width, overtime sign in place of a digit
        # An hour-long item's slot holds "0:00:00": `+`/`-` across the hour stay put.
        ("59:58", "1:00:58", False, "0:00:00"),
        ("1:00:58", "59:58", False, "0:00:00"),
        ("59:58", "1:00:58", True, "00:00"),  # a budget under an hour grows at the hour
    ],
)
async def test_only_a_change_of_slot_width_asks_for_a_layout(
    before: str, after: str, layout: bool, slot: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = DigitsApp()
    async with app.run_test() as pilot:
        digits = app.query_one(SteadyDigits)
        digits.update(before, slot)
        await pilot.pause()
        asked: list[bool] = []
        real_refresh = digits.refresh

        def refresh(*args: Any, layout: bool = False, **kwargs: Any) -> Any:
            asked.append(layout)
            return real_refresh(*args, layout=layout, **kwargs)

        monkeypatch.setattr(digits, "refresh", refresh)
        digits.update(after, slot)
        assert asked == [layout]
        assert digits.value == after
        await pilot.pause()
        assert digits.size.width >= digits.get_content_width(app.size, app.size)
