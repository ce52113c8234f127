"""Reading a voter file without a database: each refusal reason with its line, both ways of cutting a file."""

import csv
import datetime as dt
import io

import numpy as np
import polars as pl
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.voters.conftest import HEADER
from voters.crypto import SealBroken, derive, token_order, token_sort
from voters.importing import checks, ordering, reasons, scanning
from voters.importing import reading as importers
from voters.importing.reading import FileRefused, name_key

CIPHER = derive("unit-test-key")
UNITS = importers.units_frame({"U1": 1, "U2": 2})
ELECTION_DAY = dt.date(2021, 5, 23)
CUTOFF = dt.date(2003, 5, 23)


def scan(data: bytes | str) -> scanning.Scan:
    fh = io.BytesIO(data.encode() if isinstance(data, str) else data)
    with translation.override("en"):
        width = importers.read_header(fh)
        return scanning.scan(fh, width=width, units=UNITS, cutoff=CUTOFF)


def refusals(found: scanning.Scan) -> list[tuple[int, str]]:
    with translation.override("en"):
        return [
            (line, reasons.message(code, arg, width=6, cutoff=CUTOFF)) for line, code, arg in found.refused.iter_rows()
        ]


def checked(text: str) -> pl.DataFrame:
    fh = io.BytesIO(text.encode())
    width = importers.read_header(fh)
    frames = [
        checks.check(raw, width=width, units=UNITS, cutoff=CUTOFF) for raw in importers.raw_frames(fh, width=width)
    ]
    return pl.concat(frames)


def test_good_rows_are_cleaned_for_storage():
    rows = checked(
        f"{HEADER}\n079090000001,  Nguyễn   Văn An ,1970-01-02,male,U1,\n"
        "079090000002,Bà Ba,1960-05,female,U2,temporary_short\n"
    )
    assert rows.get_column("code").to_list() == [None, None]
    first, second = rows.to_dicts()
    assert first["line"] == 2 and first["unit_id"] == 1 and first["nid"] == 79090000001
    assert first["full_name"] == "Nguyễn Văn An"
    assert first["residence"] == "permanent" and first["prec"] == "day"
    assert (
        second["dob"] == dt.date(1960, 5, 1) and second["prec"] == "month" and second["residence"] == "temporary_short"
    )


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("79090000001,A B,1970-01-01,male,U1,", "national ID must be 12 digits"),
        ("07909000000X,A B,1970-01-01,male,U1,", "national ID must be 12 digits"),
        ("٠٧٩٠٩٠٠٠٠٠٠٩,A B,1970-01-01,male,U1,", "national ID must be 12 digits"),  # Arabic-Indic digits
        ("079090000009,A B,2003-05-24,male,U1,", "under 18 on election day"),
        ("079090000009,A B,1970-01-01,male,U7,", 'unknown polling unit "U7"'),
        ("079090000009,A B,1970-02-30,male,U1,", "date of birth is malformed"),
        ("079090000009,A B,23/05/1970,male,U1,", "date of birth is malformed"),
        ("079090000009,A B,0000,male,U1,", "date of birth is malformed"),
        ("079090000009,,1970-01-01,male,U1,", "full name is empty"),
        ("079090000009,A\x07B,1970-01-01,male,U1,", "full name is longer than 200 characters or holds control"),
        (f"079090000009,{'A' * 201},1970-01-01,male,U1,", "full name is longer than 200 characters"),
        ("079090000009,A B,1970-01-01,other,U1,", "gender must be"),
        ("079090000009,A B,1970-01-01,male,U1,forever", "residence must be"),
        ("079090000009,A B,1970-01-01,male,U1", "expected 6 columns, found 5"),
        ("079090000009,A B,1970-01-01,male,U1,,", "expected 6 columns, found 7"),
    ],
)
@pytest.mark.parametrize("quoted", [False, True], ids=["fast", "exact"])
def test_each_refusal_names_line_and_reason(row, reason, quoted):
    first = '"079090000001","Ok",1970-01-01,male,U1,' if quoted else "079090000001,Ok,1970-01-01,male,U1,"
    found = scan(f"{HEADER}\n{first}\n{row}\n")
    assert found.good.get_column("line").to_list() == [2]
    [(line, message)] = refusals(found)
    assert line == 3 and reason in message


def test_turning_18_on_election_day_is_accepted():
    found = scan(f"{HEADER}\n079090000001,A,2003-05-23,male,U1,\n079090000002,B,2003-05-24,male,U1,\n")
    assert found.good.get_column("line").to_list() == [2]
    assert [line for line, _ in refusals(found)] == [3]


