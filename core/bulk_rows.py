# ruff: noqa: S608 - SQL here is built only from the models' own table and column names; values go through COPY.
"""Writing many rows of a model at once: COPY on PostgreSQL, `bulk_create` elsewhere (SQLite, the default).

The big imports (`import_election`, `import_tallies`) give rows as plain tuples in the order of `columns`
(attribute names: `tally_id`, not `tally`), so no model instance is made per row on PostgreSQL. What
`bulk_create` would add is added here too: the fields left out get their default, `auto_now(_add)` fields
the time of the call, JSON fields their JSON text. Everything runs in the caller's transaction.

Ids, when the caller needs them before writing (to write the child rows in the same pass), are taken from
the table's own sequence (`take_ids`), as an INSERT would; other rows get theirs from the column's default.
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, models
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

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
    return json.dumps(value, cls=field.encoder)  # type: ignore[attr-defined]
