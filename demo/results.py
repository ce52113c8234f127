"""Election day in the demo: turnout through the day and counting minutes in every state.

Synthetic and deterministic (random.Random(523)). The minutes go through the same import and
workflow services as real ones, so the demo's audit log and flags are real too:
- most units' minutes are approved, some wait for review, a few were returned with a reason;
- one tally was loaded as published although it does not add up (a lenient import: an error flag),
  and one has two more ballots issued than voters who took part (a warning flag);
- one unit's turnout report dips in the afternoon (a warning flag);
- one result was annulled for a serious violation, so that unit votes again;
- polling unit BY-01 is left for the demo clerk `to.by01` to enter, and XL-03's commune minutes are a draft.
"""

import datetime as dt
import os
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from elections.models import Election, PollingUnitConstituency
from results.minutes import services as minutes
from results.models import ResultPublication, Tally, TurnoutReport
from results.outcomes import contests, rounds
from results.permissions import tally_scope
from results.publication import services as publication
from results.tallies import bulk_import, corrections, records, services, turnout
from results.tallies.parsing import parse_tally
from voters.selectors import voter_counts

NOT_REPORTED_SHARE = 0.12
LEFT_FOR_THE_CLERK = "BY-01"
DRAFTED = ("XL-03", "XA")


def _figures(rng: random.Random, listed: int, seats: int, codes: list[str]) -> dict[str, Any]:
    voted = listed - rng.randint(0, max(1, listed // 60))
    invalid = rng.randint(0, max(1, voted // 80))
    valid = voted - invalid
    # Each ballot keeps about `seats` names; spread them over the candidates with uneven popularity.
    weights = [rng.uniform(0.4, 1.0) for _ in codes]
    scale = seats * rng.uniform(0.90, 0.99) / sum(weights)
    votes = {code: min(valid, round(valid * w * scale)) for code, w in zip(codes, weights, strict=True)}
    while sum(votes.values()) > valid * seats:
        top = max(votes, key=lambda c: votes[c])
        votes[top] -= 1
    return tally_body(listed, voted, invalid, votes)


def tally_body(listed: int, voted: int, invalid: int, votes: dict[str, int]) -> dict[str, Any]:
    """A consistent tally (CONTRACT §2) from its free figures: every voter got and returned one ballot."""
    return {
        "voters_on_list": listed,
        "voters_voted": voted,
        "ballots_issued": voted,
        "ballots_received": voted,
        "valid_ballots": voted - invalid,
        "invalid_ballots": invalid,
        "votes": votes,
        "complaints": "",
    }


def load_election_day(election: Election) -> dict[str, int]:
    """Turnout reports and tallies for the demo; does nothing when the election already has tallies."""
    if Tally.objects.filter(election=election).exists():
        return {}
    rng = random.Random(523)
    User = get_user_model()
    users = {
        u.username: u for u in User.objects.filter(username__in=["uyban.tinh", "uyban.huyen", "ban.qh2", "to.xl03"])
    }
    committee, district, board = users["uyban.tinh"], users["uyban.huyen"], users["ban.qh2"]
    memberships = list(
        PollingUnitConstituency.objects.filter(polling_unit__election=election)
        .select_related("polling_unit", "contest", "constituency")
        .prefetch_related("constituency__candidates")
        .order_by("polling_unit__code", "contest__position")
    )
    listed = voter_counts(election)  # field 1 of the minutes comes from the loaded lists
    with transaction.atomic():
        _turnout(election, rng)
        items, chosen = [], []
        for m in memberships:
            unit = m.polling_unit
            if (
                unit.code == LEFT_FOR_THE_CLERK
                or (unit.code, m.contest.code) == DRAFTED
                or rng.random() < NOT_REPORTED_SHARE
            ):
                continue
            codes = [c.code for c in sorted(m.constituency.candidates.all(), key=lambda c: c.ballot_order)]
            on_list = listed.get((unit.pk, m.contest.level), unit.registered_voters or 800)
            body = _figures(rng, on_list, m.constituency.seats, codes)
            items.append(
                (f"{unit.code}/{m.contest.code}", {"polling_unit": unit.code, "contest": m.contest.code, **body})
            )
            chosen.append(m)
        # One set of minutes as published though it does not add up: valid + invalid misses one ballot.
        broken = items[len(items) // 3][1]
        broken["invalid_ballots"] += 1
        broken["ballots_received"] = broken["valid_ballots"] + broken["invalid_ballots"] - 1
        # Two ballots issued to voters who then did not put them in the box: a warning, not an error.
        doubtful = items[2 * len(items) // 3][1]
        doubtful["ballots_issued"] = doubtful["voters_voted"] + 2
        report = bulk_import.tallies_import(election=election, items=items, lenient=True, source="load_demo")
        assert not report.problems, report.problems
        counts = {"returned": 0, "approved": 0, "submitted": 0, "annulled": 0}
        for i, m in enumerate(chosen):
            scope = tally_scope(election.slug, m.polling_unit.code, m.contest.code)
            roll = rng.random()
            if i % 23 == 5:
                services.tally_return(
                    scope=scope,
                    reason="Số phiếu bầu của người ứng cử thứ hai chưa khớp với biên bản giấy; đề nghị kiểm tra lại.",
                    by=district,
                    source="load_demo",
                )
                counts["returned"] += 1
            elif roll < 0.78:
                reviewer = board if m.constituency.code == "QH-PT-2" else committee
                services.tally_approve(scope=scope, by=reviewer, source="load_demo")
                counts["approved"] += 1
            else:
                counts["submitted"] += 1
        annulled = next(m for m in chosen if m.contest.code == "HUYEN" and m.polling_unit.code.startswith("ST"))
        services.tally_annul(
            scope=tally_scope(election.slug, annulled.polling_unit.code, annulled.contest.code),
            reason="Tổ bầu cử để một người bỏ phiếu thay nhiều cử tri (vi phạm Điều 69).",
            by=committee,
            source="load_demo",
        )
        counts["annulled"] = 1
        _clerk_draft(election, users["to.xl03"], rng)
    return counts


def _turnout(election: Election, rng: random.Random) -> None:
    times = election.report_times()
    shares = [0.35, 0.62, 0.83, 0.94, 0.99][: len(times)]
    rows = []
    for unit in election.polling_units.order_by("code"):
        listed = unit.registered_voters or 800
        for at, share in zip(times, shares, strict=False):
            rows.append(
                TurnoutReport(
                    election=election,
                    polling_unit=unit,
                    at=at,
                    voters_voted=min(listed, round(listed * (share + rng.uniform(-0.04, 0.01)))),
                    source=TurnoutReport.Source.IMPORT,
                )
            )
    TurnoutReport.objects.bulk_create(rows)
    for at in times:  # each report a few minutes after its reporting time, on election day
        reported = election.local_datetime(at) + dt.timedelta(minutes=6)
        TurnoutReport.objects.filter(election=election, at=at).update(reported_at=reported)
    # One unit's 14:00 report was typed below its 11:00 one: the clerk corrects it through the service.
    unit = election.polling_units.order_by("code")[7]
    earlier = TurnoutReport.objects.get(polling_unit=unit, at=times[1]).voters_voted
    turnout.turnout_report_save(unit=unit, at=times[2], voters_voted=earlier - 40, by=None, source="load_demo")


def _clerk_draft(election: Election, clerk: Any, rng: random.Random) -> None:
    scope = tally_scope(election.slug, *DRAFTED)
    if records.current_tally(scope) is not None:
        return
    codes = [c.code for c in scope.constituency.candidates.order_by("ballot_order")]
    on_list = records.loaded_list_count(scope) or scope.unit.registered_voters or 800
    body = _figures(rng, on_list, scope.constituency.seats, codes)
    payload, _problems = parse_tally(body)
    assert payload is not None
    services.tally_save(scope=scope, payload=payload, version=None, by=clerk, source="load_demo")


# --- publication (issue 7): most decided commune results published, one corrected, one waiting ------------

LEFT_UNPUBLISHED = 6  # decided commune constituencies left for the demo committees to publish
MINUTES_ISSUED = 3  # published commune results whose constituency minutes the demo issues
CORRECTED_REASON = (
    "Tổ bầu cử chép nhầm số phiếu của hai người ứng cử khi lập biên bản; đã đối chiếu với phiếu bầu, "
    "Ủy ban bầu cử huyện quyết định đính chính."
)


def publish_demo(election: Election) -> dict[str, int]:
    """Publish turnout and most decided commune results through the two-member service; idempotent.

    One provincial result is only proposed (it waits for a second member), a few decided commune results
    are left unpublished, and one published result is then corrected (a tally correction approved by a
    second committee member), so the public page shows a correction with its reason.
    """
    if ResultPublication.objects.filter(election=election).exists():
        return {}
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["uyban.tinh", "uyban.huyen"])}
    province, district = users["uyban.tinh"], users["uyban.huyen"]
    publication.turnout_publish(election=election, publish=True, by=province, source="load_demo")
    decided = [s.constituency for s in contests.constituency_summaries(election) if s.status != rounds.INCOMPLETE]
    communes = [c for c in decided if c.code.startswith("XA-")]
    counts = {"published": 0, "proposed": 0, "corrected": 0}
    for ref in communes[:-LEFT_UNPUBLISHED]:
        cons = election.constituencies.select_related("election", "contest", "area").get(pk=ref.pk)
        publication.result_publish(constituency=cons, by=district, source="load_demo")
        publication.result_publish(constituency=cons, by=province, source="load_demo")
        counts["published"] += 1
    for ref in decided:
        if not ref.code.startswith("XA-"):  # the provincial result: proposed, waiting for a second member
            cons = election.constituencies.select_related("election", "contest", "area").get(pk=ref.pk)
            publication.result_publish(constituency=cons, by=province, source="load_demo")
            counts["proposed"] += 1
            break
    if communes[:-LEFT_UNPUBLISHED]:
        cons = election.constituencies.get(pk=communes[0].pk)
        tally = Tally.objects.filter(constituency=cons, status=Tally.Status.APPROVED).order_by("polling_unit__code")[0]
        scope = tally_scope(election.slug, tally.polling_unit.code, tally.contest.code)
        content = records.tally_figures(tally)
        codes = sorted(content["votes"])
        moved = min(12, content["votes"][codes[0]])
        content["votes"][codes[0]] -= moved
        content["votes"][codes[1]] += moved
        payload, problems = parse_tally(content)
        assert payload is not None, problems
        correction = corrections.correction_propose(
            scope=scope, payload=payload, reason=CORRECTED_REASON, by=district, source="load_demo"
        )
        corrections.correction_decide(
            scope=scope, correction_id=correction.pk, approve=True, by=province, source="load_demo"
        )
        counts["corrected"] = 1
    counts["minutes"] = _issue_demo_minutes(election, communes[: min(MINUTES_ISSUED, len(communes) - LEFT_UNPUBLISHED)])
    return counts


def _issue_demo_minutes(election: Election, refs: list[Any]) -> int:
    """Issue the constituency minutes (Art. 77) of a few published commune results, as their boards would.

    So the public result pages list an issued minute whose QR code and verification page work in the demo.
    The address in the QR code is the demo server's (KP_DEMO_ADDR, as bin/demo serves it).
    """
    board = get_user_model().objects.get(username="uyban.huyen")
    base_url = "http://" + os.environ.get("KP_DEMO_ADDR", "127.0.0.1:8000")
    for ref in refs:
        cons = election.constituencies.select_related("election", "contest", "area").get(pk=ref.pk)
        document = minutes.constituency_document(cons)
        minutes.minutes_issue(
            document=document, inputs=minutes.default_inputs(document), by=board, base_url=base_url, source="load_demo"
        )
    return len(refs)