def test_duplicate_in_file_names_the_first_line_even_when_that_row_is_refused():
    found = scan(
        f"{HEADER}\n079090000001,A,1970-01-01,male,U9,\n079090000002,B,1970-01-01,male,U1,\n"
        "079090000001,C,1970-01-01,male,U2,\n"
    )
    assert refusals(found) == [
        (2, 'unknown polling unit "U9"'),
        (4, "national ID already in the file, on line 2"),
    ]


@pytest.mark.parametrize(
    "text",
    ["", "id,name\n", "national_id,full_name,date_of_birth,gender,polling_unit,residence,shoe_size\n"],
)
def test_bad_header_refuses_the_file(text):
    with pytest.raises(FileRefused):
        scan(text)


@pytest.mark.parametrize("blank", ["", "   ", ",,", "\r"])
def test_blank_lines_are_not_rows(blank):
    found = scan(f"{HEADER}\n{blank}\n079090000001,A,1970-01-01,male,U1,\n{blank}\n")
    assert found.rows == 1 and found.refused.height == 0
    assert found.good.get_column("line").to_list() == [3]


def test_quoted_fields_with_commas_and_line_breaks_keep_their_lines():
    found = scan(
        f'{HEADER}\n079090000001,"Nguyễn, An",1970-01-01,male,U1,\n079090000002,"Hai\nDòng",1970-01-01,male,U1,\n'
        "079090000003,Ba,1970-01-01,male,U9,\n"
    )
    # the quoted line break makes row 2 end on line 4, as the csv module counts
    assert found.good.get_column("line").to_list() == [2]
    assert refusals(found) == [
        (4, "full name is longer than 200 characters or holds control characters"),
        (5, 'unknown polling unit "U9"'),
    ]


def test_windows_line_ends_read_like_unix_ones():
    rows = [f"0790900000{i:02d},Tên {i},1970-01-01,male,U{1 + i % 2}," for i in range(20)]
    unix = scan(HEADER + "\n" + "\n".join(rows) + "\n")
    windows = scan(HEADER + "\r\n" + "\r\n".join(rows) + "\r\n")
    assert unix.good.equals(windows.good) and unix.rows == windows.rows == 20


def test_invalid_utf8_names_its_line():
    with pytest.raises(FileRefused, match="line 3: the file is not UTF-8"):
        scan(f"{HEADER}\n079090000001,A,1970-01-01,male,U1,\n".encode() + b"079090000002,B\xff,1970-01-01,male,U1,\n")


def test_name_key_drops_diacritics():
    assert name_key("Đặng Thị Ngọc Ánh") == "dang thi ngoc anh"


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("Nguyễn  Văn\u00a0An", "Nguyễn Văn An"),  # double and non-breaking spaces
        ("Nguyê\u0303n Va\u0306n An", "Nguyễn Văn An"),  # combining marks, as some keyboards type them
        ("Ðoàn", "Ðoàn"),  # Icelandic eth, not Vietnamese đ: kept as written
    ],
)
def test_names_are_stored_clean(written, stored):
    rows = checked(f"{HEADER}\n079090000001,{written},1970-01-02,male,U1,\n")
    assert rows.get_column("full_name").to_list() == [stored] and rows.item(0, "code") is None


