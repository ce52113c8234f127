"""Ways to rewrite the audit log with write access to the database but without the keys.

Shared by tests/elections/test_audit_tampering.py (`verify_audit`) and tests/tools/test_verify_audit_export.py
(the standalone verifier). Written so the suite also runs against the unkeyed chain of release 0.1, whose
figures docs/audit.md gives: the attacker uses only the public hash formula (`entry_hash` over the hashed
fields), and the steps that need checkpoints run only where checkpoints exist.

The log built here: entries 1-4 (one about a voter), checkpoint #1 (schedule) at entry 4, entries 5-7, a
publication at entry 8 with checkpoint #2, entries 9-10 after the newest checkpoint. The observer's copy of the
public checkpoints is saved before any tampering.
"""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from elections import audit
from elections.models import AuditEntry, AuditHead

try:
    from elections import audit_checkpoints
except ImportError:  # release 0.1: an unkeyed chain, without signed checkpoints
    audit_checkpoints = None

# True from the release with keyed MACs and signed checkpoints on; False on release 0.1.
CHECKPOINTS = audit_checkpoints is not None
hashed_fields = getattr(audit, "public_fields", None) or audit._hashed_fields  # type: ignore[attr-defined]


@dataclass
class Log:
    seqs: list[int]
    pinned_first: int  # the entry checkpoint #1 signs
    publication: int  # the publication entry, signed by checkpoint #2
    published: Path | None  # the observer's saved copy of the public checkpoints


def build_log(user: Any, folder: Path) -> Log:
    seqs: list[int] = []

    def add(action: str = "test.thing.done", **kwargs: Any) -> None:
        seqs.append(audit.audit_log(action, user=user, source="web 10.0.0.7", **kwargs).seq)

    for i in range(3):
        after = {"n": i, "complaints": "Ông Nguyễn Văn Khiếu khiếu nại" if i == 1 else ""}
        add(election_slug="e-2021", object_type="tally", object_key=f"U{i}/QH/1", after=after, data={"i": i})
    add(election_slug="e-2021", object_type="voter", object_key="U1#57", data={"voter": 1234, "list_number": 57})
    if CHECKPOINTS:
        audit_checkpoints.audit_checkpoint(reason="schedule")
    pinned_first = seqs[-1]
    for i in range(3, 6):
        add(election_slug="e-2021", object_type="tally", object_key=f"U{i}/QH/1", after={"n": i})
    add(
        "results.result.published",
        election_slug="e-2021",
        object_type="result",
        object_key="QH1",
        data={"digest": "x", "proposed_by": "uyban.huyen"},
    )
    if CHECKPOINTS:
        audit_checkpoints.audit_checkpoint(reason="publication")
    publication = seqs[-1]
    for i in range(6, 8):
        add(election_slug="e-2021", object_type="tally", object_key=f"U{i}/QH/1", after={"n": i})
    published = None
    if CHECKPOINTS:
        published = folder / "checkpoints-saved-by-an-observer.json"
        published.write_text(json.dumps(audit_checkpoints.checkpoints_document()), encoding="utf-8")
    return Log(seqs, pinned_first, publication, published)


# --- what someone with write access to the database can do -------------------------------------------------


def _entry(seq: int) -> AuditEntry:
    return AuditEntry.objects.get(seq=seq)


def _reset_head() -> None:
    last = AuditEntry.objects.order_by("-seq").first()
    AuditHead.objects.filter(pk=1).update(seq=last.seq if last else 0, hash=last.hash if last else audit.GENESIS)


def _rehash_from(seq: int) -> None:
    """Recompute the public hash of every entry from `seq` on, as the unkeyed formula allows, and move the head."""
    before = AuditEntry.objects.filter(seq__lt=seq).order_by("-seq").first()
    prev = before.hash if before else audit.GENESIS
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        entry.prev_hash = prev
        entry.hash = prev = audit.entry_hash(prev_hash=prev, fields=hashed_fields(entry))
        entry.save(update_fields=["prev_hash", "hash"])
    _reset_head()


