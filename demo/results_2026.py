"""Election day and the weeks after in the 2026 demo (demo/election_2026.py), through the real services.

Synthetic and deterministic (random.Random(315)). Round 1's counting minutes of every unit are imported and
approved, except LS-03's commune-council minutes, left for the demo clerk `to.ls03`, and one left for review.
Then the situations of the law as amended by Law 83/2025/QH15, each recorded as its body decided it:
- an additional election (Art. 79(2), 79(3)): XA-TA-2 fills 1 of its 3 seats; the commune committee opens round 2
  for 22/3/2026 (7 days), whose ballot holds only the candidates not elected, for the 2 seats left; its tallies are
  approved and the result is decided;
- a National Assembly shortfall (Art. 79(1)): QH-SL-2 fills 2 of 3 seats; the NEC decides to hold no additional
  election and leaves the seat vacant (in 2016 the NEC held additional elections only in Cần Thơ);
- a tie the age rule cannot settle (Art. 78(4), CONTRACT §1): TINH-SL-2's last seat, between candidates born
  "1975" and "1975-06-15", settled by the provincial committee's decision;
- a re-vote after an annulment (Art. 81): the NEC annuls PL-03's commune-council result; the unit votes again
  (round 1, attempt 2) and the new minutes are approved;
- an additional election that cannot be recognized (Art. 79(3)): XA-TA-1 fills 1 of its 3 seats, its additional
  election on 22/3/2026 draws under half of the voters, and no second additional election is held: the commune
  committee records that the 2 seats stay vacant;
- a council re-election with the NEC's consent (Art. 80(3), (4) as amended): under half of XA-HD-1's voters vote
  (its two units, every contest), the ward committee sets a re-election for 22/3/2026 once the NEC agrees, and the
  re-election is decided.
Afterwards the minutes of the amended law are issued (Arts. 76, 77, 83, 85) and some results published.
Each step runs once: loading again changes nothing.
"""

import datetime as dt
import os
import random
from typing import Any

from django.contrib.auth import get_user_model

from demo.election_2026 import TIED
from demo.results import tally_body
from elections.models import Area, Election, PollingUnitConstituency
from results.decisions import closing, further_rounds
from results.decisions.recording import DecisionText
from results.minutes import services as minutes
from results.models import ConstituencyDecision, Minute, ResultPublication, Tally
from results.outcomes import constituency as outcomes
from results.permissions import tally_scope
from results.publication import services as publication
from results.tallies import bulk_import, services

LEFT_FOR_THE_CLERK = ("LS-03", "XA")
LEFT_FOR_REVIEW = ("HD-04", "XA")
ADDITIONAL = "XA-TA-2"
SHORTFALL = "QH-SL-2"
TIE = "TINH-SL-2"
REVOTE = ("PL-03", "XA")
FAILED_ADDITIONAL = "XA-TA-1"
RE_ELECTION = "XA-HD-1"
LOW_TURNOUT = 0.46  # of the voters on the list: not over half (Art. 78(1))
SECOND_ROUND_DAY = dt.date(2026, 3, 22)  # Art. 79(3) as amended: within 7 days of 15/3/2026

# Share of valid ballots each candidate gets, by rank (shares of the planted constituencies are fixed).
SHARES = {
    2: (0.78, 0.66, 0.30, 0.16),
    3: (0.82, 0.72, 0.61, 0.40, 0.27),
    4: (0.80, 0.74, 0.67, 0.59, 0.42, 0.31, 0.25),
}
PLANTED = {
    SHORTFALL: (0.81, 0.72, 0.46, 0.38, 0.27),  # 2 of 3 seats over half: the NA seat left vacant
    ADDITIONAL: (0.71, 0.46, 0.43, 0.40, 0.33),  # 1 of 3 seats: below two thirds, an additional election
    FAILED_ADDITIONAL: (0.69, 0.47, 0.44, 0.38, 0.30),  # 1 of 3 seats: an additional election, which fails
    TIE: (0.80, 0.55, 0.55),  # the last seat tied
}
ROUND_2_SHARES = (0.74, 0.66, 0.36, 0.21)  # XA-TA-2's round 2: 4 candidates for 2 seats

