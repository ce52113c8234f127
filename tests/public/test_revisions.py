"""Server processes keep the public counters in memory and forget them when PostgreSQL tells of a change."""

import time

import pytest
from django.conf import settings

from public import cache, revisions
from results.publication import services as publication

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRES, reason="LISTEN/NOTIFY is PostgreSQL's"),
]


@pytest.fixture(autouse=True)
def _listener_stopped_after():
    yield
    revisions.stop()  # its connection would keep the test database from being dropped


def _until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_counters_come_from_memory_until_a_change_commits(world):
    slug = world.election.slug
    # given a process whose listener is connected
    revisions.kept(slug)
    _until(lambda: revisions._listener.listening)
    first = cache.revision(slug)
    assert revisions.kept(slug)[0] == first  # kept in memory now: the next request makes no query
    # when a change commits in another transaction (this test runs without one)
    publication.public_changed(world.election.pk, results=True)
    # then the process forgets the counters at once and reads the new ones
    _until(lambda: revisions.kept(slug)[0] is None)
    assert cache.revision(slug).results == first.results + 1


def test_inside_a_transaction_the_counters_are_always_read(world):
    from django.db import transaction

    with transaction.atomic():
        assert revisions.kept(world.election.slug) == (None, -1)
