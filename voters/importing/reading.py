"""Reading a voter file (CONTRACT §8): every refused row with its line number and reason.

Pure: no database. The file is read in blocks of a few megabytes and each block is checked as a whole
(polars), not row by row: a million rows take well under a second. How a block is cut into fields:
- a block with no quote, NUL, lone carriage return or unit separator is split on commas by polars, one
  physical line per row, so line numbers are exact;
- from the first block that has one of those on, the rest of the file goes through Python's csv module,
  which knows quoted fields, quoted line breaks and every CSV corner (rows are still checked in blocks).
Both give the same frame of raw fields to `check`, which applies every rule at once.
"""

import codecs
import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from voters.models import Residence

HEADER = ("national_id", "full_name", "date_of_birth", "gender", "polling_unit", "residence")
# Optional columns after the six of the contract: the household (any code) and whether the row is its head.
OPTIONAL = ("household", "household_head")
NAME_MAX = 200
HOUSEHOLD_MAX = 40
BLOCK_BYTES = 4 << 20
EXACT_BATCH_ROWS = 100_000

GENDERS = {"female": "female", "male": "male", "nữ": "female", "nu": "female", "nam": "male", "": ""}
RESIDENCES = {"": Residence.PERMANENT.value, **{r.value: r.value for r in Residence}}
TRUE_WORDS = ("1", "true", "yes", "x", "có", "chủ hộ")
FALSE_WORDS = ("", "0", "false", "no", "không")
_CONTROL = r"[\x00-\x1f\x7f]"


class Code:
    """Why a row is refused, in the order the checks apply (the first that fails is the one reported)."""

    COLUMNS = 1
    ID_FORMAT = 2
    ID_IN_FILE = 3
    DATE = 4
    UNDER_AGE = 5
    UNIT = 6
    NAME_EMPTY = 7
    NAME_INVALID = 8
    GENDER = 9
    RESIDENCE = 10
    HOUSEHOLD = 11
    # found against the database, after the file is read
    ON_A_LIST = 12
    LIST_POSTED = 13


class Reason:
    """The refusal messages; each is shown after "line N: ". English source, translated for pages."""

    @staticmethod
    def id_format() -> str:
        return _("national ID must be 12 digits")

    @staticmethod
    def id_in_file(first_line: int) -> str:
        return _("national ID already in the file, on line %(line)d") % {"line": first_line}

    @staticmethod
    def id_on_list() -> str:
        return _("national ID already on a list of this election")

    @staticmethod
    def under_age(cutoff: dt.date) -> str:
        return _("under 18 on election day (voters must be born on or before %(date)s)") % {"date": cutoff.isoformat()}

    @staticmethod
    def unit_unknown(code: str) -> str:
        return _('unknown polling unit "%(code)s"') % {"code": code[:64]}

    @staticmethod
    def date_malformed() -> str:
        return _("date of birth is malformed (expected YYYY-MM-DD, YYYY-MM or YYYY)")

    @staticmethod
    def name_missing() -> str:
        return _("full name is empty")

    @staticmethod
    def name_invalid() -> str:
        return _("full name is longer than 200 characters or holds control characters")

    @staticmethod
    def gender_invalid() -> str:
        return _('gender must be "female", "male" or empty')

    @staticmethod
    def residence_invalid() -> str:
        return _('residence must be "permanent", "temporary", "temporary_short" or empty')

    @staticmethod
    def household_invalid() -> str:
        return _("household must be at most 40 characters and household_head one of 1/0, true/false or empty")

    @staticmethod
    def columns(found: int, wanted: int) -> str:
        return _("expected %(wanted)d columns, found %(found)d") % {"wanted": wanted, "found": found}

    @staticmethod
    def list_posted(code: str) -> str:
        return _('the list of polling unit "%(code)s" is posted: add voters one by one on its page') % {"code": code}


