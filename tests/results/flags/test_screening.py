"""screen_anomalies on the database: flags written with their source, idempotent, resolved ones kept."""

import io

import pytest
from django.core.management import call_command

from elections.models import AuditEntry, Level, Role, RoleAssignment
from elections.permissions import grants_for
from results.flags import screening
from results.models import Flag
from results.tallies import corrections, selectors
from tests.factories import (
    AreaFactory,
    CandidateFactory,
    ConstituencyFactory,
    ContestFactory,
    ElectionFactory,
    PollingUnitFactory,
    UserFactory,
)
from tests.results.result_helpers import load, minutes

pytestmark = pytest.mark.django_db
UNITS = 24


@pytest.fixture
def town(db):
    """One district of 24 units in one constituency (1 seat, 2 candidates); unit T-23 stuffs its box."""
    e = ElectionFactory(slug="town-2021")
    top = AreaFactory(election=e, code="T", name="Tỉnh")
    district = AreaFactory(election=e, code="T-D", name="Huyện", parent=top)
    contest = ContestFactory(election=e, code="QH", level=Level.NATIONAL_ASSEMBLY)
    cons = ConstituencyFactory(contest=contest, code="QH-T", area=top, seats=1)
    for i in (1, 2):
        CandidateFactory(constituency=cons, code=f"QH-T-{i}", ballot_order=i)
    for i in range(UNITS):
        PollingUnitFactory(election=e, code=f"T-{i:02d}", area=district, registered_voters=1000, constituencies=[cons])
    items = []
    for i in range(UNITS - 1):
        voted = 650 + 7 * i
        items.append(
            minutes(
                f"T-{i:02d}",
                "QH",
                {"QH-T-1": voted // 2 + i, "QH-T-2": voted // 2 - i - 10},
                listed=1000,
                voted=voted,
                invalid=10,
            )
        )
    items.append(minutes("T-23", "QH", {"QH-T-1": 985, "QH-T-2": 5}, listed=1000, voted=1000, invalid=10))
    load(e, *items)
    committee = UserFactory(username="committee_t")
    RoleAssignment.objects.create(user=committee, election=e, role=Role.COMMITTEE, area=top)
    return e


def screening_flags(election):
    return Flag.objects.filter(election=election, source__startswith="screening:")


def test_screening_writes_flags_with_their_reference(town):
    report = screening.screen_anomalies(election=town)
    assert report.units == UNITS and report.created >= 1
    outlier = screening_flags(town).get(code="turnout_outlier")
    assert outlier.polling_unit.code == "T-23" and outlier.constituency.code == "QH-T" and outlier.tally_id
    assert "Iglewicz" in outlier.source and outlier.status == "open"
    assert screening_flags(town).filter(code="fingerprint_outlier", polling_unit__code="T-23").exists()
    assert AuditEntry.objects.get(action="results.screening.ran").data["created"] == report.created


def test_screening_twice_changes_nothing(town):
    first = screening.screen_anomalies(election=town)
    ids = set(screening_flags(town).values_list("pk", flat=True))
    second = screening.screen_anomalies(election=town)
    assert (second.created, second.removed, second.kept) == (0, 0, first.created)
    assert set(screening_flags(town).values_list("pk", flat=True)) == ids


def test_a_resolved_flag_stays_resolved_and_a_finding_gone_is_removed(town):
    screening.screen_anomalies(election=town)
    committee = UserFactory(username="committee_t")
    outlier = screening_flags(town).get(code="turnout_outlier")
    screening.flag_resolve(flag=outlier, note="Khu công nghiệp: cử tri đi bầu đông.", by=committee)
    fingerprint = screening_flags(town).get(code="fingerprint_outlier")
    screening.screen_anomalies(election=town)
    outlier.refresh_from_db()
    assert outlier.status == "resolved" and screening_flags(town).filter(code="turnout_outlier").count() == 1
    # the unit's minutes are corrected to ordinary figures: its open finding goes away
    from results.permissions import tally_scope
    from tests.results.conftest import payload

    scope = tally_scope("town-2021", "T-23", "QH")
    body = minutes("T-23", "QH", {"QH-T-1": 380, "QH-T-2": 300}, listed=1000, voted=700)
    other = UserFactory(username="committee_t2")
    RoleAssignment.objects.create(user=other, election=town, role=Role.COMMITTEE, area=scope.unit.area.parent)
    correction = corrections.correction_propose(scope=scope, payload=payload(body), reason="nhập sai", by=committee)
    corrections.correction_decide(scope=scope, correction_id=correction.pk, approve=True, by=other)
    report = screening.screen_anomalies(election=town)
    assert report.removed >= 1
    assert not Flag.objects.filter(pk=fingerprint.pk).exists()
    outlier.refresh_from_db()
    assert outlier.status == "resolved"  # history of a resolved flag is kept


def test_screening_flags_join_the_review_queue(town):
    screening.screen_anomalies(election=town)
    committee = UserFactory(username="committee_t")
    queue = selectors.review_queue(town, grants_for(committee, town))
    assert selectors.queue_counts(queue)["flagged"] >= 1


def test_the_command(town):
    out = io.StringIO()
    call_command("screen_anomalies", "town-2021", "--dry-run", stdout=out)
    assert "24 counted units screened" in out.getvalue() and not screening_flags(town).exists()
    call_command("screen_anomalies", "town-2021", stdout=out)
    assert screening_flags(town).exists()


def test_the_command_refuses_an_unknown_election(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no election"):
        call_command("screen_anomalies", "nope")
