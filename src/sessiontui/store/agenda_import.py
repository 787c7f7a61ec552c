"""Read an agenda table from disk: a .csv file or the first sheet of an .xlsx workbook.

Returns rows of cells with the line (or spreadsheet row) each began on, for
`core.agenda_import` to make into items; openpyxl is imported only for a workbook, so the
command line stays quick for CSV.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Final

from sessiontui.core.agenda_import import Cell
from sessiontui.store.errors import SessionFileError, _os_problem

SUFFIXES: Final = (".csv", ".xlsx")
"""The kinds of file an agenda can be imported from."""

Rows = list[tuple[int, list[Cell]]]


def read_rows(path: Path) -> Rows:
    """Every row of the table with the line it starts on; SessionFileError in one line if not."""
    name = os.fspath(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SessionFileError(
            f"{name}: not a .csv or .xlsx file; save the agenda as CSV (UTF-8) or Excel"
        )
    try:
        if suffix == ".csv":
            return _csv_rows(path, name)
        return _xlsx_rows(path, name)
    except OSError as error:
        raise SessionFileError(_os_problem(name, error, "read", "agenda file")) from None


def _csv_rows(path: Path, name: str) -> Rows:
    data = path.read_bytes()
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SessionFileError(
            f"{name}:{line}: not UTF-8 text; save it as CSV UTF-8 (byte 0x{data[error.start]:02x})"
        ) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in many countries write ';' between cells, as ',' is their decimal point.
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    rows: Rows = []
    try:
        line = 1
        for cells in reader:
            row: list[Cell] = [*cells]
            rows.append((line, row))
            # A quoted cell may hold line breaks: the next row starts after all of them.
            line = reader.line_num + 1
    except csv.Error as error:
        raise SessionFileError(f"{name}:{reader.line_num}: {error}") from None
    return rows


def _xlsx_rows(path: Path, name: str) -> Rows:
    import zipfile

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise SessionFileError(f"{name}: not a readable .xlsx workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        rows: Rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell(value) for value in values]))
        return rows
    finally:
        workbook.close()


def _cell(value: object) -> Cell:
    """A spreadsheet value as a cell: numbers, times and text kept, anything else as text."""
    import datetime as dt

    if value is None or isinstance(value, str | int | float | dt.time | dt.timedelta):
        return value
    if isinstance(value, dt.datetime):
        return value
    return str(value)
