"""Issue 15: each rule at its boundary, each test citing its article (Law 85/2015/QH13 as amended by Law 83/2025/QH15,
codified text in /work/shared/domain/law-85-2015-codified-excerpts.md). Pure: no database.

These fill the gaps the boundary audit found; the rules already tested at their boundary elsewhere are not repeated
(tests/results/rules/test_second_rounds.py, test_deadlines.py, test_winners.py, test_partial_date_ties.py,
tests/voters/test_rules.py, tests/elections/test_two_tiers.py).
"""

import datetime as dt

import pytest
from django.utils import translation

from results.decisions.further_rounds import VotingDayRefused, voting_day_check
from results.minutes import rendering as documents
from results.models.minutes import Minute, MinutesSettings
from results.rules import checks, closing, second_rounds
from results.rules import deadlines as law
from results.rules import winners as rules
from tests.results.rules import inputs
from tests.results.rules.inputs import cand
from voters import rules as voter_rules

D = dt.date
DAY_2026 = D(2026, 3, 15)  # under Law 83/2025/QH15
DAY_2021 = D(2021, 5, 23)  # under the 2015 text


def days_after(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


def contest(*candidates, voted=1000, **kwargs):
    """A contest where, unless told, every voter on the list of 1,000 voted."""
    return inputs.contest(*candidates, voted=voted, **kwargs)


def reasons(decision, code):
    return [r for r in decision.reasons if r.code == code]


def refusal(*, election_day, voting_day, kind):
    """The English message refusing `voting_day`, or None when the day is lawful (the deadline of the law in force)."""
    try:
        voting_day_check(
            election_day=election_day,
            deadline=second_rounds.second_round_deadline(election_day),
            days=second_rounds.second_round_days(election_day),
            voting_day=voting_day,
            kind=kind,
        )
    except VotingDayRefused as exc:
        with translation.override("en"):
            return str(exc)
    return None


# --- Rule 1: the second round's voting day, Arts. 79(3), 80(4), 81(2) ------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "article"),
    [("additional", "Art. 79(3)"), ("re_election", "Art. 80(4)"), ("annulment", "Art. 81(2)")],
)
def test_art_79_3_80_4_81_2_second_round_on_day_7_is_accepted_and_day_8_refused_naming_the_article(kind, article):
    """Election day 15/3/2026: "chậm nhất là 07 ngày sau ngày bầu cử đầu tiên" -> 22/3 lawful, 23/3 refused."""
    assert refusal(election_day=DAY_2026, voting_day=days_after(DAY_2026, 7), kind=kind) is None
    refused = refusal(election_day=DAY_2026, voting_day=days_after(DAY_2026, 8), kind=kind)
    assert refused is not None
    assert f"({article})" in refused and "7 days" in refused


@pytest.mark.parametrize("kind", ["additional", "re_election", "annulment"])
def test_arts_79_3_80_4_81_2_under_the_2015_text_day_15_is_accepted_and_day_16_refused(kind):
    """An election held before 1/7/2025 keeps the 2015 text's 15 days: 23/5/2021 -> 7/6 lawful, 8/6 refused."""
    assert refusal(election_day=DAY_2021, voting_day=days_after(DAY_2021, 15), kind=kind) is None
    refused = refusal(election_day=DAY_2021, voting_day=days_after(DAY_2021, 16), kind=kind)
    assert refused is not None and "15 days" in refused


def test_art_79_3_law_83_2025_in_force_on_1_july_2025_turns_day_8_from_lawful_to_refused():
    """The same 8th day is lawful after an election on 30/6/2025 (15 days) and refused after one on 1/7/2025 (7)."""
    before, after = D(2025, 6, 30), D(2025, 7, 1)
    assert refusal(election_day=before, voting_day=days_after(before, 8), kind="additional") is None
    assert refusal(election_day=after, voting_day=days_after(after, 8), kind="additional") is not None


# --- Rule 2: dead ends closed by a recorded decision, Arts. 78(4), 79(1)-(3), 80(4), 81(1) ----------------------------


