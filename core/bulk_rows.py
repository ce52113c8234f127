# ruff: noqa: S608 - SQL here is built only from the models' own table and column names; values go through COPY.
"""Writing many rows of a model at once: COPY on PostgreSQL, `bulk_create` elsewhere (SQLite, the default).

The big imports (`import_election`, `import_tallies`) give rows as plain tuples in the order of `columns`
(attribute names: `tally_id`, not `tally`), so no model instance is made per row on PostgreSQL. What
`bulk_create` would add is added here too: the fields left out get their default, `auto_now(_add)` fields
the time of the call, JSON fields their JSON text. Everything runs in the caller's transaction.

Ids, when the caller needs them before writing (to write the child rows in the same pass), are taken from
the table's own sequence (`take_ids`), as an INSERT would; other rows get theirs from the column's default.
"""

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import orjson
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from core import jsontext

_ORM_ONLY = ContextVar("bulk_rows_orm_only", default=False)


def copying() -> bool:
    """Whether rows go by COPY here: on PostgreSQL, unless `orm_only` is in force."""
    return connection.vendor == "postgresql" and not _ORM_ONLY.get()


@contextmanager
def orm_only() -> Iterator[None]:
    """Write with `bulk_create` even on PostgreSQL: the tests and the benchmark compare both ways with it."""
    token = _ORM_ONLY.set(True)
    try:
        yield
    finally:
        _ORM_ONLY.reset(token)


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: a big import holds millions of objects, which every full
    collection walks again (seconds in all), and makes next to no cycles. For a command's process, not a
    server's (the switch is the whole process's)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def take_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model`'s table, in ascending order (PostgreSQL)."""
    if count <= 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
            [meta.db_table, meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, batch_size: int = 2000
) -> int:
    """Insert `rows` (tuples of values for `columns`, attribute names) into `model`'s table; return how many."""
    if not copying():
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=batch_size)
        return len(objs)
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    given = [by_attname[c] for c in columns]
    now = timezone.now()
    extra: list[tuple[models.Field, Any]] = []  # (field, value) of every column the rows leave out
    for f in meta.concrete_fields:
        if f.attname in columns or (f.primary_key and isinstance(f, models.AutoField)):
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            extra.append((f, now))
        else:
            extra.append((f, f.get_default()))
    tail = tuple(_json(f, v) if isinstance(f, models.JSONField) else v for f, v in extra)
    json_at = [i for i, f in enumerate(given) if isinstance(f, models.JSONField)]
    names = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *(f for f, _ in extra)])
    total = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN", writer=QueuedLibpqWriter(raw)
        ) as copy:
            write = copy.write_row
            if json_at:
                for row in rows:
                    values = list(row)
                    for i in json_at:
                        values[i] = _json(given[i], values[i])
                    write((*values, *tail))
                    total += 1
            elif tail:
                for row in rows:
                    write((*row, *tail))
                    total += 1
            else:
                for row in rows:
                    write(row)
                    total += 1
    return total


def _json(field: models.Field, value: Any) -> str | None:
    """A JSON field's value as its JSON text, as Django's JSONField.get_prep_value writes it."""
    if value is None and field.null:
        return None
    if field.encoder is None and jsontext.plain(value):  # type: ignore[attr-defined]
        return orjson.dumps(value).decode()  # the same JSON value, several times faster
    return json.dumps(value, cls=field.encoder)  # type: ignore[attr-defined]


# --- foreign keys checked once per statement instead of once per row ---------------------------------------------
#
# PostgreSQL checks each foreign key of each inserted row with a trigger of its own, queued until the commit:
# two million rows, two million checks one by one. Under `session_replication_role = replica` those triggers do
# not fire; `check_references` then makes the same check for the rows just written in one statement per foreign
# key, and takes the same locks (FOR KEY SHARE on every row referred to, so none can be deleted before the
# commit). Setting the parameter needs a superuser, or on PostgreSQL 15 `GRANT SET ON PARAMETER
# session_replication_role TO <role>` (docs/deploy.md); without it the rows are checked by the triggers as before.


def references_unchecked() -> bool:
    """Stop the per-row foreign-key triggers until `references_checked` or the end of the transaction.

    Returns whether they were stopped: only with COPY (PostgreSQL), inside a transaction, when the role may set
    `session_replication_role`. The caller must then call `check_references` for every row it writes meanwhile.
    """
    if not copying() or not connection.in_atomic_block:
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:  # not allowed for this role: the savepoint is rolled back, the triggers stay
        return False
    return True


def references_checked() -> None:
    """The per-row triggers again, for whatever the transaction writes next."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")


def check_references(model: type[models.Model], column: str, keys: Sequence[int]) -> None:
    """Check every foreign key of `model`'s rows whose `column` is in `keys`, as the triggers would have.

    `column` is a foreign key too, and `keys` are ids of rows the transaction wrote or holds locked: that key is
    checked by their count. Every other one takes one statement: the rows referred to are locked FOR KEY SHARE
    (as the trigger locks them), and a value that refers to no row raises IntegrityError, which rolls back.
    """
    if not keys:
        return
    meta, quote = model._meta, connection.ops.quote_name
    by = meta.get_field(column)
    ids = "{" + ",".join(map(str, keys)) + "}"  # one text value: psycopg dumps a list of 100,000 ints slowly
    where = f"c.{quote(by.column)} = ANY(%s::bigint[])"  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        for f in meta.concrete_fields:
            if not (f.is_relation and f.many_to_one and getattr(f, "db_constraint", False)):
                continue
            ref, parent = quote(f.column), f.related_model._meta  # type: ignore[union-attr]
            target = quote(f.target_field.column)  # type: ignore[attr-defined]
            if f is by:
                cursor.execute(
                    f"SELECT count(*) FROM {quote(parent.db_table)} WHERE {target} = ANY(%s::bigint[])", [ids]
                )
                missing = None if cursor.fetchone()[0] == len(set(keys)) else "one of the keys"
            else:
                cursor.execute(
                    f"WITH refs AS (SELECT DISTINCT c.{ref} AS ref FROM {quote(meta.db_table)} c "
                    f"WHERE {where} AND c.{ref} IS NOT NULL), "
                    f"found AS (SELECT p.{target} AS ref FROM {quote(parent.db_table)} p "
                    f"WHERE p.{target} IN (SELECT ref FROM refs) FOR KEY SHARE OF p) "
                    "SELECT ref FROM refs WHERE ref NOT IN (SELECT ref FROM found) LIMIT 1",
                    [ids],
                )
                row = cursor.fetchone()
                missing = None if row is None else repr(row[0])
            if missing is not None:
                raise IntegrityError(
                    f'insert into "{meta.db_table}" violates the foreign key on "{f.column}": '
                    f'{missing} is not in "{parent.db_table}"'
                )
