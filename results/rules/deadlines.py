"""The deadlines after election day (Law 85/2015/QH13 as amended by Law 83/2025/QH15), and where each one stands.

Every deadline is "chậm nhất là N ngày sau ngày ..." (no later than N days after a day): the due day is that day
plus N, and the whole of the due day counts. Something done on the due day is on time; the day after is late.

- Art. 76(3): the Tổ's counting minutes reach the Ban no later than 03 days after election day.
- Art. 77(3) (National Assembly) and 77(4) (councils): the Ban's constituency minutes, 05 days.
- Art. 83(3): the provincial Election Committee's National Assembly minute, 07 days.
- Art. 85: the council summary minute has no deadline of its own; the announcement rests on it
  ("căn cứ vào biên bản tổng kết", Art. 86(2)), so it is due by the announcement's deadline.
- Art. 86(1) (National Assembly) and 86(2) (councils): results announced no later than 10 days after election day
  (the 2015 text: 20 days for the National Assembly, 10 for councils).
- Art. 87(1): complaints about results filed no later than 03 days from the announcement (2015: 05);
  Art. 87(2): settled within 07 days of receipt (2015: 30).
- Arts. 79(3), 80(4), 81(2): a second round no later than 07 days after the first election day (2015: 15;
  results/rules/second_rounds.py); so too the re-vote at a polling unit whose result the NEC annulled (Art. 81(2)).
- A decision of a competent body that closes a constituency without a further round (Arts. 78(4), 79(1)-(3),
  80(4)) has no deadline of its own: the board shows it, decided, beside the round it closes.

The law in force on election day decides (Law 83/2025/QH15 is in force from 1 July 2025). A second round's own
counting and constituency minutes run from its voting day, its election day (Arts. 76(3), 77(3)-(4)).

Pure: dates in, statuses out; no ORM.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from results.rules.second_rounds import LAW_83_2025_IN_FORCE

NATIONAL_ASSEMBLY = "national_assembly"  # elections.models.Level

# What the deadline is about.
COUNTING_MINUTES = "counting_minutes"
CONSTITUENCY_MINUTES = "constituency_minutes"
SECOND_ROUND = "second_round"
UNIT_REVOTE = "unit_revote"  # polling units whose result the NEC annulled vote again (Art. 81(2))
CLOSED_BY_DECISION = "closed_by_decision"
SUMMARY_MINUTES_NA = "summary_minutes_na"
SUMMARY_MINUTES_COUNCIL = "summary_minutes_council"
RESULTS_PUBLISHED = "results_published"  # one constituency's result
ANNOUNCEMENT = "announcement"  # every constituency of a contest in an area
COMPLAINTS_FILED = "complaints_filed"
COMPLAINT_SETTLED = "complaint_settled"

# Where it stands.
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
DUE = "due"  # not done, the due day has not passed
LATE = "late"  # not done, the due day has passed
OPEN = "open"  # a window for others (complaints): still open
CLOSED = "closed"  # that window has closed
WAITING = "waiting"  # the deadline runs from something not done yet (complaints before the announcement)
DECIDED = "decided"  # a closing decision, which has no deadline of its own

# Statuses that count as late on the board and on the home page.
LATE_STATUSES = frozenset({LATE, DONE_LATE})


@dataclass(frozen=True)
class Days:
    """The days each deadline allows, by the law in force on election day."""

    counting: int = 3  # Art. 76(3), both texts
    constituency: int = 5  # Art. 77(3)-(4), not amended
    summary_na: int = 7  # Art. 83(3), both texts
    announcement_na: int = 10  # Art. 86(1); 2015: 20
    announcement_council: int = 10  # Art. 86(2)
    complaints_filed: int = 3  # Art. 87(1); 2015: 5
    complaint_settled: int = 7  # Art. 87(2); 2015: 30


DAYS_2025 = Days()
DAYS_2015 = Days(announcement_na=20, complaints_filed=5, complaint_settled=30)


def law_days(election_day: dt.date) -> Days:
    """The days of the law in force on election day: 23 May 2021 -> the 2015 text; 15 March 2026 -> 2025."""
    return DAYS_2025 if election_day >= LAW_83_2025_IN_FORCE else DAYS_2015


def status_of(due: dt.date, done_on: dt.date | None, today: dt.date) -> str:
    """Done on or before the due day: on time; after it: late. Not done: due until the due day ends, then late.

    Example, due 26 May: done 26 May -> done_on_time; done 27 May -> done_late; not done on 26 May -> due;
    not done on 27 May -> late.
    """
    if done_on is not None:
        return DONE_ON_TIME if done_on <= due else DONE_LATE
    return DUE if today <= due else LATE


@dataclass(frozen=True)
class Deadline:
    kind: str
    article: str  # clause-exact: "Art. 76(3)"
    due: dt.date | None  # None: it runs from something not done yet
    done_on: dt.date | None
    status: str
    done: int | None = None  # how many of `expected` are done (counting minutes, constituencies published)
    expected: int | None = None
    late_count: int = 0  # of those done, how many after the due day
    round: int | None = None  # the round of a constituency it belongs to

    @property
    def is_late(self) -> bool:
        return self.status in LATE_STATUSES


@dataclass(frozen=True)
class RoundFacts:
    """One round of a constituency: its voting day, its polling units, when each unit's counting minutes first
    reached the Ban and when the Ban first issued its minutes."""

    number: int
    voting_day: dt.date
    units: int
    sent_on: Sequence[dt.date] = ()  # one date per unit whose minutes were sent
    minutes_on: dt.date | None = None


@dataclass(frozen=True)
class ConstituencyFacts:
    level: str
    election_day: dt.date
    rounds: Sequence[RoundFacts]  # round 1 first
    published_on: dt.date | None = None  # the current round's result first published
    # A second round the result calls for ("additional" / "re_election") and not opened yet, the deadline of a
    # second round (the election's setting or the law's), and the day a competent body closed the constituency
    # without one (seats left vacant, Arts. 79(1)-(3), 80(4)).
    second_round_needed: str | None = None
    second_round_kind: str | None = None  # the kind of an opened round 2: "additional", "re_election", "annulment"
    second_round_deadline: dt.date | None = None
    closed_on: dt.date | None = None
    # Each polling unit whose result the NEC annulled (Art. 81(1)): (round, the day its re-vote's counting minutes
    # reached the Ban or None), and the last day for the re-votes (Art. 81(2)).
    revotes: Sequence[tuple[int, dt.date | None]] = ()
    revote_deadline: dt.date | None = None
    # The closing decisions recorded: (round, article, date).
    closings: Sequence[tuple[int, str, dt.date]] = ()


SECOND_ROUND_ARTICLE = {"additional": "Art. 79(3)", "re_election": "Art. 80(4)", "annulment": "Art. 81(2)"}


def _counting(r: RoundFacts, days: Days, today: dt.date) -> Deadline:
    """Art. 76(3): every unit's counting minutes at the Ban within 3 days of the voting day."""
    due = r.voting_day + dt.timedelta(days=days.counting)
    sent = sorted(r.sent_on)
    late = sum(1 for d in sent if d > due)
    done_on = sent[-1] if sent and len(sent) >= r.units else None
    return Deadline(
        COUNTING_MINUTES,
        "Art. 76(3)",
        due,
        done_on,
        status_of(due, done_on, today),
        done=len(sent),
        expected=r.units,
        late_count=late,
        round=r.number,
    )


