"""`import_tallies` (CONTRACT §2): all or nothing, --approve, --lenient, idempotent."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from elections.models import AuditEntry
from results.models import Flag, Tally, TallyVote
from tests.results.conftest import good_qh


def item(unit="U1", contest="QH", **changes):
    return {"polling_unit": unit, "contest": contest, **good_qh(**changes)}


def xa(unit, constituency):
    return {
        "polling_unit": unit, "contest": "XA", "voters_on_list": 800, "voters_voted": 700, "ballots_issued": 700,
        "ballots_received": 700, "valid_ballots": 700, "invalid_ballots": 0,
        "votes": {f"{constituency}-0{i}": 300 for i in range(1, 4)},
    }  # fmt: skip


def run(tmp_path, items, *flags, jsonl=False):
    path = tmp_path / ("t.jsonl" if jsonl else "t.json")
    text = "\n".join(json.dumps(i) for i in items) if jsonl else json.dumps(items)
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("import_tallies", "world-2021", str(path), *flags, stdout=out, stderr=err)
    except CommandError as exc:
        return None, err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


def state():
    return sorted(Tally.objects.values_list("polling_unit__code", "contest__code", "status", "version")), sorted(
        TallyVote.objects.values_list("tally__polling_unit__code", "candidate__code", "votes")
    )


def test_import_submitted_then_same_again(world, tmp_path):
    items = [item("U1"), item("U2"), item("U3"), xa("U1", "XA1"), xa("U2", "XA2")]
    out, _, error = run(tmp_path, items)
    assert error is None and "5 created" in out
    assert set(Tally.objects.values_list("status", flat=True)) == {"submitted"}
    assert AuditEntry.objects.filter(action="results.tally.imported").count() == 5
    before = state()
    out, _, _ = run(tmp_path, items)
    assert "5 unchanged" in out
    assert state() == before


def test_jsonl_and_approve(world, tmp_path):
    out, _, _ = run(tmp_path, [item("U1"), item("U2")], "--approve", jsonl=True)
    assert "2 created" in out
    assert set(Tally.objects.values_list("status", flat=True)) == {"approved"}
    assert AuditEntry.objects.filter(action="results.tally.imported_approved").count() == 2


def test_any_problem_refuses_the_file(world, tmp_path):
    run(tmp_path, [item("U1")])
    before = state()
    items = [
        item("U1", voters_voted=650, ballots_issued=650),  # a valid change, not to be written
        item("U9"),  # another election's unit
        item("U2", contest="XX"),
        item("U3", votes={"QH1-01": 1}),
        item("U2", invalid_ballots=3),
        {"polling_unit": "U3", "contest": "QH", "voters_on_list": "many"},
    ]
    _, err, error = run(tmp_path, items)
    assert "problem(s); nothing was written" in error
    assert '[1].polling_unit: unknown polling unit "U9"' in err
    assert '[2].contest: unknown contest "XX" for this polling unit' in err
    assert "[3].votes.QH1-02: is missing: every candidate needs a number" in err
    assert "[4].valid_ballots+invalid_ballots: Valid (690) + invalid (3) = 693" in err
    assert '[5].voters_on_list: must be a whole number, not "many"' in err
    assert state() == before


def test_a_duplicate_in_the_file_is_refused(world, tmp_path):
    _, err, error = run(tmp_path, [item("U1"), item("U1")])
    assert error and "[1]: a second tally for U1/QH (first at [0])" in err
    assert not Tally.objects.exists()


def test_lenient_records_breaks_as_given_and_flags_them(world, tmp_path):
    broken = item("U1", invalid_ballots=3)
    out, _, error = run(tmp_path, [broken, item("U2")], "--approve", "--lenient")
    assert error is None and "1 tallies break a rule" in out
    t = Tally.objects.get(polling_unit__code="U1")
    assert (t.invalid_ballots, t.status) == (3, "approved")
    flag = Flag.objects.get(tally=t, severity="error")
    assert flag.code == "valid_plus_invalid_not_received"
    # unknown codes are still refused under --lenient
    _, _, error = run(tmp_path, [item("U1", contest="XX")], "--lenient")
    assert error


def test_changed_approved_tally_is_refused(world, tmp_path):
    run(tmp_path, [item("U1")], "--approve")
    _, err, error = run(tmp_path, [item("U1", complaints="khác")], "--approve")
    assert error and "correction workflow" in err


def test_submitted_tally_is_updated_by_a_new_import(world, tmp_path):
    run(tmp_path, [item("U1")])
    out, _, _ = run(tmp_path, [item("U1", complaints="bổ sung")])
    assert "1 updated" in out
    t = Tally.objects.get()
    assert (t.complaints, t.version) == ("bổ sung", 2)


def test_unreadable_file(world, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="problem"):
        call_command("import_tallies", "world-2021", str(path), stderr=StringIO())
    with pytest.raises(CommandError, match='no election "nope"'):
        call_command("import_tallies", "nope", str(path))
