"""Everything that touches the disk, one job per module.

parse, errors, toml_writer, atomic, versions, settings, index.

Callers import the module they need; only `sessiontui.session_file` reads or writes session
files through `parse` and `toml_writer`.
"""
