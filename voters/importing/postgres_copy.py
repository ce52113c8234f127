# ruff: noqa: S608 - SQL here is built only from constant table and column names; values are parameters.
"""Bulk loading of voter rows: COPY straight into the voter and key tables, in their indexes' order.

PostgreSQL: COPY (psycopg 3; text for voters, binary for the fixed-width national-ID rows), sent by a writer
thread (QueuedLibpqWriter) while the next block is prepared, so the file is checked on one core while
PostgreSQL stores rows on the other. SQLite: large
`executemany` batches. Everything runs in the caller's transaction: a killed import leaves the lists as
they were, since nothing commits before the end.
"""

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np
import polars as pl
from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from voters.models import UNIT_SPAN, Voter, VoterKey

VOTER = Voter._meta.db_table
KEY = VoterKey._meta.db_table
VOTER_COLUMNS = (
    "id",
    "election_id",
    "polling_unit_id",
    "list_number",
    "national_id_token",
    "full_name",
    "date_of_birth",
    "date_of_birth_precision",
    "gender",
    "residence",
    "household",
    "household_head",
    "category",
    "status",
    "batch_id",
)
KEY_COLUMNS = ("election_id", "token", "struck", "polling_unit_id", "list_number")
_BINARY = {"national_id_token", "token"}


def postgres() -> bool:
    return connection.vendor == "postgresql"


def copy_text(frame: pl.DataFrame) -> bytes:
    """A frame as PostgreSQL's COPY text format: tab-separated, backslashes escaped, \\N for null.

    Binary columns come as hex strings and are sent as bytea hex input. Values hold no tab or line break
    (the importer refuses control characters).
    """
    columns = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if name in _BINARY:
            columns.append(("\\\\x" + col).alias(name))
        elif dtype == pl.String and frame.get_column(name).str.contains("\\", literal=True).any():
            columns.append(col.str.replace_all("\\", "\\\\", literal=True))
        else:
            columns.append(col)
    buffer = io.BytesIO()  # bytes straight from polars: no str made and encoded again
    frame.select(columns).write_csv(
        buffer, separator="\t", include_header=False, quote_style="never", null_value="\\N", date_format="%Y-%m-%d"
    )
    return buffer.getvalue()


# COPY's binary format (PostgreSQL docs, "COPY", Binary Format): a signature and two empty 32-bit words, then
# each row as its field count and every field as its length and value, big-endian; -1 as the field count ends it.
_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_BINARY_TRAILER = b"\xff\xff"
_KEY_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("election_len", ">i4"),
        ("election_id", ">i8"),
        ("token_len", ">i4"),
        ("token", "V16"),
        ("struck_len", ">i4"),
        ("struck", ">i8"),
        ("unit_len", ">i4"),
        ("polling_unit_id", ">i8"),
        ("number_len", ">i4"),
        ("list_number", ">i4"),
    ]
)


def key_rows_binary(election_id: int, tokens: np.ndarray, unit_ids: np.ndarray, numbers: np.ndarray) -> bytes:
    """Active national-ID index rows (KEY_COLUMNS order) as COPY binary rows, without signature or trailer.

    Every field has a fixed width (bigint, 16-byte bytea, bigint, bigint, integer), so a whole slice is one
    numpy record array: no text is made, and PostgreSQL parses no hex and no digits.
    """
    rows = np.empty(len(tokens), dtype=_KEY_ROW)
    rows["fields"] = len(KEY_COLUMNS)
    for length, name in ((8, "election"), (16, "token"), (8, "struck"), (8, "unit"), (4, "number")):
        rows[f"{name}_len"] = length
    rows["election_id"] = election_id
    rows["token"] = np.ascontiguousarray(tokens, dtype=np.uint8).view("V16").ravel()
    rows["struck"] = 0
    rows["polling_unit_id"] = unit_ids
    rows["list_number"] = numbers
    return rows.tobytes()


