"""Reading a voter file without a database: each refusal reason, with its line."""

import datetime as dt
import io

import pytest
from django.utils import translation

from voters.crypto import derive
from voters.importers import FileRefused, ReadStats, name_key, read_voters

from .conftest import HEADER

CIPHER = derive("unit-test-key")
UNITS = {"U1": 1, "U2": 2}


def read(text: str):
    stats = ReadStats()
    with translation.override("en"):
        rows = list(
            read_voters(io.StringIO(text), units=UNITS, election_day=dt.date(2021, 5, 23), cipher=CIPHER, stats=stats)
        )
    return rows, stats


def test_good_rows_become_staged_tuples():
    rows, stats = read(
        f"{HEADER}\n079090000001,  Nguyễn   Văn An ,1970-01-02,male,U1,\n"
        "079090000002,Bà Ba,1960-05,female,U2,temporary_short\n"
    )
    assert stats.refusals == []
    assert [r[0] for r in rows] == [2, 3]
    first = rows[0]
    assert first[1] == 1 and first[4] == "Nguyễn Văn An" and first[5] == "nguyen van an"
    assert first[2] == CIPHER.digest("079090000001")
    assert CIPHER.open(first[3], first[2]) == "079090000001"
    assert b"079090000001" not in first[3]
    assert rows[1][6] == dt.date(1960, 5, 1) and rows[1][7] == "month" and rows[1][9] == "temporary_short"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("79090000001,A B,1970-01-01,male,U1,", "national ID must be 12 digits"),
        ("07909000000X,A B,1970-01-01,male,U1,", "national ID must be 12 digits"),
        ("079090000009,A B,2003-05-24,male,U1,", "under 18 on election day"),
        ("079090000009,A B,1970-01-01,male,U7,", 'unknown polling unit "U7"'),
        ("079090000009,A B,1970-02-30,male,U1,", "date of birth is malformed"),
        ("079090000009,A B,23/05/1970,male,U1,", "date of birth is malformed"),
        ("079090000009,,1970-01-01,male,U1,", "full name is empty"),
        ("079090000009,A B,1970-01-01,other,U1,", "gender must be"),
        ("079090000009,A B,1970-01-01,male,U1,forever", "residence must be"),
        ("079090000009,A B,1970-01-01,male,U1", "expected 6 columns, found 5"),
    ],
)
def test_each_refusal_names_line_and_reason(row, reason):
    rows, stats = read(f"{HEADER}\n079090000001,Ok,1970-01-01,male,U1,\n{row}\n")
    assert len(rows) == 1
    assert len(stats.refusals) == 1
    line, message = stats.refusals[0]
    assert line == 3 and reason in message


def test_turning_18_on_election_day_is_accepted():
    rows, stats = read(f"{HEADER}\n079090000001,A,2003-05-23,male,U1,\n079090000002,B,2003-05-24,male,U1,\n")
    assert [r[0] for r in rows] == [2]
    assert stats.refusals[0][0] == 3


def test_duplicate_in_file_names_the_first_line():
    rows, stats = read(
        f"{HEADER}\n079090000001,A,1970-01-01,male,U1,\n079090000002,B,1970-01-01,male,U1,\n079090000001,C,1970-01-01,male,U2,\n"
    )
    assert stats.refusals == [(4, "national ID already in the file, on line 2")]


@pytest.mark.parametrize(
    "text",
    ["", "id,name\n", "national_id,full_name,date_of_birth,gender,polling_unit,residence,shoe_size\n"],
)
def test_bad_header_refuses_the_file(text):
    with pytest.raises(FileRefused):
        read(text)


def test_blank_lines_are_not_rows():
    rows, stats = read(f"{HEADER}\n\n079090000001,A,1970-01-01,male,U1,\n\n")
    assert len(rows) == 1 and stats.rows == 1 and stats.refusals == []


def test_name_key_drops_diacritics():
    assert name_key("Đặng Thị Ngọc Ánh") == "dang thi ngoc anh"