def constituency_deadlines(facts: ConstituencyFacts, today: dt.date) -> list[Deadline]:
    """A constituency's deadlines: per round its counting minutes (Art. 76(3)) and its Ban's minutes
    (Art. 77(3) or 77(4)); a second round (Arts. 79(3), 80(4), 81(2)); its result published (Art. 86).

    Example (National Assembly, election day 15 March 2026, today 19 March): counting minutes all sent on
    17 March -> done on time; no Ban minutes yet -> due 20 March; not published -> due 25 March.
    """
    days = law_days(facts.election_day)
    national = facts.level == NATIONAL_ASSEMBLY
    out: list[Deadline] = []
    for r in facts.rounds:
        if r.units:
            out.append(_counting(r, days, today))
        out.extend(_unit_revotes(facts, r.number, today))
        due = r.voting_day + dt.timedelta(days=days.constituency)
        out.append(
            Deadline(
                CONSTITUENCY_MINUTES,
                "Art. 77(3)" if national else "Art. 77(4)",
                due,
                r.minutes_on,
                status_of(due, r.minutes_on, today),
                round=r.number,
            )
        )
    out.extend(_second_round(facts, today))
    out.extend(
        Deadline(CLOSED_BY_DECISION, article, None, decided_on, DECIDED, round=number)
        for number, article, decided_on in sorted(facts.closings)
    )
    due = facts.election_day + dt.timedelta(days=days.announcement_na if national else days.announcement_council)
    out.append(
        Deadline(
            RESULTS_PUBLISHED,
            "Art. 86(1)" if national else "Art. 86(2)",
            due,
            facts.published_on,
            status_of(due, facts.published_on, today),
        )
    )
    return out


