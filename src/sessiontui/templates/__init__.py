"""The session templates shipped with sessiontui: one plan-only session file per template.

A package (not a bare folder) so `importlib.resources` finds the files in an installed wheel
as well as in a checkout; `sessiontui.store.templates` reads and describes them.
"""
