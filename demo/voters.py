"""Synthetic voter lists for the demo election: about 62,000 invented people, one list per demo unit.

Everything here is made up. National IDs follow the shape of real ones (province 025, century-and-gender
digit, two-digit birth year, six digits) but are sequence numbers. The lists go through the same import
as a committee's file; the few changes after posting (removals, certificates) and check-ins go through
the same services, dated as they would have been in 2021. Running it again changes nothing.
"""

import csv
import datetime as dt
import io
import random

from django.db import transaction

from core.types import Actor
from demo.elections import FAMILY_NAMES, FEMALE_GIVEN_NAMES, FEMALE_MIDDLE_NAMES, MALE_GIVEN_NAMES, MALE_MIDDLE_NAMES
from elections.models import Election, PollingUnit
from voters import services
from voters.crypto import id_cipher
from voters.importing import pipeline
from voters.importing.reading import HEADER, OPTIONAL
from voters.models import RemovalReason, Voter, VoterKey, VoterList, VoterStatus

SEED = 2021_05
PROVINCE_CODE = "025"  # Phú Thọ
SHARE_TEMPORARY_SHORT = 0.025
SHARE_TEMPORARY = 0.04
REMOVALS = (("BY-01", RemovalReason.DECEASED), ("BY-02", RemovalReason.MOVED), ("XL-03", RemovalReason.DECEASED),
            ("TT-01", RemovalReason.MOVED), ("HX-02", RemovalReason.SENTENCED))  # fmt: skip
# (from unit, to unit): voters who vote elsewhere on a certificate (Art. 34).
TRANSFERS = (("BY-03", "BY-01"), ("XL-01", "XL-03"), ("GC-01", "TT-02"))
CHECKED_IN = {"BY-01": 37, "XL-03": 21}
# Voters listed apart, at the end of a unit's list (Art. 29(3), (5)): (unit, category, how many). Soldiers of a unit
# stationed in Yến Mao share its polling area; a holding house and a rehabilitation centre sit in the town. All
# vote for the National Assembly and the provincial council only, not for the district or commune councils.
LISTED_APART = (("YM-02", "armed_forces", 8), ("TT-03", "detention", 2), ("TT-03", "compulsory_facility", 2))


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _person(rng: random.Random, female: bool, family: str | None = None) -> str:
    family = family or _weighted(rng, FAMILY_NAMES)
    while True:
        middle = _weighted(rng, FEMALE_MIDDLE_NAMES if female else MALE_MIDDLE_NAMES)
        given = rng.choice(FEMALE_GIVEN_NAMES if female else MALE_GIVEN_NAMES)
        if given not in middle.split():
            return f"{family} {middle} {given}"


def demo_voter_rows(units: list[tuple[str, int]], election_day: dt.date) -> list[list[str]]:
    """Rows of a voter file (interfaces §8 plus the household and category columns) for `units` [(code, voters)],
    then the voters listed apart (LISTED_APART); deterministic."""
    rng = random.Random(SEED)  # noqa: S311 - seeded on purpose: the same invented voters every time
    rows: list[list[str]] = []
    serial = 0
    latest = election_day.replace(year=election_day.year - 18)

    def born(min_age: int, max_age: int) -> dt.date:
        days = rng.randint(min_age * 365, max_age * 365)
        return min(latest, election_day - dt.timedelta(days=days))

    for code, wanted in units:
        made, household = 0, 0
        while made < wanted:
            household += 1
            size = min(wanted - made, rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)))
            family = _weighted(rng, FAMILY_NAMES)
            head_female = rng.random() < 0.3
            head_birth = born(28, 88)
            residence = ""
            roll = rng.random()
            if roll < SHARE_TEMPORARY_SHORT:
                residence = "temporary_short"
            elif roll < SHARE_TEMPORARY_SHORT + SHARE_TEMPORARY:
                residence = "temporary"
            for member in range(size):
                if member == 0:
                    female, birth, name = head_female, head_birth, _person(rng, head_female, family)
                elif member == 1:
                    female = not head_female
                    birth = min(latest, head_birth + dt.timedelta(days=rng.randint(-2500, 2500)))
                    name = _person(rng, female)  # spouses keep their own family name
                else:
                    female = rng.random() < 0.5
                    birth = min(latest, head_birth + dt.timedelta(days=rng.randint(20 * 365, 32 * 365)))
                    name = _person(rng, female, family)
                serial += 1
                century = (0 if birth.year < 2000 else 2) + (1 if female else 0)
                national_id = f"{PROVINCE_CODE}{century}{birth.year % 100:02d}{serial:06d}"
                rows.append(
                    [
                        national_id,
                        name,
                        birth.isoformat(),
                        "female" if female else "male",
                        code,
                        residence,
                        f"H{household:03d}",
                        "1" if member == 0 else "",
                        "",
                    ]
                )
                made += 1
    apart = random.Random(SEED + 29)  # noqa: S311 - seeded on purpose; apart, so the rows above stay as they were
    wanted_units = {code for code, _n in units}
    for code, category, count in LISTED_APART:
        if code not in wanted_units:
            continue
        for _ in range(count):
            female = category != "armed_forces" and apart.random() < 0.3
            birth = born(19, 27) if category == "armed_forces" else born(20, 45)
            serial += 1
            century = (0 if birth.year < 2000 else 2) + (1 if female else 0)
            national_id = f"{PROVINCE_CODE}{century}{birth.year % 100:02d}{serial:06d}"
            rows.append(
                [national_id, _person(apart, female), birth.isoformat(), "female" if female else "male", code, "", "",
                 "", category]
            )  # fmt: skip
    return rows


