"""The order of a voter list (Art. 31): households together, the head first, then by name.

Numbers follow on from what the list already holds.
"""

import polars as pl


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
    """One number per row for the details a re-import compares: unit, name, date of birth, gender, residence,
    category."""
    return frame.select(
        pl.struct(
            pl.col("unit_id").cast(pl.Int64),
            pl.col("full_name").cast(pl.String),
            pl.col("dob").cast(pl.Date),
            pl.col("gender").cast(pl.String),
            pl.col("residence").cast(pl.String),
            pl.col("category").cast(pl.String),
        ).hash(seed=31)
    ).to_series()
