"""Wording of session-file problems for people: one line each, with file:line:col or the field.

One place for the wording, so every screen and command reports a broken file the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import re
import tomllib
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from sessiontui.core import model, note_templates
from sessiontui.core.model import Session

_MAX_PROBLEMS = 100


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*\Z")


_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*\Z")


_PATH_PREFIX = re.compile(r"([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): ")


_PATH_PART = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


class SessionFileError(Exception):
    """A session file that cannot be read or written, as one line per problem people can act on."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def _os_problem(name: str, exc: OSError, verb: str, what: str = "session file") -> str:
    if isinstance(exc, FileNotFoundError):
        return f"{name}: no such file"
    if isinstance(exc, IsADirectoryError):
        return f"{name}: is a directory, not a {what}"
    if isinstance(exc, PermissionError):
        return f"{name}: permission denied; cannot {verb} it"
    return f"{name}: cannot {verb} it: {exc.strerror or exc}"


def _size(count: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


def _bom_problem(name: str) -> str:
    return f"{name}: starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str, name: str) -> str:
    # Python 3.14 added lineno/colno; 3.11 to 3.13 only put them in the message text.
    line: int | None = getattr(exc, "lineno", None)
    column: int | None = getattr(exc, "colno", None)
    message = str(getattr(exc, "msg", None) or exc)
    if match := _TOML_AT.search(message):
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()]
    elif match := _TOML_AT_END.search(message):
        message = message[: match.start()]
        normalised = text.replace("\r\n", "\n")
        line = normalised.count("\n") + 1
        column = len(normalised) - (normalised.rfind("\n") + 1) + 1
    if line is None:
        return f"{name}: {message}"
    hint = None
    if column is not None:
        # A hint is a reading of the text around the error (fuzzed, but still a guess);
        # should that reading fail, tomllib's own words stand.
        with contextlib.suppress(IndexError, ValueError):
            hint = _toml_hint(message, text, line, column)
    if hint:
        line, column, message = hint
    return f"{name}:{line}:{column}: {message}"


_TIME_LIKE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2}[Tt ])?(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2}(?:\.\d+)?))?(?P<offset>[Zz]|[+-]\d{2}:\d{2})?\Z"
)


_DATE_LIKE = re.compile(r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})\Z")


_CURLY_QUOTES = "“”„‟‘’‚‛«»"


_KEY_BEFORE = re.compile(r"\s*([A-Za-z0-9_-]+|\"[^\"\n]*\")\s*=\s*\Z")


_HEADER_START = re.compile(r"\s*(\[\[?)\s*([^\[\]#]*?)\s*\]*\s*(?:#.*)?\Z")


_STATEMENT = re.compile(r"\s*(\[|[A-Za-z0-9_\"'.-][A-Za-z0-9_\"'. -]*=)")


