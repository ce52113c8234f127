"""The append-only audit log: who did what, when, from where, with the state before and after.

Each entry carries two values (docs/audit.md):

- `mac`: HMAC-SHA256, under `KP_AUDIT_KEY` (kept outside the database), of the previous entry's hash and
  everything the entry says. Only the server can make or check it: a line written or rewritten by someone
  with write access to the database but without the key does not verify.
- `hash`: SHA-256 of the previous hash, the entry's public fields and its `mac`. Anyone can recompute it
  from an export (`export_audit`): who acted, from which address, and entries about a person are left out
  of the public fields and stand there only through the `mac`.

Editing, deleting, inserting or reordering a line breaks the chain. The head row records the newest entry;
writers lock it, so the chain stays a single line with many concurrent writers. At every publication and on a
schedule (`audit_checkpoint`) the head is signed with an Ed25519 key kept outside the database; the
checkpoints are published with the public key (public/audit.py), so a log cut short, or rewritten from some
entry on, no longer matches what anyone could download. `verify_audit` checks all of it; a standalone script
(tools/verify_audit_export.py) checks an export with the public key only.
Personal data (national IDs, voters' dates of birth) never goes in here.
"""

import base64
import datetime as dt
import functools
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from elections.audit_codes import AuditAction
from elections.models import AuditCheckpoint, AuditEntry, AuditHead

GENESIS = "0" * 64
CHECKPOINT_FORMAT = "kiemphieu-audit-checkpoint/1"
EXPORT_FORMAT = "kiemphieu-audit-export"
CHECKPOINTS_FORMAT = "kiemphieu-audit-checkpoints"

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


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(*, prev_hash: str, fields: dict[str, Any]) -> str:
    """The public hash: anyone holding the export can recompute it."""
    return hashlib.sha256((prev_hash + _canonical(fields)).encode()).hexdigest()


def _audit_key() -> bytes:
    key = settings.AUDIT_KEY
    if not key:
        raise ImproperlyConfigured("KP_AUDIT_KEY is not set: the audit log can be neither written nor verified")
    return key.encode()


def entry_mac(*, prev_hash: str, fields: dict[str, Any]) -> str:
    """The keyed MAC: only the holder of KP_AUDIT_KEY can make or check it."""
    return hmac.new(_audit_key(), (prev_hash + _canonical(fields)).encode(), hashlib.sha256).hexdigest()


def content_fields(entry: Any) -> dict[str, Any]:
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
        "before": json.loads(_canonical(entry.before)),
        "after": json.loads(_canonical(entry.after)),
        "data": json.loads(_canonical(entry.data)),
        "source": entry.source,
    }


def _unsealed(value: Any) -> Any:
    """Stored JSON in its canonical form, with the values of `SEALED_KEYS` left out (None)."""
    if isinstance(value, dict):
        return {k: None if k in SEALED_KEYS else _unsealed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unsealed(v) for v in value]
    return value


def public_fields(entry: Any) -> dict[str, Any]:
    """What the hash covers and the export shows: no actor, no source, no username or free text, and nothing
    of an entry about a person. The `mac` stands for what is left out."""
    sealed = entry.object_type in SEALED_OBJECT_TYPES
    return {
        "at": entry.at.isoformat(),
        "action": entry.action,
        "election": entry.election_slug,
        "object_type": entry.object_type,
        "object_key": None if sealed else entry.object_key,
        "before": None if sealed else _unsealed(json.loads(_canonical(entry.before))),
        "after": None if sealed else _unsealed(json.loads(_canonical(entry.after))),
        "data": None if sealed else _unsealed(json.loads(_canonical(entry.data))),
        "mac": entry.mac,
    }


def seal(entry: Any) -> None:
    """Set the entry's `mac` and `hash` from its content and its `prev_hash`."""
    entry.mac = entry_mac(prev_hash=entry.prev_hash, fields=content_fields(entry))
    entry.hash = entry_hash(prev_hash=entry.prev_hash, fields=public_fields(entry))


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
        seal(entry)
        prev = entry.hash
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


# --- signed checkpoints -----------------------------------------------------------------------------------


class AuditLogBroken(Conflict):
    """The log does not verify since its last checkpoint, so no checkpoint is signed over it (HTTP 409)."""


@functools.lru_cache(maxsize=4)
def _private_key(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    key: Any = None
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError):  # binascii.Error is a ValueError
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("the audit signing key must be an Ed25519 private key (PEM, or base64 of 32 bytes)")
    return key


