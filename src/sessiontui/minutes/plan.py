"""The plan handout: what participants get before the session, as one `view.Minutes`.

The title, date, planned times and venue, then the agenda with each item's planned start
and end, where it happens and its prompts, then the ways of working and what is coming up.
Facilitator notes are never in it. It is the same view-model type as the minutes, so the
Markdown and the HTML renderers print it with the code that prints the minutes.
"""

from __future__ import annotations

from typing import Final

from sessiontui.core import review, schedule
from sessiontui.core.model import Session
from sessiontui.minutes import view

AGENDA: Final = "Agenda"
KIND: Final = "Plan"
CHATHAM_HOUSE: Final = (
    "This session is held under the Chatham House Rule: what is said may be used, but not "
    "who said it nor where they work."
)


def handout_of(session: Session) -> view.Minutes:
    """The handout of a session's plan as written, whatever its log says."""
    # The plan as written: a run on another day moves `planned`'s times, a handout does not.
    as_written = session.model_copy(update={"log": []})
    items = tuple(
        view.PlanItem(
            start=review.clock_text(placed.start),
            end=review.clock_text(placed.end),
            title=placed.item.title,
            length=f"{placed.item.minutes} min",
            where=placed.item.where,
            prompts=tuple(placed.item.prompts),
        )
        for placed in schedule.planned(as_written)
    )
    agenda = (view.Section("agenda", AGENDA, view.PlanAgenda(items)),) if items else ()
    notice = CHATHAM_HOUSE if session.chatham_house else None
    return view.Minutes(
        header=view.header_of(session, notice),
        sections=agenda + view.ways_and_coming_up(session),
        kind=KIND,
    )
