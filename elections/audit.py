"""The append-only audit log: who did what, when, from where, with the state before and after.

Entries are chained by SHA-256: each hash covers the entry and the hash before it. Writers take a
lock so the chain stays a single line even with many concurrent writers.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEntry

GENESIS = "0" * 64
_LOCK_KEY = 0x4B50_4155  # "KPAU": advisory lock id for the audit chain on PostgreSQL


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


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    # SQLite serialises writers itself.


@transaction.atomic
def audit_log(
    action: str,
    *,
    user: Any = None,
    election_slug: str = "",
    object_type: str = "",
    object_key: str = "",
    before: Any = None,
    after: Any = None,
    data: dict[str, Any] | None = None,
    source: str = "",
) -> AuditEntry:
    """Append one entry. `action` is a dotted code such as `elections.election.imported`."""
    _lock_chain()
    last = AuditEntry.objects.order_by("-seq").values_list("hash", flat=True).first()
    entry = AuditEntry(
        at=timezone.now(),
        actor=user if getattr(user, "pk", None) else None,
        actor_name=getattr(user, "get_username", lambda: "")() if user is not None else "",
        action=action,
        election_slug=election_slug,
        object_type=object_type,
        object_key=object_key,
        before=json.loads(_canonical(before)),
        after=json.loads(_canonical(after)),
        data=json.loads(_canonical(data or {})),
        source=source[:300],
        prev_hash=last or GENESIS,
    )
    entry.hash = entry_hash(prev_hash=entry.prev_hash, fields=_hashed_fields(entry))
    entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(entries: Iterable[AuditEntry]) -> Iterator[ChainBreak]:
    """Yield every place where the chain does not hold, in order."""
    expected_prev = GENESIS
    for entry in entries:
        if entry.prev_hash != expected_prev:
            yield ChainBreak(entry.seq, "previous hash does not match: an entry before it was deleted or inserted")
        if entry_hash(prev_hash=entry.prev_hash, fields=_hashed_fields(entry)) != entry.hash:
            yield ChainBreak(entry.seq, "content does not match its hash: the entry was edited")
        expected_prev = entry.hash
