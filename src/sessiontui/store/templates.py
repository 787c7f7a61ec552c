"""Session templates: the ones shipped inside the package and the user's own.

A template is an ordinary session file holding only a plan; `sessiontui new --template` and
the home screen's picker copy it with a new title and date. The built-in ones are package
data (so they are in the wheel) read through `importlib.resources`; the user's own live in
their data folder (XDG_DATA_HOME on Linux), apart from any folder of sessions, so they are
there whichever folder the app is opened on.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

import platformdirs

from sessiontui.store import atomic, parse
from sessiontui.store.errors import SessionFileError

if TYPE_CHECKING:
    from sessiontui.core.model import Session

Source = Literal["built-in", "user"]

BUILT_IN: Final[dict[str, str]] = {
    "blank": "A welcome and a close, to build your own plan on.",
    "retro": (
        "A 90-minute team retrospective in Derby and Larsen's five phases: set the stage,"
        " gather data, generate insights, decide what to do, close."
    ),
    "design-sprint": (
        "A one-day design sprint: map, sketch, decide, prototype and test, with lunch at"
        " a fixed time."
    ),
    "liberating-structures": (
        "Liberating Structures: 1-2-4-All (1, 2, 4 and 5 minutes), Troika Consulting in"
        " threes (three 10-minute rounds), and a What? So what? Now what? debrief."
    ),
    "common-purpose": (
        "The reference workshop: a three-hour online systems-leadership session with coffee"
        " trials, empathy mapping and a common purpose, without its people."
    ),
}
"""The shipped templates, in the order they are offered, each with what it is for.

Kept here rather than in the files: a session file has no field for it, and the model is
the file format.
"""

USER_DESCRIPTION: Final = "Your own template."
"""What a user's template is, where a built-in one has its description."""

NAME_PATTERN: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A template's name: what people type after --template, and its file's name."""


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """One template as `sessiontui templates` and the picker list it."""

    name: str
    """What to type after `--template`, e.g. "retro"."""
    title: str
    """The title a session made from it starts with."""
    description: str
    source: Source
    minutes: int
    """Planned length, start to end."""
    items: int
    """Agenda items."""
    problem: str | None = None
    """Why a user's template does not load; it is listed anyway, so it can be fixed."""


class UnknownTemplateError(SessionFileError):
    """No template has the name asked for; the message lists the ones that exist."""


def user_folder() -> Path:
    """Where the user's own templates live: the platform's user data folder, `templates/`."""
    return platformdirs.user_data_path("sessiontui") / "templates"


def _built_in_text(name: str) -> str:
    return resources.files("sessiontui").joinpath("templates", f"{name}.toml").read_text("utf-8")


def _user_names() -> list[str]:
    try:
        entries = sorted(os.listdir(user_folder()))
    except OSError:
        # No folder yet (nobody saved one), or unreadable: no user templates to offer.
        return []
    names = [entry.removesuffix(".toml") for entry in entries if entry.endswith(".toml")]
    return [name for name in names if NAME_PATTERN.match(name) and name not in BUILT_IN]


def names() -> list[str]:
    """Every template's name: the built-in ones in their order, then the user's by name."""
    return [*BUILT_IN, *_user_names()]


def load(name: str) -> Session:
    """The template's session; UnknownTemplateError names the known ones.

    Raises SessionFileError with the file's problems when a user's template does not load.
    """
    if name in BUILT_IN:
        return parse.parse(_built_in_text(name), f"template {name}")
    if NAME_PATTERN.match(name) and name in _user_names():
        return parse.load(user_folder() / f"{name}.toml").session
    raise UnknownTemplateError(f"no template is called {name!r}; known: {', '.join(names())}")


def info(name: str) -> TemplateInfo:
    """One template's listing; a user's template that fails to load carries its problem."""
    source: Source = "built-in" if name in BUILT_IN else "user"
    description = BUILT_IN.get(name, USER_DESCRIPTION)
    try:
        session = load(name)
    except SessionFileError as error:
        return TemplateInfo(name, "", description, source, 0, 0, error.problems[0])
    start = dt.datetime.combine(session.date, session.start)
    end = dt.datetime.combine(session.date, session.end)
    minutes = int((end - start).total_seconds() // 60)
    return TemplateInfo(name, session.title, description, source, minutes, len(session.agenda))


def listing() -> list[TemplateInfo]:
    """Every template with its title, length and source, in the order `names` gives."""
    return [info(name) for name in names()]


def save_user_template(name: str, plan: Session, *, replace: bool = False) -> Path:
    """Write a plan as the user's template `name`; never over an existing one unless `replace`.

    Raises ValueError for a name that cannot be a template's (not a slug, or a built-in
    one's), SessionFileError when the name is taken, and OSError when the disk refuses.
    """
    if not NAME_PATTERN.match(name):
        raise ValueError(
            f"template name {name!r}: use lowercase letters, digits and dashes, e.g. team-retro"
        )
    if name in BUILT_IN:
        raise ValueError(f"template name {name!r}: a built-in template has that name")
    target = user_folder() / f"{name}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    if replace and os.path.lexists(target):
        atomic.save(target, plan)
    else:
        atomic.create(target, plan)
    return target
