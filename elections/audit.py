"""The append-only audit log: who did what, when, from where, with the state before and after.

Each entry carries two values (docs/audit.md):

- `mac`: HMAC-SHA256, under `KP_AUDIT_KEY` (kept outside the database), of the previous entry's hash and
  everything the entry says. Only the server can make or check it: a line written or rewritten by someone
  with write access to the database but without the key does not verify.
- `hash`: SHA-256 of the previous hash, the entry's public fields and its `mac`. Anyone can recompute it
  from an export (`export_audit`): who acted, from which address, and entries about a person are left out
  of the public fields and stand there only through the `mac`.

Editing, deleting, inserting or reordering a line breaks the chain. The head row records the newest entry;
writers lock it, so the chain stays a single line with many concurrent writers. The signed checkpoints of the
head, the export and the verification against them are in elections/audit_checkpoints.py.
Personal data (national IDs, voters' dates of birth) never goes in here.
"""

import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core import bulk_rows, jsontext
from core.keys import audit_key
from elections.audit_codes import AuditAction
from elections.models import AuditEntry, AuditHead

GENESIS = "0" * 64

# Entries about a person (a voter, a complaint, a user's role): their key and content stay out of the public
# fields. In other entries, values under these keys (at any depth of before, after and data) are left out too:
# usernames, and free text that may name someone. Both sets are part of the hash format: changing one changes
# the hash of entries already written.
SEALED_OBJECT_TYPES = frozenset({"voter", "voter_complaint", "role"})
SEALED_KEYS = frozenset({"proposed_by", "user", "complaints", "complainant", "reason", "note"})
# A checkpoint is signed in the same transaction as each of these, so a signed checkpoint must cover each one.
PUBLICATION_ACTIONS = frozenset(
    a.value
    for a in (
        AuditAction.RESULT_PUBLISHED,
        AuditAction.CORRECTION_PUBLISHED,
        AuditAction.TURNOUT_PUBLISHED,
        AuditAction.TURNOUT_UNPUBLISHED,
    )
)


def canonical_json(value: Any) -> str:
    """The text the hash and the MAC cover: sorted keys, no spaces, characters as they are (core/jsontext.py)."""
    return jsontext.canonical(value, default=str)


def entry_hash(*, prev_hash: str, fields: dict[str, Any]) -> str:
    """The public hash: anyone holding the export can recompute it."""
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode()).hexdigest()


def entry_mac(*, prev_hash: str, fields: dict[str, Any]) -> str:
    """The keyed MAC: only the holder of KP_AUDIT_KEY can make or check it."""
    return hmac.new(
        audit_key(settings.AUDIT_KEY), (prev_hash + canonical_json(fields)).encode(), hashlib.sha256
    ).hexdigest()


def _stored(value: Any, fresh: bool) -> Any:
    """Stored JSON comes back through a round trip: its canonical form. A fresh entry's values are in that form
    already (`_entry_values`), and a second round trip gives the same: it is skipped."""
    return value if fresh else jsontext.round_trip(value, default=str)


def content_fields(entry: Any, *, fresh: bool = False) -> dict[str, Any]:
    """Everything the entry says; its `mac` covers all of it."""
    return {
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "election": entry.election_slug,
        "object_type": entry.object_type,
        "object_key": entry.object_key,
        # Stored JSON comes back through a round trip: hash the canonical form of that.
        "before": _stored(entry.before, fresh),
        "after": _stored(entry.after, fresh),
        "data": _stored(entry.data, fresh),
        "source": entry.source,
    }


def _unsealed(value: Any) -> Any:
    """Stored JSON in its canonical form, with the values of `SEALED_KEYS` left out (None)."""
    if isinstance(value, dict):
        return {k: None if k in SEALED_KEYS else _unsealed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unsealed(v) for v in value]
    return value


def public_fields(entry: Any, *, fresh: bool = False) -> dict[str, Any]:
    """What the hash covers and the export shows: no actor, no source, no username or free text, and nothing
    of an entry about a person. The `mac` stands for what is left out."""
    sealed = entry.object_type in SEALED_OBJECT_TYPES
    return {
        "at": entry.at.isoformat(),
        "action": entry.action,
        "election": entry.election_slug,
        "object_type": entry.object_type,
        "object_key": None if sealed else entry.object_key,
        "before": None if sealed else _unsealed(_stored(entry.before, fresh)),
        "after": None if sealed else _unsealed(_stored(entry.after, fresh)),
        "data": None if sealed else _unsealed(_stored(entry.data, fresh)),
        "mac": entry.mac,
    }


