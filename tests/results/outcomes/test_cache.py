"""A large recomputation outside a transaction writes its cache rows from a thread (PostgreSQL only)."""

import pytest
from django.conf import settings

from results.models import ConstituencyResult
from results.outcomes import cache, contests
from tests.results.result_helpers import load, minutes, xa_votes

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRES, reason="a second connection sees committed rows only on PostgreSQL"),
]


def test_cache_rows_written_in_the_background_are_there_once_awaited(world, monkeypatch):
    # given counted results and a threshold low enough for this small election
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 100)))
    monkeypatch.setattr(cache, "BACKGROUND_ROWS", 1)
    # when every result is computed outside any transaction
    found = contests.election_outcome(world.election)
    assert cache._pending  # the write went to a thread
    cache.cache_writes_finish()
    # then the answer was complete at once, and the cache holds every constituency's row afterwards
    assert sum(len(c.constituencies) for c in found) == 4
    assert ConstituencyResult.objects.filter(election=world.election).count() == 4
    statuses = dict(ConstituencyResult.objects.values_list("constituency__code", "status"))
    assert statuses["XA1"] != "incomplete" and statuses["QH1"] == "incomplete"
