"""CONTRACT §8, `import_voters`: refused lines, all or nothing, --skip-invalid, idempotence, crash safety."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from elections.models import AuditEntry
from tests.voters.conftest import WORLD_ROWS, load
from voters.importing import postgres_copy as staging
from voters.models import Voter, VoterImport, VoterKey, VoterList

SLUG = "world-2021"

BAD_ROWS = {
    "12345678901,Short Id,1970-01-01,male,U1,": "line 3: national ID must be 12 digits",
    "079090000001,Twice In File,1970-01-01,male,U1,": "line 4: national ID already in the file, on line 2",
    "079090000007,Too Young,2003-05-24,male,U1,": "line 5: under 18 on election day",
    "079090000008,No Unit,1970-01-01,male,NOPE,": 'line 6: unknown polling unit "NOPE"',
    "079090000009,Bad Date,1970-13-01,male,U1,": "line 7: date of birth is malformed",
}


def snapshot():
    voters = Voter.objects.order_by("pk").values_list(
        "pk", "polling_unit_id", "list_number", "national_id_token", "full_name", "status", "version"
    )
    keys = VoterKey.objects.order_by("polling_unit_id", "list_number").values_list(
        "election_id", "token", "struck", "polling_unit_id", "list_number"
    )
    return [(*row[:3], bytes(row[3]), *row[4:]) for row in voters], [(row[0], bytes(row[1]), *row[2:]) for row in keys]


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_voters", *map(str, args), stdout=out, stderr=err, no_progress=True, **options)
    return out.getvalue(), err.getvalue()


def test_a_good_file_loads_in_household_order(world, write_csv):
    path = write_csv(
        "079090000001,Con Một,2000-01-01,male,U1,,H1,",
        "079090000002,Chủ Hộ Một,1960-01-01,male,U1,,H1,1",
        "079090000003,Người Riêng,1970-01-01,female,U1,,,",
        "079090000004,Con Hai,2001-01-01,female,U1,,H1,",
        "079090000005,Ở U2,1970-01-01,female,U2,temporary_short,,",
        header="national_id,full_name,date_of_birth,gender,polling_unit,residence,household,household_head",
    )
    out, _ = run(SLUG, path)
    assert "5 loaded" in out
    # the household of line 2 comes first, its head first; the single voter of line 4 after it
    names = list(
        Voter.objects.filter(polling_unit=world.units["U1"])
        .order_by("list_number")
        .values_list("full_name", "list_number")
    )
    assert names == [("Chủ Hộ Một", 1), ("Con Một", 2), ("Con Hai", 3), ("Người Riêng", 4)]
    assert VoterList.objects.filter(election=world.election).count() == 2


def test_every_refusal_reason_is_listed_and_nothing_is_written(world, write_csv):
    path = write_csv("079090000001,Good,1970-01-01,male,U1,", *BAD_ROWS)
    with pytest.raises(CommandError, match="5 row"):
        run(SLUG, path)
    assert Voter.objects.count() == 0 and VoterImport.objects.count() == 0
    # the same, on stderr, one line per refused row
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_voters", SLUG, str(path), stderr=err, no_progress=True)
    for expected in BAD_ROWS.values():
        assert expected in err.getvalue()


def test_already_on_a_list_of_the_election(listed, write_csv):
    path = write_csv("079090000001,Someone Else,1970-01-01,male,U2,", "079090000031,New,1970-01-01,male,U2,")
    before = snapshot()
    with pytest.raises(CommandError):
        run(SLUG, path)
    assert snapshot() == before
    run(SLUG, path, skip_invalid=True)
    assert Voter.objects.filter(full_name="New").count() == 1


def test_on_a_list_refusal_names_the_listing_for_the_whole_election_command(listed, write_csv):
    # the command's scope is the whole election: it may see every list, so the refusal says where
    path = write_csv("079090000001,Someone Else,1970-01-01,male,U2,")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_voters", SLUG, str(path), stderr=err, no_progress=True)
    assert 'line 2: national ID already on the list of polling unit "U1", number 1' in err.getvalue()


def test_18th_birthday_boundary(world, write_csv):
    path = write_csv("079090000001,Eighteen Today,2003-05-23,male,U1,", "079090000002,A Day Short,2003-05-24,male,U1,")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_voters", SLUG, str(path), stderr=err, no_progress=True)
    assert "line 3: under 18" in err.getvalue() and "line 2" not in err.getvalue()
    run(SLUG, path, skip_invalid=True)
    assert list(Voter.objects.values_list("full_name", flat=True)) == ["Eighteen Today"]


def test_skip_invalid_loads_good_rows_and_writes_the_rejects_file(world, write_csv):
    path = write_csv("079090000001,Good,1970-01-01,male,U1,", *BAD_ROWS, "079090000010,Also Good,1980-01-01,female,U2,")
    out, err = run(SLUG, path, skip_invalid=True)
    assert "2 loaded" in out and "5 refused" in out
    rejected = path.with_name("voters.csv.rejected.csv")
    rows = list(csv.reader(io.StringIO(rejected.read_text(encoding="utf-8"))))
    assert rows[0] == ["national_id", "full_name", "date_of_birth", "gender", "polling_unit", "residence", "reason"]
    assert [r[:2] for r in rows[1:]] == [[line.split(",")[0], line.split(",")[1]] for line in BAD_ROWS]
    for row, expected in zip(rows[1:], BAD_ROWS.values(), strict=True):
        assert row[-1].startswith(expected)
    assert sorted(Voter.objects.values_list("full_name", flat=True)) == ["Also Good", "Good"]


def test_reimporting_the_same_file_changes_nothing(world, write_csv):
    path = write_csv(*WORLD_ROWS)
    run(SLUG, path)
    before, audit_before, imports_before = snapshot(), AuditEntry.objects.count(), VoterImport.objects.count()
    out, _ = run(SLUG, path)
    assert "0 loaded, 5 already on the lists, 0 refused" in out
    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_before and VoterImport.objects.count() == imports_before
    # with --skip-invalid too, and with a refused row in the file
    path = write_csv(*WORLD_ROWS, "bad,Row,1970-01-01,male,U1,")
    run(SLUG, path, skip_invalid=True)
    run(SLUG, path, skip_invalid=True)
    assert snapshot() == before


def test_a_later_file_extends_the_lists(listed, write_csv):
    path = write_csv(*WORLD_ROWS, "079090000006,Người Mới,1999-09-09,female,U1,")
    out, _ = run(SLUG, path)
    assert "1 loaded, 5 already" in out
    assert Voter.objects.get(full_name="Người Mới").list_number == 4


def test_new_rows_for_a_posted_list_are_refused(listed, write_csv):
    VoterList.objects.filter(polling_unit=listed.units["U1"]).update(posted_on="2021-04-13")
    path = write_csv(*WORLD_ROWS, "079090000006,Late,1999-09-09,female,U1,", "079090000007,Fine,1999-09-09,female,U2,")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_voters", SLUG, str(path), stderr=err, no_progress=True)
    assert 'line 7: the list of polling unit "U1" is posted' in err.getvalue()


def test_audit_entry_holds_no_personal_data(world, write_csv):
    path = write_csv(*WORLD_ROWS)
    run(SLUG, path)
    entry = AuditEntry.objects.get(action="voters.list.imported")
    text = str(entry.data) + entry.source + entry.object_key
    assert entry.data["loaded"] == 5 and entry.data["loaded_by_unit"] == {"U1": 3, "U2": 1, "U3": 1}
    for row in WORLD_ROWS:
        national_id, _, born = row.split(",")[:3]
        assert national_id not in text and born not in text


def test_ids_are_not_stored_in_plain_text(world, write_csv):
    run(SLUG, write_csv(*WORLD_ROWS))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM voters_voter")
        dump = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM voters_voterkey")
        dump += repr(cursor.fetchall())
    assert "079090000001" not in dump and b"079090000001".hex() not in dump and "79090000001" not in dump


def test_every_voter_has_one_key_that_mirrors_its_status(listed, write_csv):
    # given a list with a struck-off voter and a re-import that adds one more
    voter = Voter.objects.get(full_name="Nguyễn Văn An")
    Voter.objects.filter(pk=voter.pk).update(status="removed")
    VoterKey.objects.filter(polling_unit_id=voter.polling_unit_id, list_number=voter.list_number).update(
        struck=voter.pk
    )
    run(SLUG, write_csv(*WORLD_ROWS[1:], "079090000031,New,1970-01-01,male,U2,"))
    # then every voter row has exactly one key, active exactly when the voter is on the list
    keys = {(k.polling_unit_id, k.list_number): k for k in VoterKey.objects.all()}
    assert len(keys) == VoterKey.objects.count() == Voter.objects.count() == 6
    for v in Voter.objects.all():
        key = keys[(v.polling_unit_id, v.list_number)]
        assert bytes(key.token) == bytes(v.national_id_token) and key.struck == (0 if v.is_active else v.pk)


def test_unknown_election_and_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="unknown election"):
        run("nope", tmp_path / "x.csv")
    with pytest.raises(CommandError, match="cannot read"):
        run(SLUG, tmp_path / "missing.csv")


@pytest.mark.parametrize("content", [b"", b"\xff\xfe garbage", b"national_id,full_name\n1,2\n"])
def test_unreadable_files_are_refused_whole(world, tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="nothing was written"):
        run(SLUG, path)


def test_invalid_utf8_mid_file(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b"national_id,full_name,date_of_birth,gender,polling_unit,residence\n079090000001,A\xff,1970-01-01,male,U1,\n"
    )
    with pytest.raises(CommandError, match="not UTF-8"):
        run(SLUG, path)
    assert Voter.objects.count() == 0


def test_a_crash_mid_import_leaves_the_previous_list(listed, monkeypatch):
    """Simulated crash in the middle of loading (any database): the transaction takes everything back."""
    before = snapshot()
    real_copy_in = staging.copy_in

    def crashing_copy_in(table, columns, frames):
        def frames_then_crash():
            yield from frames
            raise KeyboardInterrupt("killed mid-load")

        return real_copy_in(table, columns, frames_then_crash())

    monkeypatch.setattr(staging, "copy_in", crashing_copy_in)
    more = [f"0790911{i:05d},Người {i},1980-01-01,male,U{1 + i % 3}," for i in range(10)]
    with pytest.raises(KeyboardInterrupt):
        load(listed.election, *WORLD_ROWS, *more)
    assert snapshot() == before
    assert VoterImport.objects.count() == 1


def test_dry_run_writes_nothing(world, write_csv):
    out, _ = run(SLUG, write_csv(*WORLD_ROWS), dry_run=True)
    assert "5 would be loaded" in out
    assert Voter.objects.count() == 0


def test_a_household_coming_back_in_a_later_block_is_still_listed_together(world, write_csv, monkeypatch):
    # given a first load read in tiny blocks, with household H1 coming back after another voter of U1
    from voters.importing import reading as importers

    monkeypatch.setattr(importers, "BLOCK_BYTES", 64)
    path = write_csv(
        "079090000001,Con Một,2000-01-01,male,U1,,H1,",
        "079090000003,Người Riêng,1970-01-01,female,U1,,,",
        "079090000004,Con Hai,2001-01-01,female,U2,,H2,",
        "079090000002,Chủ Hộ Một,1960-01-01,male,U1,,H1,1",
        header="national_id,full_name,date_of_birth,gender,polling_unit,residence,household,household_head",
    )
    # when it is imported (the stream stops at the late household; the whole file is numbered at once)
    out, _ = run(SLUG, path)
    # then the household is together, its head first, as if the file had been read in one piece
    assert "4 loaded" in out
    names = list(
        Voter.objects.filter(polling_unit=world.units["U1"]).order_by("list_number").values_list("full_name", flat=True)
    )
    assert names == ["Chủ Hộ Một", "Con Một", "Người Riêng"]
    assert VoterKey.objects.count() == 4 and VoterImport.objects.count() == 1


def test_a_first_load_with_a_refused_row_late_in_the_file_writes_nothing(world, write_csv, monkeypatch):
    from voters.importing import reading as importers

    monkeypatch.setattr(importers, "BLOCK_BYTES", 64)
    rows = [f"0790900000{i:02d},Người {i},1980-01-01,male,U{1 + i % 3}," for i in range(30)]
    path = write_csv(*rows, "12345,Short Id,1970-01-01,male,U1,")
    with pytest.raises(CommandError):
        run(SLUG, path)
    assert (Voter.objects.count(), VoterKey.objects.count(), VoterImport.objects.count()) == (0, 0, 0)
    out, _ = run(SLUG, path, skip_invalid=True)
    assert "30 loaded" in out and Voter.objects.count() == 30 == VoterKey.objects.count()


needs_postgres = pytest.mark.skipif(not staging.postgres(), reason="the partitioned key table is PostgreSQL's")


def _partition_of(election_id):
    """(attached, has a primary key) of the election's own partition of the national-ID index, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relispartition, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid "
            "AND k.contype = 'p') FROM pg_class c WHERE c.oid = to_regclass(%s)",
            [staging.key_partition(election_id)],
        )
        return cursor.fetchone()


@needs_postgres
def test_a_first_load_gets_its_own_indexed_partition_which_keeps_one_active_row_per_person(world, write_csv):
    from django.db import IntegrityError, transaction

    assert staging.partitioned_keys() and _partition_of(world.election.pk) is None
    run(SLUG, write_csv(*WORLD_ROWS))
    assert _partition_of(world.election.pk) == (True, True)
    run(SLUG, write_csv("079090000006,Người Sau,1980-01-01,female,U2,"))  # a later file goes into it too
    assert VoterKey.objects.filter(election=world.election, struck=0).count() == 6
    key = VoterKey.objects.filter(election=world.election).first()
    with pytest.raises(IntegrityError), transaction.atomic():  # Art. 29: one list per person, in the database
        VoterKey.objects.create(
            election=world.election, token=key.token, struck=0, polling_unit_id=key.polling_unit_id, list_number=99
        )


@needs_postgres
def test_a_refused_first_load_leaves_no_partition(world, write_csv):
    with pytest.raises(CommandError):
        run(SLUG, write_csv(*WORLD_ROWS, "12345678901,Short Id,1970-01-01,male,U1,"))
    assert _partition_of(world.election.pk) is None and not VoterKey.objects.exists()
