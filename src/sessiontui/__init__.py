"""sessiontui: a terminal companion for live facilitated workshops."""

from __future__ import annotations

__version__ = "0.1.0"
