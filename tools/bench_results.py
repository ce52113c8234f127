"""Benchmark of the results engine on PostgreSQL: 180,000 polling units x 3 contests of approved tallies.

Generates (with bench_world.py: set-based SQL) an election of 180,000 units in 60 provinces of 50 districts of
60 units, each voting in three contests:
a National-Assembly-like contest of 300 constituencies of 600 units, a provincial-council-like one of
3,000 constituencies of 60 units and a commune-council-like one of 15,000 constituencies of 12 units,
5 candidates each: 540,000 approved tallies and 2,700,000 vote rows. Then it times

- computing every constituency's result and the three contest results in one pass (`election_outcome`), from
  cold (no cached result) and warm; then each contest on its own, cold and warm, and after one tally changed
  (one constituency recomputed);
- serving one constituency result through the API (Django test client, full stack), cold and warm.

Approving a tally adds it to its constituency's running sums (results/outcomes/totals.py); since the builder
writes its tallies by SQL, it sums them once with `totals_rebuild` after building; this prints how long that took.

It prints the figures and asserts no timing.

    KP_DATABASE_URL=postgres://kp@127.0.0.1:54360/kp_bench .venv/bin/python tools/bench_results.py [--units N]

The database in KP_DATABASE_URL is migrated and the benchmark election (slug `bench-results`) is
replaced on every run; use a throwaway database.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import bench_world
from bench_world import ContestPlan

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

SLUG = "bench-results"
CONTESTS = [  # code, level, units per constituency, seats
    ("QH", "national_assembly", 600, 3),
    ("TINH", "provincial_council", 60, 3),
    ("XA", "commune_council", 12, 3),
]
CANDIDATES = 5
UNITS_PER_DISTRICT = 60
DISTRICTS_PER_PROVINCE = 50


class Timer:
    def __init__(self, label: str):
        self.label = label

    def __enter__(self) -> "Timer":
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
        line(self.label, self.seconds)


def line(label: str, seconds: float) -> None:
    print(f"  {label:<62} {seconds * 1000:10.1f} ms")


def build(units: int) -> bench_world.World:
    return bench_world.build(
        SLUG,
        units,
        name="Benchmark",
        area_units=(UNITS_PER_DISTRICT * DISTRICTS_PER_PROVINCE, UNITS_PER_DISTRICT),  # provinces > districts
        contests=[ContestPlan(code, level, per, seats, CANDIDATES) for code, level, per, seats in CONTESTS],
        tallies=True,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the results engine (PostgreSQL).")
    parser.add_argument("--units", type=int, default=180_000)
    parser.add_argument("--skip-build", action="store_true", help="reuse the election of the last run")
    parser.add_argument("--repeat", type=int, default=20, help="requests for the median of serving one result")
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from elections.models import Constituency, Election
    from results.models import ConstituencyResult, Tally, TallyVote
    from results.outcomes import contests as contest_outcomes
    from results.permissions import tally_scope
    from results.tallies import services

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figures mean little", file=sys.stderr)
    call_command("migrate", verbosity=0)
    if not args.skip_build:
        started = time.perf_counter()
        world = build(args.units)
        # The builder writes approved tallies directly; the services would have added each to its
        # constituency's running sums as they approved it. It sums them once (totals_rebuild), timed apart.
        print(f"built the election in {time.perf_counter() - started - world.sums_seconds:.1f} s")
        line(f"running sums of {world.tallies:,} tallies, from scratch (totals_rebuild)", world.sums_seconds)
    e = Election.objects.get(slug=SLUG)
    print(
        f"{e.polling_units.count():,} units, {Constituency.objects.filter(election=e).count():,} constituencies, "
        f"{Tally.objects.filter(election=e).count():,} approved tallies, "
        f"{TallyVote.objects.filter(tally__election=e).count():,} vote rows; {connection.vendor}"
    )
    contests = list(e.contests.all())

    print("every constituency result and every contest result, in one pass over the election (election_outcome):")
    ConstituencyResult.objects.filter(election=e).delete()
    with Timer("cold: nothing cached, every constituency computed"):
        contest_outcomes.election_outcome(e)
    with Timer("warm: every result cached (fingerprints checked)"):
        contest_outcomes.election_outcome(e)

    print("each contest on its own (contest_outcome, as its page and API do), cold:")
    ConstituencyResult.objects.filter(election=e).delete()
    total = 0.0
    for contest in contests:
        with Timer(f"contest {contest.code}: {contest.constituencies.count():,} constituencies + totals") as t:
            contest_outcomes.contest_outcome(contest)
        total += t.seconds
    line("total", total)
    print("the same with every result cached:")
    total = 0.0
    for contest in contests:
        with Timer(f"contest {contest.code}") as t:
            contest_outcomes.contest_outcome(contest)
        total += t.seconds
    line("total", total)

    print("after one unit of the largest constituency was annulled (one constituency recomputed):")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    big = Constituency.objects.filter(election=e, contest__code="QH").order_by("code").first()
    unit = Tally.objects.filter(constituency=big, status="approved").order_by("pk").first().polling_unit
    services.tally_annul(scope=tally_scope(SLUG, unit.code, "QH"), reason="benchmark", by=user)
    with Timer(f"contest QH ({big.code} recomputed)"):
        contest_outcomes.contest_outcome(contests[0])

    print("serving one constituency result through the API (GET, superuser session):")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get(f"/api/v1/elections/{SLUG}/results/XA-00001/")  # the first request of a process loads the URLconf
    for code in (big.code, "TINH-00007", "XA-00042"):
        url = f"/api/v1/elections/{SLUG}/results/{code}/"
        ConstituencyResult.objects.filter(constituency__code=code, election=e).delete()
        with Timer(f"{code} cold (computed on the request)"):
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        print(f"  {code + f' warm, median of {args.repeat}':<62} {statistics.median(times) * 1000:10.1f} ms")
        units = response.json()["polling_units"]
        print(f"  {'':<62} ({units} units, status {response.json()['status']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
