"""The append-only audit log: who did what, when, from where, with the state before and after.

Entries are chained by SHA-256: each hash covers the entry and the hash before it, and the head row
records the newest entry. Editing, deleting or inserting a line breaks the chain (`verify_audit`).
Writers lock the head row, so the chain stays a single line with many concurrent writers.
Personal data (national IDs, voters' dates of birth) never goes in here.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from elections.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(*, prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _canonical(fields)).encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "election": entry.election_slug,
        "object_type": entry.object_type,
        "object_key": entry.object_key,
        # Stored JSON comes back through a round trip: hash the canonical form of that.
        "before": json.loads(_canonical(entry.before)),
        "after": json.loads(_canonical(entry.after)),
        "data": json.loads(_canonical(entry.data)),
        "source": entry.source,
    }


def _locked_head() -> AuditHead:
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
    head = _locked_head()
    now = timezone.now()
    entries = []
    prev = head.hash
    for r in records:
        user = r.user
        entry = AuditEntry(
            at=now,
            actor=user if getattr(user, "pk", None) else None,
            actor_name=user.get_username() if getattr(user, "pk", None) else "",
            action=r.action,
            election_slug=r.election_slug,
            object_type=r.object_type,
            object_key=r.object_key[:200],
            before=json.loads(_canonical(r.before)),
            after=json.loads(_canonical(r.after)),
            data=json.loads(_canonical(r.data or {})),
            source=r.source[:300],
            prev_hash=prev,
        )
        entry.hash = prev = entry_hash(prev_hash=prev, fields=_hashed_fields(entry))
        entries.append(entry)
    if not entries:
        return []
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    last = entries[-1].seq
    if last is None:  # a backend that does not return ids from bulk inserts
        last = AuditEntry.objects.filter(hash=prev).values_list("seq", flat=True).get()
    head.seq, head.hash = last, prev
    head.save(update_fields=["seq", "hash"])
    return entries


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(entries: Iterable[AuditEntry], *, head: AuditHead | None) -> Iterator[ChainBreak]:
    """Yield every place where the chain does not hold, in order; `entries` must come in seq order."""
    expected_prev = GENESIS
    last_seq = 0
    for entry in entries:
        if entry.prev_hash != expected_prev:
            yield ChainBreak(entry.seq, "previous hash does not match: an entry before it was deleted or inserted")
        if entry_hash(prev_hash=entry.prev_hash, fields=_hashed_fields(entry)) != entry.hash:
            yield ChainBreak(entry.seq, "content does not match its hash: the entry was edited")
        expected_prev = entry.hash
        last_seq = entry.seq
    head_hash = head.hash if head else GENESIS
    if head_hash != expected_prev:
        yield ChainBreak(
            last_seq, "the chain does not end where the head says: entries at the end were deleted or added"
        )
