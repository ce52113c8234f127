"""`import_election` on the database: all or nothing, idempotent, refused once tallies exist."""

import copy
import datetime as dt
import json
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from elections.models import (
    Area,
    AuditEntry,
    Candidate,
    Constituency,
    Contest,
    Election,
    PollingUnit,
    PollingUnitConstituency,
)
from results.models import Tally

EXAMPLE_PATH = Path(__file__).parent.parent / "data" / "contract_example.json"
EXAMPLE = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))
MODELS = [Election, Area, Contest, Constituency, PollingUnit, PollingUnitConstituency, Candidate, AuditEntry]


def snapshot():
    """Every row of every structure table, as plain values."""
    return {m.__name__: sorted(map(repr, m.objects.values())) for m in MODELS}


def write(tmp_path, doc, name="election.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(path, **kwargs):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_election", path, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def imported(db, tmp_path):
    run(write(tmp_path, EXAMPLE))
    return Election.objects.get(slug="thanh-thuy-2021")


def test_import_creates_the_structure(imported):
    assert imported.areas.count() == 3
    by = Area.objects.get(code="PT-TT-BY")
    assert by.parent.code == "PT-TT" and by.depth == 2
    assert by.path.startswith(Area.objects.get(code="PT").path)
    unit = PollingUnit.objects.get(code="BY-01")
    assert sorted(unit.constituencies.values_list("code", flat=True)) == ["QH-PT-2", "XA-BY-1"]
    assert unit.registered_voters == 812
    qh = Constituency.objects.get(code="QH-PT-2")
    assert list(qh.candidates.values_list("code", "ballot_order")) == [(f"QH-PT-2-0{i}", i) for i in range(1, 6)]
    c2 = Candidate.objects.get(code="QH-PT-2-02")
    assert (c2.date_of_birth.isoformat(), c2.date_of_birth_precision, c2.date_of_birth_display) == (
        "1971-11-01",
        "month",
        "1971-11",
    )
    entry = AuditEntry.objects.get(action="elections.election.imported")
    assert entry.data["changes"]["candidates"]["created"] == 8
    assert "sha256:" in entry.source


def test_same_file_twice_changes_nothing(imported, tmp_path):
    before = snapshot()
    out, _ = run(write(tmp_path, EXAMPLE))
    assert "no changes" in out
    assert snapshot() == before


def test_bad_file_writes_nothing_and_lists_every_problem(imported, tmp_path):
    before = snapshot()
    bad = copy.deepcopy(EXAMPLE)
    bad["name"] = "Changed"  # a valid change that must not be written either
    bad["polling_units"][0]["constituencies"][1] = "X-9"
    bad["candidates"][0]["constituency"] = "NOPE"
    with pytest.raises(CommandError, match="2 problem"):
        from io import StringIO

        err = StringIO()
        try:
            call_command("import_election", write(tmp_path, bad), stderr=err)
        finally:
            assert 'polling_units[0].constituencies[1]: unknown constituency "X-9"' in err.getvalue()
            assert 'candidates[0].constituency: unknown constituency "NOPE"' in err.getvalue()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_unreadable_files_are_refused(db, tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert Election.objects.count() == 0


def test_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        run(str(tmp_path / "missing.json"))


def test_changed_file_updates_while_no_tally_exists(imported, tmp_path):
    # given: a renamed unit, a new constituency that BY-02 moves to, a reordered and a removed candidate
    d = copy.deepcopy(EXAMPLE)
    d["polling_units"][0]["name"] = "Khu vực bỏ phiếu số 1 - Nhà văn hóa"
    d["constituencies"].append({"code": "XA-BY-2", "contest": "XA", "name": "ĐV 2", "seats": 1, "area": "PT-TT-BY"})
    d["polling_units"][1]["constituencies"] = ["QH-PT-2", "XA-BY-2"]
    d["candidates"].append(
        {"code": "XA-BY-2-01", "constituency": "XA-BY-2", "full_name": "Hà Văn K", "date_of_birth": "1970"}
    )
    d["candidates"].append(
        {"code": "XA-BY-2-02", "constituency": "XA-BY-2", "full_name": "Hà Thị L", "date_of_birth": "1972"}
    )
    qh = [c for c in d["candidates"] if c["constituency"] == "QH-PT-2"]
    rest = [c for c in d["candidates"] if c["constituency"] != "QH-PT-2" and c["code"] != "XA-BY-1-03"]
    d["candidates"] = list(reversed(qh)) + rest
    # when
    out, _ = run(write(tmp_path, d))
    # then
    assert "updated" in out
    assert PollingUnit.objects.get(code="BY-01").name.endswith("Nhà văn hóa")
    assert sorted(PollingUnit.objects.get(code="BY-02").constituencies.values_list("code", flat=True)) == [
        "QH-PT-2",
        "XA-BY-2",
    ]
    assert list(Constituency.objects.get(code="QH-PT-2").candidates.values_list("code", flat=True)) == [
        f"QH-PT-2-0{i}" for i in range(5, 0, -1)
    ]
    assert not Candidate.objects.filter(code="XA-BY-1-03").exists()
    # and importing the changed file again changes nothing
    before = snapshot()
    run(write(tmp_path, d))
    assert snapshot() == before


def test_removing_everything_below_an_area(imported, tmp_path):
    d = copy.deepcopy(EXAMPLE)
    d["areas"] = [a for a in d["areas"] if a["code"] == "PT"]
    d["contests"] = [c for c in d["contests"] if c["code"] == "QH"]
    d["constituencies"] = [c for c in d["constituencies"] if c["code"] == "QH-PT-2"]
    d["candidates"] = [c for c in d["candidates"] if c["constituency"] == "QH-PT-2"]
    for u in d["polling_units"]:
        u["area"] = "PT"
        u["constituencies"] = ["QH-PT-2"]
    run(write(tmp_path, d))
    assert list(Area.objects.values_list("code", flat=True)) == ["PT"]
    assert Contest.objects.count() == 1
    assert PollingUnitConstituency.objects.count() == 2


def test_a_changed_file_is_refused_once_a_tally_exists(imported, tmp_path):
    # given a tally for BY-01
    unit = PollingUnit.objects.get(code="BY-01")
    qh = Constituency.objects.get(code="QH-PT-2")
    figures = dict.fromkeys(
        ["voters_on_list", "voters_voted", "ballots_issued", "ballots_received", "valid_ballots", "invalid_ballots"], 0
    )
    Tally.objects.create(election=imported, polling_unit=unit, contest=qh.contest, constituency=qh, **figures)
    before = snapshot()
    changed = copy.deepcopy(EXAMPLE)
    changed["polling_units"][0]["registered_voters"] = 900
    # when / then: refused with a clear message, nothing written
    with pytest.raises(CommandError, match="already has tallies"):
        run(write(tmp_path, changed))
    assert snapshot() == before
    # but the same file is still accepted and changes nothing
    out, _ = run(write(tmp_path, EXAMPLE))
    assert "no changes" in out


def test_dry_run_writes_nothing(db, tmp_path):
    out, _ = run(write(tmp_path, EXAMPLE), dry_run=True)
    assert "would be created" in out
    assert Election.objects.count() == 0


def test_warnings_are_printed(db, tmp_path):
    d = copy.deepcopy(EXAMPLE)
    d["polling_units"][0]["registered_voters"] = 4500
    _, err = run(write(tmp_path, d))
    assert "warning: polling_units[0].registered_voters: 4500 voters, more than 4000 (Art. 11)" in err
    assert Election.objects.count() == 1


def test_demo_loads_and_reloads_unchanged(db):
    from io import StringIO

    call_command("load_demo", quiet_logins=True, stdout=StringIO())
    before = snapshot()
    out = StringIO()
    call_command("load_demo", quiet_logins=True, stdout=out)
    assert "unchanged" in out.getvalue()
    assert snapshot() == before
    e = Election.objects.get(slug="phu-tho-2021")
    assert 55 <= e.polling_units.count() <= 75
    assert set(e.contests.values_list("level", flat=True)) == {
        "national_assembly",
        "provincial_council",
        "district_council",
        "commune_council",
    }
    voters = list(e.polling_units.values_list("registered_voters", flat=True))
    assert min(voters) < 300 <= sorted(voters)[1] and max(voters) <= 2000
    # a few published commune results have their constituency minutes issued, for the public pages to list
    from results.models import Minute, ResultPublication

    issued = Minute.objects.filter(election=e, kind=Minute.Kind.CONSTITUENCY)
    assert issued.count() == 3
    published = set(ResultPublication.objects.filter(election=e).values_list("constituency__code", flat=True))
    assert {m.key.split("/")[0] for m in issued} <= published, [m.key for m in issued]
    # Issue 17, point 9: what the demo records is dated in the election's calendar, not on the day it was loaded.
    from elections.models import AuditEntry
    from results.models import Tally, TurnoutReport

    day, zone = e.election_day, zoneinfo.ZoneInfo(e.time_zone)

    def dates(values):
        return {v.astimezone(zone).date() for v in values}

    assert dates(AuditEntry.objects.filter(election_slug=e.slug).values_list("at", flat=True)) == {
        day - dt.timedelta(days=40),
        day,
        day + dt.timedelta(days=3),
    }
    assert dates(Tally.objects.filter(election=e).values_list("created_at", flat=True)) == {day}
    assert dates(TurnoutReport.objects.filter(election=e).values_list("reported_at", flat=True)) == {day}
    assert dates(ResultPublication.objects.filter(election=e).values_list("published_at", flat=True)) == {
        day + dt.timedelta(days=3)
    }
    # Issue 17, point 10: a second provincial member confirms the pending provincial publication.
    from django.contrib.auth import get_user_model

    from results.models import PublicationProposal
    from results.publication import services as publication

    pending = PublicationProposal.objects.get(status="pending")
    second = get_user_model().objects.get(username="uyban.tinh2")
    assert pending.proposed_by.username == "uyban.tinh"
    publication.result_publish(constituency=pending.constituency, by=second)
    assert ResultPublication.objects.filter(constituency=pending.constituency, current=True).exists()


def test_the_readmes_sample_voter_finds_a_polling_unit_in_the_demo(db):
    """Issue 17, point 10: the README's national ID and date of birth answer the lookup in the demo."""
    import re
    from io import StringIO

    from django.test import Client

    call_command("load_demo", quiet_logins=True, stdout=StringIO())
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    found = re.search(
        r"national ID `(\d{12})` with date of\s+birth `(\d\d/\d\d/\d{4})`.*?polling unit ([A-Z]+-\d+)", readme, re.S
    )
    assert found, "the README names a sample voter"
    national_id, born, unit = found.groups()
    answer = Client().post("/public/phu-tho-2021/where-to-vote/", {"national_id": national_id, "date_of_birth": born})
    assert answer.status_code == 200 and f"({unit})" in answer.content.decode()