def _forge(seq: int, prev_hash: str, action: str = "test.forged", **fields: Any) -> AuditEntry:
    """An entry whose public hash is right; its MAC is copied from a real entry (the key is out of reach)."""
    forged = AuditEntry(seq=seq, at=timezone.now(), action=action, prev_hash=prev_hash, **fields)
    if CHECKPOINTS:
        forged.mac = AuditEntry.objects.order_by("-seq").values_list("mac", flat=True).first()
    forged.hash = audit.entry_hash(prev_hash=prev_hash, fields=hashed_fields(forged))
    forged.save(force_insert=True)
    return forged


def edit_an_entry(log: Log) -> None:
    AuditEntry.objects.filter(seq=log.seqs[2]).update(after={"n": 99})


def edit_who_acted(log: Log) -> None:
    AuditEntry.objects.filter(seq=log.seqs[2]).update(actor_name="someone-else", source="web 10.9.9.9")


def edit_an_entry_about_a_voter(log: Log) -> None:
    AuditEntry.objects.filter(seq=log.seqs[3]).update(data={"voter": 4321, "list_number": 75})


def delete_a_middle_entry(log: Log) -> None:
    AuditEntry.objects.filter(seq=log.seqs[2]).delete()


def delete_the_last_entry(log: Log) -> None:
    AuditEntry.objects.filter(seq=log.seqs[-1]).delete()


def insert_an_entry(log: Log) -> None:
    """Shift every entry from the 4th on by one and slip a forged entry in, chained to the 3rd."""
    for seq in reversed(log.seqs[3:]):
        AuditEntry.objects.filter(seq=seq).update(seq=seq + 1)
    _forge(log.seqs[3], _entry(log.seqs[2]).hash, election_slug="e-2021", object_type="tally", object_key="U9/QH/1")
    _reset_head()


def reorder_two_entries(log: Log) -> None:
    a, b = log.seqs[1], log.seqs[2]
    AuditEntry.objects.filter(seq=a).update(seq=10**9)
    AuditEntry.objects.filter(seq=b).update(seq=a)
    AuditEntry.objects.filter(seq=10**9).update(seq=b)


def truncate_and_reset_the_head(log: Log) -> None:
    """Cut the log back to before the publication and point the head at the new end."""
    AuditEntry.objects.filter(seq__gte=log.seqs[5]).delete()
    _reset_head()


def recompute_after_an_edit(log: Log) -> None:
    """Edit a middle entry, then recompute every later hash and the head with the public formula."""
    AuditEntry.objects.filter(seq=log.seqs[2]).update(after={"n": 99})
    _rehash_from(log.seqs[2])


def recompute_after_an_edit_past_the_newest_checkpoint(log: Log) -> None:
    AuditEntry.objects.filter(seq=log.seqs[-2]).update(after={"n": 99})
    _rehash_from(log.seqs[-2])


def forged_append(log: Log) -> None:
    last = _entry(log.seqs[-1])
    _forge(last.seq + 1, last.hash, election_slug="e-2021", object_type="tally", object_key="U1/QH/1")
    _reset_head()


def forged_publication_append(log: Log) -> None:
    """A `results.result.published` entry with a correct public hash, appended and made the head."""
    last = _entry(log.seqs[-1])
    _forge(
        last.seq + 1,
        last.hash,
        "results.result.published",
        election_slug="e-2021",
        object_type="result",
        object_key="QH1",
        data={"d": "forged"},
    )
    _reset_head()


def replay_an_old_checkpoint(log: Log) -> None:
    """Cut the log back to checkpoint #1 and delete the newer checkpoints: the old one looks current again."""
    AuditEntry.objects.filter(seq__gt=log.pinned_first).delete()
    _reset_head()
    if CHECKPOINTS:
        from elections.models import AuditCheckpoint

        AuditCheckpoint.objects.filter(number__gt=1).delete()


# Tamperings of the checkpoints themselves (from the release with checkpoints on).