def _csv(rows: list[list[str]], *, quote_all: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(importers.HEADER)
    writer.writerows(rows)
    return out.getvalue()


ROW = st.tuples(
    st.sampled_from(["079090000001", "079090000002", "079090000003", "12345", "07909000000X", ""]),
    st.sampled_from(["Nguyễn Văn An", "  Lê  Thị  ", "", "Trần\tBình"]),
    st.sampled_from(["1970-01-02", "1960-05", "1950", "2003-05-24", "1970-02-30", "x"]),
    st.sampled_from(["male", "female", "Nữ", "", "other"]),
    st.sampled_from(["U1", "U2", "U3"]),
    st.sampled_from(["", "permanent", "temporary_short", "never"]),
).map(list)


@settings(max_examples=60, deadline=None)
@given(st.lists(ROW, max_size=25))
def test_the_fast_and_the_exact_reading_agree(rows):
    # given the same rows, once without quotes (cut by polars) and once all quoted (read by the csv module)
    fast, exact = scan(_csv(rows, quote_all=False)), scan(_csv(rows, quote_all=True))
    # then they find the same rows, refusals and accepted values
    assert fast.rows == exact.rows == len(rows)
    assert fast.refused.equals(exact.refused)
    assert fast.good.equals(exact.good)


def test_small_blocks_and_a_switch_to_the_exact_reader_keep_line_numbers(monkeypatch):
    monkeypatch.setattr(importers, "BLOCK_BYTES", 256)
    monkeypatch.setattr(importers, "EXACT_BATCH_ROWS", 7)
    rows = [f"0790900{i:05d},Tên {i},1970-01-01,male,U{1 + i % 3}," for i in range(200)]
    rows[150] = rows[150].replace("Tên", '"Tên, Có Phẩy"')
    found = scan(HEADER + "\n" + "\n".join(rows) + "\n")
    assert found.rows == 200
    expected = sorted(i + 2 for i in range(200) if i % 3 == 2)  # unit U3 is unknown
    assert found.refused.get_column("line").to_list() == expected
    assert found.good.height == 200 - len(expected)


def test_tokens_hide_the_id_and_open_with_the_key():
    ids = np.array([79090000001, 1, 999999999999], dtype=np.int64)
    tokens = CIPHER.tokens(ids)
    assert [bytes(t) for t in tokens] == [CIPHER.token(f"{i:012d}") for i in ids]
    assert CIPHER.reveal(bytes(tokens[0])) == "079090000001"
    assert b"079090000001" not in bytes(tokens[0]) and len(set(map(bytes, tokens))) == 3
    with pytest.raises(SealBroken):
        derive("another-key").reveal(bytes(tokens[0]))
    with pytest.raises(ValueError):
        CIPHER.token("07909000000X")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([1, 2]), st.sampled_from(["", "", "H1", "H2", "H3"]), st.booleans()),
        min_size=1,
        max_size=40,
    ),
    st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=8),
)
def test_numbering_block_by_block_agrees_with_the_whole_file_or_declines(rows, cuts):
    # given rows (unit, household, head) cut into blocks of random sizes
    frame = pl.DataFrame(
        [(i + 2, u, h, head) for i, (u, h, head) in enumerate(rows)],
        schema={"line": pl.Int64, "unit_id": pl.Int64, "household": pl.String, "head": pl.Boolean},
        orient="row",
    )
    whole = ordering.list_order(frame, pl.DataFrame(schema={"unit_id": pl.Int64, "top": pl.Int64}))
    order, parts, at = ordering.RunningOrder(), [], 0
    for size in cuts * 10:
        if at >= frame.height:
            break
        numbered = order.number(frame.slice(at, size))
        if numbered is None:  # the caller numbers the whole file instead: nothing to compare
            return
        parts.append(numbered)
        at += size
    if at < frame.height:
        parts.append(order.number(frame.slice(at)))
        if parts[-1] is None:
            return
    # then, when it numbers at all, it numbers exactly as the whole file would be numbered
    streamed = pl.concat(parts).sort("line").get_column("list_number").to_list()
    assert streamed == whole.sort("line").get_column("list_number").to_list()


def test_households_kept_together_never_stop_the_stream():
    frame = pl.DataFrame(
        {
            "line": [2, 3, 4, 5, 6],
            "unit_id": [1] * 5,
            "household": ["A", "A", "B", "B", ""],
            "head": [True] + [False] * 4,
        }
    )
    order = ordering.RunningOrder()
    assert order.number(frame.slice(0, 3)) is not None and order.number(frame.slice(3)) is not None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), max_size=60), st.integers(min_value=1, max_value=9))
def test_seen_ids_name_the_first_line_of_each_id(ids, block):
    seen, found = checks.SeenIds(), []
    lines = np.arange(2, len(ids) + 2)
    for start in range(0, len(ids), block):
        found += list(seen.first_lines(lines[start : start + block], np.array(ids[start : start + block], np.int64)))
    first: dict[int, int] = {}
    expected = []
    for line, nid in zip(lines, ids, strict=True):
        expected.append(first.get(nid, 0))
        first.setdefault(nid, int(line))
    assert found == expected


@given(
    st.lists(
        st.tuples(st.binary(min_size=8, max_size=8), st.binary(min_size=8, max_size=8)).map(lambda t: t[0] + t[1]),
        max_size=40,
    ),
    st.binary(min_size=8, max_size=8),
)
@settings(max_examples=150, deadline=None)
def test_token_sort_is_byte_order_even_when_first_halves_are_equal(tokens: list[bytes], shared: bytes) -> None:
    tokens = tokens + [shared + t[8:] for t in tokens[:5]]  # some tokens that differ in their last 8 bytes only
    array = np.frombuffer(b"".join(tokens), dtype=np.uint8).reshape(-1, 16)
    order = token_sort(array)
    assert [tokens[i] for i in order] == sorted(tokens)
    ranks = token_order(array)
    assert sorted(range(len(tokens)), key=lambda i: ranks[i]) == list(order)
