"""Seal an audit log written before keyed MACs (docs/audit.md, "Upgrading an existing log").

Entries written by earlier releases carry a SHA-256 over all their fields and no MAC. This first checks that
old chain and stops if it is broken: a tampered log must not be sealed as if it were intact (docs/audit.md says
what to do; KP_AUDIT_SEAL_BROKEN_LOG=1 seals it anyway and prints where it was broken). Then every entry is
recomputed in this release's format (MAC under KP_AUDIT_KEY, public hash), the head moves to the new last hash,
and checkpoint #1 (`upgrade`) signs it, so the history as it stood at the upgrade is pinned from then on.
Reversing recomputes the old hashes.
"""

import hashlib
import json
import os
import sys

from django.db import migrations
from django.utils import timezone

GENESIS = "0" * 64
BATCH = 2000


def _canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _legacy_hash(prev_hash, entry):
    """The hash of release 0.1, frozen here: SHA-256 of the previous hash and every field."""
    fields = {
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "election": entry.election_slug,
        "object_type": entry.object_type,
        "object_key": entry.object_key,
        "before": json.loads(_canonical(entry.before)),
        "after": json.loads(_canonical(entry.after)),
        "data": json.loads(_canonical(entry.data)),
        "source": entry.source,
    }
    return hashlib.sha256((prev_hash + _canonical(fields)).encode()).hexdigest()


def _batches(Entry):
    """Every entry in seq order, a batch at a time (no cursor held open while rows are updated)."""
    last = 0
    while True:
        batch = list(Entry.objects.filter(seq__gt=last).order_by("seq")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].seq


def _rewrite(Entry, Head, recompute):
    prev = GENESIS
    for batch in _batches(Entry):
        for entry in batch:
            entry.prev_hash = prev
            recompute(entry)
            prev = entry.hash
        Entry.objects.bulk_update(batch, ["prev_hash", "mac", "hash"])
    Head.objects.filter(pk=1).update(hash=prev)
    return prev


def seal(apps, schema_editor):
    Entry = apps.get_model("elections", "AuditEntry")
    Head = apps.get_model("elections", "AuditHead")
    Checkpoint = apps.get_model("elections", "AuditCheckpoint")
    if not Entry.objects.exists():
        return
    # this release's format: the functions that write and verify every new entry
    from elections import audit, audit_checkpoints

    broken, prev = [], GENESIS
    for batch in _batches(Entry):
        for entry in batch:
            if entry.prev_hash != prev or _legacy_hash(entry.prev_hash, entry) != entry.hash:
                broken.append(entry.seq)
            prev = entry.hash
    head = Head.objects.get(pk=1)
    if head.hash != prev:
        broken.append(head.seq)
    if broken:
        where = ", ".join(f"#{seq}" for seq in broken[:20]) + (" ..." if len(broken) > 20 else "")
        if os.environ.get("KP_AUDIT_SEAL_BROKEN_LOG") != "1":
            raise RuntimeError(
                f"The audit log does not verify (entries {where}); it is not sealed as if it were intact. "
                "See docs/audit.md, 'Upgrading an existing log'."
            )
        sys.stderr.write(f"\nWarning: sealing an audit log that was broken at entries {where}\n")

    last = _rewrite(Entry, Head, audit.seal)
    head.refresh_from_db()
    at = timezone.now()
    signed = audit_checkpoints.sign_checkpoint(
        number=1, seq=head.seq, head_hash=last, at=at, prev=GENESIS, reason="upgrade"
    )
    Checkpoint.objects.create(**{**signed, "at": at})


def unseal(apps, schema_editor):
    Entry = apps.get_model("elections", "AuditEntry")
    Head = apps.get_model("elections", "AuditHead")
    # every checkpoint names a hash of the sealed format
    apps.get_model("elections", "AuditCheckpoint").objects.all().delete()

    def legacy(entry):
        entry.mac = ""
        entry.hash = _legacy_hash(entry.prev_hash, entry)

    _rewrite(Entry, Head, legacy)


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0002_audit_mac_and_checkpoints"),
    ]

    operations = [
        migrations.RunPython(seal, unseal),
    ]