@contextmanager
def copy_writer(
    table: str, columns: Iterable[str], *, binary: bool = False
) -> Iterator[Callable[[pl.DataFrame | bytes], None]]:
    """A function that sends frames (their columns in `columns` order) into `table` while the block is open.

    On PostgreSQL it also takes COPY text made beforehand (`copy_text`), or with `binary` COPY binary rows
    (`key_rows_binary`); the signature and the trailer are added here.
    """
    columns = tuple(columns)
    with connection.cursor() as cursor:
        if postgres():
            raw = cursor.cursor
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN" + (" (FORMAT binary)" if binary else "")
            with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
                if binary:
                    copy.write(_BINARY_SIGNATURE)
                yield lambda rows: copy.write(rows if isinstance(rows, bytes) else copy_text(rows.select(columns)))
                if binary:
                    copy.write(_BINARY_TRAILER)
        else:
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            yield lambda rows: cursor.executemany(insert, list(_python_rows(rows, columns)))  # type: ignore[arg-type]


def _python_rows(frame: pl.DataFrame, columns: tuple[str, ...]) -> Iterator[tuple[object, ...]]:
    return frame.select(
        [
            pl.col(c).str.decode("hex")
            if c in _BINARY
            else pl.col(c).cast(pl.String)
            if frame.schema[c] == pl.Date
            else pl.col(c)
            for c in columns
        ]
    ).iter_rows()


def copy_in(
    table: str, columns: Iterable[str], frames: Iterable[pl.DataFrame], *, on_rows: Callable[[int], None] | None = None
) -> int:
    """Load frames (their columns in `columns` order) into `table`; return the number of rows."""
    columns = tuple(columns)
    total = 0
    with connection.cursor() as cursor:
        if postgres():
            raw = cursor.cursor
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
                for frame in frames:
                    copy.write(copy_text(frame.select(columns)))
                    total += frame.height
                    if on_rows:
                        on_rows(frame.height)
        else:
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            for frame in frames:
                cursor.executemany(insert, list(_python_rows(frame, columns)))  # type: ignore[arg-type]
                total += frame.height
                if on_rows:
                    on_rows(frame.height)
    return total


def election_has_keys(election_id: int) -> bool:
    return VoterKey.objects.filter(election_id=election_id).exists()


def key_partition(election_id: int) -> str:
    """The name of an election's partition of the national-ID index (PostgreSQL; migration voters 0004)."""
    return f"{KEY}_e{int(election_id)}"


def partitioned_keys() -> bool:
    """Whether the national-ID index is partitioned by election here (PostgreSQL after migration voters 0004)."""
    if not postgres():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%s)", [KEY])
        row = cursor.fetchone()
    return bool(row and row[0])


@contextmanager
def new_key_partition(election_id: int) -> Iterator[Callable[[bytes], None]]:
    """COPY an election's first national-ID rows (binary, `key_rows_binary`) into a partition of its own.

    The partition is made bare, filled, given its primary key in one sorted pass, and attached with a check
    that proves its rows belong to it (so attaching scans nothing): about half the cost of maintaining the
    index row by row during the COPY. It all happens in the caller's transaction: a failed or killed import
    leaves no partition behind. Call it only when the election has no key rows yet (its rows would otherwise
    be in the default partition, and attaching refuses).
    """
    name = key_partition(election_id)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {name} (LIKE {KEY} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {name}_in CHECK (election_id = {int(election_id)})")
    with copy_writer(name, KEY_COLUMNS, binary=True) as write:
        yield write
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {name}_pkey PRIMARY KEY (election_id, token, struck)")
        cursor.execute(f"ALTER TABLE {KEY} ATTACH PARTITION {name} FOR VALUES IN ({int(election_id)})")


def key_partition_exists(election_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [key_partition(election_id)])
        return bool(cursor.fetchone()[0])


def tops(unit_ids: list[int]) -> pl.DataFrame:
    """The last list number used in each of these units: (unit_id, top), through the primary key's ranges."""
    rows: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(unit_ids), 5000):
            chunk = unit_ids[start : start + 5000]
            if postgres():
                cursor.execute(
                    f"SELECT u, (SELECT MAX(id) - u * {UNIT_SPAN} FROM {VOTER} "
                    f"WHERE id >= u * {UNIT_SPAN} AND id < (u + 1) * {UNIT_SPAN}) FROM unnest(%s::bigint[]) AS u",
                    [chunk],
                )
            else:
                cursor.execute(
                    f"SELECT polling_unit_id, MAX(list_number) FROM {VOTER} "
                    f"WHERE polling_unit_id IN ({', '.join(['%s'] * len(chunk))}) GROUP BY polling_unit_id",
                    chunk,
                )
            rows.extend(row for row in cursor.fetchall() if row[1] is not None)
    return pl.DataFrame(rows, schema={"unit_id": pl.Int64, "top": pl.Int64}, orient="row")


