"""Reading a voter file (interfaces §8): every refused row with its line number and reason.

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
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

import polars as pl
from django.utils.translation import gettext as _

from core.errors import Invalid
from voters.models import Residence, VoterCategory

HEADER = ("national_id", "full_name", "date_of_birth", "gender", "polling_unit", "residence")
# Optional columns after the six of the contract, each at most once and in any order, found by name: the
# household (any code), whether the row is its head, and the voter's category (Art. 29(3), (5)).
OPTIONAL = ("household", "household_head", "category")
NAME_MAX = 200
HOUSEHOLD_MAX = 40
BLOCK_BYTES = 4 << 20
EXACT_BATCH_ROWS = 100_000

GENDERS = {"female": "female", "male": "male", "nữ": "female", "nu": "female", "nam": "male", "": ""}
RESIDENCES = {"": Residence.PERMANENT.value, **{r.value: r.value for r in Residence}}
CATEGORIES = {"": VoterCategory.ORDINARY.value, **{c.value: c.value for c in VoterCategory}}
TRUE_WORDS = ("1", "true", "yes", "x", "có", "chủ hộ")
FALSE_WORDS = ("", "0", "false", "no", "không")
_CONTROL = r"[\x00-\x1f\x7f]"


class FileRefused(Invalid):
    """The file cannot be read at all (not UTF-8, wrong header): nothing in it is looked at further.

    `kind` names the fault without quoting the file ("encoding", "empty", "header", "csv"), for the audit log.
    """

    def __init__(self, message: Any, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


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
    return len(read_columns(fh))


def columns_of(width: int) -> tuple[str, ...]:
    """The columns of a file of `width` columns whose optional ones come in the order of OPTIONAL."""
    return HEADER + OPTIONAL[: max(0, width - len(HEADER))]


def read_columns(fh: IO[bytes]) -> tuple[str, ...]:
    """Read and check the header line; return the names of its columns (the six of §8, then optional ones)."""
    first = fh.readline()
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(_("the file is not UTF-8 (%(error)s)") % {"error": exc.reason}, kind="encoding") from None
    if not text.strip():
        message_ = _("the file is empty: expected the header %(header)s") % {"header": ",".join(HEADER)}
        raise FileRefused(message_, kind="empty")
    try:
        header = next(csv.reader([text.rstrip("\r\n")]))
    except (csv.Error, StopIteration) as exc:
        raise FileRefused(_("the header is not valid CSV (%(error)s)") % {"error": exc}, kind="header") from None
    names = tuple(h.strip().lower() for h in header)
    extra = names[len(HEADER) :]
    if names[: len(HEADER)] != HEADER or any(n not in OPTIONAL for n in extra) or len(set(extra)) != len(extra):
        raise FileRefused(
            _("line 1: the header must be %(header)s (optionally followed by %(optional)s), not %(found)s")
            % {"header": ",".join(HEADER), "optional": ",".join(OPTIONAL), "found": ",".join(header)[:200]},
            kind="header",
        )
    return names


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
            % {"line": line_of + reader.line_num + 1, "error": exc.reason},
            kind="encoding",
        ) from None
    except csv.Error as exc:
        raise FileRefused(
            _("line %(line)d: not valid CSV (%(error)s)") % {"line": line_of + reader.line_num, "error": exc},
            kind="csv",
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
                _("line %(line)d: the file is not UTF-8 (%(error)s)") % {"line": at, "error": exc.reason},
                kind="encoding",
            ) from None
        self.line += data.count(b"\n")


def units_frame(units: "dict[str, int]") -> pl.DataFrame:
    """The polling units a file may name, code to id, as `check` takes them."""
    return pl.DataFrame(
        {"code": list(units), "unit_id": list(units.values())}, schema={"code": pl.String, "unit_id": pl.Int64}
    )


# --- the rules, on a whole frame at once --------------------------------------------------------------------