@pytest.mark.parametrize(("voted", "closable"), [(500, True), (501, False)])
def test_art_79_3_additional_election_at_exactly_half_turnout_is_closed_by_a_decision_and_over_half_is_decided(
    voted, closable
):
    """500 of 1,000 (not over half, Art. 78(1)): no second additional election (Art. 79(3)); the constituency is
    closed by a recorded decision leaving the seat vacant. 501: the round counts and is decided on its own."""
    d = rules.vn_2015(contest(cand(1, 450), on_list=1000, voted=voted, round_kind="additional"))
    assert closing.may_close(closing.SEATS_LEFT_VACANT, d.status, 2) is closable
    if closable:
        assert closing.closing_article(
            closing.SEATS_LEFT_VACANT, level="national_assembly", round_kind="additional"
        ) == ("Art. 79(3)")
        assert closing.apply_closing(d, closing.SEATS_LEFT_VACANT, (), seats=1, round_number=2).status == rules.DECIDED
    else:
        assert (d.status, d.elected) == (rules.DECIDED, (1,))


@pytest.mark.parametrize(
    ("level", "filled", "status", "article", "closable"),
    [
        # the National Assembly: any shortfall goes to the NEC, which may decide to hold none (Art. 79(1))
        ("national_assembly", 2, rules.ADDITIONAL_ELECTION_REQUIRED, "Art. 79(1)", True),
        ("national_assembly", 3, rules.DECIDED, "Art. 78(2)", False),
        # a council: exactly two-thirds filled -> the seat stays vacant without a decision; below -> Art. 79(2)
        ("commune_council", 2, rules.DECIDED, "Art. 79(2)", False),
        ("commune_council", 1, rules.ADDITIONAL_ELECTION_REQUIRED, "Art. 79(2)", True),
    ],
)
def test_art_79_1_and_79_2_one_seat_short_and_two_thirds_decide_whether_a_decision_may_leave_seats_vacant(
    level, filled, status, article, closable
):
    """3 seats; `filled` candidates over half of 1,000 valid ballots, the others under it."""
    winners = [cand(i, 600 + i) for i in range(1, filled + 1)]
    losers = [cand(100 + i, 300) for i in range(3 - filled)]
    d = rules.vn_2015(contest(*winners, *losers, seats=3, level=level))
    assert (d.status, d.seats_filled) == (status, filled)
    assert d.reasons[-1].article == article
    assert closing.may_close(closing.SEATS_LEFT_VACANT, d.status, 1) is closable
    if closable:
        assert closing.closing_article(closing.SEATS_LEFT_VACANT, level=level, round_kind="regular") == article


@pytest.mark.parametrize(
    ("second_born", "status", "settleable"),
    [
        (D(1970, 1, 1), rules.TIE_UNRESOLVED, True),  # the same date of birth: the competent body decides
        (D(1970, 1, 2), rules.DECIDED, False),  # a day younger: the age rule settles it, nothing to decide
    ],
)
def test_art_78_4_only_a_tie_the_age_rule_cannot_settle_is_settled_by_a_decision(second_born, status, settleable):
    d = rules.vn_2015(contest(cand(1, 600, D(1970, 1, 1)), cand(2, 600, second_born), valid=1000))
    assert d.status == status
    assert closing.may_close(closing.TIE_SETTLED, d.status, 1) is settleable
    assert reasons(d, "tie_unresolved" if settleable else "tie_broken_by_age")[0].article == "Art. 78(4)"
    if settleable:
        assert closing.closing_article(closing.TIE_SETTLED, level="national_assembly", round_kind="regular") == (
            "Art. 78(4)"
        )
        settled = closing.apply_closing(d, closing.TIE_SETTLED, (2,), seats=1, round_number=1)
        assert (settled.status, settled.elected) == (rules.DECIDED, (2,))


