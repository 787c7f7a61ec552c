"""The notes templates: each declared once, here, and everything else reads it from here.

A template is the shape of the notes taken during an agenda item: the questions the note-taker
is asked (one text area each, one key each in a `[[notes]]` table), how the minutes and the
review lay the answers out, and whether the answers make one statement counted against the
item's `word_limit`. The session file's model, its JSON Schema, the merge of two screens'
saves, the review, search, the notes screen and the shared screen all ask this module, so a
new template is one `Template` in `BUILT_IN` and nothing else: no list of fields kept by hand
elsewhere can silently drop its text.

No Textual import, no disk, no pydantic: the model imports this module, not the other way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Literal, overload

Layout = Literal["text", "quadrants", "statement"]
"""How a template's answers are laid out in the minutes and the review.

"text": one section per question, one after the other; "quadrants": a 2×2 grid of the four
answers (the empathy map); "statement": the answers read as one statement, with its word
count against the item's `word_limit`.
"""

LAYOUTS: Final[tuple[Layout, ...]] = ("text", "quadrants", "statement")
"""Every layout, so a template naming another is refused where it is declared."""

DEFAULT: Final = "free"
"""The template of an item whose plan names none: free notes."""

RESERVED_KEYS: Final = frozenset({"item", "group", "edited"})
"""The keys every `[[notes]]` table has besides its answers, so no question may use them."""


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a template: its key in the `[[notes]]` table and how it is asked.

    The key is the TOML key the answer is stored under, so it is unique across templates:
    text kept after an item's template changed must still be labelled by its own question.
    """

    key: str
    """The key in a `[[notes]]` table, e.g. "think_feel"; lowercase letters, digits and `_`."""
    label: str
    """The question as the note-taker sees it above the text area, e.g. "What do they see?"."""
    description: str
    """What the key holds, for the JSON Schema editors show while people type."""


@dataclass(frozen=True, slots=True)
class Template:
    """One notes template: its name in the file, its questions, and how its notes are shown."""

    name: str
    """The value of an agenda item's `notes_template`, e.g. "empathy-map"."""
    title: str
    """The template's name for people, e.g. "Empathy map"."""
    description: str
    """One sentence on what the template is for, for the JSON Schema and the docs."""
    questions: tuple[Question, ...]
    """The questions in the order the workshop asks them."""
    layout: Layout
    """How the minutes and the review lay the answers out."""
    counts_words: bool = False
    """True when the answers together are one statement counted against `word_limit`."""

    def __post_init__(self) -> None:
        if not self.questions:
            raise ValueError(f"notes template {self.name!r}: it needs at least one question")
        if self.layout not in LAYOUTS:
            raise ValueError(f"notes template {self.name!r}: unknown layout {self.layout!r}")
        if self.layout == "quadrants" and len(self.questions) != 4:
            raise ValueError(f"notes template {self.name!r}: quadrants need four questions")
        keys = [question.key for question in self.questions]
        if len(set(keys)) != len(keys):
            raise ValueError(f"notes template {self.name!r}: a question key is used twice")
        for key in keys:
            if not key.isidentifier() or key != key.lower():
                raise ValueError(f"notes template {self.name!r}: {key!r} is not a snake_case key")
            if key in RESERVED_KEYS:
                raise ValueError(f"notes template {self.name!r}: {key!r} is a reserved key")

    @property
    def keys(self) -> tuple[str, ...]:
        """The `[[notes]]` keys of its questions, in order."""
        return tuple(question.key for question in self.questions)


BUILT_IN: Final[tuple[Template, ...]] = (
    Template(
        name="free",
        title="Free notes",
        description="One free text for whatever the group says.",
        questions=(
            Question(
                "text",
                "Notes",
                "Free notes (the `free` template, and anything else worth keeping).",
            ),
        ),
        layout="text",
    ),
    Template(
        name="empathy-map",
        title="Empathy map",
        description="What the people the group works for see, hear, think and feel, and do.",
        questions=(
            Question("see", "What do they see?", "Empathy map: what do they see?"),
            Question("hear", "What do they hear?", "Empathy map: what do they hear?"),
            Question(
                "think_feel",
                "What do they think and feel?",
                "Empathy map: what do they think and feel?",
            ),
            Question(
                "do_expect",
                "What do they actually do or expect?",
                "Empathy map: what do they actually do or expect?",
            ),
        ),
        layout="quadrants",
    ),
    Template(
        name="common-purpose",
        title="Common purpose",
        description="A statement of the group's common purpose, counted against `word_limit`.",
        questions=(
            Question("what", "What do we want to do?", "Common purpose: what do we want to do?"),
            Question("why", "Why do we want to do it?", "Common purpose: why do we want to do it?"),
            Question(
                "benefits",
                "What will the benefits be?",
                "Common purpose: what will the benefits be?",
            ),
        ),
        layout="statement",
        counts_words=True,
    ),
    Template(
        name="what-so-what-now-what",
        title="What? So what? Now what?",
        description=(
            "A debrief in three steps (Liberating Structures' W³): what happened, why it"
            " matters, what to do next."
        ),
        questions=(
            Question(
                "what_happened",
                "What happened? What did you notice, what facts or observations stood out?",
                "What? So what? Now what?: what happened, what facts or observations stood out?",
            ),
            Question(
                "so_what",
                "So what? Why is that important, what patterns or conclusions are emerging?",
                "What? So what? Now what?: why is that important, what patterns or conclusions"
                " are emerging?",
            ),
            Question(
                "now_what",
                "Now what? What actions make sense?",
                "What? So what? Now what?: what actions make sense?",
            ),
        ),
        layout="text",
    ),
)
"""The templates this build ships, in the order the schema lists them; add new ones here."""


