"""One pass over a voter file: blocks read, checked and ordered, refusals counted, good rows spilled to disk."""

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import polars as pl

from voters.importing.checks import STORED, SeenIds, check
from voters.importing.ordering import details_hash
from voters.importing.reading import (
    raw_frames,
)
from voters.importing.reasons import Code


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
        self,
        *,
        width: int,
        units: pl.DataFrame,
        cutoff: dt.date,
        details: bool = True,
        spill: Path | None = None,
        columns: tuple[str, ...] | None = None,
    ) -> None:
        self.width, self.units, self.cutoff, self.details, self.spill = width, units, cutoff, details, spill
        self.columns = columns  # the header's names (optional columns found by name), reading.read_columns
        self.rows = 0
        self.seen = SeenIds()
        self.refused: list[pl.DataFrame] = []
        self.good: list[pl.DataFrame] = []

    def block(self, raw: pl.DataFrame) -> pl.DataFrame:
        """The rows of a block that pass every rule so far, with their values (`STORED`) and `nid`."""
        checked = check(raw, width=self.width, units=self.units, cutoff=self.cutoff, columns=self.columns)
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
    columns: tuple[str, ...] | None = None,
) -> Scan:
    """Read the rows of a file whose header was read (`read_header`) and apply every rule of the file alone."""
    scanner = Scanner(width=width, units=units, cutoff=cutoff, details=details, spill=spill, columns=columns)
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
