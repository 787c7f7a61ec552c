"""Whatever people type, the minutes keep their structure and show the text as text.

Arbitrary note text, commitments, titles and names (markup, script, pipes, fences, escape
sequences, entities, newlines) are put into the recorded workshop; the Markdown is parsed with
markdown-it (CommonMark and tables, as GitHub and most mail tools read it) and the HTML with
html.parser, and both must come back with the same tables, headings and tags, and the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from recorded import recorded_example
from sessiontui.core.model import Session
from sessiontui.display import safe_line, safe_text
from sessiontui.minutes import html, markdown, view

NASTY = [
    "[b]x[/]",
    "[@click=app.quit]q[/]",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!--",
    "-->",
    "<br>",
    "|",
    "| --- |",
    "`",
    "```",
    "~~~",
    "\n",
    "\r\n",
    "\n\n",
    "\x1b[31m",
    "\x00",
    "\x07",
    "\u202e",
    "\u2028",
    "\ud800",
    "&amp;",
    "&lt;",
    "&#60;",
    "&",
    "<",
    ">",
    "*",
    "**",
    "_",
    "#",
    "## ",
    "- ",
    "+ ",
    "* ",
    "1. ",
    "2) ",
    "> ",
    "=",
    "===",
    "---",
    "\\",
    "    ",
    "\t",
    "[link](http://example.com)",
    "![i](x.png)",
    "<http://example.com>",
    "[x]: http://example.com",
    '"',
    "'",
    "é",
    "日本語",
    "😀",
    " ",
]

user_text = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), min_size=1, max_size=12
).map("".join)


@cache
def _recorded() -> Session:
    return recorded_example()


@dataclass(frozen=True)
class Typed:
    """What people typed, and where it went in the recorded workshop."""

    title: str
    name: str
    org: str
    note: str
    who: str
    what: str

    def session(self) -> Session:
        base = _recorded()
        people = list(base.participants)
        people[0] = people[0].model_copy(update={"name": self.name, "org": self.org})
        notes = [
            note.model_copy(update={"text": self.note}) if note.item == "coffee-trial" else note
            for note in base.notes
        ]
        actions = list(base.actions)
        actions[1] = actions[1].model_copy(update={"who": self.who, "what": self.what})
        return base.model_copy(
            update={
                "title": self.title,
                "participants": people,
                "notes": notes,
                "actions": actions,
            }
        )


PLAIN = Typed("Title", "Name", "Org", "Note", "Who", "What")

typed = st.builds(
    Typed,
    title=user_text.filter(lambda text: 1 <= len(text) <= 1000),
    name=user_text.filter(lambda text: 1 <= len(text) <= 1000),
    org=user_text,
    # An all-blank note is not a note: the review leaves it out, so the minutes would have one
    # group fewer, which is right but not what this test is about.
    note=user_text.filter(lambda text: text.strip() != ""),
    who=user_text.filter(lambda text: 1 <= len(text) <= 1000),
    what=user_text.filter(lambda text: text != ""),
)


# ---------------------------------------------------------------------------- Markdown

PARSER = MarkdownIt("commonmark").enable("table")


def words(text: str) -> str:
    """Text with its whitespace runs made single spaces: Markdown does not keep them."""
    return " ".join(text.split())


def inline_text(token: Token) -> str:
    """What a reader sees of one inline token: its text, breaks as newlines."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and child.content == "<br>"
        ):
            parts.append("\n")
    return "".join(parts)