@pytest.mark.parametrize(
    ("body", "nec"),
    [
        ("Hội đồng Bầu cử quốc gia", True),
        ("  hội đồng  bầu cử QUỐC GIA ", True),
        ("HĐBCQG", True),
        ("Ủy ban bầu cử tỉnh P", False),
        ("Ban bầu cử đơn vị số 2", False),
    ],
)
def test_art_81_1_only_the_national_election_council_annuls_and_a_re_election_follows_under_art_81_2(body, nec):
    assert second_rounds.is_nec(body) is nec
    assert second_rounds.round_articles("annulment", "commune_council") == ("Art. 81(1)", "Art. 81(2)")


# --- Rule 3: the additional election's ballot and seats, Arts. 74(1), 79(3) ------------------------------------------


def round_two_tally(votes):
    """An additional election for the 1 seat left: 720 voted, 700 valid ballots, 20 invalid."""
    return checks.TallyInput(
        voters_on_list=812,
        voters_voted=720,
        ballots_issued=720,
        ballots_received=720,
        valid_ballots=700,
        invalid_ballots=20,
        votes=votes,
        seats=1,
    )


@pytest.mark.parametrize(("last_votes", "refused"), [(100, False), (101, True)])
def test_art_74_1_votes_above_valid_ballots_times_the_rounds_seats_700_accepted_701_refused(last_votes, refused):
    """A valid ballot keeps at most as many names as the round has seats: 700 valid x 1 seat = 700 (not x 3)."""
    found = checks.check_tally(round_two_tally({"C": 400, "D": 200, "E": last_votes}))
    over = [f for f in found if f.code == "votes_above_valid_times_seats"]
    assert bool(over) is refused
    if refused:
        (f,) = over
        assert (f.severity, f.source, f.params["limit"]) == (checks.ERROR, "Art. 74(1)", 700)


@pytest.mark.parametrize(("votes", "elected"), [(500, ()), (501, (3,))])
def test_art_79_3_in_an_additional_election_exactly_half_of_the_valid_ballots_is_not_elected(votes, elected):
    """Art. 79(3): "người trúng cử là người được quá một nửa tổng số phiếu bầu hợp lệ" of the round."""
    c = contest(cand(3, votes), cand(4, 1000 - votes), valid=1000, round_kind="additional")
    d = rules.vn_2015(c)
    assert d.elected == elected
    code = "elected" if elected else "no_majority"
    (r,) = [r for r in reasons(d, code) if r.params["candidate"] == 3]
    assert r.article == "Art. 79(3)"


# --- Rules 4 and 5: the minutes' articles, copies and recipients, Arts. 76-77, 83, 85 ---------------------------------


def source(kind, level, day="2026-03-15"):
    return {"kind": kind, "contest": {"level": level}, "election": {"election_day": day}}


@pytest.mark.parametrize(
    ("kind", "level", "copies"),
    [
        ("counting", "national_assembly", 3),  # Art. 76(3): "được lập thành ba bản"
        ("counting", "commune_council", 3),
        ("constituency", "national_assembly", 3),  # Art. 77(3): three copies
        ("constituency", "provincial_council", 4),  # Art. 77(4): four copies
        ("constituency", "commune_council", 4),
        ("summary", "national_assembly", 4),  # Art. 83(3) as amended: four copies
        ("summary", "provincial_council", 6),  # Art. 85(3): six copies
        ("summary", "commune_council", 6),
    ],
)
def test_arts_76_3_77_3_77_4_83_3_85_3_each_minute_is_made_in_the_copies_the_law_sets(kind, level, copies):
    assert documents.copies_of(source(kind, level), MinutesSettings()) == copies


def test_arts_76_77_83_85_the_minutes_kinds_and_summaries_name_their_articles():
    with translation.override("en"):
        labels = {k.value: str(k.label) for k in Minute.Kind}
    assert "(Art. 76)" in labels["counting"]  # not Art. 75, which is complaints about the count
    assert "(Art. 77)" in labels["constituency"]
    assert "83" in labels["summary"] and "85" in labels["summary"]
    assert documents.summary_article(source("summary", "national_assembly")) == "83"
    assert documents.summary_article(source("summary", "commune_council")) == "85"


# --- Rule 6: voters listed for the National Assembly and the provincial council only, Art. 29(3) ----------------------


