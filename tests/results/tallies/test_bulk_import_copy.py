"""`import_tallies` by COPY on PostgreSQL (issue 13) writes what the bulk_create path writes: the same rows, flags,
running sums and audit entries, chain included; `verify_audit` passes after it."""

import datetime as dt
from contextlib import nullcontext
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from core import bulk_rows
from elections.models import AuditEntry, AuditHead
from results.models import Flag, RoundTotal, Tally, TallyVersion, TallyVote
from tests.results.tallies.test_bulk_import import item, run, xa

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="COPY is PostgreSQL's; SQLite always writes with bulk_create",
)
FIXED = dt.datetime(2026, 3, 15, 20, 0, tzinfo=dt.UTC)


def rows():
    """Every row the import writes, without ids (they differ between two runs), foreign keys by code."""
    unit = "tally__polling_unit__code"
    return {
        "tallies": sorted(
            map(
                repr,
                Tally.objects.values(
                    *(f.attname for f in Tally._meta.concrete_fields if f.attname not in ("id", "polling_unit_id")),
                    "polling_unit__code",
                ),
            )
        ),
        "votes": sorted(TallyVote.objects.values_list(unit, "candidate__code", "votes")),
        "versions": sorted(
            map(repr, TallyVersion.objects.values(unit, *(f.attname for f in TallyVersion._meta.concrete_fields[2:])))
        ),
        "flags": sorted(
            map(
                repr,
                Flag.objects.values(
                    unit, *(f.attname for f in Flag._meta.concrete_fields if f.attname not in ("id", "tally_id"))
                ),
            )
        ),
        "sums": sorted(
            map(repr, RoundTotal.objects.values(*(f.attname for f in RoundTotal._meta.concrete_fields[1:])))
        ),
        "audit": list(
            AuditEntry.objects.order_by("seq").values(
                *(f.attname for f in AuditEntry._meta.concrete_fields if f.attname != "seq")
            )
        ),
        "head_hash": AuditHead.objects.get().hash,
    }


def imported_both_ways(tmp_path, items, *flags):
    """The rows after importing `items` with bulk_create, then, from the same start, with COPY."""
    out = []
    for orm in (True, False):
        with mock.patch("django.utils.timezone.now", return_value=FIXED), transaction.atomic():
            with bulk_rows.orm_only() if orm else nullcontext():
                text, _, error = run(tmp_path, items, *flags)
            assert error is None, error
            out.append((text, rows()))
            transaction.set_rollback(True)
    return out


def test_copy_writes_the_same_rows_flags_sums_and_audit_chain_as_bulk_create(world, tmp_path):
    items = [item("U1"), item("U2", invalid_ballots=3), item("U3"), xa("U1", "XA1"), xa("U2", "XA2")]
    (orm_text, by_orm), (copy_text, by_copy) = imported_both_ways(tmp_path, items, "--approve", "--lenient")
    assert "5 created" in copy_text and "1 tallies break a rule" in copy_text
    assert orm_text == copy_text
    assert by_copy["flags"] and by_copy["sums"] and len(by_copy["audit"]) >= 5
    for kind in by_orm:
        assert by_copy[kind] == by_orm[kind], kind


def test_copy_updates_a_submitted_tally_as_bulk_create_does(world, tmp_path):
    run(tmp_path, [item("U1"), item("U2")])
    changed = [item("U1", complaints="bổ sung"), item("U2"), item("U3")]
    (_, by_orm), (copy_text, by_copy) = imported_both_ways(tmp_path, changed)
    assert "1 created, 1 updated, 1 unchanged" in copy_text
    assert by_copy == by_orm


def test_a_copy_import_verifies_and_importing_it_again_changes_nothing(world, tmp_path):
    items = [item("U1"), item("U2", invalid_ballots=3), item("U3"), xa("U1", "XA1")]
    run(tmp_path, items, "--approve", "--lenient")
    out = StringIO()
    call_command("verify_audit", stdout=out)
    head = AuditHead.objects.get()
    assert head.seq == AuditEntry.objects.order_by("-seq").values_list("seq", flat=True)[0]
    before = rows()
    text, _, error = run(tmp_path, items, "--approve", "--lenient")
    assert error is None and "4 unchanged" in text
    assert rows() == before