def seal(entry: Any, *, fresh: bool = False) -> None:
    """Set the entry's `mac` and `hash` from its content and its `prev_hash`.

    `fresh`: its JSON values were just put in their stored form (`_entry_values`), as in `audit_log_many`.
    """
    entry.mac = entry_mac(prev_hash=entry.prev_hash, fields=content_fields(entry, fresh=fresh))
    entry.hash = entry_hash(prev_hash=entry.prev_hash, fields=public_fields(entry, fresh=fresh))


def locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)
        except IntegrityError:  # another writer created it first
            head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@dataclass
class AuditRecord:
    """One entry to write; `audit_log_many` writes a batch in one chained insert."""

    action: str
    user: Any = None
    election_slug: str = ""
    object_type: str = ""
    object_key: str = ""
    before: Any = None
    after: Any = None
    data: dict[str, Any] | None = None
    source: str = ""


def audit_log(action: str, **kwargs: Any) -> AuditEntry:
    """Append one entry. `action` is a dotted code such as `results.tally.submitted`."""
    return audit_log_many([AuditRecord(action, **kwargs)])[0]


@transaction.atomic(savepoint=False)
def audit_log_many(records: Iterable[AuditRecord]) -> list[AuditEntry]:
    head = locked_head()
    entries = _chained(records, head.hash, AuditEntry)
    if not entries:
        return []
    prev = entries[-1].hash
    if connection.vendor == "postgresql" and len(entries) <= _ONE_STATEMENT:
        _append_and_move_head(entries, head.pk)
        return entries
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    last = entries[-1].seq
    if last is None:  # a backend that does not return ids from bulk inserts
        last = AuditEntry.objects.filter(hash=prev).values_list("seq", flat=True).get()
    head.seq, head.hash = last, prev
    head.save(update_fields=["seq", "hash"])
    return entries


# Up to this many entries (a request writes one or a few) go in with the head's move in one statement.
_ONE_STATEMENT = 50


