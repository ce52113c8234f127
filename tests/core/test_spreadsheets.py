"""Issue 14, point 11: open-data CSV cells neutralised for full-width formula signs and bidirectional controls."""

import csv
import io

import pytest

from core.spreadsheets import csv_bytes, neutralise


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ('\uff1dHYPERLINK("http://x")', '\'\uff1dHYPERLINK("http://x")'),  # full-width equals sign
        ("\uff0b1", "'\uff0b1"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
        ("  =1+1", "'  =1+1"),  # a sign behind spaces
        ("\u3000=1", "'\u3000=1"),  # behind an ideographic space
        ("abc\u202etxt.exe", "abctxt.exe"),  # right-to-left override removed
        ("\u2067=cmd\u2069", "'=cmd"),  # an isolate hiding a formula sign
        ("Nguyễn Thị Hoa", "Nguyễn Thị Hoa"),
        ("BY-01", "BY-01"),
    ],
)
def test_neutralise(cell, written):
    assert neutralise(cell) == written


def test_numbers_stay_numbers():
    assert neutralise(-5) == -5 and neutralise(1.5) == 1.5


def test_every_cell_of_a_csv_is_neutralised():
    data = csv_bytes(["name"], [["\uff1d1+1"], ["x\u202ey"]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(data))) == [["name"], ["'\uff1d1+1"], ["xy"]]
