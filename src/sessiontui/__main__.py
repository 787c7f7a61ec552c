"""`python -m sessiontui` behaves like the `sessiontui` command."""

from __future__ import annotations

import sys

from sessiontui.cli import main

sys.exit(main())
