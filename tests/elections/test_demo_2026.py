"""The second demo election (issue 15, Build 7): 15 March 2026 in a two-tier province, loaded by `load_demo` beside
the 2021 one, with the situations of the amended law planted through the real services."""

import datetime as dt
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.election_2026 import DEMO_2026_SLUG, TIED, build_demo_2026_election
from elections.models import AuditEntry, Election, RoleAssignment
from elections.parsing import parse_election
from results.models import ConstituencyDecision, ConstituencyRound, Minute, ResultPublication, Tally
from results.outcomes import constituency as outcomes

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture
def election():
    call_command("load_demo", quiet_logins=True, stdout=StringIO())
    return Election.objects.get(slug=DEMO_2026_SLUG)


def outcome(election, code):
    return outcomes.constituency_outcome(election.constituencies.get(code=code))


def pdf_text(minute, tmp_path: Path) -> str:
    path = tmp_path / "m.pdf"
    path.write_bytes(minute.pdf.read())
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_2026_structure_is_two_tier_and_imports_without_warnings():
    result = parse_election(build_demo_2026_election())
    assert result.errors == [] and result.warnings == []
    spec = result.spec
    assert spec.election_day == dt.date(2026, 3, 15)
    assert {c.level for c in spec.contests} == {"national_assembly", "provincial_council", "commune_council"}
    parents = {a.code: a.parent for a in spec.areas}
    assert all(parent in (None, "SL") for parent in parents.values())  # no district: communes under the province
    assert 12 <= len(spec.polling_units) <= 16
    assert build_demo_2026_election() == build_demo_2026_election()  # deterministic


def test_the_2026_demo_holds_each_planted_situation(election):
    # a) an additional election (Art. 79(2)): round 2 on 22/3/2026 (7 days), decided
    additional = outcome(election, "XA-TA-2")
    row = ConstituencyRound.objects.get(constituency__code="XA-TA-2")
    assert (row.number, row.kind, row.seats, row.voting_day) == (2, "additional", 2, dt.date(2026, 3, 22))
    assert row.deadline == dt.date(2026, 3, 22)
    assert additional.status == "decided" and additional.seats_filled == 3
    round_2 = Tally.objects.filter(constituency__code="XA-TA-2", round=2)
    assert round_2.count() == 2 and set(round_2.values_list("status", flat=True)) == {"approved"}
    # b) a National Assembly shortfall closed by the NEC leaving the seat vacant (Art. 79(1))
    shortfall = outcome(election, "QH-SL-2")
    assert shortfall.status == "decided" and shortfall.seats_filled == 2
    (vacant,) = ConstituencyDecision.objects.filter(constituency__code="QH-SL-2")
    assert (vacant.kind, vacant.body, vacant.article) == ("seats_left_vacant", "Hội đồng bầu cử quốc gia", "Art. 79(1)")
    # c) a tie the age rule cannot settle ("1975" against "1975-06-15"), settled by a recorded decision
    tie = outcome(election, "TINH-SL-2")
    (settled,) = ConstituencyDecision.objects.filter(constituency__code="TINH-SL-2")
    assert settled.kind == "tie_settled" and settled.article == "Art. 78(4)"
    assert tie.status == "decided" and [c.code for c in settled.elected.all()] == [TIED[1]]
    # d) a re-vote after the NEC annuls a unit's result (Art. 81): round 1, attempt 2, approved
    attempts = Tally.objects.filter(polling_unit__code="PL-03", contest__code="XA").order_by("attempt")
    assert list(attempts.values_list("round", "attempt", "status")) == [(1, 1, "annulled"), (1, 2, "approved")]
    assert outcome(election, "XA-PL-2").status == "decided"
    # e) an additional election whose turnout is not over half (Art. 79(3)), closed by the commune committee
    failed = outcome(election, "XA-TA-1")
    kinds = ConstituencyDecision.objects.filter(constituency__code="XA-TA-1").order_by("round", "pk")
    assert [(d.kind, d.round, d.article) for d in kinds] == [
        ("additional", 1, "Art. 79(2), Art. 79(3)"),
        ("seats_left_vacant", 2, "Art. 79(3)"),
    ]
    assert (failed.status, failed.current.number, failed.seats_filled) == ("decided", 2, 1)
    assert not failed.current.figures.voters_voted * 2 > failed.current.figures.voters_on_list
    # f) a council re-election set once the NEC agreed (Art. 80(3) as amended), then decided
    (re_election,) = ConstituencyDecision.objects.filter(constituency__code="XA-HD-1")
    assert (re_election.kind, re_election.consent_body, re_election.consent_reference) == (
        "re_election",
        "Hội đồng bầu cử quốc gia",
        "Công văn số 310/HĐBCQG-VP",
    )
    held = outcome(election, "XA-HD-1")
    assert (held.status, held.current.number, held.current.kind) == ("decided", 2, "re_election")
    assert not outcome(election, "XA-HD-1").earlier[0].figures.voters_voted * 2 > held.earlier[0].figures.voters_on_list
    # the clerk's unit is left to enter; the demo logins of 2026 have their roles
    assert not Tally.objects.filter(polling_unit__code="LS-03", contest__code="XA").exists()
    roles = set(RoleAssignment.objects.filter(election=election).values_list("user__username", "role"))
    assert {
        ("uyban.sl", "committee"),
        ("uyban.tanan", "committee"),
        ("ban.tinh2", "board"),
        ("to.ls03", "clerk"),
        ("to.ls03b", "clerk"),
    } <= roles
    assert election.double_entry  # LS-03's commune minutes are typed twice
    # dated in the election's calendar: from 40 days before to the minutes 9 days after
    days = {a.date() for a in AuditEntry.objects.filter(election_slug=election.slug).values_list("at", flat=True)}
    assert min(days) >= dt.date(2026, 2, 3) and max(days) <= dt.date(2026, 3, 25)
    assert ResultPublication.objects.filter(election=election, current=True).count() == 5