def replay_an_old_checkpoint_as_the_newest(log: Log) -> None:
    """Forge entries after the newest checkpoint and present checkpoint #1's signature as checkpoint #3 of them."""
    from elections.models import AuditCheckpoint

    forged_append(log)
    old = AuditCheckpoint.objects.get(number=1)
    head = AuditHead.objects.get(pk=1)
    AuditCheckpoint.objects.create(
        number=3, seq=head.seq, hash=head.hash, at=old.at, prev=old.prev, reason=old.reason, key_id=old.key_id,
        signature=old.signature,
    )  # fmt: skip


def move_a_checkpoint_to_a_rewritten_log(log: Log) -> None:
    """Rewrite the log from the 3rd entry on and change checkpoint #2 to name the new hash."""
    from elections.models import AuditCheckpoint

    recompute_after_an_edit(log)
    AuditCheckpoint.objects.filter(number=2).update(hash=_entry(log.publication).hash)


def delete_the_newest_checkpoint(log: Log) -> None:
    from elections.models import AuditCheckpoint

    AuditCheckpoint.objects.filter(number=2).delete()


def sign_a_rewritten_log_with_another_key(log: Log) -> None:
    """Rewrite the log and sign checkpoint #2 anew with a key of one's own."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from elections.models import AuditCheckpoint

    recompute_after_an_edit(log)
    mine = Ed25519PrivateKey.generate()
    cp = AuditCheckpoint.objects.get(number=2)
    cp.hash = _entry(log.publication).hash
    fields = {**audit_checkpoints.checkpoint_json(cp), "key_id": audit_checkpoints.key_id(mine.public_key())}
    cp.key_id = fields["key_id"]
    cp.signature = base64.b64encode(mine.sign(audit_checkpoints.checkpoint_message(fields))).decode()
    cp.save()


# name: (tampering, what verify_audit says about it on this release)
ON_THE_LOG: dict[str, tuple[Callable[[Log], None], str]] = {
    "edit an entry": (edit_an_entry, "content does not match its hash"),
    "edit who acted": (edit_who_acted, "keyed MAC does not match"),
    "edit an entry about a voter": (edit_an_entry_about_a_voter, "keyed MAC does not match"),
    "delete a middle entry": (delete_a_middle_entry, "previous hash does not match"),
    "delete the last entry": (delete_the_last_entry, "the chain does not end where the head says"),
    "insert an entry": (insert_an_entry, "previous hash does not match"),
    "reorder two entries": (reorder_two_entries, "previous hash does not match"),
    "truncate and reset the head": (truncate_and_reset_the_head, "which is not in the log: the log was cut short"),
    "recompute after an edit": (recompute_after_an_edit, "keyed MAC does not match"),
    "recompute after an edit past the newest checkpoint": (
        recompute_after_an_edit_past_the_newest_checkpoint,
        "keyed MAC does not match",
    ),
    "forged append with a correct unkeyed hash": (forged_append, "keyed MAC does not match"),
    "forged publication append": (forged_publication_append, "a publication that no signed checkpoint covers"),
    "replay of an old checkpoint": (replay_an_old_checkpoint, "published, but missing from the database"),
}
ON_THE_CHECKPOINTS: dict[str, tuple[Callable[[Log], None], str]] = {
    "replay an old checkpoint as the newest": (
        replay_an_old_checkpoint_as_the_newest,
        "its signature does not verify with the public key",
    ),
    "move a checkpoint to a rewritten log": (move_a_checkpoint_to_a_rewritten_log, "its signature does not verify"),
    "delete the newest checkpoint": (delete_the_newest_checkpoint, "published, but missing from the database"),
    "sign a rewritten log with another key": (sign_a_rewritten_log_with_another_key, "its signature does not verify"),
}
# What an observer holding only an export and the public key cannot see: fields left out of the export, and
# entries after the newest checkpoint that are not publications. Only the holder of KP_AUDIT_KEY finds these.
KEY_HOLDER_ONLY = {
    "edit who acted",
    "edit an entry about a voter",
    "recompute after an edit past the newest checkpoint",
    "forged append with a correct unkeyed hash",
}