_MATCH_SCHEMA = {
    "line": pl.Int64,
    "unit_id": pl.Int64,
    "list_number": pl.Int64,
    "status": pl.String,
    "held": pl.Boolean,
    "full_name": pl.String,
    "dob": pl.Date,
    "gender": pl.String,
    "residence": pl.String,
    "category": pl.String,
}


def matches(election_id: int, tokens: pl.DataFrame) -> pl.DataFrame:
    """Voter rows of the election (any status) with the tokens of `tokens` (line, token as hex).

    Returns (line, unit_id, list_number, status, held, full_name, dob, gender, residence, category) of every
    match, so the caller can tell a row already listed exactly as given from a person listed with other details,
    and where.
    """
    stage = "kp_voter_tokens"
    select = (
        f"SELECT s.line, v.polling_unit_id, v.list_number, v.status, v.held, v.full_name, v.date_of_birth, "
        f"v.gender, v.residence, v.category "
        f"FROM {stage} s JOIN {KEY} k ON k.election_id = %s AND k.token = s.token "
        f"JOIN {VOTER} v ON v.id = k.polling_unit_id * {UNIT_SPAN} + k.list_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        if postgres():
            cursor.execute(f"CREATE TEMPORARY TABLE {stage} (line bigint, token bytea) ON COMMIT DROP")
            copy_in(stage, ("line", "token"), [tokens])
            cursor.execute(f"ANALYZE {stage}")
            raw = cursor.cursor
            out = bytearray()
            with raw.copy(f"COPY ({select.replace('%s', str(int(election_id)))}) TO STDOUT") as copy:
                for data in copy:
                    out += data
            cursor.execute(f"DROP TABLE {stage}")
            if not out:
                return pl.DataFrame(schema=_MATCH_SCHEMA)
            found = pl.read_csv(
                bytes(out),
                has_header=False,
                separator="\t",
                quote_char=None,
                new_columns=list(_MATCH_SCHEMA),
                schema_overrides={
                    k: (pl.String if v in (pl.Date, pl.Boolean) else v) for k, v in _MATCH_SCHEMA.items()
                },
            )
            unescape = pl.col("full_name").str.replace_all("\\\\", "\\", literal=True)
            return found.with_columns(unescape, pl.col("dob").str.to_date("%Y-%m-%d"), pl.col("held") == "t")
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} (line integer, token blob)")
        copy_in(stage, ("line", "token"), [tokens])
        # Without statistics SQLite may walk the voter table first; an index and ANALYZE make it start here.
        cursor.execute(f"CREATE INDEX {stage}_token ON {stage} (token)")
        cursor.execute(f"ANALYZE {stage}")
        cursor.execute(select, [election_id])
        rows = cursor.fetchall()
        cursor.execute(f"DROP TABLE {stage}")
    # Django's SQLite connection turns date columns into dates already; booleans come as 0 and 1.
    return pl.DataFrame(rows, schema={**_MATCH_SCHEMA, "held": pl.Int64}, orient="row").with_columns(
        pl.col("held").cast(pl.Boolean)
    )
