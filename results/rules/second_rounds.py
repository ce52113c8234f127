"""The second round of a constituency: how many days the law allows, and whether a voting day is lawful.

An additional election (Art. 79(3)), a re-election (Art. 80(4)) and a re-election after the NEC annuls a
constituency's result (Art. 81(2)) are held "chậm nhất là 07 ngày sau ngày bầu cử đầu tiên" under Law 83/2025/QH15,
in force from 1 July 2025; the 2015 text allowed 15 days. The law in force on election day decides.

Pure: dates in, days and answers out.
"""

import datetime as dt

# Law 83/2025/QH15 amending Law 85/2015/QH13 is in force from this day (passed 24 June 2025).
LAW_83_2025_IN_FORCE = dt.date(2025, 7, 1)
DAYS_2015 = 15
DAYS_2025 = 7

# The kinds of a second round, as results.rules.winners names them, and the re-election after an annulment.
ADDITIONAL = "additional"
RE_ELECTION = "re_election"
ANNULMENT = "annulment"

# The article that sets the deadline of each kind of round.
DEADLINE_ARTICLE = {ADDITIONAL: "Art. 79(3)", RE_ELECTION: "Art. 80(4)", ANNULMENT: "Art. 81(2)"}

NATIONAL_ASSEMBLY = "national_assembly"  # elections.models.Level

BEFORE_ELECTION_DAY = "before_election_day"
AFTER_DEADLINE = "after_deadline"


def second_round_days(election_day: dt.date) -> int:
    """Days after election day within which a second round is held, by the law in force on election day.

    Arts. 79(3), 80(4), 81(2) as amended by Law 83/2025/QH15 (in force 1 July 2025): 7 days; before: 15.
    Example: election day 30 June 2025 -> 15; 1 July 2025 -> 7; 15 March 2026 -> 7 (deadline 22 March 2026).
    """
    return DAYS_2025 if election_day >= LAW_83_2025_IN_FORCE else DAYS_2015


def second_round_deadline(election_day: dt.date, days: int | None = None) -> dt.date:
    """The last lawful voting day: election day + `days` (by default, the days of the law in force then).

    Example: 15 March 2026 -> 22 March 2026; 23 May 2021 -> 7 June 2021.
    """
    return election_day + dt.timedelta(days=second_round_days(election_day) if days is None else days)


def voting_day_problem(voting_day: dt.date, *, election_day: dt.date, deadline: dt.date) -> str | None:
    """Why `voting_day` is not lawful for a second round, or None (Arts. 79(3), 80(4), 81(2)).

    A second round follows the first election ("sau ngày bầu cử đầu tiên"), so it cannot come before election
    day, and it is held no later than the deadline: with election day 15 March 2026 and deadline 22 March,
    14 March -> "before_election_day", 22 March -> None, 23 March -> "after_deadline".
    """
    if voting_day < election_day:
        return BEFORE_ELECTION_DAY
    if voting_day > deadline:
        return AFTER_DEADLINE
    return None


ART_NEC_CONSENT = "Art. 80(3)"
ART_ANNULMENT = "Art. 81(1)"

# The National Election Council, as a decision names it (compared without case or spacing): only it annuls (Art. 81(1)).
NEC_NAMES = frozenset({"hội đồng bầu cử quốc gia", "hđbcqg", "national election council"})


def is_nec(body: str) -> bool:
    """Whether `body` names the National Election Council ("Hội đồng Bầu cử quốc gia", "HĐBCQG")."""
    return " ".join(body.split()).casefold() in NEC_NAMES


DECISION_BEFORE_ELECTION_DAY = "decision_before_election_day"
DECISION_AFTER_LATEST = "decision_after_latest"


def decision_day_problem(day: dt.date, *, election_day: dt.date, latest: dt.date) -> str | None:
    """A decision on an election's result is taken on or after its election day, and no later than `latest`
    (today, or the voting day the decision sets)."""
    if day < election_day:
        return DECISION_BEFORE_ELECTION_DAY
    if day > latest:
        return DECISION_AFTER_LATEST
    return None


def nec_consent_required(kind: str, level: str, election_day: dt.date) -> bool:
    """Whether opening this round needs the National Election Council's consent recorded beside the decision.

    Art. 80(3) as amended by Law 83/2025/QH15: the Election Committee sets a People's Council re-election's day
    "sau khi đã báo cáo và được sự đồng ý của Hội đồng Bầu cử quốc gia". A National Assembly re-election is the
    NEC's own decision (Art. 80(2)); an additional election (Art. 79) and an annulment (Art. 81) need no consent;
    an election held before 1 July 2025 follows the 2015 text, which asked for none.
    """
    return kind == RE_ELECTION and level != NATIONAL_ASSEMBLY and election_day >= LAW_83_2025_IN_FORCE


def round_articles(kind: str, level: str) -> tuple[str, str]:
    """The article that lets a body decide the round, and the article of its deadline.

    An additional election: the NEC for the National Assembly (Art. 79(1)), the council's Election Committee
    (Art. 79(2)); deadline Art. 79(3). A re-election: the NEC (Art. 80(2)), the Election Committee with the NEC's
    consent (Art. 80(3)); deadline Art. 80(4). An annulment: the NEC (Art. 81(1)); deadline Art. 81(2).
    """
    national = level == NATIONAL_ASSEMBLY
    decided_by = {
        ADDITIONAL: "Art. 79(1)" if national else "Art. 79(2)",
        RE_ELECTION: "Art. 80(2)" if national else "Art. 80(3)",
        ANNULMENT: "Art. 81(1)",
    }
    return decided_by[kind], DEADLINE_ARTICLE[kind]
