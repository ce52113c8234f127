"""`python manage.py verify_audit [--checkpoints FILE ...]`: check the whole audit log (docs/audit.md).

Checks the hash chain, every entry's keyed MAC (KP_AUDIT_KEY), the signed checkpoints (signature, numbering,
chaining) and the log against each of them, and that every publication is covered by a checkpoint. `--checkpoints`
adds copies kept outside the database (the public site's download, saved by an observer or an archive): each must
still be in the database, unchanged, which finds a log cut back to an old checkpoint with the newer ones deleted.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from elections.audit_checkpoints import checkpoint_json, verify_chain
from elections.models import AuditCheckpoint, AuditEntry, AuditHead


def read_published(path: str) -> list[dict[str, Any]]:
    """The checkpoints of a file as the public site gives them, or of an export (`export_audit`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot be read ({exc})") from None
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError:
        try:
            document = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}: neither a checkpoints file nor an export ({exc})") from None
    if isinstance(document, dict) and isinstance(document.get("checkpoints"), list):
        found = document["checkpoints"]
    elif isinstance(document, list):
        found = [line for line in document if isinstance(line, dict) and line.get("kind") == "checkpoint"]
    else:
        raise CommandError(f"{path}: neither a checkpoints file nor an export")
    if not all(isinstance(c, dict) for c in found):
        raise CommandError(f"{path}: a checkpoint is not a JSON object")
    return found


class Command(BaseCommand):
    help = (
        "Verify the audit log: its chain, every entry's keyed MAC and the signed checkpoints; exits non-zero and "
        "names every entry or checkpoint that was edited, deleted, inserted, reordered, forged or cut off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            metavar="FILE",
            help="checkpoints kept outside the database (the public site's JSON, or an export); may be repeated",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        published = [c for path in options["checkpoints"] for c in read_published(path)]
        entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=5000)
        head = AuditHead.objects.filter(pk=1).first()
        checkpoints = [checkpoint_json(c) for c in AuditCheckpoint.objects.order_by("number")]
        breaks = list(verify_chain(entries, head=head, checkpoints=checkpoints, published=published))
        total = AuditEntry.objects.count()
        if breaks:
            for b in breaks:
                self.stderr.write(str(b))
            raise CommandError(f"the audit log does not verify: {len(breaks)} problem(s) in {total} entries")
        newest = f", the newest at entry #{checkpoints[-1]['seq']}" if checkpoints else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit log verifies: {total} entries, chain intact, "
                f"{len(checkpoints)} signed checkpoint(s){newest}."
            )
        )
