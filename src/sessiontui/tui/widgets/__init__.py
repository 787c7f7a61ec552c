"""Widgets of sessiontui, one module per thing they show.

- `agenda`: the agenda table and the highlighted item's details.
- `overview`: the session's summary, plan warnings, ways of working, people and problems.
- `listing`: the home screen's list of session files.

Import them from their modules (this package imports nothing, to keep startup light).
"""
