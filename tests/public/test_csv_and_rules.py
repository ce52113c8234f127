"""CSV cells neutralised for spreadsheets; pure turnout sums and the line chart's geometry."""

import csv
import datetime as dt
import io
import re

import pytest
from django.test import Client

from core.spreadsheets import csv_bytes, neutralise
from elections.models import Candidate
from public import charts, turnout


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        ("a=b", "a=b"),
        (-2, -2),  # numbers stay numbers
        (12, 12),
        ("", ""),
    ],
)
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_csv_bytes_neutralises_every_cell_and_reads_back():
    data = csv_bytes(["name", "=head"], [['=HYPERLINK("http://x")', 5], ["ok", None]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "'=head"], ['\'=HYPERLINK("http://x")', "5"], ["ok", ""]]


@pytest.mark.django_db
def test_a_formula_in_a_candidate_name_is_neutralised_in_downloads(counted):
    from tests.public.conftest import publish

    Candidate.objects.filter(code="XA1-01").update(full_name='=HYPERLINK("http://evil","x")', affiliation="@cmd")
    publish(counted.world, "XA1")
    body = Client().get("/public/world-2021/data/results-candidates.csv").content.decode("utf-8-sig")
    rows = {r["candidate"]: r for r in csv.DictReader(io.StringIO(body))}
    assert rows["XA1-01"]["full_name"] == '\'=HYPERLINK("http://evil","x")'
    assert rows["XA1-01"]["affiliation"] == "'@cmd"
    assert rows["XA1-01"]["votes"] == "600"
    elected = Client().get("/public/world-2021/data/results-constituencies.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in elected  # the list of the elected starts with the same name


def _unit(uid, areas, listed, reports):
    return turnout.UnitSeries(uid, areas, listed, reports)


NINE, ELEVEN = dt.time(9), dt.time(11)


def test_turnout_counts_only_the_units_that_reported():
    units = [_unit(1, (10, 11), 800, {NINE: 300}), _unit(2, (10, 12), 600, {})]
    p = turnout.point(units, NINE)
    assert (p.units, p.units_total, p.voters_on_list, p.voters_voted, p.turnout_pct) == (1, 2, 800, 300, "37.50")
    assert turnout.point(units, ELEVEN).reported is False
    assert turnout.latest_time(units, [NINE, ELEVEN]) == NINE


def test_turnout_rolls_up_the_area_tree():
    units = [_unit(1, (10, 11), 800, {NINE: 300}), _unit(2, (10, 12), 600, {NINE: 150})]
    areas = turnout.by_area(units, NINE)
    assert (areas[10].voters_voted, areas[10].voters_on_list, areas[10].turnout_pct) == (450, 1400, "32.14")
    assert (areas[12].units, areas[12].turnout_pct) == (1, "25.00")


def test_line_chart_geometry():
    chart = charts.turnout_chart([(NINE, "35.00"), (ELEVEN, None)], opens=dt.time(7), closes=dt.time(19))
    assert [d.label for d in chart.dots] == ["09:00"]  # 11:00 has no report: no dot
    assert len(chart.segments) == 1  # from the opening at 0 % to 09:00
    seg = chart.segments[0]
    assert seg.x1 == "9.00%" and seg.y1 == chart.baseline
    assert seg.x2 == "23.67%"  # 9 % margin + 2 of 12 hours of the remaining 88 % (14.67 %)
    assert chart.dots[0].y < chart.baseline
    assert [t.label for t in chart.times] == ["07:00", "09:00", "11:00"]
    full = charts.turnout_chart([(dt.time(19), "100.00")], opens=dt.time(7), closes=dt.time(19))
    assert full.dots[0].x == "97.00%" and full.dots[0].y == charts.TOP
    # values are written centred over their dot, but ended at it by the right edge (a phone would cut them)
    assert chart.dots[0].anchor == "middle" and full.dots[0].anchor == "end"


def test_publication_times_in_tables_are_local_not_utc():
    from django.utils import translation

    from public.tables import ConstituencyTable

    at = dt.datetime(2021, 5, 24, 3, 2, tzinfo=dt.UTC)  # 10:02 in Ho Chi Minh City
    with translation.override("vi"):
        shown = ConstituencyTable([]).render_pub_at(at)
    assert "10:02" in shown and "03:02" not in shown


# A cell holding a clock time, and the one form open data writes it in: local, to the second, with the offset.
CLOCK = re.compile(r"\d{1,2}:\d{2}")
LOCAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")


def _times(client, name):
    body = client.get(f"/public/world-2021/data/{name}.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    same = client.get(f"/public/world-2021/data/{name}.json").json()["rows"]
    found = {}
    for row, twin in zip(rows, same, strict=True):
        for column, cell in row.items():
            if CLOCK.search(cell):
                assert LOCAL.fullmatch(cell), (name, column, cell)
                assert twin[column] == cell, (name, column)  # the JSON dataset writes the same time
                found.setdefault(column, set()).add(cell)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(("zone", "offset"), [("Asia/Ho_Chi_Minh", "+07:00"), ("Europe/Moscow", "+03:00")])
def test_every_time_in_open_data_is_the_elections_local_time_like_the_nist_export(published, zone, offset):
    from elections.models import Election
    from public.opendata import DATASETS

    election = published.world.election
    Election.objects.filter(pk=election.pk).update(time_zone=zone)
    client = Client()
    times = {name: _times(client, name) for name in DATASETS}
    # every column holding a time, in every dataset, was checked
    assert {(name, column) for name, found in times.items() for column in found} == {
        ("results-constituencies", "published_at"),
        ("results-candidates", "published_at"),
        ("results-units", "published_at"),
        ("results-unit-votes", "published_at"),
        ("turnout-units", "at"),
        ("turnout-areas", "at"),
    }
    day = election.election_day.isoformat()
    assert times["turnout-units"]["at"] == {f"{day}T09:00:00{offset}", f"{day}T11:00:00{offset}"}
    assert times["turnout-areas"]["at"] == {f"{day}T11:00:00{offset}"}
    (published_at,) = times["results-constituencies"]["published_at"]
    assert published_at.endswith(offset)
    nist = client.get("/public/world-2021/data/nist-1500-100.json").json()
    assert nist["GeneratedDate"] == published_at  # the same instant, written the same way
