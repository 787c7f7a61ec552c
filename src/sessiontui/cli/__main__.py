"""`python -m sessiontui.cli` behaves like the `sessiontui` command, as when cli was one module."""

from __future__ import annotations

import sys

from sessiontui.cli import main

sys.exit(main())
