"""Minutes: one view-model of a session as it happened, and its renderers.

`view.minutes_of(session)` is what the minutes say; `markdown.render(session)` and
`html.render(session)` print it, and `formats.render(session, fmt)` picks one by name.
`chart` is the planned-against-actual geometry the HTML's SVG and the terminal timeline
both draw.
"""
