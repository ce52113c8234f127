"""The audit log's signed checkpoints (docs/audit.md): signing the head, listing, exporting, verifying against them.

At every publication and on a schedule (`audit_checkpoint`) the head of the chain (elections/audit.py) is signed
with an Ed25519 key kept outside the database; the checkpoints are published with the public key (public/audit.py),
so a log cut short, or rewritten from some entry on, no longer matches what anyone could download. `verify_chain`
checks the chain, the keys and the checkpoints (`verify_audit`); a standalone script (tools/verify_audit_export.py)
checks an export (`export_lines`) with the public key only.
"""

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from core.keys import audit_signing_key
from elections.audit import GENESIS, ChainBreak, canonical_json, entry_breaks, locked_head, public_fields
from elections.models import AuditCheckpoint, AuditEntry, AuditHead

CHECKPOINT_FORMAT = "kiemphieu-audit-checkpoint/1"
EXPORT_FORMAT = "kiemphieu-audit-export"
CHECKPOINTS_FORMAT = "kiemphieu-audit-checkpoints"


class AuditLogBroken(Conflict):
    """The log does not verify since its last checkpoint, so no checkpoint is signed over it (HTTP 409)."""


def signing_key() -> Ed25519PrivateKey:
    """The checkpoints' Ed25519 key: KP_AUDIT_SIGNING_KEY_FILE (PEM) or KP_AUDIT_SIGNING_KEY (PEM or base64 seed)."""
    return audit_signing_key(
        settings.AUDIT_SIGNING_KEY,
        settings.AUDIT_SIGNING_KEY_FILE,
        missing="KP_AUDIT_SIGNING_KEY is not set: checkpoints of the audit log cannot be signed",
    )


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
    return canonical_json({"format": CHECKPOINT_FORMAT, **{k: checkpoint[k] for k in SIGNED_FIELDS}}).encode()


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
    head = locked_head()
    last = AuditCheckpoint.objects.order_by("-number").first()
    if head.seq == 0 or (not force and last is not None and (last.seq, last.hash) == (head.seq, head.hash)):
        return None
    since = AuditEntry.objects.filter(seq__gte=last.seq if last else 0).order_by("seq")
    anchors = [checkpoint_json(last)] if last else []
    if any(entry_breaks(since.iterator(chunk_size=2000), head=head, anchors=anchors, start=None if last else GENESIS)):
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
    yield from entry_breaks(entries, head=head, anchors=anchors, coverage=True)
