"""The deadlines after election day (results/rules/deadlines.py), at their boundaries: the due day counts, done on
the due day is on time, the day after is late. Law 85/2015/QH13 as amended by Law 83/2025/QH15."""

import datetime as dt

import pytest

from results.rules import deadlines as law

D = dt.date
DAY_2026 = D(2026, 3, 15)  # under Law 83/2025/QH15
DAY_2021 = D(2021, 5, 23)  # under the 2015 text


def by_kind(found, kind, round_number=None):
    return next(d for d in found if d.kind == kind and (round_number is None or d.round == round_number))


def one_round(day=DAY_2026, units=2, sent=(), minutes_on=None, **facts):
    return law.ConstituencyFacts(
        level=facts.pop("level", "national_assembly"),
        election_day=day,
        rounds=[law.RoundFacts(1, day, units, sent, minutes_on)],
        **facts,
    )


@pytest.mark.parametrize(
    ("done_on", "today", "status"),
    [
        (D(2026, 3, 18), D(2026, 3, 30), law.DONE_ON_TIME),  # done on the due day: on time
        (D(2026, 3, 19), D(2026, 3, 30), law.DONE_LATE),  # the day after: late
        (None, D(2026, 3, 18), law.DUE),  # the whole due day counts
        (None, D(2026, 3, 19), law.LATE),
    ],
)
def test_status_of_the_due_day_counts(done_on, today, status):
    assert law.status_of(D(2026, 3, 18), done_on, today) == status


def test_law_days_follow_the_law_in_force_on_election_day():
    # Law 83/2025/QH15 in force 1 July 2025: Art. 86(1) 10 days (2015: 20), Art. 87(1) 3 (5), Art. 87(2) 7 (30)
    assert law.law_days(D(2025, 7, 1)) == law.DAYS_2025
    assert law.law_days(D(2025, 6, 30)) == law.DAYS_2015
    assert (law.DAYS_2025.announcement_na, law.DAYS_2025.complaints_filed, law.DAYS_2025.complaint_settled) == (
        10,
        3,
        7,
    )
    assert (law.DAYS_2015.announcement_na, law.DAYS_2015.complaints_filed, law.DAYS_2015.complaint_settled) == (
        20,
        5,
        30,
    )


@pytest.mark.parametrize(
    ("sent", "today", "status", "late_count"),
    [
        ((D(2026, 3, 15), D(2026, 3, 18)), D(2026, 3, 30), law.DONE_ON_TIME, 0),  # Art. 76(3): 18/3 is the last day
        ((D(2026, 3, 15), D(2026, 3, 19)), D(2026, 3, 30), law.DONE_LATE, 1),
        ((D(2026, 3, 15),), D(2026, 3, 18), law.DUE, 0),  # one of two sent, the last day not over
        ((D(2026, 3, 15),), D(2026, 3, 19), law.LATE, 0),
    ],
)
def test_counting_minutes_within_3_days_art_76_3(sent, today, status, late_count):
    found = by_kind(law.constituency_deadlines(one_round(sent=sent), today), law.COUNTING_MINUTES)
    assert (found.article, found.due, found.status, found.late_count) == (
        "Art. 76(3)",
        D(2026, 3, 18),
        status,
        late_count,
    )
    assert (found.done, found.expected) == (len(sent), 2)


@pytest.mark.parametrize(("level", "article"), [("national_assembly", "Art. 77(3)"), ("commune_council", "Art. 77(4)")])
@pytest.mark.parametrize(
    ("minutes_on", "status"), [(D(2026, 3, 20), law.DONE_ON_TIME), (D(2026, 3, 21), law.DONE_LATE)]
)
def test_constituency_minutes_within_5_days_art_77(level, article, minutes_on, status):
    found = by_kind(
        law.constituency_deadlines(one_round(level=level, minutes_on=minutes_on), D(2026, 4, 1)),
        law.CONSTITUENCY_MINUTES,
    )
    assert (found.article, found.due, found.status) == (article, D(2026, 3, 20), status)


@pytest.mark.parametrize(
    ("level", "day", "article", "due"),
    [
        ("national_assembly", DAY_2026, "Art. 86(1)", D(2026, 3, 25)),  # 10 days
        ("provincial_council", DAY_2026, "Art. 86(2)", D(2026, 3, 25)),
        ("national_assembly", DAY_2021, "Art. 86(1)", D(2021, 6, 12)),  # 2015 text: 20 days
        ("commune_council", DAY_2021, "Art. 86(2)", D(2021, 6, 2)),  # 10 days
    ],
)
def test_results_published_by_the_announcement_deadline_art_86(level, day, article, due):
    on_time = by_kind(
        law.constituency_deadlines(one_round(day, level=level, published_on=due), due), law.RESULTS_PUBLISHED
    )
    assert (on_time.article, on_time.due, on_time.status) == (article, due, law.DONE_ON_TIME)
    late = by_kind(
        law.constituency_deadlines(one_round(day, level=level), due + dt.timedelta(days=1)), law.RESULTS_PUBLISHED
    )
    assert late.status == law.LATE


