"""`python manage.py audit_checkpoint [--force]`: sign the head of the audit log now (docs/audit.md).

Publications sign a checkpoint themselves; run this on a schedule as well (a cron job or systemd timer every
few minutes, see docs/audit.md), so entries written between publications are pinned too. Re-runnable: with no
new entry since the last checkpoint it signs nothing, unless `--force` (a fresh signed time for the same head).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from elections.audit_checkpoints import AuditLogBroken, audit_checkpoint
from elections.models import AuditCheckpoint


class Command(BaseCommand):
    help = "Sign the audit log's head as a checkpoint for the public site; nothing when no entry is new."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="sign even when no entry is new since the last one")
        parser.add_argument(
            "--reason",
            choices=[AuditCheckpoint.Reason.SCHEDULE, AuditCheckpoint.Reason.MANUAL],
            default=AuditCheckpoint.Reason.SCHEDULE,
            help="recorded with the checkpoint (default: schedule)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = audit_checkpoint(reason=options["reason"], force=options["force"])
        except AuditLogBroken as exc:
            raise CommandError(str(exc)) from None
        if checkpoint is None:
            self.stdout.write("Nothing to sign: no entry since the last checkpoint.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Signed checkpoint #{checkpoint.number}: entry #{checkpoint.seq}, hash {checkpoint.hash}, "
                f"key {checkpoint.key_id}."
            )
        )
