"""Minutes, the plan handout and the calendar file: one view-model, its renderers, the .ics.

`view.minutes_of(session, audience)` is what the minutes say (for the facilitators, or for
the participants under the session's ways of working); `plan.handout_of(session)` is the
handout before the session, the same view-model type. `markdown` and `html` print either,
and `formats` picks one by name. `chart` is the planned-against-actual geometry the HTML's
SVG and the terminal timeline both draw; `calendar` writes the session (and its series'
coming-up sessions) as iCalendar.
"""
