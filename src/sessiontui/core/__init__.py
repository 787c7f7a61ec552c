"""The functional core: the file format as pydantic models, and pure rules over it.

No disk and no Textual here, so every rule is testable in memory and fast to load.
"""
