"""`python manage.py compute_results ELECTION`: compute (or refresh) every constituency's result now."""

import time
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from elections.models import Election
from results.outcomes.contests import election_outcome
from results.outcomes.totals import totals_mismatches, totals_rebuild


class Command(BaseCommand):
    help = (
        "Compute every constituency's result from the approved tallies and keep it cached, so the first "
        "page or API request after a large import is served at once. Only constituencies whose tallies "
        "changed are recomputed; running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("election", help="election slug")
        parser.add_argument(
            "--rebuild-totals",
            action="store_true",
            help="first sum every approved tally afresh into the running totals, and say whether they differed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            election = Election.objects.get(slug=options["election"])
        except Election.DoesNotExist:
            raise CommandError(f'no election "{options["election"]}"') from None
        started = time.perf_counter()
        if options["rebuild_totals"]:
            problems = totals_mismatches(election)
            for problem in problems[:20]:
                self.stderr.write(problem)
            rows = totals_rebuild(election)
            self.stdout.write(f"{rows} running totals rebuilt; {len(problems)} differed from the tallies.")
        contests = election_outcome(election)
        summaries = [s for contest in contests for s in contest.constituencies]
        counts = Counter(s.status for s in summaries)
        statuses = ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "no constituencies"
        self.stdout.write(f"{len(summaries)} constituencies in {time.perf_counter() - started:.2f} s: {statuses}.")