# ---------------------------------------------------------------------------- the index


@dataclass(frozen=True, slots=True)
class _Index:
    """The declared templates looked up every way the app asks, built once per declaration.

    Every note read or saved asks for the keys, so they are worked out when templates are
    declared, not on each question.
    """

    templates: tuple[Template, ...]
    names: tuple[str, ...]
    by_name: dict[str, Template]
    keys: tuple[str, ...]
    by_key: dict[str, Question]


def _indexed(templates: Sequence[Template]) -> _Index:
    """The index of these templates; ValueError for a name or a key declared twice."""
    by_name: dict[str, Template] = {}
    by_key: dict[str, Question] = {}
    for declared in templates:
        if declared.name in by_name:
            raise ValueError(f"a notes template is already called {declared.name!r}")
        by_name[declared.name] = declared
        for asked in declared.questions:
            if asked.key in by_key:
                raise ValueError(
                    f"notes template {declared.name!r}: key {asked.key!r} is already used"
                )
            by_key[asked.key] = asked
    if DEFAULT not in by_name:
        raise ValueError(f"the {DEFAULT!r} notes template must be declared")
    return _Index(tuple(templates), tuple(by_name), by_name, tuple(by_key), by_key)


class _Registry:
    """The one mutable place: the index of the templates declared now."""

    def __init__(self, templates: Sequence[Template]) -> None:
        # Checked at import too: a clash in BUILT_IN stops the program, not corrupts a file.
        self.index = _indexed(templates)


_REGISTRY = _Registry(BUILT_IN)


# ---------------------------------------------------------------------------- reading it


def templates() -> tuple[Template, ...]:
    """Every declared template, built-in ones first, in the order the schema lists them."""
    return _REGISTRY.index.templates


def names() -> tuple[str, ...]:
    """Every template's name: the allowed values of an agenda item's `notes_template`."""
    return _REGISTRY.index.names


def template(name: str | None) -> Template:
    """The template with this name (free notes for None); KeyError names the known ones."""
    wanted = DEFAULT if name is None else name
    try:
        return _REGISTRY.index.by_name[wanted]
    except KeyError:
        known = ", ".join(names())
        raise KeyError(f"no notes template is called {wanted!r}; known: {known}") from None


def layout_of(name: str | None) -> Layout:
    """How the notes of a template are laid out in the minutes and the review."""
    return template(name).layout


def question(key: str) -> Question | None:
    """The question whose answer is stored under this key, or None for an unknown key."""
    return _REGISTRY.index.by_key.get(key)


def label_of(key: str) -> str:
    """The question asked for a `[[notes]]` key, or the key itself when no template has it."""
    asked = question(key)
    return key if asked is None else asked.label


def field_keys() -> tuple[str, ...]:
    """Every `[[notes]]` text key of every template, in declaration order."""
    return _REGISTRY.index.keys


class _FieldKeys(Sequence[str]):
    """`field_keys()` as a sequence that is read afresh on each use, so it is never stale."""

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return field_keys()[index]

    def __len__(self) -> int:
        return len(field_keys())

    def __iter__(self) -> Iterator[str]:
        return iter(field_keys())

    def __contains__(self, key: object) -> bool:
        return key in _REGISTRY.index.by_key

    def __repr__(self) -> str:
        return repr(field_keys())


FIELD_KEYS: Final[Sequence[str]] = _FieldKeys()
"""Every text key of a `[[notes]]` table, for code that treats them all alike."""


def schema_summary() -> str:
    """The templates in one line for the JSON Schema: name, what it is for, its keys."""
    return " ".join(
        f"`{declared.name}`: {declared.description} Keys: "
        + ", ".join(f"`{key}`" for key in declared.keys)
        + "."
        for declared in templates()
    )


# ---------------------------------------------------------------------------- declaring one


def register(declared: Template) -> None:
    """Declare one more template at run time (a test, a plugin); refuses clashing names or keys.

    The templates this build ships are declared in `BUILT_IN` above; this is for code that
    cannot edit that tuple, and it checks what `BUILT_IN` is checked for at import.
    """
    _REGISTRY.index = _indexed([*templates(), declared])


def unregister(name: str) -> None:
    """Forget a template declared with `register`; the built-in free notes stay."""
    if name == DEFAULT:
        raise ValueError("free notes are every item's fallback and cannot be removed")
    gone = template(name)
    _REGISTRY.index = _indexed([declared for declared in templates() if declared is not gone])
