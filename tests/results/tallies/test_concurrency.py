"""Concurrency on PostgreSQL: 50 clients x 20 submissions over 100 units lose and duplicate nothing.

Each client reads a tally, then saves it with the version it read. Many clients work on the same
units at once, so some of them save on a version that someone else has just replaced: those must
get 409, and every 200/201 must be exactly one new version, in order, with its own audit entry.
"""

import threading
from collections import Counter, defaultdict

import pytest
from django.db import connection, connections
from django.http import HttpRequest
from django.test import Client

from elections.models import AuditEntry, Level, Role, RoleAssignment
from results.models import Tally, TallyVersion
from tests.factories import (
    AreaFactory,
    CandidateFactory,
    ConstituencyFactory,
    ContestFactory,
    ElectionFactory,
    PollingUnitFactory,
    UserFactory,
)

CLIENTS, SUBMISSIONS, UNITS = 50, 20, 100

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks are measured on PostgreSQL"),
]


def body(k):
    voted = 700 + k
    return {
        "voters_on_list": 900, "voters_voted": voted, "ballots_issued": voted, "ballots_received": voted,
        "valid_ballots": voted - 5, "invalid_ballots": 5,
        "votes": {"C-01": 400 + k, "C-02": 300, "C-03": 200},
    }  # fmt: skip


@pytest.fixture
def election(db):
    e = ElectionFactory(slug="load")
    area = AreaFactory(election=e, code="P")
    contest = ContestFactory(election=e, code="QH", level=Level.NATIONAL_ASSEMBLY)
    cons = ConstituencyFactory(contest=contest, code="QH1", area=area, seats=3)
    for i in range(3):
        CandidateFactory(constituency=cons, code=f"C-0{i + 1}", ballot_order=i + 1)
    clerk = UserFactory(username="clerk")
    for n in range(UNITS):
        unit = PollingUnitFactory(election=e, code=f"U{n:03d}", area=area, constituencies=[cons])
        RoleAssignment.objects.create(user=clerk, election=e, role=Role.CLERK, polling_unit=unit)
    return e


def test_fifty_clients_lose_and_duplicate_nothing(election):
    results: dict[str, list[int]] = defaultdict(list)
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS)
    errors: list[BaseException] = []

    def client_run(i: int) -> None:
        try:
            client = Client()
            client.login(request=HttpRequest(), username="clerk", password="pw-for-tests")
            barrier.wait()
            for j in range(SUBMISSIONS):
                # every unit is worked on by 10 clients, several of them at the same moment
                unit = f"U{(i + j * 7) % UNITS:03d}"
                url = f"/api/v1/elections/load/tallies/{unit}/QH/"
                current = client.get(url)
                data = body((i * SUBMISSIONS + j) % 150)
                if current.status_code == 200:
                    data["version"] = current.json()["version"]
                response = client.put(url, data, content_type="application/json")
                with lock:
                    results[unit].append(response.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client_run, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors

    statuses = Counter(code for codes in results.values() for code in codes)
    assert sum(statuses.values()) == CLIENTS * SUBMISSIONS
    assert set(statuses) <= {200, 201, 409}, statuses
    assert statuses[409] > 0, "no client ever wrote on a stale version: the test did not contend"
    assert Tally.objects.count() == UNITS  # one tally per unit, never two
    for unit, codes in results.items():
        tally = Tally.objects.get(polling_unit__code=unit)
        written = sum(1 for c in codes if c in (200, 201))
        assert codes.count(201) == 1  # exactly one client created it
        # every accepted write is one version, in order, none lost, none twice
        assert tally.version == written
        versions = sorted(TallyVersion.objects.filter(tally=tally).values_list("version", flat=True))
        assert versions == list(range(1, written + 1))
        assert AuditEntry.objects.filter(object_key=f"{unit}/QH/r1.1", action="results.tally.saved").count() == written
        # the tally holds what its newest version says
        newest = TallyVersion.objects.get(tally=tally, version=written)
        assert newest.figures["voters_voted"] == tally.voters_voted
    print(f"\n{CLIENTS} clients x {SUBMISSIONS} submissions on {connection.vendor}: {dict(statuses)}")