def signing_key() -> Ed25519PrivateKey:
    """The checkpoints' Ed25519 key: KP_AUDIT_SIGNING_KEY_FILE (PEM) or KP_AUDIT_SIGNING_KEY (PEM or base64 seed)."""
    text = settings.AUDIT_SIGNING_KEY
    if settings.AUDIT_SIGNING_KEY_FILE:
        try:
            with open(settings.AUDIT_SIGNING_KEY_FILE, encoding="ascii") as pem:
                text = pem.read()
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"KP_AUDIT_SIGNING_KEY_FILE cannot be read: {exc}") from None
    if not text.strip():
        raise ImproperlyConfigured("KP_AUDIT_SIGNING_KEY is not set: checkpoints of the audit log cannot be signed")
    return _private_key(text)


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """A public key's short name: the first 16 hex digits of the SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(_raw(key)).hexdigest()[:16]


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    key = public_key()
    return {key_id(key): key}


def public_key_info() -> dict[str, str]:
    """The public key as the public site gives it: its name, the raw 32 bytes in base64, and PEM."""
    key = public_key()
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return {
        "algorithm": "Ed25519",
        "key_id": key_id(key),
        "raw_base64": base64.b64encode(_raw(key)).decode(),
        "pem": pem.decode(),
    }


def _utc(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


SIGNED_FIELDS = ("number", "seq", "hash", "at", "prev", "reason", "key_id")


def checkpoint_message(checkpoint: Mapping[str, Any]) -> bytes:
    """The bytes a checkpoint's signature covers: canonical JSON of the format's name and the signed fields."""
    return _canonical({"format": CHECKPOINT_FORMAT, **{k: checkpoint[k] for k in SIGNED_FIELDS}}).encode()


def checkpoint_digest(checkpoint: Mapping[str, Any]) -> str:
    """What the next checkpoint's `prev` holds: the SHA-256 of this one's signed message."""
    return hashlib.sha256(checkpoint_message(checkpoint)).hexdigest()


def checkpoint_json(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """A checkpoint as it is published and exported."""
    return {
        "number": checkpoint.number,
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "at": _utc(checkpoint.at),
        "prev": checkpoint.prev,
        "reason": checkpoint.reason,
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


def sign_checkpoint(
    *, number: int, seq: int, head_hash: str, at: dt.datetime, prev: str, reason: str
) -> dict[str, Any]:
    """The signed checkpoint of `seq`/`head_hash`, in the form of `checkpoint_json`."""
    key = signing_key()
    signed: dict[str, Any] = {
        "number": number,
        "seq": seq,
        "hash": head_hash,
        "at": _utc(at),
        "prev": prev,
        "reason": reason,
        "key_id": key_id(key.public_key()),
    }
    signed["signature"] = base64.b64encode(key.sign(checkpoint_message(signed))).decode()
    return signed


@transaction.atomic
def audit_checkpoint(*, reason: str = AuditCheckpoint.Reason.MANUAL, force: bool = False) -> AuditCheckpoint | None:
    """Sign the head of the log as a new checkpoint; None when the log is empty or unchanged since the last one.

    Publications call this in their own transaction, right after their entry: the head is locked, so the
    checkpoint names the newest entry and covers the publication. The entries since the last checkpoint are
    checked first (chain and keys): a checkpoint is never signed over a log that was tampered with.
    """
    head = _locked_head()
    last = AuditCheckpoint.objects.order_by("-number").first()
    if head.seq == 0 or (not force and last is not None and (last.seq, last.hash) == (head.seq, head.hash)):
        return None
    since = AuditEntry.objects.filter(seq__gte=last.seq if last else 0).order_by("seq")
    anchors = [checkpoint_json(last)] if last else []
    if any(_entry_breaks(since.iterator(chunk_size=2000), head=head, anchors=anchors, start=None if last else GENESIS)):
        raise AuditLogBroken(
            _("The audit log does not verify since its last checkpoint, so nothing was signed; run verify_audit.")
        )
    at = timezone.now()
    signed = sign_checkpoint(
        number=last.number + 1 if last else 1,
        seq=head.seq,
        head_hash=head.hash,
        at=at,
        prev=checkpoint_digest(checkpoint_json(last)) if last else GENESIS,
        reason=str(reason),
    )
    return AuditCheckpoint.objects.create(**{**signed, "at": at})


def checkpoints_document() -> dict[str, Any]:
    """Every checkpoint with the public key, as the public site offers it for download."""
    return {
        "format": CHECKPOINTS_FORMAT,
        "version": 1,
        "public_key": public_key_info(),
        "checkpoints": [checkpoint_json(c) for c in AuditCheckpoint.objects.order_by("number")],
    }


def export_lines() -> Iterator[dict[str, Any]]:
    """The log for an observer, one JSON object a line: a header with the head, every entry's public part, every
    checkpoint, up to the head as it stands when the export starts (entries written meanwhile are left for the next).

    Each entry's `hash` is the SHA-256 of its `prev_hash` and the canonical JSON of its `fields`, so the chain
    can be recomputed without any key; the signed checkpoints pin it. No actor, source, or entry about a person.
    """
    # The newest checkpoint first, then the head: every checkpoint exported names an entry exported.
    last_number = AuditCheckpoint.objects.order_by("-number").values_list("number", flat=True).first() or 0
    head = AuditHead.objects.filter(pk=1).first()
    yield {
        "kind": "export",
        "format": EXPORT_FORMAT,
        "version": 1,
        "exported_at": _utc(timezone.now()),
        "key_id": key_id(public_key()),
        "head": {"seq": head.seq if head else 0, "hash": head.hash if head else GENESIS},
    }
    end = head.seq if head else 0
    for entry in AuditEntry.objects.filter(seq__lte=end).order_by("seq").iterator(chunk_size=2000):
        yield {
            "kind": "entry",
            "seq": entry.seq,
            "prev_hash": entry.prev_hash,
            "hash": entry.hash,
            "fields": public_fields(entry),
        }
    for checkpoint in AuditCheckpoint.objects.filter(number__lte=last_number).order_by("number"):
        yield {"kind": "checkpoint", **checkpoint_json(checkpoint)}


# --- verification ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str
    checkpoint: int | None = None  # set when the fault lies in a checkpoint itself

    def __str__(self) -> str:
        if self.checkpoint is not None:
            return f"checkpoint #{self.checkpoint} (entry #{self.seq}): {self.reason}"
        return f"entry #{self.seq}: {self.reason}"


def _signature_holds(checkpoint: Mapping[str, Any], keys: Mapping[str, Ed25519PublicKey]) -> bool:
    try:
        key = keys.get(checkpoint["key_id"])
        if key is None:
            return False
        key.verify(base64.b64decode(checkpoint["signature"], validate=True), checkpoint_message(checkpoint))
    except (InvalidSignature, KeyError, TypeError, ValueError):
        return False
    return True


def checkpoint_breaks(
    checkpoints: Sequence[Mapping[str, Any]], *, keys: Mapping[str, Ed25519PublicKey]
) -> Iterator[ChainBreak]:
    """The checkpoints in number order: each signed by a known key, numbered 1, 2, 3..., each chained to the last."""
    prev_digest, prev_seq, expected = GENESIS, 0, 1
    for c in checkpoints:
        number, seq = c["number"], c["seq"]
        if not _signature_holds(c, keys):
            yield ChainBreak(seq, "its signature does not verify with the public key: it was forged or altered", number)
        if number != expected:
            yield ChainBreak(
                seq, f"expected checkpoint #{expected} here: checkpoints were deleted, inserted or replayed", number
            )
        if c["prev"] != prev_digest:
            yield ChainBreak(
                seq,
                "it does not follow the checkpoint before it: checkpoints were deleted, inserted or replayed",
                number,
            )
        if seq < prev_seq:
            yield ChainBreak(
                seq, "it names an earlier entry than the checkpoint before it: a replayed checkpoint", number
            )
        prev_digest, prev_seq, expected = checkpoint_digest(c), seq, number + 1


def _entry_breaks(
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


def verify_chain(
    entries: Iterable[Any],
    *,
    head: AuditHead | None,
    checkpoints: Sequence[Mapping[str, Any]] = (),
    published: Iterable[Mapping[str, Any]] = (),
    keys: Mapping[str, Ed25519PublicKey] | None = None,
) -> Iterator[ChainBreak]:
    """Yield every place where the log does not hold, in order; `entries` must come in seq order.

    `checkpoints` are the database's (as `checkpoint_json`, in number order); `published` are copies kept
    outside, such as the public site's download saved by an observer: each must still be in the database,
    unchanged, and match the log. `keys` are the trusted public keys by key id (default: the configured one).
    """
    keys = trusted_keys() if keys is None else keys
    yield from checkpoint_breaks(checkpoints, keys=keys)
    mine = {c["number"]: c for c in checkpoints}
    anchors = [c for c in checkpoints if _signature_holds(c, keys)]
    for c in published:
        number, seq = c.get("number"), c.get("seq", 0)
        if not _signature_holds(c, keys):
            yield ChainBreak(seq, "the published copy's signature does not verify: it is not one of this log's", number)
            continue
        kept = mine.get(number)
        if kept is not None and all(kept.get(k) == c.get(k) for k in (*SIGNED_FIELDS, "signature")):
            continue  # the same checkpoint: already among the anchors
        if kept is None:
            yield ChainBreak(seq, "published, but missing from the database: checkpoints were deleted", number)
        else:
            yield ChainBreak(seq, "differs from the published copy: checkpoints were rewritten", number)
        anchors.append(c)
    yield from _entry_breaks(entries, head=head, anchors=anchors, coverage=True)
