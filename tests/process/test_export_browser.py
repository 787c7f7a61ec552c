"""The exported HTML minutes in a real browser: Debian's headless Chromium, phone and desktop.

The page must draw its chart, fit a phone without sideways scrolling (only the tables may
scroll, inside their wrappers) and fetch nothing at all. Screenshots are kept in /tmp for a
person to look at (`sessiontui-minutes-*.png`).
"""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from recorded import NOTE_PHRASE, recorded_example
from sessiontui.core import review
from sessiontui.minutes import html
from sessiontui.store import atomic

HELPER = Path(__file__).resolve().parent.parent / "helpers" / "headless_chromium.py"
SCREENSHOTS = Path("/tmp")

# Everything the test asks the page, in one expression, so a failure shows the whole picture.
PAGE_FACTS = """(() => {
  const wide = [];
  for (const element of document.querySelectorAll('body *')) {
    if (element.closest('.table-wrap') && !element.classList.contains('table-wrap')) continue;
    const box = element.getBoundingClientRect();
    if (box.width && box.right > window.innerWidth + 0.5) {
      wide.push(element.tagName + '.' + element.className + ' ' + Math.round(box.right));
    }
  }
  const svg = document.querySelector('figure.chart svg');
  return JSON.stringify({
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    wide: wide,
    planBars: svg.querySelectorAll('rect.plan').length,
    actualBars: svg.querySelectorAll('rect.actual').length,
    overBars: svg.querySelectorAll('rect.over').length,
    marks: [...svg.querySelectorAll('.mark')].map(m => m.textContent),
    titles: [...svg.querySelectorAll('title')].length,
    chartWidth: svg.getBoundingClientRect().width,
    text: document.body.innerText,
    resources: performance.getEntriesByType('resource').map(r => r.name),
    mapColumns: getComputedStyle(document.querySelector('.map'))
      .gridTemplateColumns.split(' ').length,
    height: document.documentElement.scrollHeight,
  });
})()"""


def _load_helper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("headless_chromium", HELPER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _page_facts(browser: Any, path: Path, width: int, height: int) -> dict[str, Any]:
    await browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    await browser.open(path.as_uri())
    for _ in range(100):
        if await browser.evaluate("document.readyState") == "complete":
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the minutes page never finished loading")
    facts: dict[str, Any] = json.loads(await browser.evaluate(PAGE_FACTS))
    return facts


async def _screenshots(browser: Any, name: str, width: int, page_height: int) -> list[Path]:
    """The whole page in slices a person can read, beyond the viewport."""
    paths = []
    slice_height = 1400
    for number, top in enumerate(range(0, page_height, slice_height)):
        result = await browser.call(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": top,
                    "width": width,
                    "height": min(slice_height, page_height - top),
                    "scale": 1,
                },
            },
        )
        path = SCREENSHOTS / f"sessiontui-minutes-{name}-{number + 1}.png"
        path.write_bytes(base64.b64decode(result["data"]))
        paths.append(path)
    return paths


@pytest.mark.subprocess
async def test_the_html_minutes_draw_their_chart_fit_a_phone_and_fetch_nothing(
    tmp_path: Path,
) -> None:
    helper = _load_helper()
    if helper.chromium() is None:
        pytest.skip("no chromium: .ci/run installs Debian's chromium")
    session = recorded_example()
    timing = review.timing(session)
    reached = [row for row in timing.items if row.actual_start is not None]
    overran = [row for row in timing.items if row.overran and row.state != "skipped"]
    assert len(overran) == 3
    page = tmp_path / "minutes.html"
    atomic.write_text(page, html.render(session))

    async with helper.Browser(tmp_path / "chromium-profile") as browser:
        for name, (width, height) in {"phone": (390, 844), "desktop": (1280, 900)}.items():
            facts = await _page_facts(browser, page, width, height)
            shots = await _screenshots(browser, name, width, facts["height"])
            assert all(shot.stat().st_size > 5_000 for shot in shots)

            assert facts["planBars"] == len(timing.items)
            assert facts["actualBars"] == len(reached)
            assert facts["overBars"] == len(overran)
            assert facts["marks"] == ["▲ +4 min over", "▲ +5 min over", "skipped", "▲ +1 min over"]
            assert facts["titles"] >= 1 + len(timing.items) + len(reached)
            assert NOTE_PHRASE in facts["text"]
            assert "45 / 40 words · 5 over the limit" in facts["text"]
            assert facts["resources"] == [], "the page fetched something"
            # No sideways scrolling of the page itself; only the tables' wrappers may scroll.
            assert facts["wide"] == [], f"wider than the {name} screen"
            assert facts["scrollWidth"] <= facts["innerWidth"]
            if name == "phone":
                assert facts["mapColumns"] == 1, "the empathy map should be one column"
                assert facts["chartWidth"] > 300
            else:
                assert facts["mapColumns"] == 2
        # The two loads of the page itself, and not one request more.
        assert browser.requested == [page.as_uri()] * 2
