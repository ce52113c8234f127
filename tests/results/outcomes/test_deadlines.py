"""The deadlines board's facts from the database (results/outcomes/deadlines.py): the first time each thing was
done, as a day in the election's time zone, in a fixed number of queries whatever the number of units."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.clock import demo_clock
from elections.models import Constituency
from results.decisions import closing
from results.models import Minute, ResultPublication
from results.outcomes.deadlines import deadline_board
from results.permissions import tally_scope
from results.rules import deadlines as law
from results.tallies import services
from tests.factories import ConstituencyFactory, PollingUnitFactory
from tests.results.decision_helpers import decision
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db
ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.date(2021, 5, 23)  # the world's election day (2015 text)


def at(days, hour=20):
    return dt.datetime.combine(DAY + dt.timedelta(days=days), dt.time(hour), tzinfo=ZONE)


def line(board, code):
    return next(c for g in board.groups for c in g.constituencies if c.constituency.code == code)


def group(board, contest, area):
    return next(g for g in board.groups if g.contest.code == contest and g.area.code == area)


def kind(deadlines, name, round_number=None):
    return next(d for d in deadlines if d.kind == name and (round_number is None or d.round == round_number))


def minute(world, code, when, kind=Minute.Kind.CONSTITUENCY, **where):
    return Minute.objects.create(
        election=world.election,
        kind=kind,
        key=f"{code}/{when.isoformat()}",
        version=1,
        data={},
        data_sha256="0" * 64,
        pdf="minutes/test.pdf",
        pdf_sha256="0" * 64,
        token=f"t-{code}-{when.timestamp()}",
        verify_url="",
        issued_at=when,
        **where,
    )


def published(world, code, when, sequence=1):
    ResultPublication.objects.create(
        election=world.election,
        constituency=world.constituencies[code],
        round=1,
        sequence=sequence,
        kind=ResultPublication.Kind.ORIGINAL,
        status="decided",
        fingerprint="f",
        data={},
        published_at=when,
    )


def test_board_facts_are_the_first_day_each_thing_was_done(world):
    # given: U1 and U2 send QH on election night, U3 four days later (after the 3 days of Art. 76(3))
    with demo_clock(at(0)):
        load(
            world.election,
            minutes("U1", "QH", qh_votes(600, 550, 500, 300, 100)),
            minutes("U2", "QH", qh_votes(600, 550, 500, 300, 100)),
            minutes("U1", "XA", xa_votes("XA1", 600, 550, 200)),
        )
    with demo_clock(at(4)):
        load(world.election, minutes("U3", "QH", qh_votes(600, 550, 500, 300, 100)))
    # the Ban's minutes of QH1 on day 5 at 23:30 local time (16:30 UTC): still day 5, on time (Art. 77(3))
    minute(world, "QH1", at(5, 23).replace(minute=30), constituency=world.constituencies["QH1"], round=1)
    # XA1's at 00:30 local time on day 6, still day 5 in UTC: the election's day counts, so it is late
    minute(world, "XA1", at(6, 0).replace(minute=30), constituency=world.constituencies["XA1"], round=1)
    published(world, "QH1", at(3))
    published(world, "XA1", at(11))  # a council's result after 10 days (Art. 86(2))
    # when
    board = deadline_board(
        world.election, Constituency.objects.filter(election=world.election), today=DAY + dt.timedelta(days=30)
    )
    # then
    qh1 = line(board, "QH1").deadlines
    counting = kind(qh1, law.COUNTING_MINUTES)
    assert (counting.status, counting.done, counting.expected, counting.late_count) == (law.DONE_LATE, 3, 3, 1)
    assert counting.done_on == DAY + dt.timedelta(days=4)
    ban = kind(qh1, law.CONSTITUENCY_MINUTES)
    assert (ban.article, ban.done_on, ban.status) == ("Art. 77(3)", DAY + dt.timedelta(days=5), law.DONE_ON_TIME)
    assert kind(qh1, law.RESULTS_PUBLISHED).status == law.DONE_ON_TIME
    xa1 = line(board, "XA1").deadlines
    assert kind(xa1, law.COUNTING_MINUTES).status == law.DONE_ON_TIME
    late_minutes = kind(xa1, law.CONSTITUENCY_MINUTES)
    assert (late_minutes.article, late_minutes.done_on, late_minutes.status) == (
        "Art. 77(4)",
        DAY + dt.timedelta(days=6),
        law.DONE_LATE,
    )
    assert kind(xa1, law.RESULTS_PUBLISHED).status == law.DONE_LATE
    assert kind(line(board, "XA2").deadlines, law.COUNTING_MINUTES).status == law.LATE
    # the province's committee: its National Assembly minute never issued (Art. 83(3)); QH1 published, so announced
    qh = group(board, "QH", "P")
    assert qh.whole
    assert kind(qh.deadlines, law.SUMMARY_MINUTES_NA).status == law.LATE
    announcement = kind(qh.deadlines, law.ANNOUNCEMENT)
    assert (announcement.status, announcement.done_on) == (law.DONE_ON_TIME, DAY + dt.timedelta(days=3))
    assert kind(qh.deadlines, law.COMPLAINTS_FILED).status == law.CLOSED


def test_summary_minute_of_a_council_counts_for_its_committees_area(world):
    minute(
        world,
        "XA@C1",
        at(2),
        kind=Minute.Kind.SUMMARY,
        contest=world.constituencies["XA1"].contest,
        area=world.areas["C1"],
    )
    board = deadline_board(world.election, Constituency.objects.filter(election=world.election), today=DAY)
    summary = kind(group(board, "XA", "C1").deadlines, law.SUMMARY_MINUTES_COUNCIL)
    assert (summary.done_on, summary.status) == (DAY + dt.timedelta(days=2), law.DONE_ON_TIME)
    assert kind(group(board, "XA", "C2").deadlines, law.SUMMARY_MINUTES_COUNCIL).status == law.DUE


def test_a_reader_of_part_of_a_contest_in_an_area_sees_no_committee_deadlines_of_it(world):
    # given: a second commune-council constituency in C1; a reader who sees only XA1 of the two
    xa1 = world.constituencies["XA1"]
    ConstituencyFactory(contest=xa1.contest, code="XA1B", area=world.areas["C1"], seats=1)
    only_xa1 = Constituency.objects.filter(code="XA1", election=world.election)
    # when
    board = deadline_board(world.election, only_xa1, today=DAY)
    # then: XA1's own deadlines, not the committee's summary minute or announcement
    [only] = board.groups
    assert (only.contest.code, only.area.code, only.whole, only.deadlines) == ("XA", "C1", False, [])
    assert [c.constituency.code for c in only.constituencies] == ["XA1"]
    both = deadline_board(world.election, Constituency.objects.filter(area=world.areas["C1"], contest=xa1.contest))
    assert both.groups[0].whole and both.groups[0].deadlines


def test_board_takes_a_fixed_number_of_queries_whatever_the_units(world, django_assert_max_num_queries):
    # given: the board once, to warm the results cache
    everything = Constituency.objects.filter(election=world.election)
    deadline_board(world.election, everything, today=DAY)
    with CaptureQueriesContext(connection) as few:
        deadline_board(world.election, everything, today=DAY)
    # when: twelve more units, each with its counting minutes
    c1 = world.areas["C1"]
    qh1, xa1 = world.constituencies["QH1"], world.constituencies["XA1"]
    items = []
    for i in range(12):
        PollingUnitFactory(election=world.election, code=f"N{i}", area=c1, constituencies=[qh1, xa1])
        items.append(minutes(f"N{i}", "QH", qh_votes(600, 550, 500, 300, 100)))
        items.append(minutes(f"N{i}", "XA", xa_votes("XA1", 600, 550, 200)))
    load(world.election, *items)
    deadline_board(world.election, everything, today=DAY)
    # then: no more queries than before
    with django_assert_max_num_queries(len(few.captured_queries)):
        board = deadline_board(world.election, everything, today=DAY)
    assert kind(line(board, "QH1").deadlines, law.COUNTING_MINUTES).expected == 15


def test_an_annulled_units_re_vote_is_on_the_board_until_held_art_81_2(world):
    # given: QH counted on election night; the NEC annuls U2's result on day 2
    with demo_clock(at(0)):
        load(world.election, *(minutes(u, "QH", qh_votes(600, 550, 500, 300, 100)) for u in ("U1", "U2", "U3")))
    with demo_clock(at(2)):
        services.tally_annul(
            scope=tally_scope(world.election.slug, "U2", "QH"), reason="vi phạm", by=world.users["committee_p"]
        )
    everything = Constituency.objects.filter(election=world.election)
    # then: the re-vote is due by the second-round deadline (2015 text: 15 days), not yet held
    waiting = kind(
        line(deadline_board(world.election, everything, today=DAY + dt.timedelta(days=16)), "QH1").deadlines,
        law.UNIT_REVOTE,
        1,
    )
    assert (waiting.article, waiting.status, waiting.done, waiting.expected) == ("Art. 81(2)", law.LATE, 0, 1)
    assert waiting.due == DAY + dt.timedelta(days=15)
    # when: U2 votes again and its minutes reach the Ban on day 6
    with demo_clock(at(6)):
        load(world.election, minutes("U2", "QH", qh_votes(600, 550, 500, 300, 100)))
    held = kind(
        line(deadline_board(world.election, everything, today=DAY + dt.timedelta(days=16)), "QH1").deadlines,
        law.UNIT_REVOTE,
        1,
    )
    assert (held.status, held.done_on, held.done) == (law.DONE_ON_TIME, DAY + dt.timedelta(days=6), 1)
    # and a constituency with no annulment has no such row
    assert not [
        d for d in line(deadline_board(world.election, everything), "XA1").deadlines if d.kind == law.UNIT_REVOTE
    ]


def test_a_shortfall_closed_by_the_nec_shows_the_second_round_done_and_the_decision_art_79_1(world):
    # given: QH1 (3 seats) elects only one: an additional election is called for
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    nec = decision(body="Hội đồng bầu cử quốc gia", reference="Nghị quyết số 40/NQ-HĐBCQG", date=dt.date(2021, 5, 28))
    # when: the NEC decides to hold none
    closing.decision_record(
        constituency=world.constituencies["QH1"], kind="seats_left_vacant", decision=nec, by=world.users["committee_p"]
    )
    board = deadline_board(
        world.election, Constituency.objects.filter(election=world.election), today=DAY + dt.timedelta(days=30)
    )
    # then: the second round's row is closed on the decision's day, and the decision has its own row
    qh1 = line(board, "QH1").deadlines
    second = kind(qh1, law.SECOND_ROUND)
    assert (second.article, second.status, second.done_on) == ("Art. 79(3)", law.DONE_ON_TIME, dt.date(2021, 5, 28))
    closed = kind(qh1, law.CLOSED_BY_DECISION, 1)
    assert (closed.status, closed.done_on, closed.due) == (law.DECIDED, dt.date(2021, 5, 28), None)
    assert closed.article.startswith("Art. 79")
