# ruff: noqa: S608 - SQL here is built only from constant table and column names; values are parameters.
"""Bulk loading of voter rows: a staging table filled at full speed, then checked and merged by SQL.

PostgreSQL: COPY (psycopg 3 `cursor.copy`) into a temporary table. SQLite: `executemany` in large batches.
Everything runs inside the caller's transaction, so a killed import leaves the lists as they were: the
staging table is temporary, and nothing reaches the voter table before the single INSERT ... SELECT that
the transaction commits with.
"""

from collections.abc import Callable, Iterable
from itertools import islice

from django.db import connection

from .importers import StagedRow
from .models import ACTIVE_STATUSES, Voter, VoterList

STAGE = "kp_voter_stage"
COLUMNS = (
    "line",
    "unit_id",
    "hmac",
    "sealed",
    "full_name",
    "name_key",
    "dob",
    "prec",
    "gender",
    "residence",
    "household",
    "head",
)
_SQLITE_BATCH = 20_000
_PG_TYPES = ["int4", "int8", "bytea", "bytea", "text", "text", "date", "text", "text", "text", "text", "bool"]


def _create(cursor) -> None:  # type: ignore[no-untyped-def]
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    if connection.vendor == "postgresql":
        types = "integer, bigint, bytea, bytea, text, text, date, text, text, text, text, boolean"
        cols = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, types.split(", "), strict=True))
        # Temporary and unlogged by nature: no WAL, gone with the session, dropped on commit at the latest.
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({cols}) ON COMMIT DROP")
    else:
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({', '.join(COLUMNS)})")


def drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


def fill(rows: Iterable[StagedRow], *, on_rows: Callable[[int], None] | None = None) -> int:
    """Create the staging table and load `rows` into it; return how many were loaded."""
    total = 0
    with connection.cursor() as cursor:
        _create(cursor)
        if connection.vendor == "postgresql":
            # Binary COPY: psycopg's C dumpers send digests, dates and flags as they are, with no text escaping.
            with cursor.cursor.copy(f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(_PG_TYPES)
                write = copy.write_row
                for row in rows:
                    write(row)
                    total += 1
                    if on_rows and total % 100_000 == 0:
                        on_rows(100_000)
            # A fresh temporary table has no statistics: without them the checks below may plan badly.
            cursor.execute(f"ANALYZE {STAGE}")
        else:
            raw = connection.connection
            insert = f"INSERT INTO {STAGE} VALUES ({', '.join('?' * len(COLUMNS))})"
            iterator = iter(rows)
            while batch := [(*r[:6], r[6].isoformat(), *r[7:11], int(r[11])) for r in islice(iterator, _SQLITE_BATCH)]:
                raw.executemany(insert, batch)
                total += len(batch)
                if on_rows:
                    on_rows(len(batch))
    return total


def stage_unit_ids() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT unit_id FROM {STAGE}")
        return [row[0] for row in cursor.fetchall()]


_VOTER = Voter._meta.db_table
_LIST = VoterList._meta.db_table
_ACTIVE_SQL = ", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES)
_SAME_PERSON = (
    "v.election_id = %s AND v.national_id_hmac = s.hmac AND v.polling_unit_id = s.unit_id "
    "AND v.full_name = s.full_name AND v.date_of_birth = s.dob AND v.gender = s.gender "
    "AND v.residence = s.residence"
)


def drop_unchanged(election_id: int) -> int:
    """Remove staged rows already on the lists exactly as given (re-imports change nothing); return how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {STAGE} AS s WHERE EXISTS (SELECT 1 FROM {_VOTER} v WHERE {_SAME_PERSON} "
            f"AND v.status IN ({_ACTIVE_SQL})) OR EXISTS (SELECT 1 FROM {_VOTER} v WHERE {_SAME_PERSON} "
            f"AND NOT (v.status IN ({_ACTIVE_SQL})))",
            [election_id, election_id],
        )
        return cursor.rowcount


# Each half of "on any list" matches the predicate of one partial index on (election, digest).
_ON_A_LIST = (
    f"(EXISTS (SELECT 1 FROM {_VOTER} v WHERE v.election_id = %s AND v.national_id_hmac = s.hmac "
    f"AND v.status IN ({_ACTIVE_SQL})) "
    f"OR EXISTS (SELECT 1 FROM {_VOTER} v WHERE v.election_id = %s AND v.national_id_hmac = s.hmac "
    f"AND NOT (v.status IN ({_ACTIVE_SQL}))))"
)


def lines_on_a_list(election_id: int) -> list[int]:
    """Staged rows whose national ID is already on a list of the election (any status, other details)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT s.line FROM {STAGE} s WHERE {_ON_A_LIST}", [election_id, election_id])
        return [row[0] for row in cursor.fetchall()]


def lines_of_posted_units() -> list[tuple[int, int]]:
    """(line, unit id) of staged rows for units whose list is posted: after posting, voters are added one by one."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.line, s.unit_id FROM {STAGE} s JOIN {_LIST} l "
            f"ON l.polling_unit_id = s.unit_id AND l.posted_on IS NOT NULL"
        )
        return list(cursor.fetchall())


def drop_lines(lines: list[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(lines), 5000):
            chunk = lines[start : start + 5000]
            cursor.execute(f"DELETE FROM {STAGE} WHERE line IN ({', '.join(['%s'] * len(chunk))})", chunk)


def counts_by_unit() -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id, COUNT(*) FROM {STAGE} GROUP BY unit_id")
        return dict(cursor.fetchall())


def merge(*, election_id: int, batch_id: int, now: object) -> int:
    """Insert the staged rows into the voter table with their list numbers; return how many.

    List numbers continue each unit's list in the law's order (Art. 31): households in the order they first
    appear in the file, the head of each household first, then the file's order. Rows without a household
    stand alone where they are.
    """
    stamp = connection.ops.adapt_datetimefield_value(now)
    listed = ACTIVE_STATUSES[0].value
    sql = f"""
        INSERT INTO {_VOTER} (
            election_id, polling_unit_id, list_number, national_id_hmac, national_id_sealed, full_name, name_key,
            date_of_birth, date_of_birth_precision, gender, residence, household, household_head, status,
            removal_reason, status_note, voted_at, checked_in_by_id, version, batch_id, created_at, updated_at)
        SELECT %s, s.unit_id,
            COALESCE(top.n, 0) + ROW_NUMBER() OVER (
                PARTITION BY s.unit_id ORDER BY COALESCE(h.first_line, s.line), s.head DESC, s.line),
            s.hmac, s.sealed, s.full_name, s.name_key, s.dob, s.prec, s.gender, s.residence, s.household, s.head,
            %s, '', '', NULL, NULL, 1, %s, %s, %s
        FROM {STAGE} s
        LEFT JOIN (
            SELECT polling_unit_id AS unit_id, MAX(list_number) AS n FROM {_VOTER}
            WHERE polling_unit_id IN (SELECT DISTINCT unit_id FROM {STAGE}) GROUP BY polling_unit_id
        ) top ON top.unit_id = s.unit_id
        LEFT JOIN (
            SELECT unit_id, household, MIN(line) AS first_line FROM {STAGE} WHERE household <> ''
            GROUP BY unit_id, household
        ) h ON h.unit_id = s.unit_id AND h.household = s.household
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [election_id, listed, batch_id, stamp, stamp])
        return cursor.rowcount
