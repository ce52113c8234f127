"""`python manage.py import_voters ELECTION FILE [--skip-invalid]`: the voter file of interfaces §8."""

import csv
import hashlib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from tqdm import tqdm

from elections.models import Election
from voters.importing.pipeline import ImportRefused, voter_list_import
from voters.importing.reading import FileRefused
from voters.importing.scanning import refused_rows


class Command(BaseCommand):
    help = (
        "Load voter lists from a CSV file (interfaces §8): national_id,full_name,date_of_birth,gender,"
        "polling_unit,residence, optionally household, household_head and category (Art. 29(3), (5)). All or nothing "
        "unless --skip-invalid; importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("election", help="the election's slug")
        parser.add_argument("file", help="path to the UTF-8 CSV file")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="load the good rows and write the refused ones, with their reasons, to FILE.rejected.csv",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file against the lists; write nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        # Scripts read this output: always in English, whatever the site's language.
        with translation.override("en"):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            raise CommandError(f'unknown election "{options["election"]}"')
        try:
            size = path.stat().st_size
            with path.open("rb") as fh:
                sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
            source = path.open("rb")
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror})") from None
        show = not options["no_progress"] and sys.stderr.isatty()
        bar = tqdm(total=size, unit="B", unit_scale=True, desc="checking", disable=not show, file=sys.stderr)

        def phase(name: str, total: int) -> None:  # bytes while the file is checked, then rows while loading
            if name == "loading":
                bar.unit, bar.unit_scale = "rows", False
            bar.reset(total=total or size)
            bar.set_description(name)

        try:
            report = voter_list_import(
                election=election,
                source=source,
                file_name=path.name,
                sha256=sha256,
                skip_invalid=options["skip_invalid"],
                dry_run=options["dry_run"],
                on_progress=bar.update,
                on_phase=phase,
            )
        except FileRefused as exc:
            raise CommandError(f"{path}: {exc}; nothing was written") from None
        except ImportRefused as exc:
            bar.close()
            for line, reason in exc.report.refusals:
                self.stderr.write(f"line {line}: {reason}")
            raise CommandError(
                f"{path}: {len(exc.report.refusals)} row(s) refused; nothing was written "
                "(use --skip-invalid to load the good rows)"
            ) from None
        finally:
            source.close()
        bar.close()

        if report.refusals:
            rejected = path.with_name(path.name + ".rejected.csv")
            with (
                path.open(encoding="utf-8-sig", newline="") as src,
                rejected.open("w", encoding="utf-8", newline="") as out,
            ):
                csv.writer(out).writerows(refused_rows(src, report.refusals))
            for line, reason in report.refusals[:20]:
                self.stderr.write(f"line {line}: {reason}")
            if len(report.refusals) > 20:
                self.stderr.write(f"... and {len(report.refusals) - 20} more")
            self.stderr.write(f"{len(report.refusals)} row(s) refused, written with their reasons to {rejected}")
        verb = "would be loaded" if options["dry_run"] else "loaded"
        self.stdout.write(
            self.style.SUCCESS(
                f'Election "{election.slug}": {report.rows} row(s) read, {report.loaded} {verb}, '
                f"{report.unchanged} already on the lists, {len(report.refusals)} refused."
            )
        )
        if report.batch is not None:
            self.stdout.write(f"  import #{report.batch.pk}, file sha256 {sha256}")