def test_a_second_round_needed_is_due_within_7_days_and_late_after_art_79_3():
    facts = one_round(second_round_needed="additional", second_round_deadline=D(2026, 3, 22))
    assert by_kind(law.constituency_deadlines(facts, D(2026, 3, 22)), law.SECOND_ROUND).status == law.DUE
    late = by_kind(law.constituency_deadlines(facts, D(2026, 3, 23)), law.SECOND_ROUND)
    assert (late.article, late.status) == ("Art. 79(3)", law.LATE)


def test_a_constituency_closed_without_a_second_round_is_done():
    facts = one_round(second_round_needed="re_election", second_round_deadline=D(2026, 3, 22), closed_on=D(2026, 3, 20))
    found = by_kind(law.constituency_deadlines(facts, D(2026, 4, 1)), law.SECOND_ROUND)
    assert (found.article, found.status, found.done_on) == ("Art. 80(4)", law.DONE_ON_TIME, D(2026, 3, 20))


@pytest.mark.parametrize(
    ("voting_day", "today", "status"),
    [
        (D(2026, 3, 22), D(2026, 3, 21), law.DUE),  # set for the last lawful day, not held yet
        (D(2026, 3, 22), D(2026, 3, 22), law.DONE_ON_TIME),  # held on the last day (Art. 81(2))
        (D(2026, 3, 23), D(2026, 3, 21), law.LATE),  # set after the deadline: late from the start
        (D(2026, 3, 23), D(2026, 3, 23), law.DONE_LATE),
    ],
)
def test_a_second_round_is_held_by_its_deadline_art_81_2(voting_day, today, status):
    facts = law.ConstituencyFacts(
        level="national_assembly",
        election_day=DAY_2026,
        rounds=[law.RoundFacts(1, DAY_2026, 1, (DAY_2026,), DAY_2026), law.RoundFacts(2, voting_day, 1, (voting_day,))],
        second_round_kind="annulment",
        second_round_deadline=D(2026, 3, 22),
    )
    found = law.constituency_deadlines(facts, today)
    second = by_kind(found, law.SECOND_ROUND)
    assert (second.article, second.status) == ("Art. 81(2)", status)
    # the second round's own minutes run from its voting day (Arts. 76(3), 77(3))
    assert by_kind(found, law.COUNTING_MINUTES, 2).due == voting_day + dt.timedelta(days=3)
    assert by_kind(found, law.CONSTITUENCY_MINUTES, 2).due == voting_day + dt.timedelta(days=5)


def test_a_second_round_with_a_voting_day_set_but_no_minutes_is_not_held():
    """The deadlines board said "done on time" for a round whose day had come with no unit's minutes sent."""
    facts = law.ConstituencyFacts(
        level="national_assembly",
        election_day=DAY_2026,
        rounds=[law.RoundFacts(1, DAY_2026, 1, (DAY_2026,), DAY_2026), law.RoundFacts(2, D(2026, 3, 22), 8)],
        second_round_kind="re_election",
        second_round_deadline=D(2026, 3, 22),
    )
    on_the_day = by_kind(law.constituency_deadlines(facts, D(2026, 3, 22)), law.SECOND_ROUND)
    assert (on_the_day.status, on_the_day.done_on) == (law.DUE, None)
    after = by_kind(law.constituency_deadlines(facts, D(2026, 12, 5)), law.SECOND_ROUND)
    assert (after.article, after.status) == ("Art. 80(4)", law.LATE)


@pytest.mark.parametrize(
    ("summary_on", "status"), [(D(2026, 3, 22), law.DONE_ON_TIME), (D(2026, 3, 23), law.DONE_LATE)]
)
def test_province_na_minute_within_7_days_art_83_3(summary_on, status):
    found = law.group_deadlines(law.GroupFacts("national_assembly", DAY_2026, summary_on=summary_on), D(2026, 4, 1))
    summary = by_kind(found, law.SUMMARY_MINUTES_NA)
    assert (summary.article, summary.due, summary.status) == ("Art. 83(3)", D(2026, 3, 22), status)


def test_council_summary_has_no_deadline_of_its_own_art_85_so_the_announcements():
    found = law.group_deadlines(law.GroupFacts("commune_council", DAY_2026), D(2026, 3, 26))
    summary = by_kind(found, law.SUMMARY_MINUTES_COUNCIL)
    assert (summary.article, summary.due, summary.status) == ("Art. 85(1), Art. 86(2)", D(2026, 3, 25), law.LATE)