@needs_poppler
def test_the_2026_minutes_use_the_2026_forms_and_art_83s_four_copies(election, tmp_path):
    issued = {(m.kind, m.key): m for m in Minute.objects.filter(election=election)}
    assert set(issued) == {
        ("counting", "PL-03/XA/r1.2"),
        ("constituency", "QH-SL-2/r1"),
        ("constituency", "TINH-SL-2/r1"),
        ("constituency", "XA-TA-2/r2"),
        ("constituency", "XA-PL-2/r1"),
        ("summary", "QH@SL"),
        ("summary", "TINH@SL"),
        ("summary", "XA@SL-TA"),
    }
    na = pdf_text(issued[("summary", "QH@SL")], tmp_path)
    assert "Mẫu số 20/HĐBC-QH" in na and "được lập thành 04 bản" in na and "khóa XVI".upper() in na.upper()
    assert "Mẫu số 19/HĐBC-QH" in pdf_text(issued[("constituency", "QH-SL-2/r1")], tmp_path)
    counting = pdf_text(issued[("counting", "PL-03/XA/r1.2")], tmp_path)
    assert "Mẫu số 23/HĐBC-HĐND" in counting and "Điều 81" in counting  # a re-vote says so
    additional = pdf_text(issued[("constituency", "XA-TA-2/r2")], tmp_path)
    assert "Mẫu số 24/HĐBC-HĐND" in additional and "BẦU CỬ THÊM" in additional
    assert "Căn cứ Quyết định số 15/QĐ-UBBC ngày 16/03/2026 của Ủy ban bầu cử xã Tân An về việc bầu cử thêm;" in (
        " ".join(additional.split())
    )
    revote = " ".join(pdf_text(issued[("constituency", "XA-PL-2/r1")], tmp_path).split())
    assert "(PL-03) đã bầu cử lại sau khi Hội đồng bầu cử quốc gia hủy bỏ kết quả bầu cử (Điều 81)" in revote
    council = pdf_text(issued[("summary", "TINH@SL")], tmp_path)
    assert "Ủy ban Thường vụ Quốc hội" in council  # Art. 85's recipients as amended
    # Tân An's summary (Art. 85): both additional elections with their turnout, and the failed one's closing
    tan_an = " ".join(pdf_text(issued[("summary", "XA@SL-TA")], tmp_path).split())
    assert tan_an.count("bầu cử thêm 2 đại biểu, số cử tri đã tham gia bỏ phiếu") == 2
    assert "không tổ chức bầu cử thêm lần thứ hai: Ủy ban bầu cử xã Tân An đã quyết định" in tan_an


def test_loading_the_demo_again_changes_nothing_in_2026(election):
    def counts():
        return {
            "tallies": list(Tally.objects.filter(election=election).values_list("pk", "status", "version")),
            "decisions": ConstituencyDecision.objects.filter(constituency__election=election).count(),
            "rounds": ConstituencyRound.objects.filter(election=election).count(),
            "minutes": Minute.objects.filter(election=election).count(),
            "published": ResultPublication.objects.filter(election=election).count(),
            "audit": AuditEntry.objects.filter(election_slug=election.slug).count(),
        }

    before = counts()
    out = StringIO()
    call_command("load_demo", quiet_logins=True, stdout=out)
    assert f'"{DEMO_2026_SLUG}": already loaded, unchanged.' in out.getvalue()
    assert counts() == before