@pytest.mark.parametrize(
    ("level", "votes"),
    [
        ("national_assembly", True),
        ("provincial_council", True),
        ("district_council", False),
        ("commune_council", False),
    ],
)
def test_art_29_3_a_temporary_resident_under_12_months_votes_for_the_na_and_the_provincial_council_only(level, votes):
    assert voter_rules.votes_in("temporary_short", level) is votes
    assert voter_rules.votes_in("temporary", level) is True  # 12 months or more: every level


# --- Rule 8: deadlines after election day, Arts. 85-87 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary_on", "status"), [(D(2026, 3, 25), law.DONE_ON_TIME), (D(2026, 3, 26), law.DONE_LATE)]
)
def test_art_85_and_86_2_council_summary_on_day_10_is_on_time_and_day_11_late(summary_on, status):
    found = law.group_deadlines(law.GroupFacts("commune_council", DAY_2026, summary_on=summary_on), D(2026, 4, 1))
    summary = next(d for d in found if d.kind == law.SUMMARY_MINUTES_COUNCIL)
    assert (summary.article, summary.due, summary.status) == ("Art. 85(1), Art. 86(2)", D(2026, 3, 25), status)


@pytest.mark.parametrize(
    ("today", "settled", "window", "settlement"),
    [
        (D(2021, 6, 15), D(2021, 7, 15), law.OPEN, law.DONE_ON_TIME),  # announced 10/6: day 5; settled on day 30
        (D(2021, 6, 16), D(2021, 7, 16), law.CLOSED, law.DONE_LATE),  # day 6; settled on day 31
    ],
)
def test_art_87_under_the_2015_text_complaints_filed_within_5_days_and_settled_within_30(
    today, settled, window, settlement
):
    facts = law.GroupFacts(
        "national_assembly", DAY_2021, published_on=(D(2021, 6, 10),), complaints=((D(2021, 6, 15), settled),)
    )
    found = law.group_deadlines(facts, today)
    filed = next(d for d in found if d.kind == law.COMPLAINTS_FILED)
    settle = next(d for d in found if d.kind == law.COMPLAINT_SETTLED)
    assert (filed.article, filed.due, filed.status) == ("Art. 87(1)", D(2021, 6, 15), window)
    assert (settle.article, settle.due, settle.status) == ("Art. 87(2)", D(2021, 7, 15), settlement)


# --- Who wins: Arts. 78(1), 78(2), 80(4) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("voted", "code", "article"),
    [
        (500, "turnout_not_over_half_after_re_election", "Art. 80(4)"),  # exactly half: stands, no third round
        (501, "turnout_over_half", "Art. 78(1)"),
    ],
)
def test_art_80_4_a_re_election_at_exactly_half_turnout_stands_and_half_plus_one_counts_under_art_78_1(
    voted, code, article
):
    d = rules.vn_2015(contest(cand(1, 300), cand(2, 100), on_list=1000, voted=voted, round_kind="re_election"))
    assert (d.status, d.elected) == (rules.DECIDED, (1,))
    assert d.reasons[0].code == code
    assert d.reasons[0].article == article


@pytest.mark.parametrize(("voted", "status"), [(500, rules.RE_ELECTION_REQUIRED), (501, rules.DECIDED)])
def test_art_78_1_first_election_exactly_half_turnout_calls_for_a_re_election_under_art_80_1(voted, status):
    d = rules.vn_2015(contest(cand(1, 450), on_list=1000, voted=voted))
    assert d.status == status
    assert d.reasons[0].article == ("Art. 78(1), Art. 80(1)" if voted == 500 else "Art. 78(1)")


@pytest.mark.parametrize(("votes", "elected"), [(500, ()), (501, (1,))])
def test_art_78_2_exactly_half_of_the_valid_ballots_is_not_elected_and_half_plus_one_is(votes, elected):
    d = rules.vn_2015(contest(cand(1, votes), cand(2, 1000 - votes), valid=1000))
    assert d.elected == elected
    (r,) = [r for r in d.reasons if r.params.get("candidate") == 1]
    assert (r.code, r.article) == ("elected" if elected else "no_majority", "Art. 78(2)")