def message(code: int, arg: str | None, *, width: int, cutoff: dt.date) -> str:
    """The refusal message of a reason code and its argument (a number or a polling-unit code)."""
    match code:
        case Code.COLUMNS:
            return Reason.columns(int(arg or 0), width)
        case Code.ID_IN_FILE:
            return Reason.id_in_file(int(arg or 0))
        case Code.UNDER_AGE:
            return Reason.under_age(cutoff)
        case Code.UNIT:
            return Reason.unit_unknown(arg or "")
        case Code.LIST_POSTED:
            return Reason.list_posted(arg or "")
    fixed: dict[int, Callable[[], str]] = {
        Code.ID_FORMAT: Reason.id_format,
        Code.DATE: Reason.date_malformed,
        Code.NAME_EMPTY: Reason.name_missing,
        Code.NAME_INVALID: Reason.name_invalid,
        Code.GENDER: Reason.gender_invalid,
        Code.RESIDENCE: Reason.residence_invalid,
        Code.HOUSEHOLD: Reason.household_invalid,
        Code.ON_A_LIST: Reason.id_on_list,
    }
    return fixed[code]()


class FileRefused(Exception):
    """The file cannot be read at all (not UTF-8, wrong header): nothing in it is looked at further."""


def _without_marks(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


# Every precomposed Latin letter (Vietnamese uses U+00C0-U+01B0 and U+1EA0-U+1EF9) to its base letter, and
# combining marks to nothing: one str.translate per name instead of a normalisation per character.
_UNMARK = {
    **{
        cp: _without_marks(chr(cp))
        for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
        if _without_marks(chr(cp)).isascii()
    },
    **{cp: None for cp in range(0x300, 0x370)},
    ord("đ"): "d",
    ord("Đ"): "d",
}


def name_key(full_name: str) -> str:
    """Lower case, without diacritics: "Nguyễn Thị Đào" -> "nguyen thi dao"."""
    return full_name.lower().translate(_UNMARK)


# Characters that NFC leaves alone and that are not white space other than the plain space: ASCII and the
# precomposed Latin letters (Vietnamese lives in U+00C0-U+01B0 and U+1EA0-U+1EF9). A name made only of these,
# with no double space, is stored as it is; the others (rare: combining marks, other scripts, odd spaces)
# are cleaned one by one with `clean_name`.
_SETTLED = r"^[\x20-\x7e\u00c0-\u024f\u1e00-\u1eff]*$"


def clean_name(full_name: str) -> str:
    """A name as stored: runs of white space made one space, Unicode NFC (a name typed on two keyboards matches)."""
    return unicodedata.normalize("NFC", " ".join(full_name.split()))


# --- cutting the file into frames of raw fields ------------------------------------------------------------


def read_header(fh: IO[bytes]) -> int:
    """Read and check the header line; return the number of columns."""
    first = fh.readline()
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(_("the file is not UTF-8 (%(error)s)") % {"error": exc.reason}) from None
    if not text.strip():
        message_ = _("the file is empty: expected the header %(header)s") % {"header": ",".join(HEADER)}
        raise FileRefused(message_)
    try:
        header = next(csv.reader([text.rstrip("\r\n")]))
    except (csv.Error, StopIteration) as exc:
        raise FileRefused(_("the header is not valid CSV (%(error)s)") % {"error": exc}) from None
    names = tuple(h.strip().lower() for h in header)
    if names[: len(HEADER)] != HEADER or any(n not in OPTIONAL for n in names[len(HEADER) :]):
        raise FileRefused(
            _("line 1: the header must be %(header)s (optionally followed by %(optional)s), not %(found)s")
            % {"header": ",".join(HEADER), "optional": ",".join(OPTIONAL), "found": ",".join(header)[:200]}
        )
    return len(names)


def _fields(width: int) -> dict[str, pl.DataType]:
    return {"line": pl.Int64, "n": pl.Int32, "blank": pl.Boolean, **{f"f{i}": pl.String for i in range(width)}}


def _fast_frame(block: bytes, first_line: int, width: int) -> pl.DataFrame | None:
    """Split a block of whole lines with no quotes; None when polars cannot (the caller reads it exactly)."""
    try:
        lines = pl.read_csv(
            block, has_header=False, separator="\x1f", quote_char=None, schema={"raw": pl.String}
        ).get_column("raw")
    except Exception:  # noqa: BLE001 - invalid UTF-8 and the like: the exact reader names the line
        return None
    if len(lines) != block.count(b"\n") + (0 if block.endswith(b"\n") else 1):
        return None
    raw = lines.fill_null("").str.strip_suffix("\r")
    frame = pl.DataFrame({"raw": raw}).with_row_index("line", offset=first_line)
    parts = pl.col("raw").str.split_exact(",", width - 1)
    return frame.select(
        pl.col("line").cast(pl.Int64),
        (pl.col("raw").str.count_matches(",", literal=True) + 1).cast(pl.Int32).alias("n"),
        pl.col("raw").str.contains(r"^[,\s]*$").alias("blank"),
        *(parts.struct.field(f"field_{i}").fill_null("").alias(f"f{i}") for i in range(width)),
    )


def _exact_frames(text: Iterable[str], first_line: int, width: int) -> Iterator[pl.DataFrame]:
    """The csv module's reading of the rest of the file, in frames of EXACT_BATCH_ROWS rows."""
    reader = csv.reader(text)
    columns: list[list[object]] = [[] for _ in range(width + 3)]
    line_of = first_line - 1
    try:
        for row in reader:
            n = len(row)
            cells = (row + [""] * width)[:width]
            columns[0].append(line_of + reader.line_num)
            columns[1].append(n)
            columns[2].append(not any(cell.strip() for cell in row))
            for i, cell in enumerate(cells, start=3):
                columns[i].append(cell)
            if len(columns[0]) >= EXACT_BATCH_ROWS:
                yield pl.DataFrame(columns, schema=_fields(width), orient="col")
                columns = [[] for _ in range(width + 3)]
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("line %(line)d: the file is not UTF-8 (%(error)s)")
            % {"line": line_of + reader.line_num + 1, "error": exc.reason}
        ) from None
    except csv.Error as exc:
        raise FileRefused(
            _("line %(line)d: not valid CSV (%(error)s)") % {"line": line_of + reader.line_num, "error": exc}
        ) from None
    if columns[0]:
        yield pl.DataFrame(columns, schema=_fields(width), orient="col")