def headings(tokens: list[Token]) -> list[tuple[str, str]]:
    return [
        (token.tag, inline_text(tokens[index + 1]))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Every table as rows of cell texts."""
    found: list[list[list[str]]] = []
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            found[-1].append([])
        elif token.type in ("th_open", "td_open"):
            found[-1][-1].append(inline_text(tokens[index + 1]))
    return found


def blocks_after(tokens: list[Token], heading: tuple[str, str]) -> list[Token]:
    """The tokens between a heading and the next one."""
    start = next(
        index
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and (token.tag, inline_text(tokens[index + 1])) == heading
    )
    end = next(
        (index for index in range(start + 3, len(tokens)) if tokens[index].type == "heading_open"),
        len(tokens),
    )
    return tokens[start + 3 : end]


def md_lines(text: str) -> list[str]:
    """The lines of user text as Markdown can keep them: stripped, blank runs dropped."""
    return [line.strip() for line in safe_text(text).split("\n") if line.strip()]


def md_cell_text(text: str) -> str:
    lines = [line.strip() for line in safe_text(text).split("\n")]
    return "\n".join(lines).strip("\n")


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(typed)
def test_typed_text_never_changes_the_markdown_structure_and_reads_back_as_text(
    typed: Typed,
) -> None:
    session = typed.session()
    tokens = PARSER.parse(markdown.render(session))
    expected_tokens = PARSER.parse(markdown.render(PLAIN.session()))

    assert [t.type for t in tokens if t.type == "html_block"] == []
    raw_html = [
        child.content
        for token in tokens
        for child in token.children or []
        if child.type == "html_inline"
    ]
    assert set(raw_html) <= {"<br>"}

    # The same headings, at the same levels; the ones with user text read as that text.
    got_headings = headings(tokens)
    assert [tag for tag, _ in got_headings] == [tag for tag, _ in headings(expected_tokens)]
    assert got_headings[0] == ("h1", words(safe_line(typed.title)))
    assert [text for tag, text in got_headings if tag == "h2"] == [
        view.WHO,
        view.AGENDA,
        view.HAPPENED,
        view.NOTES,
        view.PURPOSE,
        view.COMMITMENTS,
        view.WAYS,
        view.COMING_UP,
    ]

    # Both tables keep their rows and columns; the commitment's cells are its text.
    agenda, commitments = tables(tokens)
    assert [len(row) for row in agenda] == [8] * (1 + len(session.agenda))
    assert [len(row) for row in commitments] == [4] * (1 + len(session.actions))
    assert commitments[2][:2] == [md_cell_text(typed.who), md_cell_text(typed.what)]

    # The note, its line breaks kept, in the whole room's paragraphs.
    blocks = blocks_after(tokens, ("h4", "Whole room"))
    paragraphs = [
        inline_text(blocks[index + 1])
        for index, token in enumerate(blocks)
        if token.type == "paragraph_open"
    ]
    assert all(token.type in ("paragraph_open", "inline", "paragraph_close") for token in blocks)
    assert "\n".join(paragraphs).split("\n") == md_lines(typed.note)

    # The participant is one list item reading as their name and organisation.
    people = blocks_after(tokens, ("h2", view.WHO))
    items = [
        inline_text(people[index + 2])
        for index, token in enumerate(people)
        if token.type == "list_item_open"
    ]
    assert len(items) == len([p for p in session.participants if not p.absent])
    person = f"{typed.name} ({typed.org})" if typed.org else typed.name
    assert items[0] == words(safe_line(person))


def test_the_markdown_escaping_is_readable_where_nothing_needs_escaping() -> None:
    assert markdown.md_text("Get more people moving: 40 words, please!") == (
        "Get more people moving: 40 words, please!"
    )
    assert markdown.md_text("1. a <b> & `c` | d") == "1\\. a &lt;b&gt; &amp; \\`c\\` \\| d"


# ---------------------------------------------------------------------------- HTML

ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "header",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "p",
    "dl",
    "dt",
    "dd",
    "ul",
    "li",
    "div",
    "span",
    "strong",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "svg",
    "g",
    "line",
    "rect",
    "text",
    "tspan",
}
VOID = {"meta"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def find_all(self, tag: str, cls: str | None = None) -> list[Element]:
        found = []
        for child in self.children:
            classes = child.attrs.get("class", "").split()
            if child.tag == tag and (cls is None or cls in classes):
                found.append(child)
            found += child.find_all(tag, cls)
        return found

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)


class Tree(HTMLParser):
    """The page as a tree, failing on a tag that closes what it did not open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.tags: list[str] = []
        self.attribute_names: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.tags.append(tag)
        self.attribute_names += [name for name, _ in attrs]
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        # Text after a child belongs to the parent too: kept in order as a text child.
        self.stack[-1].children.append(Element("#text", {}, data))


def parse(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert [element.tag for element in tree.stack] == ["#document"], "unclosed tags"
    return tree


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(typed)
def test_typed_text_never_adds_a_tag_or_attribute_to_the_html_and_reads_back_exactly(
    typed: Typed,
) -> None:
    session = typed.session()
    tree = parse(html.render(session))
    plain = parse(html.render(PLAIN.session()))

    assert set(tree.tags) <= ALLOWED_TAGS
    assert tree.tags == plain.tags, "the page's elements changed with what was typed"
    assert tree.tags.count("style") == 1
    assert "script" not in tree.tags
    assert not [name for name in tree.attribute_names if name.lower().startswith("on")]

    root = tree.root
    assert root.find_all("h1")[0].all_text() == safe_line(typed.title)
    assert root.find_all("title")[0].all_text() == f"Minutes: {safe_line(typed.title)}"
    notes = root.find_all("p", "note")
    assert notes[0].all_text() == safe_text(typed.note)
    who, what = root.find_all("tbody")[1].find_all("tr")[1].find_all("td")[:2]
    assert (who.all_text(), what.all_text()) == (safe_text(typed.who), safe_text(typed.what))
    person = f"{typed.name} ({typed.org})" if typed.org else typed.name
    people = root.find_all("section")[0].find_all("li")
    assert people[0].all_text() == safe_line(person)
