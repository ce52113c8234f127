"""`python manage.py screen_anomalies ELECTION [--dry-run]`: statistical screening of the counted units."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from elections.models import Election
from results.flags.screening import screen_anomalies


class Command(BaseCommand):
    help = (
        "Screen the approved tallies for anomalies (turnout outliers, turnout/vote-share fingerprint, "
        "integer percentages, last digits) and keep their flags in the review queue in step. "
        "Running it again changes nothing; resolved flags stay resolved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("election", help="election slug")
        parser.add_argument("--dry-run", action="store_true", help="report what would be flagged; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            election = Election.objects.get(slug=options["election"])
        except Election.DoesNotExist:
            raise CommandError(f'no election "{options["election"]}"') from None
        report = screen_anomalies(election=election, source="screen_anomalies", dry_run=options["dry_run"])
        found = ", ".join(f"{code} {n}" for code, n in sorted(report.found.items())) or "nothing"
        self.stdout.write(f"{report.units} counted units screened; found: {found}.")
        if options["dry_run"]:
            self.stdout.write("Nothing written (--dry-run).")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Flags: {report.created} new, {report.kept} already there, {report.removed} no longer found."
                )
            )
