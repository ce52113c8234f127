"""A large recomputation outside a transaction writes its cache rows before it answers: no thread of its own, so
another connection (another web process) finds every row as soon as the answer is given (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connections

from results.models import ConstituencyResult
from results.outcomes import contests
from tests.results.result_helpers import load, minutes, xa_votes

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRES, reason="a second connection sees committed rows only on PostgreSQL"),
]


def test_cache_rows_are_there_for_another_connection_once_the_answer_is_given(world):
    # given counted results
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 100)))
    threads_before = {t.name for t in threading.enumerate()}
    # when every result is computed outside any transaction
    found = contests.election_outcome(world.election)
    # then no thread was left writing, and another connection sees every constituency's row at once
    assert {t.name for t in threading.enumerate()} <= threads_before
    assert sum(len(c.constituencies) for c in found) == 4
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM results_constituencyresult WHERE election_id = %s", [world.election.pk]
            )
            assert cursor.fetchone()[0] == 4
    finally:
        other.close()
    statuses = dict(ConstituencyResult.objects.values_list("constituency__code", "status"))
    assert statuses["XA1"] != "incomplete" and statuses["QH1"] == "incomplete"
