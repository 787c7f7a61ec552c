"""The participants' minutes: under the Chatham House Rule they name nobody and no organisation.

Checked against every name and organisation in the session file, in both formats, on the
recorded workshop and on one whose notes, group names and commitments were typed with
people's names and organisations in them. The only places a name may appear are the
session's own title and series (a series may be named after the organisation hosting it)
and the facilitators' line of the header.
"""

from __future__ import annotations

import html as html_text
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from recorded import recorded_example
from sessiontui import session_file
from sessiontui.core.model import Session
from sessiontui.minutes import formats, view


def name_words(name: str) -> list[str]:
    """The words of a name the minutes hide when they stand alone (two letters or more)."""
    return re.findall(r"\w[\w'’-]*\w", name)


def as_read(text: str, fmt: str) -> str:
    """What a reader sees: HTML's tags dropped and entities decoded (O&#39;Neill is O'Neill),
    Markdown's backslash escapes and entities undone (\\[name\\] is [name])."""
    if fmt == "html":
        return html_text.unescape(re.sub(r"<[^>]+>", " ", text))
    return html_text.unescape(re.sub(r"\\(.)", r"\1", text))


def without_the_sessions_own_words(text: str, session: Session) -> str:
    """The export without the title, the series and the facilitators' header line."""
    for own in (session.title, session.series or ""):
        if own:
            text = text.replace(own, "")
    lines = [line for line in text.splitlines() if "Facilitators" not in line]
    return "\n".join(lines)


def mentions(text: str, phrase: str, *, any_case: bool) -> bool:
    """Whether `phrase` stands in `text` as whole words (any spacing between its words)."""
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())
    flags = re.IGNORECASE if any_case else 0
    return re.search(rf"(?<!\w){pattern}(?!\w)", text, flags) is not None


def people_named_in(text: str, session: Session) -> list[str]:
    """Every participant's name, word of a name, or organisation, and facilitator, in `text`.

    Whole names and organisations in any case; each word of a name as it is spelt.
    """
    found = []
    people = [p.name for p in session.participants] + list(session.facilitators)
    orgs = [p.org for p in session.participants if p.org]
    for phrase in people + orgs:
        if mentions(text, phrase, any_case=True):
            found.append(phrase)
    for name in people:
        found += [word for word in name_words(name) if mentions(text, word, any_case=False)]
    return found


def with_names_typed_in(session: Session) -> Session:
    """The recorded workshop with names and organisations typed into its notes and commitments."""
    first, second = session.participants[0], session.participants[5]
    typed = (
        f"{first.name} ({first.org}) said the waiting list is the problem.\n"
        f"{second.name.split()[0]} from {str(second.org).upper()} agreed; "
        "Debbie asked who owns it."
    )
    notes = []
    for note in session.notes:
        changed = note
        if note.item == "coffee-trial":
            changed = note.model_copy(update={"text": typed})
        if note.group == "Group 2":
            changed = note.model_copy(update={"group": "Dev Sharma's table"})
        notes.append(changed)
    groups = [
        group.model_copy(update={"name": "Dev Sharma's table"})
        if group.name == "Group 2"
        else group
        for group in session.groups
    ]
    actions = list(session.actions)
    actions[0] = actions[0].model_copy(
        update={"what": f"Call Laura at {session.participants[11].org} about the pathway"}
    )
    return session.model_copy(update={"notes": notes, "groups": groups, "actions": actions})


SESSIONS = {
    "recorded": recorded_example(),
    "names typed in": with_names_typed_in(recorded_example()),
}


