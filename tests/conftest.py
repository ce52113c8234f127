"""Shared fixtures: a small election world with one person per role, and people who must see nothing."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from elections.models import Level, Role, RoleAssignment
from tests.factories import (
    AreaFactory,
    CandidateFactory,
    ConstituencyFactory,
    ContestFactory,
    ElectionFactory,
    PollingUnitFactory,
    UserFactory,
)
from tests.redis_server import redis_server, shared_cache  # noqa: F401 (a real Redis for the tests of shared state)


@dataclass
class World:
    """Province P > districts D1 (communes C1, C2) and D2 (commune C3); units U1-U3 in C1-C3.

    Contest QH: one constituency QH1 over the province (U1, U2, U3).
    Contest XA: XA1 (C1: U1), XA2 (C2: U2), XA3 (C3: U3).
    A second election holds unit U9 and its own clerk.
    """

    election: Any
    other_election: Any
    areas: dict[str, Any]
    constituencies: dict[str, Any]
    units: dict[str, Any]
    users: dict[str, Any]


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The world of the `world` fixture, for a fixture of wider scope (tests/test_every_route_every_role.py)."""
    e = ElectionFactory(slug="world-2021")
    p = AreaFactory(election=e, code="P", name="Tỉnh P")
    d1 = AreaFactory(election=e, code="D1", name="Huyện D1", parent=p)
    d2 = AreaFactory(election=e, code="D2", name="Huyện D2", parent=p)
    c1 = AreaFactory(election=e, code="C1", name="Xã C1", parent=d1)
    c2 = AreaFactory(election=e, code="C2", name="Xã C2", parent=d1)
    c3 = AreaFactory(election=e, code="C3", name="Xã C3", parent=d2)
    qh = ContestFactory(election=e, code="QH", level=Level.NATIONAL_ASSEMBLY, position=0)
    xa = ContestFactory(election=e, code="XA", level=Level.COMMUNE_COUNCIL, position=1)
    qh1 = ConstituencyFactory(contest=qh, code="QH1", area=p, seats=3)
    xa1 = ConstituencyFactory(contest=xa, code="XA1", area=c1, seats=2)
    xa2 = ConstituencyFactory(contest=xa, code="XA2", area=c2, seats=2)
    xa3 = ConstituencyFactory(contest=xa, code="XA3", area=c3, seats=2)
    for cons, n in ((qh1, 5), (xa1, 3), (xa2, 3), (xa3, 3)):
        for i in range(n):
            CandidateFactory(constituency=cons, code=f"{cons.code}-{i + 1:02d}", ballot_order=i + 1)
    u1 = PollingUnitFactory(election=e, code="U1", area=c1, constituencies=[qh1, xa1])
    u2 = PollingUnitFactory(election=e, code="U2", area=c2, constituencies=[qh1, xa2])
    u3 = PollingUnitFactory(election=e, code="U3", area=c3, constituencies=[qh1, xa3])

    other = ElectionFactory(slug="other-2026")
    op = AreaFactory(election=other, code="P", name="Tỉnh P")
    u9 = PollingUnitFactory(election=other, code="U9", area=op)

    users = {
        name: UserFactory(username=name)
        for name in (
            "clerk_u1",
            "board_qh1",
            "board_xa1",
            "committee_p",
            "committee_d1",
            "committee_c1",
            "auditor",
            "outsider",
            "clerk_other",
        )
    }
    users["staff"] = UserFactory(username="staff", is_staff=True)
    users["superuser"] = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    grants = [
        ("clerk_u1", e, Role.CLERK, {"polling_unit": u1}),
        ("board_qh1", e, Role.BOARD, {"constituency": qh1}),
        ("board_xa1", e, Role.BOARD, {"constituency": xa1}),
        ("committee_p", e, Role.COMMITTEE, {"area": p}),
        ("committee_d1", e, Role.COMMITTEE, {"area": d1}),
        ("committee_c1", e, Role.COMMITTEE, {"area": c1}),
        ("auditor", e, Role.AUDITOR, {}),
        ("clerk_other", other, Role.CLERK, {"polling_unit": u9}),
    ]
    for username, election, role, scope in grants:
        RoleAssignment.objects.create(user=users[username], election=election, role=role, **scope)
    return World(
        election=e,
        other_election=other,
        areas={"P": p, "D1": d1, "D2": d2, "C1": c1, "C2": c2, "C3": c3},
        constituencies={"QH1": qh1, "XA1": xa1, "XA2": xa2, "XA3": xa3},
        units={"U1": u1, "U2": u2, "U3": u3, "U9": u9},
        users=users,
    )


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def user_model():
    return get_user_model()


@pytest.fixture(autouse=True)
def _public_listener_stopped():
    """A test that served public pages outside a transaction may have started the counters' listener (on
    PostgreSQL): its connection would keep the test database from being dropped at the end."""
    yield
    from public import revisions

    if revisions._listener.thread is not None:
        revisions.stop()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request of an earlier test (an English reader's cookie)
    leaves its language active in the worker's thread, and messages built outside a request would follow it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
