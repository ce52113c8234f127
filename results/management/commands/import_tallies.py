"""`python manage.py import_tallies ELECTION FILE [--approve] [--lenient]` (interfaces §2)."""

import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from core import bulk_rows
from elections.models import Election
from results.tallies.bulk_import import tallies_import
from results.tallies.parsing import read_tally_file

SHOWN = 200  # problems printed in full; the count is always exact


class Command(BaseCommand):
    help = (
        "Load counting minutes (a JSON array of tallies, or JSON Lines). All or nothing, with the same checks "
        "as a clerk's entry; every problem is listed. --approve records them approved by the committee; "
        "--lenient records tallies that break a rule of the minutes as given and flags them instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("election", help="election slug")
        parser.add_argument("file")
        parser.add_argument("--approve", action="store_true", help="record the tallies as approved (an import)")
        parser.add_argument(
            "--lenient", action="store_true", help="record arithmetic breaks as given, with an error flag each"
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file; write nothing")

    @no_translations  # messages on the terminal are in English, as in the contract
    def handle(self, *args: Any, **options: Any) -> None:
        with bulk_rows.no_gc_pauses():  # 100,000 tallies: no full collections in between (core/bulk_rows.py)
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        try:
            election = Election.objects.get(slug=options["election"])
        except Election.DoesNotExist:
            raise CommandError(f'no election "{options["election"]}"') from None
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror})") from None
        items, problems = read_tally_file(raw)
        if problems:
            self._fail(path, problems)
        report = tallies_import(
            election=election,
            items=items,
            approve=options["approve"],
            lenient=options["lenient"],
            source=f"import_tallies {path.name} sha256:{hashlib.sha256(raw).hexdigest()}",
            dry_run=options["dry_run"],
        )
        for w in report.warnings[:SHOWN]:
            self.stderr.write(self.style.WARNING(f"warning: {w}"))
        if len(report.warnings) > SHOWN:
            self.stderr.write(self.style.WARNING(f"... and {len(report.warnings) - SHOWN} more warnings"))
        if report.problems:
            self._fail(path, report.problems)
        if options["dry_run"]:
            self.stdout.write(f"{len(items)} tallies checked; nothing written (--dry-run).")
            return
        state = "approved" if options["approve"] else "submitted"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(items)} tallies: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged ({state})."
            )
        )
        if report.flagged:
            self.stdout.write(f"{report.flagged} tallies break a rule of the minutes and were flagged (--lenient).")

    def _fail(self, path: Path, problems: list) -> None:
        for p in problems[:SHOWN]:
            self.stderr.write(self.style.ERROR(f"error: {p}"))
        if len(problems) > SHOWN:
            self.stderr.write(self.style.ERROR(f"... and {len(problems) - SHOWN} more"))
        raise CommandError(f"{path}: {len(problems)} problem(s); nothing was written")
