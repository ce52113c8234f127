"""The rules of a voter file's rows (interfaces §8, Art. 29-30), applied to a whole block at once (polars).

One pass gives every refusal with its line.
"""

import datetime as dt

import numpy as np
import polars as pl

from voters.importing.reading import (
    _CONTROL,
    _SETTLED,
    CATEGORIES,
    FALSE_WORDS,
    GENDERS,
    HOUSEHOLD_MAX,
    NAME_MAX,
    RESIDENCES,
    TRUE_WORDS,
    clean_name,
    columns_of,
)
from voters.importing.reasons import Code

_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


_MONTH = r"^[0-9]{4}-[0-9]{2}$"


_YEAR = r"^[0-9]{4}$"


STORED = ("unit_id", "full_name", "dob", "prec", "gender", "residence", "household", "head", "category")


def values(
    raw: pl.DataFrame, *, width: int, units: pl.DataFrame, columns: tuple[str, ...] | None = None
) -> pl.DataFrame:
    """The values each row would store, parsed from a frame of raw fields (blank lines dropped).

    `columns` names the file's columns (`reading.read_columns`): the optional ones are found by name; without
    it they come in the order of `reading.OPTIONAL`.

    `units` has `code` and `unit_id` (the polling units the file may name). A value that cannot be parsed is
    null; `check` says why. Besides `line`, `n` and the stored values (`STORED`) the frame keeps what the
    rules look at: `nid` (the ID as an integer when it is 12 digits), `name_text` (the name as written),
    `code_text`, `head_word`.
    """
    s = {f"f{i}": pl.col(f"f{i}").str.strip_chars() for i in range(width)}
    at = {name: i for i, name in enumerate(columns or columns_of(width))}

    def optional(name: str) -> pl.Expr:
        return s[f"f{at[name]}"] if name in at else pl.lit("")

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
            household=optional("household"),
            head_word=optional("household_head").str.to_lowercase(),
            category_word=optional("category").str.to_lowercase(),
        )
        .with_columns(
            nid=pl.when(pl.col("nid_text").str.contains(r"^[0-9]{12}$") & (pl.col("n") == width)).then(
                pl.col("nid_text").str.to_integer(strict=False)
            ),
            prec=pl.col("born").str.len_bytes().replace_strict({10: "day", 7: "month", 4: "year"}, default=None),
            gender=pl.col("gender_word").replace_strict(GENDERS, default=None, return_dtype=pl.String),
            residence=pl.col("residence_word").replace_strict(RESIDENCES, default=None, return_dtype=pl.String),
            category=pl.col("category_word").replace_strict(CATEGORIES, default=None, return_dtype=pl.String),
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


def check(
    raw: pl.DataFrame, *, width: int, units: pl.DataFrame, cutoff: dt.date, columns: tuple[str, ...] | None = None
) -> pl.DataFrame:
    """Apply every row rule of interfaces §8 to a frame of raw fields; nothing but the file is looked at.

    The result has, per row that is not blank: `line`, `nid`, `code` and `arg` (the first rule that fails,
    null when none does: `Code`) and the values to store (`values`). "Already in the file" needs the whole
    file and is `scan`'s; the checks against the lists are the caller's.
    """
    frame = values(raw, width=width, units=units, columns=columns)
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
        .when(pl.col("category").is_null())
        .then(Code.CATEGORY)
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