def _toml_hint(message: str, text: str, line: int, column: int) -> tuple[int, int, str] | None:
    """Name the common slip behind a TOML error and its fix, where it can be told for sure.

    tomllib says where it stopped ("Expected newline or end of document after a statement")
    but not why; people writing a session by hand make the same few slips, so each gets a
    line that says what to write instead. Returns the line, column and hint, or None.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    if line > len(lines):
        return None
    current = lines[line - 1]
    if message.startswith(("Expected ']]' at the end of an array", "Expected ']' at the end")):
        header = _HEADER_START.match(current)
        if header and header.group(2):
            closing = "]]" if header.group(1) == "[[" else "]"
            fixed = f"{header.group(1)}{header.group(2)}{closing}"
            return line, column, f"a table header needs its closing brackets: write {fixed}"
        return None
    # tomllib stopped inside a value (10:00 read as 10, then ":"): that value is the slip,
    # even where it reports a list as unclosed because no "," or "]" came after the 10.
    inside_value = 1 < column <= len(current) + 1 and current[column - 2] not in " \t,[{="
    if inside_value and (hint := _value_hint(current, line, column)):
        return hint
    unclosed = _unclosed_bracket(message, lines, line, column)
    if unclosed:
        return unclosed
    if message.startswith(("Illegal character '\\n'", "Unterminated string")):
        return line, column, 'text in quotes must end on its line: add the closing "'
    return _value_hint(current, line, column)


def _unclosed_bracket(
    message: str, lines: list[str], line: int, column: int
) -> tuple[int, int, str] | None:
    offset = sum(len(text) + 1 for text in lines[: line - 1]) + column - 1
    stack = _open_brackets("\n".join(lines), offset)
    if not message.startswith("Unclosed"):
        # Otherwise only a list left open on an earlier line that ran into a new statement
        # (or the end): an error inside a list still going on is about its values.
        at_end = line >= len(lines) and not lines[-1][column - 1 :].strip()
        if not (at_end or _STATEMENT.match(lines[line - 1])):
            return None
        stack = [opened for opened in stack if opened[1] < line]
    if not stack:
        return None
    bracket, opened_line, opened_column = stack[-1]
    if bracket == "{":
        hint = "this inline table is never closed: add } at the end of its line"
    else:
        hint = "this list is never closed: add ] after its last value"
    return opened_line, opened_column, hint


def _open_brackets(text: str, offset: int) -> list[tuple[str, int, int]]:
    """The value brackets ([ and {) still open at offset, with their line and column."""
    stack: list[tuple[str, int, int]] = []
    line, line_start = 1, 0
    at_line_start, in_header = True, False
    for match in _TOKEN.finditer(text, 0, offset):
        kind, value = match.lastgroup, match.group()
        if kind in {"nl", "mlb", "mll"} and "\n" in value:
            line += value.count("\n")
            line_start = match.start() + value.rfind("\n") + 1
        if kind == "nl":
            # A header is a [ that starts a line outside any list; it ends with its line.
            at_line_start, in_header = not stack, False
            continue
        if kind in {"ws", "comment"} or in_header:
            continue
        if at_line_start and value == "[":
            at_line_start, in_header = False, True
            continue
        at_line_start = False
        if value in {"[", "{"}:
            stack.append((value, line, match.start() - line_start + 1))
        elif stack and (value, stack[-1][0]) in {("]", "["), ("}", "{")}:
            stack.pop()
    return stack


def _value_hint(current: str, line: int, column: int) -> tuple[int, int, str] | None:
    """A hint for a value written the way people write it elsewhere: 10:00, 16/02/2023, a title."""
    stop = min(column - 1, len(current))
    start = max(current.rfind(mark, 0, stop) for mark in "=,[{") + 1
    end = len(current)
    for mark in ",]}#":
        found = current.find(mark, stop)
        if found != -1:
            end = min(end, found)
    value = current[start:end].strip()
    if not value or value[0] in "\"'":
        return None
    value_column = start + (len(current[start:end]) - len(current[start:end].lstrip())) + 1
    key = _KEY_BEFORE.match(current[:start])
    key_name = key.group(1).strip('"') if key else None
    write = f"write {key_name} = " if key_name else "write "

    if time := _TIME_LIKE.match(value):
        hour, second = time.group("hour"), time.group("second")
        needs = [
            what
            for what, missing in (("two-digit hours", len(hour) == 1), ("seconds", second is None))
            if missing
        ]
        if not needs:
            return None
        fixed = (
            (time.group("date") or "")
            + f"{int(hour):02d}:{time.group('minute')}:{second or '00'}"
            + (time.group("offset") or "")
        )
        return line, value_column, f"TOML times need {' and '.join(needs)}: {write}{fixed}"
    if date := _DATE_LIKE.match(value):
        fixed_date = _year_month_day(date.group(1), date.group(3), date.group(4))
        if fixed_date:
            return line, value_column, f"TOML dates are year-month-day: {write}{fixed_date}"
        return line, value_column, "TOML dates are year-month-day, such as 2023-02-16"
    if value[0] in _CURLY_QUOTES:
        quoted = json.dumps(value.strip(_CURLY_QUOTES), ensure_ascii=False)
        return line, value_column, f"use straight quotes: {write}{quoted}"
    if re.search(r"[^\W\d_]", value) and value not in {"true", "false", "inf", "nan"}:
        if key_name in _never_text():
            return None
        quoted = json.dumps(value, ensure_ascii=False)
        return line, value_column, f"text must be in quotes: {write}{quoted}"
    return None


def _year_month_day(first: str, middle: str, last: str) -> str | None:
    """16/02/2023 or 2023/2/16 as 2023-02-16; None when the day and month could be either."""
    if len(first) == 4:
        year, month, day = int(first), int(middle), int(last)
    elif len(last) == 4 and int(first) > 12 >= int(middle):
        year, month, day = int(last), int(middle), int(first)
    elif len(last) == 4 and int(middle) > 12 >= int(first):
        year, month, day = int(last), int(first), int(middle)
    else:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _never_text() -> set[str]:
    """Keys that are numbers, true/false, dates or times on every table that has them.

    Quoting a word there would only trade one error for another, so no quotes hint is given.
    """
    text: set[str] = set()
    other: set[str] = set()
    pending: list[type[BaseModel]] = [Session]
    seen: set[type[BaseModel]] = set()
    while pending:
        table = pending.pop()
        seen.add(table)
        for key, field in table.model_fields.items():
            annotation = _strip(field.annotation)
            if typing.get_origin(annotation) is list:
                annotation = _strip(typing.get_args(annotation)[0])
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                if annotation not in seen:
                    pending.append(annotation)
                text.add(key)  # participants: a bare name is text too
            elif annotation is str or typing.get_origin(annotation) is typing.Literal:
                text.add(key)
            else:
                other.add(key)
    return other - text


def _schema_problems(
    errors: list[ErrorDetails], name: str, text: str | None, root: type[BaseModel] = Session
) -> list[str]:
    lines = _KeyLines(text) if text is not None else None
    problems: list[str] = []
    for error in errors:
        shown, located, message = _describe(error, root)
        line = lines.line_of(located) if lines is not None else None
        problem = _problem(name, line, _format_loc(shown)) + message
        if problem not in problems:
            problems.append(problem)
    if len(problems) > _MAX_PROBLEMS:
        hidden = len(problems) - _MAX_PROBLEMS
        problems = [*problems[:_MAX_PROBLEMS], f"{name}: … and {hidden} more problems"]
    return problems


def _problem(name: str, line: int | None, where: str) -> str:
    prefix = f"{name}:{line}: " if line is not None else f"{name}: "
    return prefix + (f"{where}: " if where else "")


def _describe(
    error: ErrorDetails, root: type[BaseModel] = Session
) -> tuple[tuple[int | str, ...], tuple[int | str, ...], str]:
    """Word one pydantic error for people; returns the path to show, the path to find, the text."""
    loc: tuple[int | str, ...] = tuple(error["loc"])
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    keys = [part for part in loc if isinstance(part, str)]
    field = keys[-1] if keys else ""
    minutes = field.endswith("minutes") or (len(loc) >= 2 and loc[-2] == "plan")

    if kind in {"value_error", "assertion_error"}:
        message = re.sub(r"^(Value|Assertion) error, ", "", str(error["msg"]))
        # Model validators name the field themselves ("agenda[1].id: ..."); join rather than repeat.
        match = _PATH_PREFIX.match(message)
        if match:
            extra = _parse_path(match.group(1))
            if _annotation_at(loc + extra[:1], root) is not None:
                loc += extra
                message = message[match.end() :]
        return loc, loc, message
    if kind == "extra_forbidden":
        key = str(loc[-1])
        message = f"unknown key {key!r}"
        parent = _strip(_annotation_at(loc[:-1], root))
        if isinstance(parent, type) and issubclass(parent, BaseModel):
            known = list(parent.model_fields)
            if parent.__name__ == "Note":
                # A note's text keys are its template's questions, declared in the registry.
                known += note_templates.field_keys()
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            if close:
                message += f" (did you mean {close[0]!r}?)"
        return loc[:-1], loc, message

    if kind == "missing":
        message = "required field is missing"
    elif kind in {"int_parsing", "int_from_float", "int_type"}:
        message = "must be a whole number" + (" of minutes" if minutes else "")
    elif kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        words = {
            "greater_than_equal": ("at least", "ge"),
            "greater_than": ("more than", "gt"),
            "less_than_equal": ("at most", "le"),
            "less_than": ("less than", "lt"),
        }[kind]
        bound = ctx.get(words[1])
        # A float field reports its bound as 1.0; people wrote 1.
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        message = f"must be {words[0]} {bound}"
    elif kind == "string_too_short":
        minimum = ctx.get("min_length", 1)
        message = "must not be empty" if minimum == 1 else f"must be at least {minimum} characters"
    elif kind == "string_too_long":
        message = f"must be at most {ctx.get('max_length')} characters"
    elif kind == "string_type":
        message = "must be text in quotes"
    elif kind == "string_unicode":
        message = "contains a lone surrogate, which cannot be saved as UTF-8"
    elif kind in {"float_type", "float_parsing"}:
        message = "must be a number such as 0.2"
    elif kind == "finite_number":
        message = "must be a finite number"
    elif kind in {"bool_type", "bool_parsing"}:
        message = "must be true or false"
    elif kind in {"list_type", "tuple_type"}:
        message = "must be a list in square brackets"
    elif kind in {"model_type", "model_attributes_type", "dict_type"}:
        if loc[:1] == ("participants",) and len(loc) == 2:
            message = "must be a name in quotes or a table with a name"
        else:
            message = "must be a table"
    elif kind == "literal_error":
        choices = re.findall(r"'((?:[^'\\]|\\.)*)'", str(ctx.get("expected", "")))
        message = "must be one of: " + ", ".join(choices)
    elif kind == "string_pattern_mismatch":
        if ctx.get("pattern") == model.SLUG_PATTERN:
            message = "must be a slug: lowercase letters, digits and dashes"
        else:
            message = f"must match the pattern {ctx.get('pattern')}"
    elif kind.startswith("time_"):
        message = "must be a TOML local time such as 13:00:00"
    elif kind.startswith("datetime_"):
        message = "must be a TOML offset date-time such as 2023-02-16T13:00:00Z"
    elif kind.startswith("date_"):
        message = "must be a TOML local date such as 2023-02-16"
    else:
        raw = str(error["msg"])
        message = raw[:1].lower() + raw[1:]
    return loc, loc, message


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = part if _BARE_KEY.match(part) else json.dumps(part, ensure_ascii=False)
            out += f".{key}" if out else key
    return out


def _parse_path(text: str) -> tuple[int | str, ...]:
    return tuple(int(index) if index else key for key, index in _PATH_PART.findall(text))


def _annotation_at(loc: tuple[int | str, ...], root: type[BaseModel] = Session) -> Any:
    """The type found at a path of the root model, or None, so messages only trust real paths."""
    annotation: Any = root
    for part in loc:
        annotation = _strip(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = annotation.model_fields
            if not isinstance(part, str) or part not in fields:
                return None
            annotation = fields[part].annotation
        elif origin is list and isinstance(part, int):
            annotation = typing.get_args(annotation)[0]
        elif origin is dict and isinstance(part, str):
            annotation = typing.get_args(annotation)[1]
        else:
            return None
    return annotation


def _strip(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in {typing.Union, types.UnionType}:
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _token_pattern() -> re.Pattern[str]:
    # Strings are matched whole so brackets, '=' and '#' inside them are never mistaken for
    # structure; possessive repeats keep megabyte-long strings linear.
    q3, a3 = '"' * 3, "'" * 3
    return re.compile(
        "|".join(
            [
                rf"(?P<mlb>{q3}(?:[^\"\\]++|\\[\s\S]|\"\"?(?!\"))*+\"{{3,5}})",
                rf"(?P<mll>{a3}(?:[^']++|''?(?!'))*+'{{3,5}})",
                r"(?P<str>\"(?:[^\"\\\n]++|\\.)*+\"|'[^'\n]*+')",
                r"(?P<comment>#[^\n]*+)",
                r"(?P<nl>\n)",
                r"(?P<ws>[ \t\r]++)",
                r"(?P<punct>[\[\]{}=.,])",
                r"(?P<bare>[^\s\[\]{}=.,\"'#]++)",
            ]
        )
    )


_TOKEN = _token_pattern()


class _KeyLines:
    """Line numbers of the keys and tables of a parsed TOML text, so errors can say where to look.

    tomllib keeps no positions; this small scanner only has to be good enough for text
    tomllib already accepted, and any surprise just means the line number is left out.
    """

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[int | str, ...], int] = {}
        self._aot: dict[tuple[int | str, ...], int] = {}
        surprises = (IndexError, ValueError, KeyError, RecursionError, tomllib.TOMLDecodeError)
        with contextlib.suppress(*surprises):
            self._scan(text.replace("\r\n", "\n"))

    @classmethod
    def line_in(cls, text: str, loc: tuple[int | str, ...]) -> int | None:
        """The line of one path in the text, for the few errors raised before validation."""
        return cls(text).line_of(loc)

    def line_of(self, loc: tuple[int | str, ...]) -> int | None:
        """The line of the deepest part of the path that appears in the text, or None."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None

    def _scan(self, text: str) -> None:
        tokens: list[tuple[str, str, int]] = []
        line = 1
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup or "bare"
            value = match.group()
            if kind not in {"ws", "comment"}:
                tokens.append((kind, value, line))
            line += value.count("\n") if kind in {"nl", "mlb", "mll"} else 0
        tokens.append(("eof", "", line))
        self._tokens = tokens
        table: tuple[int | str, ...] = ()
        pos = 0
        while tokens[pos][0] != "eof":
            kind, value, line = tokens[pos]
            if kind == "nl":
                pos += 1
            elif value == "[":
                table, pos = self._header(pos)
            else:
                pos = self._key_value(pos, table)

    def _header(self, pos: int) -> tuple[tuple[int | str, ...], int]:
        line = self._tokens[pos][2]
        is_array = self._tokens[pos + 1][1] == "["
        keys, pos = self._key(pos + (2 if is_array else 1))
        loc: tuple[int | str, ...] = ()
        for index, key in enumerate(keys):
            loc += (key,)
            if is_array and index == len(keys) - 1:
                count = self._aot.get(loc, -1) + 1
                self._aot[loc] = count
                loc += (count,)
            elif loc in self._aot:
                loc += (self._aot[loc],)
            self.lines.setdefault(loc, line)
        while self._tokens[pos][0] not in {"nl", "eof"}:
            pos += 1
        return loc, pos

    def _key_value(self, pos: int, table: tuple[int | str, ...]) -> int:
        line = self._tokens[pos][2]
        keys, pos = self._key(pos)
        for end in range(1, len(keys) + 1):
            self.lines.setdefault(table + keys[:end], line)
        pos += 1  # the "="
        return self._value(pos, table + keys)

    def _key(self, pos: int) -> tuple[tuple[str, ...], int]:
        keys: list[str] = []
        while True:
            kind, value, _ = self._tokens[pos]
            if kind == "str":
                keys.append(tomllib.loads(f"k = {value}")["k"])
            elif kind == "bare":
                keys.append(value)
            else:
                raise ValueError(value)
            pos += 1
            if self._tokens[pos][1] != ".":
                return tuple(keys), pos
            pos += 1

    def _skip_newlines(self, pos: int) -> int:
        while self._tokens[pos][0] == "nl":
            pos += 1
        return pos

    def _value(self, pos: int, loc: tuple[int | str, ...]) -> int:
        value = self._tokens[pos][1]
        if value in {"[", "{"}:
            closing = "]" if value == "[" else "}"
            index = 0
            pos = self._skip_newlines(pos + 1)
            while self._tokens[pos][1] != closing:
                if value == "[":
                    self.lines.setdefault((*loc, index), self._tokens[pos][2])
                    pos = self._value(pos, (*loc, index))
                    index += 1
                else:
                    pos = self._key_value(pos, loc)
                pos = self._skip_newlines(pos)
                if self._tokens[pos][1] == ",":
                    pos = self._skip_newlines(pos + 1)
            return pos + 1
        # A scalar can span several tokens (3.5, 1979-05-27 07:32:00), so skip to its end.
        while self._tokens[pos][0] != "eof" and self._tokens[pos][1] not in {"\n", ",", "]", "}"}:
            pos += 1
        return pos


def _newer(name: str, version: int, action: str) -> str:
    return (
        f"{name}: written by a newer sessiontui (schema_version {version};"
        f" this one reads up to {model.SCHEMA_VERSION}); {action}"
    )


def describe_error(error: BaseException) -> str:
    """One line saying why a save failed, for a warning that has to fit on the screen."""
    problems = getattr(error, "problems", None)
    if isinstance(problems, list) and problems:
        return str(problems[0])
    if isinstance(error, OSError) and error.strerror and error.filename is None:
        return error.strerror
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def problems_of(error: BaseException) -> list[str]:
    """The one-line messages of a failed read, whatever raised it, to show on screen."""
    problems = getattr(error, "problems", None)
    if isinstance(problems, list) and problems:
        return [str(problem) for problem in problems]
    if isinstance(error, OSError):
        return [error.strerror or str(error)]
    return [f"{type(error).__name__}: {error}"]
