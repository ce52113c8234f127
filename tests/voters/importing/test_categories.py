"""The optional `category` column of a voter file (Art. 29(3) and (5)): loaded on the first load (streamed COPY on
PostgreSQL, executemany on SQLite) and on later loads, refused with its line, column and accepted values when
wrong, and rows without it unchanged (CONTRACT §8). Runs on PostgreSQL when KP_DATABASE_URL is set."""

import io

import pytest

from tests.voters.conftest import HEADER, WORLD_ROWS, csv_text, load
from voters.importing.pipeline import ImportRefused, voter_list_import
from voters.importing.reading import FileRefused
from voters.models import Voter, VoterImport

WITH_CATEGORY = HEADER + ",category"


def load_with(election, *rows: str, header: str = WITH_CATEGORY, **kwargs):
    return voter_list_import(
        election=election,
        source=io.BytesIO(csv_text(*rows, header=header).encode()),
        file_name="t.csv",
        sha256="t",
        **kwargs,
    )


def categories(world, code):
    return list(Voter.objects.of_unit(world.units[code]).order_by("list_number").values_list("full_name", "category"))


def test_rows_without_the_column_are_ordinary_as_before(world):
    report = load(world.election, *WORLD_ROWS)
    assert report.loaded == 5
    assert set(Voter.objects.values_list("category", flat=True)) == {"ordinary"}


def test_first_load_stores_each_category_art_29_3_and_5(world):
    report = load_with(
        world.election,
        "079090000001,Người Thường,1970-01-02,male,U1,,",
        "079090000002,Chiến Sĩ Một,2003-01-01,male,U1,,armed_forces",
        "079090000003,Người Tạm Giam,1980-01-01,male,U1,,Detention",  # case does not matter
        "079090000004,Người Cai Nghiện,1985-01-01,female,U1,,compulsory_facility",
        "079090000005,Người Khác,1985-01-01,female,U1,,ordinary",
    )
    assert report.loaded == 5 and not report.refusals
    assert categories(world, "U1") == [
        ("Người Thường", "ordinary"),
        ("Chiến Sĩ Một", "armed_forces"),
        ("Người Tạm Giam", "detention"),
        ("Người Cai Nghiện", "compulsory_facility"),
        ("Người Khác", "ordinary"),
    ]


def test_a_later_load_stores_the_category_and_a_second_import_changes_nothing(world):
    load(world.election, *WORLD_ROWS)  # the first load: the later one checks against these lists
    rows = ("079090000006,Chiến Sĩ Hai,2002-02-02,male,U2,,armed_forces",)
    first = load_with(world.election, *rows)
    again = load_with(world.election, *rows)
    assert (first.loaded, again.loaded, again.unchanged) == (1, 0, 1)
    assert categories(world, "U2")[-1] == ("Chiến Sĩ Hai", "armed_forces")


def test_the_same_person_with_another_category_is_refused_as_listed(world):
    load_with(world.election, "079090000006,Chiến Sĩ Hai,2002-02-02,male,U2,,armed_forces")
    with pytest.raises(ImportRefused) as refused:
        load_with(world.election, "079090000006,Chiến Sĩ Hai,2002-02-02,male,U2,,")
    assert "already on the list" in refused.value.report.refusals[0][1]


def test_the_column_is_found_by_name_in_any_order(world):
    header = HEADER + ",category,household,household_head"
    load_with(
        world.election,
        "079090000001,Chủ Hộ,1960-01-01,male,U1,,,H1,1",
        "079090000002,Chiến Sĩ,2003-01-01,male,U1,,armed_forces,,",
        header=header,
    )
    voters = {v.full_name: v for v in Voter.objects.all()}
    assert voters["Chủ Hộ"].household == "H1" and voters["Chủ Hộ"].household_head
    assert voters["Chủ Hộ"].category == "ordinary" and voters["Chiến Sĩ"].category == "armed_forces"


def test_a_bad_category_is_refused_with_line_column_and_accepted_values(world):
    with pytest.raises(ImportRefused) as refused:
        load_with(
            world.election,
            "079090000001,Good,1970-01-01,male,U1,,armed_forces",
            "079090000002,Bad,1970-01-01,male,U1,,xyz-unknown",
        )
    (line, message), *rest = refused.value.report.refusals
    assert line == 3 and not rest
    assert message.startswith('column "category"')
    for value in ("ordinary", "armed_forces", "detention", "compulsory_facility", "Art. 29(3)", "Art. 29(5)"):
        assert value in message
    assert "xyz" not in message  # the cell is not quoted back
    assert Voter.objects.count() == 0 and VoterImport.objects.count() == 0  # all or nothing


def test_skip_invalid_loads_the_good_rows_beside_a_bad_category(world):
    report = load_with(
        world.election,
        "079090000001,Good,1970-01-01,male,U1,,detention",
        "079090000002,Bad,1970-01-01,male,U1,,prisoner",
        skip_invalid=True,
    )
    assert report.loaded == 1 and [line for line, _message in report.refusals] == [3]
    assert report.reason_counts == {"category": 1}  # the audit log gets the code, never the cell


def test_a_header_naming_category_twice_is_refused(world):
    with pytest.raises(FileRefused, match="header"):
        load_with(world.election, "079090000001,A,1970-01-01,male,U1,,,", header=WITH_CATEGORY + ",category")
