"""`grant_role` (CONTRACT §6): scopes, idempotence, revoke, clear refusals."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from elections.models import AuditEntry, Role, RoleAssignment


def grant(*args):
    out = StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("role", "scope", "field", "code"),
    [
        ("clerk", ["--polling-unit", "U2"], "polling_unit", "U2"),
        ("board", ["--constituency", "XA2"], "constituency", "XA2"),
        ("committee", ["--area", "D2"], "area", "D2"),
        ("auditor", [], None, None),
    ],
)
def test_grant_twice_then_revoke(world, role, scope, field, code):
    args = ["outsider", role, "--election", "world-2021", *scope]
    assert grant(*args) == "Role granted.\n"
    assert grant(*args) == "The user already has that role: nothing changed.\n"
    rows = RoleAssignment.objects.filter(user=world.users["outsider"])
    assert rows.count() == 1
    if field:
        assert getattr(rows.get(), field).code == code
    assert AuditEntry.objects.filter(action="elections.role.granted").count() == 1
    assert grant(*args, "--revoke") == "Role revoked.\n"
    assert grant(*args, "--revoke") == "The user did not have that role: nothing changed.\n"
    assert not rows.exists()
    assert AuditEntry.objects.filter(action="elections.role.revoked").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "clerk", "--election", "world-2021", "--polling-unit", "U1"], 'no user "nobody"'),
        (["outsider", "clerk", "--election", "nope", "--polling-unit", "U1"], 'no election "nope"'),
        (["outsider", "clerk", "--election", "world-2021"], "the clerk role needs --polling-unit CODE"),
        (["outsider", "board", "--election", "world-2021", "--constituency", "XX"], 'no constituency "XX"'),
        (["outsider", "committee", "--election", "world-2021", "--area", "U1"], 'no area "U1"'),
        (["outsider", "auditor", "--election", "world-2021", "--area", "P"], "takes no scope"),
        # a unit of another election is not found in this one
        (["outsider", "clerk", "--election", "world-2021", "--polling-unit", "U9"], 'no polling unit "U9"'),
    ],
)
def test_refusals(world, args, message):
    with pytest.raises(CommandError, match=message):
        grant(*args)
    assert not RoleAssignment.objects.filter(user=world.users["outsider"]).exists()


def test_a_role_with_the_wrong_scope_is_refused_by_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=world.users["outsider"], election=world.election, role=Role.CLERK, area=world.areas["P"]
        )