ANNULMENT_REASON = "Nghị quyết số 101/NQ-HĐBCQG ngày 17/03/2026: Tổ bầu cử để một người bỏ phiếu thay nhiều cử tri."
NEC = "Hội đồng bầu cử quốc gia"
PROVINCE_COMMITTEE = "Ủy ban bầu cử tỉnh Sông Lam"
COMMUNE_COMMITTEE = "Ủy ban bầu cử xã Tân An"
WARD_COMMITTEE = "Ủy ban bầu cử phường Hưng Đạo"


def _users() -> dict[str, Any]:
    names = ["uyban.sl", "uyban.sl2", "uyban.tanan", "ban.tinh2"]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _figures(
    rng: random.Random, listed: int, codes: list[str], shares: tuple[float, ...], noise: float, turnout: float = 0.0
) -> dict:
    voted = round(listed * turnout) if turnout else listed - rng.randint(listed // 50, listed // 20)
    invalid = rng.randint(1, max(2, voted // 70))
    valid = voted - invalid
    votes = {
        code: round(valid * min(0.99, share + rng.uniform(-noise, noise)))
        for code, share in zip(codes, shares, strict=True)
    }
    return tally_body(listed, voted, invalid, votes)


def _shares(rng: random.Random, code: str, n: int, seats: int) -> tuple[float, ...]:
    if code in PLANTED:
        return PLANTED[code]
    shares = list(SHARES[seats][:n])
    rng.shuffle(shares)  # who wins is spread over the ballot
    return tuple(shares)


def load_election_day_2026(election: Election) -> dict[str, int]:
    """Round 1 of every unit, imported and approved but for the clerk's and the reviewer's; once only."""
    if Tally.objects.filter(election=election).exists():
        return {}
    rng = random.Random(315)  # noqa: S311 (seeded random for demo data)
    users = _users()
    memberships = list(
        PollingUnitConstituency.objects.filter(polling_unit__election=election)
        .select_related("polling_unit", "contest", "constituency")
        .prefetch_related("constituency__candidates")
        .order_by("polling_unit__code", "contest__position")
    )
    shares: dict[str, tuple[float, ...]] = {}
    # The units of the re-election: under half of their voters vote, in every contest (the same voters).
    low = {m.polling_unit_id for m in memberships if m.constituency.code == RE_ELECTION}
    items = []
    for m in memberships:
        unit, cons = m.polling_unit, m.constituency
        if (unit.code, m.contest.code) == LEFT_FOR_THE_CLERK:
            continue
        codes = [c.code for c in sorted(cons.candidates.all(), key=lambda c: c.ballot_order)]
        if cons.code not in shares:
            shares[cons.code] = _shares(rng, cons.code, len(codes), cons.seats)
        noise = 0.0 if cons.code in PLANTED else 0.02
        turnout = LOW_TURNOUT if unit.pk in low else 0.0
        body = _figures(rng, unit.registered_voters or 900, codes, shares[cons.code], noise, turnout)
        if cons.code == TIE:  # exactly the same votes for the two tied candidates, unit by unit
            body["votes"][codes[2]] = body["votes"][codes[1]]
        items.append((f"{unit.code}/{m.contest.code}", {"polling_unit": unit.code, "contest": m.contest.code, **body}))
    report = bulk_import.tallies_import(election=election, items=items, source="load_demo")
    assert not report.problems, report.problems
    approved = 0
    for path, _body in items:
        unit_code, contest_code = path.split("/")
        if (unit_code, contest_code) == LEFT_FOR_REVIEW:
            continue
        services.tally_approve(
            scope=tally_scope(election.slug, unit_code, contest_code), by=users["uyban.sl"], source="load_demo"
        )
        approved += 1
    return {"approved": approved, "submitted": len(items) - approved}


def _decision(body: str, reference: str, day: int, reason: str) -> DecisionText:
    return DecisionText(body=body, reference=reference, date=dt.date(2026, 3, day), reason=reason)


def record_decisions_2026(election: Election) -> dict[str, int]:
    """The days after election day: the NEC's annulment of one unit, the additional election opened, the NEC's
    decision leaving a National Assembly seat vacant, the tie settled; once only."""
    if ConstituencyDecision.objects.filter(constituency__election=election).exists():
        return {}
    users = _users()
    province, commune = users["uyban.sl"], users["uyban.tanan"]
    services.tally_annul(
        scope=tally_scope(election.slug, *REVOTE), reason=ANNULMENT_REASON, by=province, source="load_demo"
    )
    constituencies = {c.code: c for c in election.constituencies.select_related("election", "contest", "area")}
    further_rounds.round_open(
        constituency=constituencies[ADDITIONAL],
        kind="additional",
        voting_day=SECOND_ROUND_DAY,
        decision=_decision(
            COMMUNE_COMMITTEE,
            "Quyết định số 15/QĐ-UBBC",
            16,
            "Đơn vị bầu cử số 2 mới bầu được 1/3 số đại biểu được bầu, chưa đủ hai phần ba (Điều 79(2)); "
            "bầu cử thêm ngày 22/3/2026.",
        ),
        by=commune,
        source="load_demo",
    )
    closing.decision_record(
        constituency=constituencies[SHORTFALL],
        kind="seats_left_vacant",
        decision=_decision(
            NEC,
            "Nghị quyết số 98/NQ-HĐBCQG",
            17,
            "Đơn vị bầu cử số 2 bầu được 2/3 đại biểu Quốc hội; Hội đồng bầu cử quốc gia quyết định không tổ chức "
            "bầu cử thêm (Điều 79(1)).",
        ),
        by=province,
        source="load_demo",
    )
    further_rounds.round_open(
        constituency=constituencies[FAILED_ADDITIONAL],
        kind="additional",
        voting_day=SECOND_ROUND_DAY,
        decision=_decision(
            COMMUNE_COMMITTEE,
            "Quyết định số 16/QĐ-UBBC",
            16,
            "Đơn vị bầu cử số 1 mới bầu được 1/3 số đại biểu được bầu, chưa đủ hai phần ba (Điều 79(2)); "
            "bầu cử thêm ngày 22/3/2026.",
        ),
        by=commune,
        source="load_demo",
    )
    further_rounds.round_open(
        constituency=constituencies[RE_ELECTION],
        kind="re_election",
        voting_day=SECOND_ROUND_DAY,
        decision=_decision(
            WARD_COMMITTEE,
            "Quyết định số 09/QĐ-UBBC",
            17,
            "Số cử tri đi bỏ phiếu ở Đơn vị bầu cử số 1 chưa đạt quá một nửa tổng số cử tri trong danh sách "
            "(Điều 80(1)); bầu cử lại ngày 22/3/2026.",
        ),
        consent=_decision(NEC, "Công văn số 310/HĐBCQG-VP", 17, "Đồng ý bầu cử lại (Điều 80(3))."),
        by=province,
        source="load_demo",
    )
    tie = constituencies[TIE]
    tied = [c.code for c in outcomes.constituency_outcome(tie).candidates if c.tied]
    assert sorted(tied) == sorted(TIED), tied
    closing.decision_record(
        constituency=tie,
        kind="tie_settled",
        elected=[sorted(tied)[-1]],
        decision=_decision(
            PROVINCE_COMMITTEE,
            "Quyết định số 27/QĐ-UBBC",
            17,
            "Hai người ứng cử có số phiếu bằng nhau; ngày sinh của một người chỉ biết năm (1975), nên không xác "
            "định được ai nhiều tuổi hơn (Điều 78(4)).",
        ),
        by=province,
        source="load_demo",
    )
    return {"decisions": 5, "annulled": 1}


def load_second_round_day_2026(election: Election) -> dict[str, int]:
    """22/3/2026: XA-TA-2's additional election and PL-03's re-vote, both approved; once only."""
    if Tally.objects.filter(election=election, round=2).exists():
        return {}
    rng = random.Random(322)  # noqa: S311 (seeded random for demo data)
    users = _users()
    items = []
    for code, turnout in ((ADDITIONAL, 0.0), (FAILED_ADDITIONAL, LOW_TURNOUT), (RE_ELECTION, 0.0)):
        cons = election.constituencies.get(code=code)
        ballot = list(cons.rounds.get(number=2).candidates.order_by("ballot_order").values_list("code", flat=True))
        shares = ROUND_2_SHARES if len(ballot) == len(ROUND_2_SHARES) else SHARES[cons.seats][: len(ballot)]
        for m in PollingUnitConstituency.objects.filter(constituency=cons).select_related("polling_unit"):
            body = _figures(rng, m.polling_unit.registered_voters or 900, ballot, shares, 0.0, turnout)
            items.append((f"{m.polling_unit.code}/XA", {"polling_unit": m.polling_unit.code, "contest": "XA", **body}))
    revote = election.polling_units.get(code=REVOTE[0])
    revote_cons = election.constituencies.get(code=f"XA-{REVOTE[0][:2]}-2")
    codes = list(revote_cons.candidates.order_by("ballot_order").values_list("code", flat=True))
    body = _figures(rng, revote.registered_voters or 900, codes, SHARES[revote_cons.seats][: len(codes)], 0.0)
    items.append((f"{REVOTE[0]}/XA", {"polling_unit": REVOTE[0], "contest": "XA", **body}))
    report = bulk_import.tallies_import(election=election, items=items, by=users["uyban.tanan"], source="load_demo")
    assert not report.problems, report.problems
    for path, _body in items:
        unit_code, contest_code = path.split("/")
        services.tally_approve(
            scope=tally_scope(election.slug, unit_code, contest_code), by=users["uyban.sl"], source="load_demo"
        )
    return {"round_2": len(items) - 1, "revote": 1}


def close_failed_additional_2026(election: Election) -> dict[str, int]:
    """23/3/2026: XA-TA-1's additional election drew under half of the voters and no second one is held (Art.
    79(3)): the commune committee records that its 2 seats stay vacant; once only."""
    cons = election.constituencies.select_related("election", "contest", "area").get(code=FAILED_ADDITIONAL)
    if ConstituencyDecision.objects.filter(constituency=cons, kind="seats_left_vacant").exists():
        return {}
    closing.decision_record(
        constituency=cons,
        kind="seats_left_vacant",
        decision=_decision(
            COMMUNE_COMMITTEE,
            "Quyết định số 21/QĐ-UBBC",
            23,
            "Cuộc bầu cử thêm ngày 22/3/2026 ở Đơn vị bầu cử số 1 có số cử tri đi bỏ phiếu chưa quá một nửa; "
            "không tổ chức bầu cử thêm lần thứ hai (Điều 79(3)): 2 ghế để trống.",
        ),
        by=_users()["uyban.tanan"],
        source="load_demo",
    )
    return {"decisions": 1}


def publish_demo_2026(election: Election) -> dict[str, int]:
    """The minutes of the amended law (Arts. 76, 77, 83, 85) and a few results published; once only."""
    if Minute.objects.filter(election=election).exists():
        return {}
    users = _users()
    province, second = users["uyban.sl"], users["uyban.sl2"]
    base_url = "http://" + os.environ.get("KP_DEMO_ADDR", "127.0.0.1:8000")

    def issue(document: minutes.Document) -> None:
        minutes.minutes_issue(
            document=document,
            inputs=minutes.default_inputs(document),
            by=province,
            base_url=base_url,
            source="load_demo",
        )

    constituencies = {c.code: c for c in election.constituencies.select_related("election", "contest", "area")}
    issue(minutes.counting_document(tally_scope(election.slug, *REVOTE)))  # Art. 76: the re-vote's minutes
    revote_cons = f"XA-{REVOTE[0][:2]}-2"  # its Ban's minute tells the re-vote (item d)
    for code in (SHORTFALL, TIE, ADDITIONAL, revote_cons):  # Art. 77
        issue(minutes.constituency_document(constituencies[code]))
    province_area = Area.objects.get(election=election, code="SL")
    contests = {c.code: c for c in election.contests.all()}
    issue(minutes.summary_document(contests["QH"], province_area))  # Art. 83: the province's NA minute
    issue(minutes.summary_document(contests["TINH"], province_area))  # Art. 85: the provincial council's
    # Art. 85 for Tân An's council: both its constituencies needed an additional election; one failed and closed
    issue(minutes.summary_document(contests["XA"], Area.objects.get(election=election, code="SL-TA")))
    published = 0
    for code in ("QH-SL-1", SHORTFALL, TIE, ADDITIONAL, "TINH-SL-1"):
        for member in (province, second):  # two members of the committee (CONTRACT §9)
            publication.result_publish(constituency=constituencies[code], by=member, source="load_demo")
        published += 1
    assert ResultPublication.objects.filter(election=election, current=True).count() == published
    return {"minutes": Minute.objects.filter(election=election).count(), "published": published}
