#!/usr/bin/env python3
"""Check an export of the Kiểm Phiếu audit log with nothing but the public key (docs/audit.md).

    python3 tools/verify_audit_export.py EXPORT.jsonl --public-key audit-public-key.pem [--checkpoints FILE ...]

EXPORT is what `python manage.py export_audit` writes. The public key (PEM, or the raw 32 bytes in base64) and
the checkpoints are those of the public site's audit page (/public/audit/): download the checkpoints now and
then, keep the copies, and give them with --checkpoints, so that a log cut back to an old checkpoint, with the
newer checkpoints deleted, is found.

It recomputes the chain of public hashes from the first entry to the last, checks every signed checkpoint
(signature, numbering, chaining) and the log against each, and that every publication is covered by a
checkpoint. It cannot check what the export leaves out (who acted, from where, entries about a person) nor
entries after the newest checkpoint other than publications: the committee's `manage.py verify_audit`, which
holds the audit key, checks those too.

Needs only Python 3.11+ and the `cryptography` package; it imports nothing of Kiểm Phiếu.
Exit status: 0 the export verifies, 1 it does not (every problem is listed), 2 the input cannot be read.
"""

import argparse
import base64
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS = "0" * 64
EXPORT_FORMAT = "kiemphieu-audit-export"
CHECKPOINT_FORMAT = "kiemphieu-audit-checkpoint/1"
SIGNED_FIELDS = ("number", "seq", "hash", "at", "prev", "reason", "key_id")
# A checkpoint is signed with each of these, so each must be covered by one (elections.audit.PUBLICATION_ACTIONS).
PUBLICATION_ACTIONS = frozenset(
    {
        "results.result.published",
        "results.result.correction_published",
        "results.turnout.published",
        "results.turnout.unpublished",
    }
)


class Unusable(Exception):
    """The input cannot be read as an export, a checkpoints file or a public key."""


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(fields)).encode()).hexdigest()


def checkpoint_message(checkpoint: Mapping[str, Any]) -> bytes:
    return canonical({"format": CHECKPOINT_FORMAT, **{k: checkpoint[k] for k in SIGNED_FIELDS}}).encode()


def checkpoint_digest(checkpoint: Mapping[str, Any]) -> str:
    return hashlib.sha256(checkpoint_message(checkpoint)).hexdigest()


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(path: str) -> Ed25519PublicKey:
    try:
        text = Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise Unusable(f"{path}: cannot be read ({exc})") from None
    key: Any = None
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise Unusable(f"{path}: not an Ed25519 public key (PEM, or base64 of its 32 bytes)")
    return key