def _unit_revotes(facts: ConstituencyFacts, number: int, today: dt.date) -> list[Deadline]:
    """Art. 81(2): the polling units of round `number` whose result the NEC annulled vote again, no later than 7
    days after election day; done once every one's re-vote minutes reached the Ban.

    Example (15 March 2026): PL-03 annulled, its re-vote's minutes sent on 22 March -> done on time (due 22 March).
    """
    sent = [d for n, d in facts.revotes if n == number]
    due = facts.revote_deadline
    if not sent or due is None:
        return []
    held = sorted(d for d in sent if d is not None)
    done_on = held[-1] if len(held) == len(sent) else None
    return [
        Deadline(
            UNIT_REVOTE,
            "Art. 81(2)",
            due,
            done_on,
            status_of(due, done_on, today),
            done=len(held),
            expected=len(sent),
            late_count=sum(1 for d in held if d > due),
            round=number,
        )
    ]


def _second_round(facts: ConstituencyFacts, today: dt.date) -> list[Deadline]:
    """A round 2 held by its deadline; or one the result calls for, until held or closed by a decision."""
    due = facts.second_round_deadline
    if due is None:
        return []
    second = next((r for r in facts.rounds if r.number == 2), None)
    if second is not None:
        kind = facts.second_round_kind or "re_election"
        # Held: its voting day has come and a unit's counting minutes of it reached the Ban (a day set is not a
        # round held).
        held = second.voting_day if second.voting_day <= today and second.sent_on else None
        # A voting day set after the deadline is late from the start: the round cannot be held in time.
        status = status_of(due, held, today) if second.voting_day <= due else DONE_LATE if held else LATE
        return [Deadline(SECOND_ROUND, SECOND_ROUND_ARTICLE.get(kind, "Art. 80(4)"), due, held, status, round=2)]
    if facts.second_round_needed:
        article = SECOND_ROUND_ARTICLE.get(facts.second_round_needed, "Art. 80(4)")
        return [Deadline(SECOND_ROUND, article, due, facts.closed_on, status_of(due, facts.closed_on, today), round=2)]
    return []


@dataclass(frozen=True)
class GroupFacts:
    """A contest in the area whose committee sums it up: the summary minute, the announcement and complaints."""

    level: str
    election_day: dt.date
    summary_on: dt.date | None = None  # the summary minute first issued (Art. 83 or 85)
    published_on: Sequence[dt.date | None] = ()  # each constituency's current result first published
    # Complaints about the results received (day received, day settled or None); none recorded: ().
    complaints: Sequence[tuple[dt.date, dt.date | None]] = field(default_factory=tuple)


def group_deadlines(facts: GroupFacts, today: dt.date) -> list[Deadline]:
    """The summary minute (Art. 83(3) for the National Assembly; Art. 85 sets none for a council, so by the
    announcement's deadline, Art. 86(2)), the announcement (Art. 86(1)/(2)) once every constituency is published,
    the window for complaints (Art. 87(1)) and the settlement of each complaint (Art. 87(2)).

    Example (council, 15 March 2026): announced 24 March -> complaints filed by 27 March; a complaint received on
    27 March is settled by 3 April.
    """
    days = law_days(facts.election_day)
    national = facts.level == NATIONAL_ASSEMBLY
    announce_due = facts.election_day + dt.timedelta(
        days=days.announcement_na if national else days.announcement_council
    )
    if national:
        summary = Deadline(
            SUMMARY_MINUTES_NA,
            "Art. 83(3)",
            facts.election_day + dt.timedelta(days=days.summary_na),
            facts.summary_on,
            status_of(facts.election_day + dt.timedelta(days=days.summary_na), facts.summary_on, today),
        )
    else:
        summary = Deadline(
            SUMMARY_MINUTES_COUNCIL,
            "Art. 85(1), Art. 86(2)",
            announce_due,
            facts.summary_on,
            status_of(announce_due, facts.summary_on, today),
        )
    published = [d for d in facts.published_on if d is not None]
    expected = len(facts.published_on)
    announced = max(published) if published and len(published) == expected else None
    out = [
        summary,
        Deadline(
            ANNOUNCEMENT,
            "Art. 86(1)" if national else "Art. 86(2)",
            announce_due,
            announced,
            status_of(announce_due, announced, today),
            done=len(published),
            expected=expected,
            late_count=sum(1 for d in published if d > announce_due),
        ),
    ]
    if announced is None:
        out.append(Deadline(COMPLAINTS_FILED, "Art. 87(1)", None, None, WAITING))
    else:
        window = announced + dt.timedelta(days=days.complaints_filed)
        out.append(Deadline(COMPLAINTS_FILED, "Art. 87(1)", window, None, OPEN if today <= window else CLOSED))
    for received, settled in facts.complaints:
        due = received + dt.timedelta(days=days.complaint_settled)
        out.append(Deadline(COMPLAINT_SETTLED, "Art. 87(2)", due, settled, status_of(due, settled, today)))
    return out
