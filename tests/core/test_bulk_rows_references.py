"""core/bulk_rows.py (issue 13): foreign keys checked once per statement instead of by PostgreSQL's per-row
triggers, only when the role may switch the triggers off; a dangling reference still rolls everything back."""

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from core import bulk_rows
from results.models import TallyVote
from tests.results.tallies.test_bulk_import import item, run

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="session_replication_role and COPY are PostgreSQL's",
)


def replication_role():
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_triggers_go_off_and_on_again_within_the_transaction():
    with transaction.atomic():
        assert bulk_rows.references_unchecked()
        assert replication_role() == "replica"
        bulk_rows.references_checked()
        assert replication_role() == "origin"


@pytest.mark.django_db
def test_a_role_that_may_not_switch_them_off_keeps_the_triggers_and_its_transaction():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE ROLE kp_test_plain_role NOLOGIN")
            cursor.execute("SET LOCAL ROLE kp_test_plain_role")
        assert not bulk_rows.references_unchecked()
        assert replication_role() == "origin"
        with connection.cursor() as cursor:  # the failed SET was undone with its savepoint only
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
            cursor.execute("RESET ROLE")
        transaction.set_rollback(True)


def test_a_vote_for_no_candidate_is_refused_by_the_set_based_check(world, tmp_path):
    run(tmp_path, [item("U1")])
    vote = TallyVote.objects.first()
    with pytest.raises(IntegrityError, match="candidate_id"), transaction.atomic():
        assert bulk_rows.references_unchecked()
        bulk_rows.insert_rows(TallyVote, ("tally_id", "candidate_id", "votes"), [(vote.tally_id, 987654321, 1)])
        bulk_rows.references_checked()
        bulk_rows.check_references(TallyVote, "tally_id", [vote.tally_id])
    assert not TallyVote.objects.filter(candidate_id=987654321).exists()


def test_a_vote_for_no_tally_is_refused_by_the_set_based_check(world, tmp_path):
    run(tmp_path, [item("U1")])
    vote = TallyVote.objects.first()
    with pytest.raises(IntegrityError, match="tally_id"), transaction.atomic():
        assert bulk_rows.references_unchecked()
        bulk_rows.insert_rows(TallyVote, ("tally_id", "candidate_id", "votes"), [(987654321, vote.candidate_id, 1)])
        bulk_rows.references_checked()
        bulk_rows.check_references(TallyVote, "tally_id", [987654321])


def test_rows_that_refer_to_existing_rows_pass_the_check(world, tmp_path):
    run(tmp_path, [item("U1"), item("U2")])
    ids = list(TallyVote.objects.values_list("tally_id", flat=True).distinct())
    bulk_rows.check_references(TallyVote, "tally_id", ids)  # raises nothing
