"""The user's keymap (`[keys]` in config.toml) checked against the app's bindings and key names.

Textual's `App.set_keymap` ignores an id no binding has and binds a key name no terminal
sends, both without a word, so a typo in the settings file silently did nothing. The ids are
gathered from the classes themselves (every `BINDINGS` of every module of `sessiontui.tui`):
the help screen shows the same ids, so the list is declared once, where the bindings are.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Final

from textual.binding import Binding
from textual.keys import KEY_ALIASES, KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys

MODIFIERS: Final = frozenset({"ctrl", "shift", "alt", "super", "hyper", "meta"})
"""The modifiers Textual puts in front of a key name, joined with "+"."""

_NAMED_KEYS: Final = frozenset(
    {key.value.rpartition("+")[2] for key in Keys}
    | set(KEY_ALIASES)
    | {alias.rpartition("+")[2] for aliases in KEY_ALIASES.values() for alias in aliases}
    | set(KEY_NAME_REPLACEMENTS.values())
    | set(KEY_TO_UNICODE_NAME)
    | {"space", "newline"}
)
"""Key names (without modifiers) Textual gives its key events: "pagedown", "f5", "slash"..."""

_KEYBOARD_SYMBOLS_END: Final = 0x2100
"""Symbols named by their Unicode name are keys below this: Latin scripts, punctuation, currency."""


def declaring_classes() -> Iterator[tuple[type, Binding]]:
    """Each class of `sessiontui.tui` with its own `BINDINGS`, with each binding it declares.

    Imports every module of the package: a screen not yet opened still has its keys. The
    keymap's ids and the test that no id is shared both read this one walk.
    """
    import sessiontui.tui as package

    prefix = f"{package.__name__}."
    for name in sorted(info.name for info in pkgutil.walk_packages(package.__path__, prefix)):
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or "BINDINGS" not in vars(cls):
                continue
            for binding in Binding.make_bindings(vars(cls)["BINDINGS"]):
                yield cls, binding


@cache
def declared_bindings() -> Mapping[str, Binding]:
    """Every binding with an id that the app, its screens, dialogs and widgets declare, by id.

    Imports each module of `sessiontui.tui` (once): a screen not yet opened still has its keys.
    """
    found: dict[str, Binding] = {}
    for _, binding in declaring_classes():
        if binding.id is not None:
            found.setdefault(binding.id, binding)
    return dict(sorted(found.items()))


def is_known_key(key: str) -> bool:
    """Whether Textual would ever report this key (with its modifiers), e.g. "ctrl+right"."""
    *modifiers, name = key.strip().split("+")
    if len(set(modifiers)) != len(modifiers) or not MODIFIERS.issuperset(modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if name in _NAMED_KEYS:
        return True
    try:
        # Textual names a symbol by its Unicode name ("pound_sign"); only those a keyboard
        # has: a banana is a character too, but "ctrl+shift+banana" is a typo.
        character = unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return ord(character) < _KEYBOARD_SYMBOLS_END


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """One line for each id in `keymap` no binding declares and each key name Textual lacks."""
    known = declared_bindings()
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            problems.append(f"[keys] {binding_id!r}: no key has this id (see ? for the ids)")
            continue
        for key in keys.split(","):
            if not is_known_key(key):
                problems.append(f"[keys] {binding_id!r}: {key.strip()!r} is not a key name")
    return problems
