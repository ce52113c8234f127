"""`import_election` by COPY on PostgreSQL (issue 13) writes what the bulk_create path writes: the same areas (parents,
paths of ids), units, memberships, candidates and audit entry; `verify_audit` passes after it."""

import copy
import datetime as dt
from contextlib import nullcontext
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from core import bulk_rows
from elections.models import Area, AuditEntry, Candidate, PollingUnit, PollingUnitConstituency
from tests.elections.test_import_election import EXAMPLE, run, write

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="COPY is PostgreSQL's; SQLite always writes with bulk_create",
)
FIXED = dt.datetime(2026, 3, 15, 20, 0, tzinfo=dt.UTC)


def rows():
    """The structure without ids (they differ between two runs): foreign keys and paths by code."""
    code_of = dict(Area.objects.values_list("id", "code"))
    return {
        "areas": sorted(
            (
                a.code,
                a.name,
                a.parent_id and code_of[a.parent_id],
                [code_of[int(i)] for i in a.path.strip("/").split("/")],
                a.depth,
            )
            for a in Area.objects.all()
        ),
        "units": sorted(
            PollingUnit.objects.values_list("election__slug", "code", "name", "area__code", "registered_voters")
        ),
        "memberships": sorted(
            PollingUnitConstituency.objects.values_list("polling_unit__code", "constituency__code", "contest__code")
        ),
        "candidates": sorted(
            map(
                repr,
                Candidate.objects.values(
                    *(f.attname for f in Candidate._meta.concrete_fields[3:]), "constituency__code"
                ),
            )
        ),
        "audit": list(
            AuditEntry.objects.order_by("seq").values("action", "object_key", "data", "prev_hash", "mac", "hash")
        ),
    }


def imported_both_ways(path):
    out = []
    for orm in (True, False):
        with mock.patch("django.utils.timezone.now", return_value=FIXED), transaction.atomic():
            with bulk_rows.orm_only() if orm else nullcontext():
                text, _ = run(path)
            out.append((text, rows()))
            transaction.set_rollback(True)
    return out


def test_copy_creates_the_same_structure_as_bulk_create(db, tmp_path):
    (orm_text, by_orm), (copy_text, by_copy) = imported_both_ways(write(tmp_path, EXAMPLE))
    assert "was created" in copy_text and orm_text == copy_text
    assert by_copy["units"] and by_copy["memberships"] and by_copy["audit"]
    assert by_copy == by_orm


def test_copy_updates_the_structure_as_bulk_create_does(db, tmp_path):
    run(write(tmp_path, EXAMPLE))
    d = copy.deepcopy(EXAMPLE)
    d["polling_units"][0]["name"] = "Khu vực bỏ phiếu số 1 - Nhà văn hóa"
    d["areas"].append({"code": "PT-TT-NEW", "name": "Xã mới", "parent": d["areas"][0]["code"]})
    d["polling_units"].append({**d["polling_units"][1], "code": "NEW-01", "area": "PT-TT-NEW"})
    (_, by_orm), (copy_text, by_copy) = imported_both_ways(write(tmp_path, d, "changed.json"))
    assert "updated" in copy_text
    assert "NEW-01" in {u[1] for u in by_copy["units"]}
    assert by_copy == by_orm


def test_a_copy_import_verifies_and_importing_it_again_changes_nothing(db, tmp_path):
    path = write(tmp_path, EXAMPLE)
    run(path)
    call_command("verify_audit", stdout=StringIO())
    before = rows()
    text, _ = run(path)
    assert "no changes" in text
    assert rows() == before