def _plain(block: bytes) -> bool:
    return (
        b'"' not in block
        and b"\x00" not in block
        and b"\x1f" not in block
        and block.count(b"\r") == block.count(b"\r\n")
    )


def raw_frames(fh: IO[bytes], *, width: int, on_bytes: Callable[[int], None] | None = None) -> Iterator[pl.DataFrame]:
    """Frames of raw fields (line, n, blank, f0..) for every line after the header of an open binary file."""
    line = 2
    rest = b""
    while True:
        data = fh.read(BLOCK_BYTES)
        if on_bytes and data:
            on_bytes(len(data))
        block = rest + data
        if not block:
            return
        cut = block.rfind(b"\n") + 1 if data else len(block)
        if cut == 0:  # no line end in 8 MB: keep reading
            rest = block
            continue
        whole, rest = block[:cut], block[cut:]
        frame = _fast_frame(whole, line, width) if _plain(whole) else None
        if frame is None:
            # From here on the csv module reads: what was taken from the file and what is still in it.
            stream = io.BufferedReader(_Chained(whole + rest, fh, on_bytes, line))  # type: ignore[arg-type]
            yield from _exact_frames(io.TextIOWrapper(stream, encoding="utf-8", newline=""), line, width)
            return
        line += whole.count(b"\n")
        yield frame