def _append_and_move_head(entries: list[AuditEntry], head_pk: int) -> None:
    """Insert the sealed `entries` and move the head to the last of them in one statement (PostgreSQL).

    The head row stays locked from `locked_head` to the commit, so every round trip between the two holds up
    every other writer (with many threads per process, each one also waits for the interpreter): one statement
    instead of an INSERT and an UPDATE. The sequence gives the `seq`s in the order of the rows, as `bulk_create`.
    """
    meta, quote = AuditEntry._meta, connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list[Any] = []
    for entry in entries:
        params += [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    head = AuditHead._meta
    # only the models' table and column names go into the text; the values are parameters
    table, columns, pk = quote(meta.db_table), ", ".join(quote(f.column) for f in fields), quote(meta.pk.column)
    values = ", ".join([row] * len(entries))
    head_table, head_pk_column = quote(head.db_table), quote(head.pk.column)
    sql = (
        f"WITH ins AS (INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk} AS seq), "  # noqa: S608
        f"moved AS (UPDATE {head_table} SET seq = (SELECT max(seq) FROM ins), hash = %s WHERE {head_pk_column} = %s) "
        "SELECT seq FROM ins ORDER BY seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, entries[-1].hash, head_pk])
        seqs = [r[0] for r in cursor.fetchall()]
    for entry, seq in zip(entries, seqs, strict=True):
        entry.seq = seq
        entry._state.adding, entry._state.db = False, connection.alias


_Sealed = TypeVar("_Sealed")  # an AuditEntry, or a plain row of the same attributes for COPY


def _chained(records: Iterable[AuditRecord], prev: str, make: Callable[..., _Sealed]) -> list[_Sealed]:
    """The entries of `records`, made by `make` (a model or a plain row), each sealed onto the one before it,
    the first onto `prev` (the head's hash); all with the same time."""
    now = timezone.now()
    chained = []
    for r in records:
        entry = make(**_entry_values(r, now, prev))
        seal(entry, fresh=True)
        prev = entry.hash
        chained.append(entry)
    return chained


def _entry_values(r: AuditRecord, now: Any, prev: str) -> dict[str, Any]:
    """What an entry of `r` says, before it is sealed (attribute names of AuditEntry)."""
    user = r.user
    known = bool(getattr(user, "pk", None))
    return {
        "at": now,
        "actor_id": user.pk if known else None,
        "actor_name": user.get_username() if known else "",
        "action": r.action,
        "election_slug": r.election_slug,
        "object_type": r.object_type,
        "object_key": r.object_key[:200],
        "before": jsontext.round_trip(r.before, default=str),
        "after": jsontext.round_trip(r.after, default=str),
        "data": jsontext.round_trip(r.data or {}, default=str),
        "source": r.source[:300],
        "prev_hash": prev,
    }


class _Line(SimpleNamespace):
    """An entry to write without a model instance: the attributes `seal` reads and sets."""


_COLUMNS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "election_slug",
    "object_type",
    "object_key",
    "before",
    "after",
    "data",
    "source",
    "prev_hash",
    "mac",
    "hash",
)


@transaction.atomic(savepoint=False)
def audit_log_bulk(records: Iterable[AuditRecord]) -> int:
    """`audit_log_many` for the big imports; returns the number of entries written.

    The same entries and the same chain; on PostgreSQL they are written by COPY, with their `seq` taken from
    the table's sequence in one query (the head row stays locked, so no other entry comes between them),
    without a model instance each. Elsewhere this is `audit_log_many`.
    """
    if not bulk_rows.copying():
        return len(audit_log_many(records))
    head = locked_head()
    lines = _chained(records, head.hash, _Line)
    if not lines:
        return 0
    prev = lines[-1].hash
    seqs = bulk_rows.take_ids(AuditEntry, len(lines))
    unchecked = bulk_rows.references_unchecked()  # the actors checked in one statement (core/bulk_rows.py)
    bulk_rows.insert_rows(
        AuditEntry,
        _COLUMNS,
        ((seq, *(getattr(line, c) for c in _COLUMNS[1:])) for seq, line in zip(seqs, lines, strict=True)),
    )
    if unchecked:
        bulk_rows.references_checked()
        bulk_rows.check_references(AuditEntry, "seq", seqs)
    head.seq, head.hash = seqs[-1], prev
    head.save(update_fields=["seq", "hash"])
    return len(lines)


# --- verifying the chain --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str
    checkpoint: int | None = None  # set when the fault lies in a checkpoint itself

    def __str__(self) -> str:
        if self.checkpoint is not None:
            return f"checkpoint #{self.checkpoint} (entry #{self.seq}): {self.reason}"
        return f"entry #{self.seq}: {self.reason}"


def entry_breaks(
    entries: Iterable[Any],
    *,
    head: AuditHead | None,
    anchors: Sequence[Mapping[str, Any]],
    start: str | None = GENESIS,
    coverage: bool = False,
) -> Iterator[ChainBreak]:
    """The chain, the keys, and each valid checkpoint in `anchors` against `entries` (in seq order).

    `start` is the hash the first entry must follow (None: whatever it follows, for a check from a checkpoint on).
    With `coverage`, every publication must lie at or before the newest anchor.
    """
    at_seq: dict[int, list[Mapping[str, Any]]] = {}
    for c in anchors:
        at_seq.setdefault(c["seq"], []).append(c)
    newest = max((c["seq"] for c in anchors), default=0)
    expected_prev, last_seq = start, 0
    for entry in entries:
        if expected_prev is not None and entry.prev_hash != expected_prev:
            yield ChainBreak(entry.seq, "previous hash does not match: an entry before it was deleted or inserted")
        if entry_hash(prev_hash=entry.prev_hash, fields=public_fields(entry)) != entry.hash:
            yield ChainBreak(entry.seq, "content does not match its hash: the entry was edited")
        elif not hmac.compare_digest(entry_mac(prev_hash=entry.prev_hash, fields=content_fields(entry)), entry.mac):
            yield ChainBreak(
                entry.seq, "its keyed MAC does not match: the entry was written or rewritten without the audit key"
            )
        for c in at_seq.pop(entry.seq, ()):
            if c["hash"] != entry.hash:
                yield ChainBreak(
                    entry.seq, f"does not match signed checkpoint #{c['number']}: the log was rewritten up to here"
                )
        if coverage and entry.action in PUBLICATION_ACTIONS and entry.seq > newest:
            yield ChainBreak(entry.seq, "a publication that no signed checkpoint covers: it was added afterwards")
        expected_prev, last_seq = entry.hash, entry.seq
    for seq, missing in sorted(at_seq.items()):
        for c in missing:
            yield ChainBreak(
                seq,
                f"signed checkpoint #{c['number']} names this entry, which is not in the log: the log was cut short",
            )
    head_hash = head.hash if head else GENESIS
    if head_hash != (expected_prev or GENESIS):
        yield ChainBreak(
            last_seq, "the chain does not end where the head says: entries at the end were deleted or added"
        )