def test_announcement_needs_every_constituency_published_art_86_2():
    facts = law.GroupFacts("commune_council", DAY_2026, published_on=(D(2026, 3, 20), None))
    announcement = by_kind(law.group_deadlines(facts, D(2026, 3, 25)), law.ANNOUNCEMENT)
    assert (announcement.status, announcement.done, announcement.expected) == (law.DUE, 1, 2)
    assert by_kind(law.group_deadlines(facts, D(2026, 3, 25)), law.COMPLAINTS_FILED).status == law.WAITING
    facts = law.GroupFacts("commune_council", DAY_2026, published_on=(D(2026, 3, 20), D(2026, 3, 26)))
    announcement = by_kind(law.group_deadlines(facts, D(2026, 3, 30)), law.ANNOUNCEMENT)
    assert (announcement.status, announcement.done_on, announcement.late_count) == (law.DONE_LATE, D(2026, 3, 26), 1)


@pytest.mark.parametrize(("today", "status"), [(D(2026, 3, 27), law.OPEN), (D(2026, 3, 28), law.CLOSED)])
def test_complaints_filed_within_3_days_of_the_announcement_art_87_1(today, status):
    facts = law.GroupFacts("provincial_council", DAY_2026, published_on=(D(2026, 3, 24),))
    window = by_kind(law.group_deadlines(facts, today), law.COMPLAINTS_FILED)
    assert (window.article, window.due, window.status) == ("Art. 87(1)", D(2026, 3, 27), status)


@pytest.mark.parametrize(
    ("settled", "today", "status"),
    [
        (D(2026, 4, 3), D(2026, 4, 10), law.DONE_ON_TIME),  # received 27/3, settled on the 7th day
        (D(2026, 4, 4), D(2026, 4, 10), law.DONE_LATE),
        (None, D(2026, 4, 3), law.DUE),
        (None, D(2026, 4, 4), law.LATE),
    ],
)
def test_a_complaint_is_settled_within_7_days_of_receipt_art_87_2(settled, today, status):
    facts = law.GroupFacts(
        "provincial_council", DAY_2026, published_on=(D(2026, 3, 24),), complaints=((D(2026, 3, 27), settled),)
    )
    found = by_kind(law.group_deadlines(facts, today), law.COMPLAINT_SETTLED)
    assert (found.article, found.due, found.status) == ("Art. 87(2)", D(2026, 4, 3), status)


def test_complaints_under_the_2015_text_5_and_30_days():
    facts = law.GroupFacts(
        "national_assembly", DAY_2021, published_on=(D(2021, 6, 10),), complaints=((D(2021, 6, 15), None),)
    )
    found = law.group_deadlines(facts, D(2021, 6, 15))
    assert by_kind(found, law.COMPLAINTS_FILED).due == D(2021, 6, 15)
    assert by_kind(found, law.COMPLAINT_SETTLED).due == D(2021, 7, 15)


def test_late_deadlines_are_the_late_ones_only():
    found = law.constituency_deadlines(one_round(sent=(DAY_2026,), units=1, minutes_on=D(2026, 3, 21)), D(2026, 3, 22))
    assert [(d.kind, d.is_late) for d in found] == [
        (law.COUNTING_MINUTES, False),
        (law.CONSTITUENCY_MINUTES, True),
        (law.RESULTS_PUBLISHED, False),
    ]


@pytest.mark.parametrize(
    ("revotes", "today", "status", "done"),
    [
        (((1, D(2026, 3, 22)),), D(2026, 3, 30), law.DONE_ON_TIME, 1),  # re-voted on the last lawful day
        (((1, D(2026, 3, 23)),), D(2026, 3, 30), law.DONE_LATE, 1),  # the day after
        (((1, None),), D(2026, 3, 22), law.DUE, 0),  # the whole due day counts
        (((1, None),), D(2026, 3, 23), law.LATE, 0),
        (((1, D(2026, 3, 20)), (1, None)), D(2026, 3, 30), law.LATE, 1),  # one of two still to vote again
    ],
)
def test_an_annulled_units_re_vote_is_due_within_7_days_art_81_2(revotes, today, status, done):
    facts = one_round(sent=(DAY_2026, DAY_2026), revotes=revotes, revote_deadline=D(2026, 3, 22))
    found = by_kind(law.constituency_deadlines(facts, today), law.UNIT_REVOTE, 1)
    assert (found.article, found.status, found.done, found.expected) == ("Art. 81(2)", status, done, len(revotes))


def test_no_annulled_unit_no_re_vote_row():
    facts = one_round(sent=(DAY_2026, DAY_2026), revote_deadline=D(2026, 3, 22))
    assert not [d for d in law.constituency_deadlines(facts, D(2026, 3, 30)) if d.kind == law.UNIT_REVOTE]


def test_a_closing_decision_shows_decided_with_its_article_and_no_deadline_art_78_4():
    facts = one_round(closings=[(1, "Art. 78(4)", D(2026, 3, 19))])
    found = by_kind(law.constituency_deadlines(facts, D(2026, 3, 30)), law.CLOSED_BY_DECISION, 1)
    assert (found.article, found.due, found.done_on, found.status) == ("Art. 78(4)", None, D(2026, 3, 19), law.DECIDED)
    assert not found.is_late
