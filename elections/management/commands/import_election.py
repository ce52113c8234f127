"""`python manage.py import_election FILE`: the election structure file of interfaces §1."""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import bulk_rows
from elections.parsing import parse_election
from elections.services import ElectionLocked, election_import


class Command(BaseCommand):
    help = (
        "Create or update an election from its structure file (JSON, interfaces §1). "
        "All or nothing: on any error nothing is written and every problem is listed with its JSON path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to the UTF-8 JSON file")
        parser.add_argument("--dry-run", action="store_true", help="check the file and show the changes; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        with bulk_rows.no_gc_pauses():  # 100,000 polling units: no full collections in between (core/bulk_rows.py)
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror})") from None
        try:
            doc = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 (byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None

        result = parse_election(doc)
        for problem in result.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {problem}"))
        if result.errors:
            for problem in result.errors:
                self.stderr.write(self.style.ERROR(f"error: {problem}"))
            raise CommandError(f"{path}: {len(result.errors)} problem(s); nothing was written")

        source = f"import_election {path.name} sha256:{hashlib.sha256(raw).hexdigest()}"
        try:
            report = election_import(spec=result.spec, source=source, dry_run=options["dry_run"])
        except ElectionLocked as exc:
            raise CommandError(str(exc)) from None

        slug = result.spec.slug
        if not report.changed:
            self.stdout.write(f'Election "{slug}": no changes.')
            return
        verb = "would be" if options["dry_run"] else "was"
        what = "created" if report.created_election else "updated"
        self.stdout.write(self.style.SUCCESS(f'Election "{slug}" {verb} {what}.'))
        if report.election_fields:
            self.stdout.write(f"  election fields: {', '.join(report.election_fields)}")
        for kind, counts in report.counts().items():
            parts = ", ".join(f"{n} {verb_}" for verb_, n in counts.items())
            self.stdout.write(f"  {kind.replace('_', ' ')}: {parts}")
        if result.warnings:
            self.stdout.write(
                f"  {len(result.warnings)} legal warning(s) above; committees see them on the checks page."
            )