class _Chained(io.RawIOBase):
    """Bytes already read, then the rest of a file; refuses bytes that are not UTF-8, naming their line."""

    def __init__(self, head: bytes, tail: IO[bytes], on_bytes: Callable[[int], None] | None, first_line: int) -> None:
        self.head, self.tail, self.on_bytes = memoryview(head), tail, on_bytes
        self.line = first_line
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.head:
            n = min(len(buffer), len(self.head))
            data = bytes(self.head[:n])
            self.head = self.head[n:]
        else:
            data = self.tail.read(len(buffer))
            if self.on_bytes and data:
                self.on_bytes(len(data))
        self._check(data)
        buffer[: len(data)] = data
        return len(data)

    def _check(self, data: bytes) -> None:
        pending = self.decoder.getstate()[0]
        try:
            self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            at = self.line + (pending + data)[: exc.start].count(b"\n")
            raise FileRefused(
                _("line %(line)d: the file is not UTF-8 (%(error)s)") % {"line": at, "error": exc.reason}
            ) from None
        self.line += data.count(b"\n")


def units_frame(units: "dict[str, int]") -> pl.DataFrame:
    """The polling units a file may name, code to id, as `check` takes them."""
    return pl.DataFrame(
        {"code": list(units), "unit_id": list(units.values())}, schema={"code": pl.String, "unit_id": pl.Int64}
    )


# --- the rules, on a whole frame at once --------------------------------------------------------------------

_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_MONTH = r"^[0-9]{4}-[0-9]{2}$"
_YEAR = r"^[0-9]{4}$"


STORED = ("unit_id", "full_name", "dob", "prec", "gender", "residence", "household", "head")