@pytest.mark.parametrize("fmt", formats.FORMATS)
@pytest.mark.parametrize("which", SESSIONS)
def test_participants_minutes_under_chatham_house_name_nobody_and_no_organisation(
    which: str, fmt: str
) -> None:
    session = SESSIONS[which]
    assert session.chatham_house
    text = as_read(formats.render(session, fmt, "participants"), fmt)
    assert people_named_in(without_the_sessions_own_words(text, session), session) == []
    # The notes are there, with the names taken out of them.
    if which == "recorded":
        assert "Three pairs found they work on the same estate" in text
    else:
        assert "[name] ([organisation]) said the waiting list is the problem." in text
        assert "[name] from [organisation] agreed; [name] asked who owns it." in text
        assert "[name]'s table" in text
        assert "Call [name] at [organisation] about the pathway" in text


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_the_check_itself_finds_the_names_in_the_facilitators_minutes(fmt: str) -> None:
    # The same check on the facilitators' minutes finds every participant: it can fail.
    session = with_names_typed_in(recorded_example())
    text = as_read(formats.render(session, fmt, "facilitators"), fmt)
    named = people_named_in(without_the_sessions_own_words(text, session), session)
    for person in session.participants:
        assert person.name in named
        assert person.org in named


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_participants_never_see_facilitator_notes_or_the_run_log(fmt: str) -> None:
    session = recorded_example()
    text = as_read(formats.render(session, fmt, "participants"), fmt)
    private = [item.facilitator_notes for item in session.agenda if item.facilitator_notes]
    assert private
    for notes in private:
        for line in notes.splitlines():
            if line.strip():
                assert line.strip() not in text
    assert view.HAPPENED not in text
    assert "Find your partner in your breakout room" not in text
    assert "Paused for 3 min" not in text


def test_without_chatham_house_participants_see_who_took_part_and_who_committed() -> None:
    session = recorded_example().model_copy(update={"chatham_house": False})
    minutes = view.minutes_of(session, "participants")
    keys = [section.key for section in minutes.sections]
    assert keys == [
        "people",
        "agenda",
        "notes",
        "common-purpose",
        "commitments",
        "ways",
        "coming-up",
    ]
    assert minutes.header.notice is None
    text = formats.render(session, "md", "participants")
    assert "- Amira Patel (Active Notts)" in text
    assert "*Members:* Ben Clarke, Eleanor Hughes, Harpreet Kaur, Kwame Mensah" in text
    assert "| Amira Patel | Try the common purpose exercise with my team |" in text


def test_the_facilitators_minutes_say_they_name_people_when_the_rule_applies() -> None:
    session = recorded_example()
    facilitators = view.minutes_of(session)
    assert facilitators.header.notice == view.CHATHAM_HOUSE_FOR_FACILITATORS
    assert view.minutes_of(session, "participants").header.notice == (
        view.CHATHAM_HOUSE_FOR_PARTICIPANTS
    )
    by_key = {section.key: section.body for section in facilitators.sections}
    commitments = by_key["commitments"]
    assert isinstance(commitments, view.Commitments) and commitments.named


def test_a_word_of_a_name_is_hidden_as_written_and_ordinary_words_stay(
    example_path: Path,
) -> None:
    hide = view.anonymiser(session_file.load(example_path).session)
    assert hide("Grace O'Neill and grace period") == "[name] and grace period"
    assert hide("GRACE O'NEILL, Grace, O'Neill") == "[name], [name], [name]"
    assert hide("at Active  Notts today") == "at [organisation] today"
    assert hide("Benefits for Ben") == "Benefits for [name]"
    assert hide("Nottingham CityCare and Nottinghamshire") == "[organisation] and Nottinghamshire"


person_name = st.from_regex(r"[A-Z][a-z]{2,9}( [A-Z][a-z]{2,9}){0,2}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(
    name=person_name,
    org=person_name.map(lambda text: f"{text} Trust"),
    fmt=st.sampled_from(formats.FORMATS),
)
def test_any_participant_typed_into_a_note_is_hidden_in_the_participants_minutes(
    name: str, org: str, fmt: str
) -> None:
    base = recorded_example()
    # A name that is also a word of the workshop ("Tea", "Group") would be found in its plan.
    plain = as_read(formats.render(base, fmt, "participants"), fmt)
    assume(not re.search(rf"(?<!\w)(?:{'|'.join(name.split())})(?!\w)", plain))
    assume(org.casefold() not in plain.casefold())
    people = list(base.participants)
    people[0] = people[0].model_copy(update={"name": name, "org": org})
    notes = [
        note.model_copy(
            update={"text": f"{name} of {org} said so; later {name.split(maxsplit=1)[0]} too."}
        )
        if note.item == "coffee-trial"
        else note
        for note in base.notes
    ]
    session = base.model_copy(update={"participants": people, "notes": notes})
    text = as_read(formats.render(session, fmt, "participants"), fmt)
    body = without_the_sessions_own_words(text, session)
    assert people_named_in(body, session) == []
    assert "[name] of [organisation] said so; later [name] too." in text