@transaction.atomic
def load_demo_voters(election: Election, *, by: Actor = None) -> dict[str, int]:
    """Load the demo lists (idempotent), post them, and apply the demo's few changes and check-ins."""
    units = list(
        PollingUnit.objects.filter(election=election).order_by("code").values_list("code", "registered_voters")
    )
    rows = demo_voter_rows([(code, n or 0) for code, n in units], election.election_day)
    # Lists loaded and posted before the demo had voters listed apart take them as additions after posting (a
    # posted list refuses new rows from a file), so loading the demo again over an older one still works.
    category_at = len(HEADER) + OPTIONAL.index("category")
    posted = VoterList.objects.filter(election=election, posted_on__isnull=False).exists()
    late = [row for row in rows if row[category_at]] if posted else []
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*HEADER, *OPTIONAL])
    writer.writerows(row for row in rows if not (posted and row[category_at]))
    buffer.seek(0)
    report = pipeline.voter_list_import(
        election=election,
        source=io.BytesIO(buffer.getvalue().encode()),
        file_name="demo-voters.csv",
        sha256="demo",
        by=by,
    )

    # Posted 40 days before election day (Art. 32), then changed a little before the lists closed.
    posted_on = election.election_day - dt.timedelta(days=40)
    for unit in PollingUnit.objects.filter(election=election, voter_list__posted_on__isnull=True).select_related(
        "election"
    ):
        if VoterList.objects.filter(polling_unit=unit).exists():
            services.voter_list_post(unit=unit, posted_on=posted_on, by=by)
    before_close = services.changes_close_at(election) - dt.timedelta(days=3)
    _add_late(election, late, by=by, now=before_close, category_at=category_at)
    if by is not None and not Voter.objects.filter(election=election).exclude(status=VoterStatus.LISTED).exists():
        by_code = {u.code: u for u in PollingUnit.objects.filter(election=election).select_related("election", "area")}
        for code, reason in REMOVALS:
            voter = Voter.objects.of_unit(by_code[code]).filter(status=VoterStatus.LISTED).order_by("-list_number")[0]
            services.voter_remove(voter=voter, reason=reason, note="demo", by=by, now=before_close)
        for origin, target in TRANSFERS:
            voter = Voter.objects.of_unit(by_code[origin]).filter(status=VoterStatus.LISTED).order_by("list_number")[5]
            certificate = services.certificate_issue(voter=voter, by=by, now=before_close)
            national_id = _demo_id(voter)
            services.certificate_accept(
                unit=by_code[target], number=certificate.number, national_id=national_id, by=by, now=before_close
            )
        voting = dt.datetime.combine(election.election_day, election.voting_opens, tzinfo=before_close.tzinfo)
        for code, count in CHECKED_IN.items():
            for i, voter in enumerate(
                Voter.objects.of_unit(by_code[code]).filter(status=VoterStatus.LISTED).order_by("list_number")[:count]
            ):
                services.voter_check_in(
                    unit=by_code[code], voter_id=voter.pk, by=by, now=voting + dt.timedelta(minutes=3 * i)
                )
    return {"loaded": report.loaded, "unchanged": report.unchanged, "voters": len(rows)}


def _add_late(election: Election, rows: list[list[str]], *, by: Actor, now: dt.datetime, category_at: int) -> None:
    """Add the voters listed apart whom the lists lack, one by one, as a committee adds people after posting."""
    cipher = id_cipher()
    units = {u.code: u for u in PollingUnit.objects.filter(election=election).select_related("election", "area")}
    for row in rows:
        if VoterKey.objects.filter(election=election, token=cipher.token(row[0])).exists():
            continue
        person = services.NewVoter(
            national_id=row[0],
            full_name=row[1],
            date_of_birth=dt.date.fromisoformat(row[2]),
            gender=row[3],
            category=row[category_at],
        )
        services.voter_add(unit=units[row[4]], person=person, note="demo", by=by, now=now)


def _demo_id(voter: Voter) -> str:
    return id_cipher().reveal(bytes(voter.national_id_token))
