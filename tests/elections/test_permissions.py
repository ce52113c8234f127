"""The full role x object x action matrix of the access functions (CONTRACT §6).

Every cell is stated: what is not listed as allowed must be refused with 404.
"""

import pytest
from django.http import Http404

from elections.permissions import (
    Action,
    access_area,
    access_constituency,
    access_election,
    access_polling_unit,
)

V, E, R, M = Action.VIEW, Action.ENTER, Action.REVIEW, Action.MANAGE
ALL = {V, E, R, M}
OVERSEE = {V, R, M}
USERS = [
    "anonymous", "outsider", "clerk_other", "clerk_u1", "board_qh1", "board_xa1",
    "committee_p", "committee_d1", "committee_c1", "auditor", "staff", "superuser",
]  # fmt: skip

# (kind, code) -> {user: allowed actions}; users not named get nothing.
EXPECTED = {
    ("election", "world-2021"): {
        "clerk_u1": {V}, "board_qh1": {V}, "board_xa1": {V}, "committee_p": {V, M},
        "committee_d1": {V}, "committee_c1": {V}, "auditor": {V}, "staff": {V}, "superuser": ALL,
    },
    ("election", "other-2026"): {"clerk_other": {V}, "staff": {V}, "superuser": ALL},
    ("area", "P"): {"committee_p": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL},
    ("area", "D1"): {"committee_p": OVERSEE, "committee_d1": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL},
    ("area", "D2"): {"committee_p": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL},
    ("area", "C1"): {
        "committee_p": OVERSEE, "committee_d1": OVERSEE, "committee_c1": OVERSEE,
        "auditor": {V}, "staff": {V}, "superuser": ALL,
    },
    ("area", "C2"): {"committee_p": OVERSEE, "committee_d1": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL},
    ("area", "C3"): {"committee_p": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL},
    ("constituency", "QH1"): {
        "board_qh1": OVERSEE, "committee_p": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL,
    },
    ("constituency", "XA1"): {
        "board_xa1": OVERSEE, "committee_p": OVERSEE, "committee_d1": OVERSEE, "committee_c1": OVERSEE,
        "auditor": {V}, "staff": {V}, "superuser": ALL,
    },
    ("constituency", "XA2"): {
        "committee_p": OVERSEE, "committee_d1": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL,
    },
    ("constituency", "XA3"): {"committee_p": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL},
    ("unit", "U1"): {
        "clerk_u1": {V, E}, "board_qh1": {V, R}, "board_xa1": {V, R}, "committee_p": OVERSEE,
        "committee_d1": OVERSEE, "committee_c1": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL,
    },
    ("unit", "U2"): {
        "board_qh1": {V, R}, "committee_p": OVERSEE, "committee_d1": OVERSEE,
        "auditor": {V}, "staff": {V}, "superuser": ALL,
    },
    ("unit", "U3"): {"board_qh1": {V, R}, "committee_p": OVERSEE, "auditor": {V}, "staff": {V}, "superuser": ALL},
    ("unit", "U9"): {"clerk_other": {V, E}, "staff": {V}, "superuser": ALL},
}  # fmt: skip

CELLS = [(kind, code, user, action) for (kind, code) in EXPECTED for user in USERS for action in Action]


def _access(world, kind, code, user, action):
    slug = world.other_election.slug if code == "U9" else world.election.slug
    if kind == "election":
        return access_election(user, code, need=action)
    if kind == "area":
        return access_area(user, slug, code, need=action)
    if kind == "constituency":
        return access_constituency(user, slug, code, need=action)
    return access_polling_unit(user, slug, code, need=action)


@pytest.mark.parametrize(("kind", "code", "username", "action"), CELLS)
def test_access_matrix(world, anonymous, kind, code, username, action):
    # given
    user = anonymous if username == "anonymous" else world.users[username]
    allowed = action in EXPECTED[(kind, code)].get(username, set())
    # when / then
    if allowed:
        obj = _access(world, kind, code, user, action)
        assert (obj.slug if kind == "election" else obj.code) == code
    else:
        with pytest.raises(Http404):
            _access(world, kind, code, user, action)


@pytest.mark.parametrize("kind", ["area", "constituency", "unit"])
def test_missing_and_forbidden_look_the_same(world, kind):
    # given a clerk asking for an object of another kind's scope, and for one that does not exist
    clerk = world.users["clerk_u1"]
    code = {"area": "C1", "constituency": "XA1", "unit": "U2"}[kind]
    # then both are a plain 404 with the same message
    with pytest.raises(Http404) as forbidden:
        _access(world, kind, code, clerk, Action.VIEW)
    with pytest.raises(Http404) as missing:
        _access(world, kind, "NO-SUCH", clerk, Action.VIEW)
    assert str(forbidden.value) == str(missing.value)


def test_inactive_user_has_no_access(world):
    committee = world.users["committee_p"]
    committee.is_active = False
    committee.save()
    with pytest.raises(Http404):
        access_area(committee, world.election.slug, "P")
