"""Agenda tables read from .csv (any delimiter, a BOM, cells over several lines) and .xlsx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sessiontui.store.agenda_import import read_rows
from sessiontui.store.errors import SessionFileError


def test_csv_rows_carry_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "agenda.csv"
    path.write_bytes(
        '\ufefftitle,minutes,prompts\nWelcome,10,"one\ntwo"\nClose,5,\n'.encode("utf-8")
    )
    assert read_rows(path) == [
        (1, ["title", "minutes", "prompts"]),
        (2, ["Welcome", "10", "one\ntwo"]),
        (4, ["Close", "5", ""]),
    ]


def test_semicolons_between_cells_are_read_too(tmp_path: Path) -> None:
    path = tmp_path / "agenda.csv"
    path.write_text("title;minutes\nWelcome, all;10\n", encoding="utf-8")
    assert read_rows(path)[1] == (2, ["Welcome, all", "10"])


def test_a_file_that_is_not_utf8_says_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "agenda.csv"
    path.write_bytes(b"title,minutes\nCaf\xe9,10\n")
    with pytest.raises(SessionFileError, match=r"agenda.csv:2: not UTF-8 text; save it as CSV"):
        read_rows(path)


@pytest.mark.parametrize("name", ["agenda.txt", "agenda.xls"])
def test_other_kinds_of_file_are_refused_by_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    with pytest.raises(SessionFileError, match=r"not a \.csv or \.xlsx file"):
        read_rows(path)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(SessionFileError, match="no such file"):
        read_rows(tmp_path / "gone.csv")


def test_xlsx_cells_keep_their_types(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Title", "Minutes", "Start"])
    sheet.append(["Welcome", 10, dt.time(13, 30)])
    sheet.append([None, None, None])
    sheet.append(["Close", 5, None])
    path = tmp_path / "agenda.xlsx"
    workbook.save(path)

    rows = read_rows(path)
    assert rows[0] == (1, ["Title", "Minutes", "Start"])
    assert rows[1] == (2, ["Welcome", 10, dt.time(13, 30)])
    assert rows[3] == (4, ["Close", 5, None])


def test_a_broken_workbook_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "agenda.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(SessionFileError, match=r"not a readable \.xlsx workbook"):
        read_rows(path)
