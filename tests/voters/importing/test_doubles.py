"""Art. 29 in the import (voters/importing/doubles.py): a committee's file learns nothing about lists outside its area.

A person already listed inside the importer's area is refused, saying where; one listed outside it is loaded but
held for the committee that covers both; one struck off a list elsewhere is simply loaded.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elections.models import AuditEntry
from tests.voters.conftest import load
from voters.importing.pipeline import ImportRefused
from voters.models import DoubleListing, Voter, VoterKey, VoterStatus, voter_pk
from voters.selectors import double_listings_of_area

# WORLD_ROWS put 079090000004 (Phạm Thị Dung) on U2's list: area C2, outside committee C1's area.
LISTED_IN_U2 = "079090000004,Phạm Thị Dung,1985-08-09,female,U1,temporary"
FRESH = "079090000099,Phạm Thị Dung,1985-08-09,female,U1,temporary"


def c1_upload(world, *rows, **kwargs):
    return load(world.election, *rows, area=world.areas["C1"], by=world.users["committee_c1"], **kwargs)


def test_someone_listed_outside_the_area_is_loaded_but_held(listed):
    # when committee C1 uploads a person who is on U2's list (outside its area)
    report = c1_upload(listed, LISTED_IN_U2)
    # then the report reads as for anyone new: one row loaded, nothing refused
    assert (report.rows, report.loaded, report.unchanged, report.refusals) == (1, 1, 0, [])
    assert report.loaded_by_unit == {"U1": 1}
    # and the row is on U1's list, listed, but held: its key is struck, so U2's listing stays the person's one
    row = Voter.objects.get(pk=voter_pk(listed.units["U1"].pk, 4))
    assert (row.status, row.held, row.is_listed, row.is_active) == (VoterStatus.LISTED, True, True, False)
    first = Voter.objects.get(pk=voter_pk(listed.units["U2"].pk, 1))
    assert VoterKey.objects.get(polling_unit=listed.units["U1"], list_number=4).struck == row.pk
    assert VoterKey.objects.filter(token=row.national_id_token, struck=0).get().polling_unit_id == first.polling_unit_id
    case = DoubleListing.objects.get()
    assert (case.held, case.first, case.outcome) == (row, first, DoubleListing.Outcome.OPEN)
    assert case.batch == report.batch and case.created_by == listed.users["committee_c1"]


def test_someone_listed_inside_the_area_is_refused_saying_where(listed):
    # committee D1 covers U1 and U2: U2's list is one it may see, so it is told where the person is
    with pytest.raises(ImportRefused) as refused:
        load(listed.election, LISTED_IN_U2, area=listed.areas["D1"], by=listed.users["committee_d1"])
    assert refused.value.report.refusals == [(2, 'national ID already on the list of polling unit "U2", number 1')]
    assert not DoubleListing.objects.exists()


def test_a_person_held_on_the_uploaders_own_list_is_refused_there_like_anyone_listed(listed):
    # given the person held on U1 after a first upload of C1
    c1_upload(listed, LISTED_IN_U2)
    # when C1 uploads them again with other details, they are refused as on U1's list (which C1 sees)
    with pytest.raises(ImportRefused) as refused:
        c1_upload(listed, "079090000004,Phạm Thị Dung,1985-08-10,female,U1,temporary")
    assert refused.value.report.refusals == [(2, 'national ID already on the list of polling unit "U1", number 4')]


def test_someone_struck_off_a_list_elsewhere_is_loaded_as_listed(listed):
    # given the person of U2 struck off (moved away)
    Voter.objects.filter(pk=voter_pk(listed.units["U2"].pk, 1)).update(status=VoterStatus.REMOVED)
    VoterKey.objects.filter(polling_unit=listed.units["U2"], list_number=1).update(
        struck=voter_pk(listed.units["U2"].pk, 1)
    )
    # when C1 lists them, they are on no list, so nothing is held
    report = c1_upload(listed, LISTED_IN_U2)
    assert report.loaded == 1 and not DoubleListing.objects.exists()
    assert Voter.objects.get(pk=voter_pk(listed.units["U1"].pk, 4)).is_active


def test_the_same_file_again_changes_nothing_for_a_held_row(listed):
    c1_upload(listed, LISTED_IN_U2)
    entries = AuditEntry.objects.count()
    report = c1_upload(listed, LISTED_IN_U2)
    assert (report.loaded, report.unchanged, report.batch) == (0, 1, None)
    assert DoubleListing.objects.count() == 1 and AuditEntry.objects.count() == entries


def test_every_load_writes_the_sealed_check_of_art_29_and_no_personal_data(listed):
    # given one upload that holds a row and one that does not
    c1_upload(listed, LISTED_IN_U2)
    c1_upload(listed, "079090000098,Lý Văn Tám,1960-02-02,male,U1,")
    # then both wrote the same two entries, the check sealed (an export shows no more than its action)
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", "object_type"))[-4:]
    assert actions == [
        ("voters.list.imported", "voter_import"),
        ("voters.list.doubles_checked", "voter"),
        ("voters.list.imported", "voter_import"),
        ("voters.list.doubles_checked", "voter"),
    ]
    held, clear = AuditEntry.objects.filter(action="voters.list.doubles_checked").order_by("seq").reverse()[:2][::-1]
    assert held.data["held"] == 1 and held.data["held_rows"] == [["U1", 4, "U2", 1]]
    assert clear.data["held"] == 0
    for entry in AuditEntry.objects.filter(action__startswith="voters.list"):
        text = str(entry.data) + entry.object_key + entry.source
        assert "079090000004" not in text and "Phạm" not in text and "1985" not in text


def test_the_check_stays_set_based_whatever_the_number_of_held_rows(listed):
    """As many queries for one held row as for forty: the check is joins over the file, never a query per row."""

    def queries_for(n, first_id):
        people = [f"0790980{first_id + i:05d},Người {i},1980-01-01,male,U2," for i in range(n)]
        load(listed.election, *people)  # listed on U2 by the command
        again = [row.replace(",U2,", ",U1,") for row in people]
        with CaptureQueriesContext(connection) as queries:
            report = c1_upload(listed, *again)
        assert report.loaded == n
        return len(queries)

    one, forty = queries_for(1, 0), queries_for(40, 100)
    assert DoubleListing.objects.count() == 41
    assert one == forty


def test_the_cases_of_an_area_are_chosen_without_matching_area_paths_through_the_voters_table(listed):
    """The committee's queue (voters.selectors.double_listings_of_area) once matched the area's path on both voters'
    units in one query: PostgreSQL planned it as voters against voters and ran for minutes on a province's lists.
    The cases are now chosen by unit ids; no query may filter area paths through a join of the voters table."""
    c1_upload(listed, LISTED_IN_U2)
    with CaptureQueriesContext(connection) as queries:
        in_p = list(double_listings_of_area(listed.areas["P"]))
        in_c1 = list(double_listings_of_area(listed.areas["C1"]))
    assert [c.held.polling_unit.code for c in in_p] == ["U1"] and in_c1 == []  # C1 covers only one of the two units
    for q in queries.captured_queries:
        sql = q["sql"]
        assert not ("voters_voter" in sql and "LIKE" in sql.upper()), sql
    assert len(queries.captured_queries) <= 6
