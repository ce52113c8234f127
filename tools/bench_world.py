"""One builder of benchmark worlds: a synthetic election written straight into the database.

    world = bench_world.build(
        "bench-results", 180_000,
        area_units=(3000, 60),                       # provinces of 3,000 units, districts of 60, under one root
        contests=[ContestPlan("QH", "national_assembly", units_per_constituency=600, seats=3, candidates=5), ...],
        tallies=True,                                # one approved tally per unit and contest, with votes
        clerks=True,                                 # one clerk user with a DRF token per unit
    )

Django must be set up (and the database migrated) before calling it; project modules are imported inside the
functions. An election with the same slug is removed first (`remove`).

The bulk of the rows (polling units, their constituencies, tallies, votes) is written by set-based
`INSERT ... SELECT` statements in SQL that PostgreSQL and SQLite both run, so the same code builds 180,000 units
x 3 contests on PostgreSQL (73 s on a 2-core machine, 43 s of it PostgreSQL checking the foreign keys at commit)
and a few hundred units on SQLite in a fraction of a second. Areas, contests, constituencies and candidates
(thousands of rows at most) go through `bulk_create`. Each table is ANALYZEd once filled, before the statements
that join it: without statistics PostgreSQL joins 180,000 units to their constituencies by nested loops.

Everything is deterministic, derived from the unit's number n (its code is `U` + n on six digits) and the
contest's position p, so the same call builds the same world again in any database:

- registered voters (= voters on the list) 500 + 37 n mod 1500;
- voters who voted = ballots issued = ballots received = voters on the list - (n + 7p) mod 50;
- invalid ballots (n + 3p) mod 7, valid ballots the rest;
- the k-th candidate of a constituency of s seats and m candidates gets base_k x (90 + (7n + 11p + 13k) mod 11) %
  of the valid ballots, where base_k = 90 s (m - k + 1) / (1 + ... + m) %, at most 90 %: each candidate at most
  the valid ballots, all of them together at most s times the valid ballots (a ballot names at most s people),
  the first candidates clearly ahead.

Tallies are written directly (status approved, as an import would leave them), so the running sums that
approval keeps one by one are rebuilt once at the end with `totals.totals_rebuild`; `World.sums_seconds` says
how long that took.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

UNIT_PREFIX = "U"  # unit codes are U000000, U000001, ...: the SQL below reads n back from them
UNIT_DIGITS = 6


@dataclass(frozen=True)
class ContestPlan:
    """A contest of the world: its constituencies each take `units_per_constituency` consecutive units."""

    code: str
    level: str  # elections.models.Level
    units_per_constituency: int
    seats: int
    candidates: int
    name: str = ""  # the code when empty
    # Depth of the areas the constituencies are placed in (0 = the root); by default the deepest level whose
    # areas are at least as large as a constituency.
    depth: int | None = None


@dataclass(frozen=True)
class Clerk:
    unit: str  # polling unit code
    token: str  # DRF token key of the unit's clerk
    voters: int  # the unit's registered voters
    constituencies: dict[str, str]  # contest code -> constituency code


@dataclass
class World:
    election: Any  # elections.models.Election
    root: Any  # the root Area
    tallies: int = 0
    sums_seconds: float = 0.0  # the time totals_rebuild took
    clerks: list[Clerk] = field(default_factory=list)


def unit_code(n: int) -> str:
    return f"{UNIT_PREFIX}{n:0{UNIT_DIGITS}d}"


def build(
    slug: str,
    units: int,
    *,
    area_units: Sequence[int] = (),
    contests: Sequence[ContestPlan] = (),
    tallies: bool = False,
    clerks: bool = False,
    name: str = "Bầu cử thử nghiệm",
    election_day: dt.date = dt.date(2021, 5, 23),
) -> World:
    """Build the world `slug`: `units` polling units in a tree of areas, `contests`, optionally tallies and clerks.

    `area_units` gives the units per area of each level below the single root area, from the top: (3000, 60) makes
    areas of 3,000 units, each parent of areas of 60 units that hold the units; () puts every unit in the root.
    """
    from django.db import connection, transaction

    from elections.models import Election

    if not 0 < units <= 10**UNIT_DIGITS:
        raise ValueError(f"units must be between 1 and {10**UNIT_DIGITS:,}")
    for plan in contests:
        if not 0 < plan.seats <= plan.candidates:
            raise ValueError(f"contest {plan.code}: needs 1 <= seats <= candidates")
    remove(slug)
    with transaction.atomic():
        election = Election.objects.create(slug=slug, name=name, election_day=election_day)
        levels = _areas(election, units, area_units)
        sizes = [units, *area_units]  # units per area at each depth
        _units(election, units, depth=len(levels) - 1, per_area=sizes[-1])
        made = [_contest(election, position, plan, levels, sizes) for position, plan in enumerate(contests)]
        world = World(election=election, root=levels[0][0])
        if tallies:
            world.tallies = sum(_tallies(election, contest, plan) for contest, plan in zip(made, contests, strict=True))
        if clerks:
            world.clerks = _clerks(election)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    if tallies:
        # Approving a tally adds it to its constituency's running sums; these were written directly: sum them once.
        from results.outcomes import totals

        started = time.perf_counter()
        totals.totals_rebuild(election)
        world.sums_seconds = time.perf_counter() - started
    return world


def build_minutes_area(slug: str, units: int) -> World:
    """The world the minutes benchmarks render: communes of 10 units in one province, every tally approved, with
    a National Assembly contest (constituencies of 100 units) and a provincial council (of 10)."""
    return build(
        slug,
        units,
        area_units=(10,),
        contests=[
            ContestPlan("QH", "national_assembly", 100, seats=3, candidates=5, name="Đại biểu Quốc hội khóa XV"),
            ContestPlan(
                "HD", "provincial_council", 10, seats=2, candidates=4, depth=0,
                name="Đại biểu HĐND tỉnh nhiệm kỳ 2021-2026",
            ),
        ],
        tallies=True,
    )  # fmt: skip


def remove(slug: str) -> None:
    """Delete the election `slug` with everything in it; tallies and issued minutes first, as they protect the rest."""
    from django.db import connection, transaction

    from elections.models import Area, Constituency, Election, PollingUnit
    from results.models import Minute, Tally

    election = Election.objects.filter(slug=slug).first()
    if election is None:
        return
    with transaction.atomic():
        Minute.objects.filter(election=election).delete()
        for rel in Tally._meta.get_fields(include_hidden=True):  # votes, versions, flags...: one DELETE each
            if rel.auto_created and not rel.concrete and rel.related_model is not Tally:
                rel.related_model._base_manager.filter(**{f"{rel.field.name}__election": election}).delete()
        with connection.cursor() as cur:  # nothing refers to them any more: no need to load 540,000 of them
            cur.execute("DELETE FROM results_tally WHERE election_id = %s", [election.pk])
        PollingUnit.objects.filter(election=election).delete()
        Constituency.objects.filter(election=election).delete()
        Area.objects.filter(election=election).delete()
        election.delete()


def _areas(election: Any, units: int, area_units: Sequence[int]) -> list[list[Any]]:
    """The area tree, level by level (the root alone first); codes R, A1-000, A1-001, ..., A2-0000, ..."""
    from django.db import connection

    from elections.models import Area

    levels = [[Area.objects.create(election=election, code="R", name="Tỉnh Thử Nghiệm", depth=0)]]
    parent_size = units
    for depth, size in enumerate(area_units, start=1):
        count = -(-units // size)
        width = max(3, len(str(count - 1)))
        parents = levels[-1]
        levels.append(
            Area.objects.bulk_create(
                (
                    Area(
                        election=election,
                        code=f"A{depth}-{i:0{width}d}",
                        name=f"Khu vực cấp {depth} số {i + 1}",
                        parent=parents[(i * size) // parent_size],
                        depth=depth,
                    )
                    for i in range(count)
                ),
                batch_size=2000,
            )
        )
        parent_size = size
    with connection.cursor() as cur:  # materialised paths "/root/…/self/", parents first
        for depth in range(len(levels)):
            cur.execute(
                """UPDATE elections_area
                   SET path = COALESCE((SELECT p.path FROM elections_area p WHERE p.id = elections_area.parent_id), '/')
                              || CAST(id AS TEXT) || '/'
                   WHERE election_id = %s AND depth = %s""",
                [election.pk, depth],
            )
    levels[0][0].refresh_from_db()
    return levels


def _units(election: Any, units: int, *, depth: int, per_area: int) -> None:
    """Units U000000... with their registered voters, `per_area` consecutive ones in each area of `depth`."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n + 1 < %s)
               INSERT INTO elections_pollingunit (election_id, code, name, area_id, registered_voters)
               SELECT %s, %s || substr(CAST(%s + g.n AS TEXT), 2), 'Khu vực bỏ phiếu số ' || CAST(g.n + 1 AS TEXT),
                      a.id, 500 + (g.n * 37) %% 1500
               FROM g JOIN (SELECT id, row_number() OVER (ORDER BY code) - 1 AS k
                            FROM elections_area WHERE election_id = %s AND depth = %s) a ON a.k = g.n / %s
               ORDER BY g.n""",
            [units, election.pk, UNIT_PREFIX, 10**UNIT_DIGITS, election.pk, depth, per_area],
        )
        _analyze(cur, "elections_pollingunit")


def _contest(election: Any, position: int, plan: ContestPlan, levels: list[list[Any]], sizes: list[int]) -> Any:
    """The contest, its constituencies (codes QH-00000, ...), their candidates and which units vote in each."""
    from django.db import connection

    from elections.models import Candidate, Constituency, Contest

    units, per = sizes[0], plan.units_per_constituency
    depth = plan.depth
    if depth is None:
        depth = max(d for d, size in enumerate(sizes) if d == 0 or size >= per)
    contest = Contest.objects.create(
        election=election, code=plan.code, name=plan.name or plan.code, level=plan.level, position=position
    )
    constituencies = Constituency.objects.bulk_create(
        (
            Constituency(
                election=election,
                contest=contest,
                code=f"{plan.code}-{i:05d}",
                name=f"Đơn vị bầu cử số {i + 1}",
                seats=plan.seats,
                area=levels[depth][(i * per) // sizes[depth]],
            )
            for i in range(-(-units // per))
        ),
        batch_size=5000,
    )
    Candidate.objects.bulk_create(
        (
            Candidate(
                election=election,
                constituency=c,
                code=f"{c.code}-{k:02d}",
                ballot_order=k,
                full_name=f"Ứng cử viên {c.code}-{k:02d}",
                date_of_birth=dt.date(1950 + k, 1 + (k - 1) % 12, 1),
                affiliation=f"Party {k}",
            )
            for c in constituencies
            for k in range(1, plan.candidates + 1)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cur:
        _analyze(cur, "elections_constituency")
        cur.execute(
            """INSERT INTO elections_pollingunitconstituency (polling_unit_id, constituency_id, contest_id)
               SELECT u.id, c.id, %s
               FROM (SELECT id, row_number() OVER (ORDER BY code) - 1 AS k
                     FROM elections_pollingunit WHERE election_id = %s) u
               JOIN (SELECT id, row_number() OVER (ORDER BY code) - 1 AS k
                     FROM elections_constituency WHERE contest_id = %s) c ON c.k = u.k / %s""",
            [contest.pk, election.pk, contest.pk, per],
        )
    return contest


def _tallies(election: Any, contest: Any, plan: ContestPlan) -> int:
    """An approved tally of every unit in the contest, and its votes; returns how many tallies."""
    from django.db import connection
    from django.utils import timezone

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    n = f"CAST(substr(u.code, {len(UNIT_PREFIX) + 1}) AS INTEGER)"  # the unit's number, from its code
    with connection.cursor() as cur:
        _analyze(cur, "elections_pollingunitconstituency", "elections_candidate")
        cur.execute(
            f"""INSERT INTO results_tally (election_id, polling_unit_id, contest_id, constituency_id, round, attempt,
                    status, version, voters_on_list, voters_voted, ballots_issued, ballots_received, valid_ballots,
                    invalid_ballots, complaints, return_reason, annul_reason, imported, created_at, updated_at)
                SELECT %s, f.unit, f.contest, f.constituency, 1, 1, 'approved', 1, f.listed, f.voted, f.voted, f.voted,
                    f.voted - f.invalid, f.invalid, '', '', '', %s, %s, %s
                FROM (SELECT u.id AS unit, m.contest_id AS contest, m.constituency_id AS constituency,
                             u.registered_voters AS listed, u.registered_voters - ({n} + %s) %% 50 AS voted,
                             ({n} + %s) %% 7 AS invalid
                      FROM elections_pollingunitconstituency m JOIN elections_pollingunit u ON u.id = m.polling_unit_id
                      WHERE m.contest_id = %s) f""",  # noqa: S608 - n is a constant expression
            [election.pk, True, now, now, 7 * contest.position, 3 * contest.position, contest.pk],
        )
        count = cur.rowcount
        _analyze(cur, "results_tally")
        total = plan.candidates * (plan.candidates + 1) // 2
        bases = [
            (k, min(90, 90 * plan.seats * (plan.candidates - k + 1) // total)) for k in range(1, plan.candidates + 1)
        ]
        cur.execute(  # b: (ballot order, base %) of each candidate; VALUES names its columns column1, column2
            f"""INSERT INTO results_tallyvote (tally_id, candidate_id, votes)
                SELECT t.id, c.id,
                       t.valid_ballots * b.column2 * (90 + ({n} * 7 + %s + 13 * c.ballot_order) %% 11) / 10000
                FROM results_tally t JOIN elections_pollingunit u ON u.id = t.polling_unit_id
                JOIN elections_candidate c ON c.constituency_id = t.constituency_id
                JOIN (VALUES {", ".join(["(%s, %s)"] * len(bases))}) b ON b.column1 = c.ballot_order
                WHERE t.contest_id = %s""",  # noqa: S608 - constant expressions and placeholders
            [11 * contest.position, *(x for pair in bases for x in pair), contest.pk],
        )
    return count


def _analyze(cur: Any, *tables: str) -> None:
    """Statistics of tables just filled (see the module's docstring)."""
    for table in tables:
        cur.execute(f"ANALYZE {table}")


def _clerks(election: Any) -> list[Clerk]:
    """A clerk per unit (user `<slug>.<unit code>`, reused if it exists), with a fresh DRF token each."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from elections.models import PollingUnitConstituency, Role, RoleAssignment

    User = get_user_model()
    units = list(election.polling_units.order_by("code"))
    prefix = f"{election.slug}."
    existing = {u.username: u for u in User.objects.filter(username__startswith=prefix)}
    User.objects.bulk_create(
        (User(username=prefix + u.code) for u in units if prefix + u.code not in existing), batch_size=5000
    )
    users = {u.username: u for u in User.objects.filter(username__startswith=prefix)}
    clerks = [users[prefix + u.code] for u in units]
    RoleAssignment.objects.bulk_create(
        (
            RoleAssignment(user=user, election=election, role=Role.CLERK, polling_unit=unit)
            for user, unit in zip(clerks, units, strict=True)
        ),
        batch_size=5000,
    )
    Token.objects.filter(user__username__startswith=prefix).delete()
    tokens = Token.objects.bulk_create((Token(user=user, key=Token.generate_key()) for user in clerks), batch_size=5000)
    where: dict[str, dict[str, str]] = {}
    for unit, contest, constituency in PollingUnitConstituency.objects.filter(
        polling_unit__election=election
    ).values_list("polling_unit__code", "contest__code", "constituency__code"):
        where.setdefault(unit, {})[contest] = constituency
    return [
        Clerk(unit=u.code, token=t.key, voters=u.registered_voters, constituencies=where.get(u.code, {}))
        for u, t in zip(units, tokens, strict=True)
    ]
