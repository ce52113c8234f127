"""Two members publishing at the same moment on PostgreSQL: one proposal, one publication, nothing lost.

Several rounds: in each, members of XA1 call the publish endpoint from separate threads (each with its own
database connection) released by a barrier, so their transactions overlap. The constituency row lock
serialises them: the first proposes, a different member confirms, everyone after changes nothing.
"""

import threading

import pytest
from django.db import connection, connections  # noqa: F401 (connection: the skipif condition)
from django.test import Client

from elections.models import AuditEntry
from results.models import PublicationProposal, ResultPublication

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks are measured on PostgreSQL"),
]

MEMBERS = ["board_xa1", "committee_c1", "committee_d1", "committee_p"]


def _race(world, usernames):
    barrier = threading.Barrier(len(usernames))
    answers: list[tuple[str, int, str]] = []

    def call(username):
        c = Client()
        c.force_login(world.users[username])
        barrier.wait()
        try:
            r = c.post("/api/v1/elections/world-2021/results/XA1/publish/")
            answers.append((username, r.status_code, r.json().get("action", r.json().get("detail", ""))))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=(u,)) for u in usernames]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_members_publishing_at_once(counted):
    answers = _race(counted.world, MEMBERS)
    actions = sorted(a for _user, _status, a in answers)
    # exactly one proposal and one confirmation; the others found it published and changed nothing
    assert actions.count("proposed") == 1
    assert actions.count("published") == 1
    assert actions.count("unchanged") == len(MEMBERS) - 2
    assert all(status in (200, 202) for _user, status, _a in answers)
    assert PublicationProposal.objects.filter(status="confirmed").count() == 1
    assert PublicationProposal.objects.filter(status="pending").count() == 0
    pub = ResultPublication.objects.get()
    assert pub.proposed_by != pub.published_by
    assert AuditEntry.objects.filter(action="results.result.published").count() == 1


def test_the_same_member_twice_at_once_only_proposes(counted):
    answers = _race(counted.world, ["board_xa1", "board_xa1"])
    assert not ResultPublication.objects.exists()
    assert PublicationProposal.objects.count() == 1
    assert sorted(a for _user, _status, a in answers) == ["proposed", "unchanged"]