def values(raw: pl.DataFrame, *, width: int, units: pl.DataFrame) -> pl.DataFrame:
    """The values each row would store, parsed from a frame of raw fields (blank lines dropped).

    `units` has `code` and `unit_id` (the polling units the file may name). A value that cannot be parsed is
    null; `check` says why. Besides `line`, `n` and the stored values (`STORED`) the frame keeps what the
    rules look at: `nid` (the ID as an integer when it is 12 digits), `name_text` (the name as written),
    `code_text`, `head_word`.
    """
    s = {f"f{i}": pl.col(f"f{i}").str.strip_chars() for i in range(width)}
    born = s["f2"]
    frame = (
        raw.filter((pl.col("n") == width) | ~pl.col("blank"))
        .select(
            "line",
            "n",
            nid_text=s["f0"],
            name_text=s["f1"],
            full_name=s["f1"],
            born=born,
            gender_word=s["f3"].str.to_lowercase(),
            code_text=s["f4"],
            residence_word=s["f5"].str.to_lowercase(),
            household=s["f6"] if width > 6 else pl.lit(""),
            head_word=s["f7"].str.to_lowercase() if width > 7 else pl.lit(""),
        )
        .with_columns(
            nid=pl.when(pl.col("nid_text").str.contains(r"^[0-9]{12}$") & (pl.col("n") == width)).then(
                pl.col("nid_text").str.to_integer(strict=False)
            ),
            prec=pl.col("born").str.len_bytes().replace_strict({10: "day", 7: "month", 4: "year"}, default=None),
            gender=pl.col("gender_word").replace_strict(GENDERS, default=None, return_dtype=pl.String),
            residence=pl.col("residence_word").replace_strict(RESIDENCES, default=None, return_dtype=pl.String),
            head=pl.col("head_word").is_in(list(TRUE_WORDS)),
            settled=pl.col("full_name").str.contains(_SETTLED) & ~pl.col("full_name").str.contains("  ", literal=True),
        )
        .with_columns(
            dob=pl.when(pl.col("born").str.contains(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")).then(
                pl.when(pl.col("prec") == "year")
                .then(pl.col("born") + "-01-01")
                .when(pl.col("prec") == "month")
                .then(pl.col("born") + "-01")
                .otherwise(pl.col("born"))
                .str.to_date("%Y-%m-%d", strict=False)
            )
        )
        .join(units, left_on="code_text", right_on="code", how="left", maintain_order="left")
    )
    unsettled = frame.filter(~pl.col("settled"))
    if unsettled.height:
        cleaned = unsettled.select("line", pl.col("full_name").map_elements(clean_name, return_dtype=pl.String))
        frame = frame.update(cleaned, on="line")
    return frame


def check(raw: pl.DataFrame, *, width: int, units: pl.DataFrame, cutoff: dt.date) -> pl.DataFrame:
    """Apply every row rule of CONTRACT §8 to a frame of raw fields; nothing but the file is looked at.

    The result has, per row that is not blank: `line`, `nid`, `code` and `arg` (the first rule that fails,
    null when none does: `Code`) and the values to store (`values`). "Already in the file" needs the whole
    file and is `scan`'s; the checks against the lists are the caller's.
    """
    frame = values(raw, width=width, units=units)
    name, household = pl.col("name_text"), pl.col("household")
    code = (
        pl.when(pl.col("n") != width)
        .then(Code.COLUMNS)
        .when(pl.col("nid").is_null())
        .then(Code.ID_FORMAT)
        .when(pl.col("dob").is_null() | (pl.col("dob").dt.year() < 1))
        .then(Code.DATE)
        .when(pl.col("dob") > cutoff)
        .then(Code.UNDER_AGE)
        .when(pl.col("unit_id").is_null())
        .then(Code.UNIT)
        .when(name == "")
        .then(Code.NAME_EMPTY)
        .when((name.str.len_chars() > NAME_MAX) | name.str.contains(_CONTROL))
        .then(Code.NAME_INVALID)
        .when(pl.col("gender").is_null())
        .then(Code.GENDER)
        .when(pl.col("residence").is_null())
        .then(Code.RESIDENCE)
        .when(
            (household.str.len_chars() > HOUSEHOLD_MAX)
            | household.str.contains(_CONTROL)
            | ~pl.col("head_word").is_in([*TRUE_WORDS, *FALSE_WORDS])
        )
        .then(Code.HOUSEHOLD)
        .otherwise(None)
        .cast(pl.UInt8)
    )
    arg = (
        pl.when(pl.col("n") != width)
        .then(pl.col("n").cast(pl.String))
        .when(pl.col("unit_id").is_null())
        .then(pl.col("code_text").str.slice(0, 64))
    )
    return frame.select("line", "nid", code.alias("code"), arg.alias("arg"), *STORED)


class SeenIds:
    """The well-formed IDs read so far with the line of each one's first row, for "already in the file".

    Kept as a few sorted numpy runs (12 bytes an ID), merged when they grow many: checking a block of rows
    against everything before it is a binary search, never a loop over rows.
    """

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []

    def first_lines(self, lines: np.ndarray, nids: np.ndarray) -> np.ndarray:
        """For each row (in line order) the line of an earlier row with its ID, or 0; then remember them."""
        first = np.zeros(len(nids), dtype=np.int64)
        for run_ids, run_lines in self.runs:
            at = np.minimum(np.searchsorted(run_ids, nids), len(run_ids) - 1)
            hit = (run_ids[at] == nids) & (first == 0)
            first[hit] = run_lines[at[hit]]
        # within the block: rows after the first row of their ID
        order = np.lexsort((lines, nids))
        ids_sorted, lines_sorted = nids[order], lines[order]
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = ids_sorted[1:] != ids_sorted[:-1]
        group_first = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
        inner = np.zeros(len(nids), dtype=np.int64)
        inner[order] = np.where(starts, 0, lines_sorted[group_first])
        first = np.where(first == 0, inner, first)
        new = order[starts]
        new = new[first[new] == 0]
        if len(new):
            self.runs.append((nids[new], lines[new]))  # sorted by ID, as `order` was
        if len(self.runs) > 16:
            ids_all = np.concatenate([r[0] for r in self.runs])
            lines_all = np.concatenate([r[1] for r in self.runs])
            keep = np.argsort(ids_all, kind="stable")
            self.runs = [(ids_all[keep], lines_all[keep])]
        return first


def list_order(rows: pl.DataFrame, base: pl.DataFrame) -> pl.DataFrame:
    """List numbers in the order of the law (Art. 31): households, head of household first.

    `rows` has line, unit_id, household, head; `base` has unit_id and the last number already used (`top`).
    Households come in the order they first appear in the file, the head of each first, then the file's
    order; a row without a household stands alone where it is. Numbers continue each unit's list.
    """
    first = (
        rows.filter(pl.col("household") != "")
        .group_by("unit_id", "household")
        .agg(pl.col("line").min().alias("first_line"))
    )
    return (
        rows.join(first, on=["unit_id", "household"], how="left")
        .join(base, on="unit_id", how="left")
        .with_columns(order=pl.coalesce("first_line", "line"))
        .sort("unit_id", "order", "head", "line", descending=[False, False, True, False])
        .with_columns(
            list_number=(pl.col("top").fill_null(0) + pl.int_range(1, pl.len() + 1).over("unit_id")).cast(pl.Int64)
        )
        .drop("first_line", "order", "top")
    )


class RunningOrder:
    """List numbers block by block for lists that start empty (`list_order` over the whole file, streamed).

    It agrees with `list_order` of the whole file as long as every household's rows that cross a block
    boundary continue it at the end of its unit's list, head first. `number` returns None for a block that
    breaks this (a household coming back after other rows of its unit, or its head arriving late); the
    caller then numbers the whole file at once instead.
    """

    def __init__(self) -> None:
        self.tops = pl.DataFrame(schema={"unit_id": pl.Int64, "top": pl.Int64})
        self.households = pl.DataFrame(schema={"unit_id": pl.Int64, "household": pl.String})
        self.last = pl.DataFrame(schema={"unit_id": pl.Int64, "last_household": pl.String})

    def number(self, rows: pl.DataFrame) -> pl.DataFrame | None:
        """`rows` (line, unit_id, household, head, ...) numbered (`list_number`), or None (see the class)."""
        grouped = rows.filter(pl.col("household") != "")
        back = grouped.join(self.households, on=["unit_id", "household"], how="semi")
        if back.height:
            firsts = rows.group_by("unit_id").agg(pl.col("line").min().alias("unit_first"))
            ok = (
                back.group_by("unit_id", "household")
                .agg(pl.col("line").min().alias("first"), pl.col("head").any().alias("any_head"))
                .join(firsts, on="unit_id")
                .join(self.last, on="unit_id", how="left")
                .select(
                    (
                        (pl.col("last_household") == pl.col("household"))
                        & ~pl.col("any_head")
                        & (pl.col("first") == pl.col("unit_first"))
                    ).all()
                )
                .item()
            )
            if not ok:
                return None
        numbered = list_order(rows, self.tops)
        ends = (
            numbered.sort("list_number")
            .group_by("unit_id")
            .agg(pl.col("list_number").last().alias("top"), pl.col("household").last().alias("last_household"))
        )
        self.tops = pl.concat([self.tops.join(ends, on="unit_id", how="anti"), ends.select("unit_id", "top")])
        self.last = pl.concat(
            [self.last.join(ends, on="unit_id", how="anti"), ends.select("unit_id", "last_household")]
        )
        self.households = pl.concat([self.households, grouped.select("unit_id", "household").unique()])
        return numbered


def details_hash(frame: pl.DataFrame) -> pl.Series:
    """One number per row for the details a re-import compares: unit, name, date of birth, gender, residence."""
    return frame.select(
        pl.struct(
            pl.col("unit_id").cast(pl.Int64),
            pl.col("full_name").cast(pl.String),
            pl.col("dob").cast(pl.Date),
            pl.col("gender").cast(pl.String),
            pl.col("residence").cast(pl.String),
        ).hash(seed=31)
    ).to_series()


@dataclass
class Scan:
    """What a first reading of the file found: rows read, rows refused (line, code, arg), rows that pass.

    `good` keeps only what the checks across rows and the list order need (line, nid, unit_id, household,
    head, details): about 40 bytes a row, not the file.
    """

    rows: int
    refused: pl.DataFrame
    good: pl.DataFrame


_REFUSED = {"line": pl.Int64, "code": pl.UInt8, "arg": pl.String}
_GOOD = {
    "line": pl.Int64,
    "nid": pl.Int64,
    "unit_id": pl.Int64,
    "household": pl.String,
    "head": pl.Boolean,
    "details": pl.UInt64,
}


def _concat(frames: list[pl.DataFrame], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=schema)


class Scanner:
    """Applies every rule of the file alone to one block after another (`block`), remembering across blocks
    only what the checks across rows need; `result` is the `Scan` of everything read.

    `details`: keep `details_hash` of each good row, to compare with rows already listed (a first load of an
    election's lists has none, and skips the work). `spill`: a folder where the values of the good rows are
    written, one Arrow file a block (`spilled`), so loading them needs neither the file nor the memory again.
    """

    def __init__(
        self, *, width: int, units: pl.DataFrame, cutoff: dt.date, details: bool = True, spill: Path | None = None
    ) -> None:
        self.width, self.units, self.cutoff, self.details, self.spill = width, units, cutoff, details, spill
        self.rows = 0
        self.seen = SeenIds()
        self.refused: list[pl.DataFrame] = []
        self.good: list[pl.DataFrame] = []

    def block(self, raw: pl.DataFrame) -> pl.DataFrame:
        """The rows of a block that pass every rule so far, with their values (`STORED`) and `nid`."""
        checked = check(raw, width=self.width, units=self.units, cutoff=self.cutoff)
        self.rows += checked.height
        with_id = checked.filter(pl.col("nid").is_not_null())
        first = self.seen.first_lines(with_id.get_column("line").to_numpy(), with_id.get_column("nid").to_numpy())
        dupes = with_id.select("line").with_columns(first_line=first).filter(pl.col("first_line") > 0)
        if dupes.height:
            checked = checked.join(dupes, on="line", how="left").with_columns(
                code=pl.when(pl.col("first_line").is_not_null())
                .then(pl.lit(Code.ID_IN_FILE, pl.UInt8))
                .otherwise(pl.col("code")),
                arg=pl.when(pl.col("first_line").is_not_null())
                .then(pl.col("first_line").cast(pl.String))
                .otherwise(pl.col("arg")),
            )
        self.refused.append(checked.filter(pl.col("code").is_not_null()).select("line", "code", "arg"))
        passed = checked.filter(pl.col("code").is_null())
        kept = passed.select("line", "nid", "unit_id", "household", "head")
        self.good.append(kept.with_columns(details=details_hash(passed) if self.details else pl.lit(0, pl.UInt64)))
        if self.spill is not None:
            passed.select("line", *STORED).write_ipc(
                self.spill / f"{len(self.good):06d}.arrow", compression="uncompressed"
            )
        return passed

    @property
    def refusals(self) -> int:
        return sum(frame.height for frame in self.refused)

    def result(self) -> Scan:
        return Scan(
            rows=self.rows, refused=_concat(self.refused, _REFUSED).sort("line"), good=_concat(self.good, _GOOD)
        )


def scan(
    fh: IO[bytes],
    *,
    width: int,
    units: pl.DataFrame,
    cutoff: dt.date,
    details: bool = True,
    spill: Path | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Scan:
    """Read the rows of a file whose header was read (`read_header`) and apply every rule of the file alone."""
    scanner = Scanner(width=width, units=units, cutoff=cutoff, details=details, spill=spill)
    for raw in raw_frames(fh, width=width, on_bytes=on_bytes):
        scanner.block(raw)
    return scanner.result()


def spilled(spill: Path) -> Iterator[pl.DataFrame]:
    """The good rows' values written by `scan`, block by block, in file order."""
    for path in sorted(spill.glob("*.arrow")):
        yield pl.read_ipc(path)


def refused_rows(text: Iterable[str], refusals: Iterable[tuple[int, str]]) -> Iterator[list[str]]:
    """The header and the refused rows of a file, each with its reason in a last column (for FILE.rejected.csv)."""
    reasons = dict(refusals)
    reader = csv.reader(text)
    header = next(reader, [])
    yield [*header, "reason"]
    remaining = len(reasons)
    for row in reader:
        if remaining == 0:
            break
        reason = reasons.get(reader.line_num)
        if reason is not None:
            remaining -= 1
            yield [*row, f"line {reader.line_num}: {reason}"]
