"""`python manage.py load_demo`: the demo election, through the same import as real files, plus one user per role."""

import datetime as dt
import json
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from demo import results_2026
from demo.clock import demo_clock
from demo.election_2026 import DEMO_2026_USERS, build_demo_2026_election
from demo.elections import DEMO_PASSWORD, DEMO_USERS, build_demo_election
from demo.results import load_election_day, publish_demo
from demo.voters import load_demo_voters
from elections.models import Election, Role
from elections.parsing import parse_election
from elections.services import election_import, role_grant
from results.flags.screening import screen_anomalies


class Command(BaseCommand):
    help = "Load the demo election and its users (one per role). Running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write-json", metavar="FILE", help="also write the demo structure file (interfaces §1)")
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        doc = build_demo_election()
        zone = zoneinfo.ZoneInfo(doc.get("time_zone", "Asia/Ho_Chi_Minh"))
        day = dt.date.fromisoformat(doc["election_day"])

        def on(days: int, hour: int, minute: int = 0, step: float = 0.25) -> Any:
            """The demo clock at `hour` o'clock, `days` after election day (negative: before)."""
            start = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=zone)
            return demo_clock(start, step=dt.timedelta(seconds=step))

        with on(-40, 8):  # the structure and the lists, as posted 40 days before (Art. 32)
            self._structure_and_voters(doc, options)
        election = Election.objects.get(slug=doc["slug"])
        with on(0, 19, 10, step=2.0):  # election day, from the close of the polls
            self._election_day(election)
        with on(3, 9, step=20.0):  # results published in the days after
            self._publication(election)
        self._election_2026()
        self._logins(options)

    def _election_2026(self) -> None:
        """The second demo election (demo/election_2026.py): 15 March 2026, a two-tier province, the amended law."""
        doc = build_demo_2026_election()
        zone = zoneinfo.ZoneInfo(doc.get("time_zone", "Asia/Ho_Chi_Minh"))
        day = dt.date.fromisoformat(doc["election_day"])

        def on(days: int, hour: int, minute: int = 0, step: float = 2.0) -> Any:
            start = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=zone)
            return demo_clock(start, step=dt.timedelta(seconds=step))

        with on(-40, 9, step=0.25):
            result = parse_election(doc)
            if result.errors:
                raise CommandError("the 2026 demo file does not parse: " + "; ".join(map(str, result.errors)))
            report = election_import(spec=result.spec, source="load_demo")
            self.stdout.write(
                f'Demo election "{result.spec.slug}": '
                + ("loaded." if report.changed else "already loaded, unchanged.")
            )
            election = Election.objects.get(slug=result.spec.slug)
            User = get_user_model()
            for spec in DEMO_2026_USERS:
                user, created = User.objects.get_or_create(username=spec["username"])
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.first_name = spec["label_vi"]
                    user.save()
                role_grant(
                    user=user, election=election, role=Role(spec["role"]), scope_code=spec["scope"], source="load_demo"
                )
        with on(0, 19, 10):  # election day, from the close of the polls
            first = results_2026.load_election_day_2026(election)
        with on(2, 9, step=20.0):  # the NEC's annulment and the decisions after round 1
            decided = results_2026.record_decisions_2026(election)
        with on(7, 19, 10):  # 22/3/2026: the additional election and the re-vote
            second = results_2026.load_second_round_day_2026(election)
        with on(8, 9, step=20.0):  # XA-TA-1's failed additional election closed by a decision
            results_2026.close_failed_additional_2026(election)
        with on(9, 9, step=20.0):  # minutes issued and results published
            published = results_2026.publish_demo_2026(election)
        if first:
            self.stdout.write(
                f"Demo 2026 election day: {first['approved']} approved, {first['submitted']} submitted tallies; "
                f"{decided['decisions']} decisions recorded (two additional elections and a re-election opened, a "
                f"National Assembly seat left vacant by the NEC, a tie settled), {decided['annulled']} unit annulled; "
                f"{second['round_2']} round-2 tallies and {second['revote']} re-vote approved; "
                f"{published['minutes']} minutes issued, {published['published']} results published."
            )

    def _structure_and_voters(self, doc: dict[str, Any], options: dict[str, Any]) -> None:
        if options["write_json"]:
            with open(options["write_json"], "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False, indent=1)
        result = parse_election(doc)
        if result.errors:
            raise CommandError("the demo file does not parse: " + "; ".join(map(str, result.errors)))
        report = election_import(spec=result.spec, source="load_demo")
        election = Election.objects.get(slug=result.spec.slug)
        self.stdout.write(
            f'Demo election "{election.slug}": ' + ("loaded." if report.changed else "already loaded, unchanged.")
        )

        User = get_user_model()
        for spec in DEMO_USERS:
            user, created = User.objects.get_or_create(username=spec["username"])
            if created:
                user.set_password(spec["password"])
                user.first_name = spec["label_vi"]
                if spec["role"] == "admin":
                    user.is_staff = user.is_superuser = True
                user.save()
            if spec["role"] != "admin":
                role_grant(
                    user=user, election=election, role=Role(spec["role"]), scope_code=spec["scope"], source="load_demo"
                )

        voters = load_demo_voters(election, by=User.objects.get(username="uyban.huyen"))
        self.stdout.write(f"Demo voter lists: {voters['voters']} voters, {voters['loaded']} newly loaded.")

    def _election_day(self, election: Election) -> None:
        day = load_election_day(election)
        if day:
            self.stdout.write(
                "Demo election day: " + ", ".join(f"{n} {state}" for state, n in day.items()) + " tallies."
            )
        screened = screen_anomalies(election=election, source="load_demo")  # idempotent: flags for the queue
        if screened.created:
            self.stdout.write(f"Demo anomaly screening: {screened.created} flags for the committee to look at.")

    def _publication(self, election: Election) -> None:
        published = publish_demo(election)
        if published:
            self.stdout.write(
                f"Demo publication: turnout public, {published['published']} results published "
                f"({published['corrected']} corrected since), {published['proposed']} waiting for a second member; "
                f"constituency minutes issued for {published['minutes']}."
            )

    def _logins(self, options: dict[str, Any]) -> None:
        if not options["quiet_logins"]:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for spec in DEMO_USERS:
                role = f"{spec['role']} {spec['scope'] or ''}"
                self.stdout.write(f"  {spec['username']:<14} {role:<22} {spec['label_en']}")
            self.stdout.write("Demo logins of the 2026 election (song-lam-2026, the same password):")
            for spec in DEMO_2026_USERS:
                role = f"{spec['role']} {spec['scope']}"
                self.stdout.write(f"  {spec['username']:<14} {role:<22} {spec['label_en']}")