def _json_lines(path: str) -> Iterator[tuple[int, Any]]:
    try:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    try:
                        yield number, json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise Unusable(f"{path}, line {number}: not JSON ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Unusable(f"{path}: cannot be read ({exc})") from None


_ENTRY_KEYS = {"seq": int, "prev_hash": str, "hash": str, "fields": dict}
_CHECKPOINT_KEYS = {
    "number": int,
    "seq": int,
    "hash": str,
    "at": str,
    "prev": str,
    "reason": str,
    "key_id": str,
    "signature": str,
}


def _shaped(item: Any, keys: Mapping[str, type], where: str) -> dict[str, Any]:
    if not isinstance(item, dict) or any(not isinstance(item.get(k), t) for k, t in keys.items()):
        raise Unusable(f"{where}: needs {', '.join(keys)}")
    return item


def read_export(path: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The header, the entries and the checkpoints of an export, in the order they come."""
    header: dict[str, Any] | None = None
    entries, checkpoints = [], []
    for number, item in _json_lines(path):
        where = f"{path}, line {number}"
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind == "export":
            if item.get("format") != EXPORT_FORMAT or item.get("version") != 1:
                raise Unusable(f"{where}: not a Kiểm Phiếu audit export of version 1")
            header = item
        elif kind == "entry":
            entries.append(_shaped(item, _ENTRY_KEYS, where))
        elif kind == "checkpoint":
            checkpoints.append(_shaped(item, _CHECKPOINT_KEYS, where))
        else:
            raise Unusable(f"{where}: unknown line")
    if header is None:
        raise Unusable(f"{path}: no export header: not written by `manage.py export_audit`")
    return header, entries, checkpoints


def read_checkpoints(path: str) -> list[dict[str, Any]]:
    """The checkpoints of the public site's download, or of another export."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise Unusable(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError:
        return read_export(path)[2]
    if not isinstance(document, dict) or not isinstance(document.get("checkpoints"), list):
        raise Unusable(f"{path}: not the checkpoints of a Kiểm Phiếu audit log")
    return [_shaped(c, _CHECKPOINT_KEYS, f"{path}, checkpoint {i}") for i, c in enumerate(document["checkpoints"])]


def _signed(checkpoint: Mapping[str, Any], key: Ed25519PublicKey) -> bool:
    if checkpoint["key_id"] != key_id(key):
        return False
    try:
        key.verify(base64.b64decode(checkpoint["signature"], validate=True), checkpoint_message(checkpoint))
    except (InvalidSignature, ValueError):
        return False
    return True


def problems(
    header: Mapping[str, Any],
    entries: Iterable[Mapping[str, Any]],
    checkpoints: list[dict[str, Any]],
    published: Iterable[Mapping[str, Any]],
    key: Ed25519PublicKey,
) -> Iterator[str]:
    """Every place where the export does not hold, worded as `manage.py verify_audit` words it."""
    # the checkpoints of the export: each signed, numbered 1, 2, 3..., chained to the one before
    prev_digest, prev_seq, expected = GENESIS, 0, 1
    for c in checkpoints:
        where = f"checkpoint #{c['number']} (entry #{c['seq']})"
        if not _signed(c, key):
            yield f"{where}: its signature does not verify with the public key: it was forged or altered"
        if c["number"] != expected:
            yield f"{where}: expected checkpoint #{expected} here: checkpoints were deleted, inserted or replayed"
        if c["prev"] != prev_digest:
            yield (
                f"{where}: it does not follow the checkpoint before it: checkpoints were deleted, inserted or replayed"
            )
        if c["seq"] < prev_seq:
            yield f"{where}: it names an earlier entry than the checkpoint before it: a replayed checkpoint"
        prev_digest, prev_seq, expected = checkpoint_digest(c), c["seq"], c["number"] + 1
    # copies kept outside: each must still be in the export, unchanged
    mine = {c["number"]: c for c in checkpoints}
    anchors = [c for c in checkpoints if _signed(c, key)]
    for c in published:
        where = f"checkpoint #{c['number']} (entry #{c['seq']})"
        if not _signed(c, key):
            yield f"{where}: the published copy's signature does not verify: it is not one of this log's"
            continue
        kept = mine.get(c["number"])
        if kept is not None and all(kept[k] == c[k] for k in (*SIGNED_FIELDS, "signature")):
            continue
        if kept is None:
            yield f"{where}: published, but missing from the export: checkpoints were deleted"
        else:
            yield f"{where}: differs from the published copy: checkpoints were rewritten"
        anchors.append(c)
    # the chain of entries, against every valid checkpoint
    at_seq: dict[int, list[Mapping[str, Any]]] = {}
    for c in anchors:
        at_seq.setdefault(c["seq"], []).append(c)
    newest = max((c["seq"] for c in anchors), default=0)
    expected_prev, last_seq = GENESIS, 0
    for e in entries:
        seq = e["seq"]
        if seq <= last_seq:
            yield f"entry #{seq}: comes after entry #{last_seq}: the export is out of order"
        if e["prev_hash"] != expected_prev:
            yield f"entry #{seq}: previous hash does not match: an entry before it was deleted or inserted"
        if entry_hash(e["prev_hash"], e["fields"]) != e["hash"]:
            yield f"entry #{seq}: content does not match its hash: the entry was edited"
        for c in at_seq.pop(seq, ()):
            if c["hash"] != e["hash"]:
                yield f"entry #{seq}: does not match signed checkpoint #{c['number']}: the log was rewritten up to here"
        if e["fields"].get("action") in PUBLICATION_ACTIONS and seq > newest:
            yield f"entry #{seq}: a publication that no signed checkpoint covers: it was added afterwards"
        expected_prev, last_seq = e["hash"], seq
    for seq, missing in sorted(at_seq.items()):
        for c in missing:
            yield (
                f"entry #{seq}: signed checkpoint #{c['number']} names this entry, which is not in the log: "
                "the log was cut short"
            )
    head = header.get("head")
    if isinstance(head, dict) and head.get("hash") != expected_prev:
        yield f"entry #{last_seq}: the chain does not end where the head says: entries at the end were deleted or added"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="See docs/audit.md.")
    parser.add_argument("export", help="the export, as `manage.py export_audit` writes it (JSON Lines)")
    parser.add_argument("--public-key", required=True, metavar="FILE", help="the public key (PEM or base64)")
    parser.add_argument(
        "--checkpoints",
        action="append",
        default=[],
        metavar="FILE",
        help="checkpoints saved from the public site (or another export); may be repeated",
    )
    args = parser.parse_args(argv)
    try:
        key = load_public_key(args.public_key)
        header, entries, checkpoints = read_export(args.export)
        published = [c for path in args.checkpoints for c in read_checkpoints(path)]
    except Unusable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    found = list(problems(header, entries, checkpoints, published, key))
    for problem in found:
        print(problem)
    if found:
        print(f"The export does NOT verify: {len(found)} problem(s) in {len(entries)} entries.")
        return 1
    newest = f", the newest at entry #{checkpoints[-1]['seq']}" if checkpoints else ""
    print(
        f"The export verifies: {len(entries)} entries, chain intact, {len(checkpoints)} signed checkpoint(s){newest}, "
        f"public key {key_id(key)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
