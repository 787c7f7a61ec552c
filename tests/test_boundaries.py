"""The layers below the UI never import Textual, so they stay testable and fast to load.

import-linter (`lint-imports`, run by `make test`) checks every arrow between the layers;
these tests check the one promise that matters most at run time: loading the core, the
store, the session-file service and the minutes pulls in no Textual module at all.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "sessiontui"
BELOW_THE_UI = ("core", "store", "session_file", "minutes")
UI_MODULES = ("textual", "sessiontui.tui", "sessiontui.web")


def modules_below_the_ui() -> list[Path]:
    return sorted(path for layer in BELOW_THE_UI for path in (PACKAGE / layer).rglob("*.py"))


def test_every_layer_below_the_ui_has_modules() -> None:
    layers = {path.relative_to(PACKAGE).parts[0] for path in modules_below_the_ui()}
    assert layers == set(BELOW_THE_UI)


@pytest.mark.parametrize(
    "path", modules_below_the_ui(), ids=lambda path: str(path.relative_to(PACKAGE))
)
def test_module_source_has_no_ui_import(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    offending = [module for module in imported if module.startswith(UI_MODULES)]
    assert offending == [], f"{path.name} imports {offending}"


def test_importing_every_layer_below_the_ui_loads_no_textual_module() -> None:
    names = sorted(
        ".".join(("sessiontui", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for path in modules_below_the_ui()
    )
    script = (
        f"import sys, {', '.join(names)}, sessiontui.cli\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
