"""Voter-list law as pure functions (Law 85/2015/QH13 as amended by Law 83/2025/QH15, Arts. 2 and 29-34)."""

import datetime as dt
import zoneinfo

from elections.models import Level
from voters.models import Residence, VoterCategory

AGE_OF_VOTING = 18
COMPLAINT_WINDOW_DAYS = 30  # Art. 33: complaints within 30 days of posting
COMPLAINT_ANSWER_DAYS = 5  # Art. 33: the listing body answers within 5 days
POSTING_DAYS_BEFORE = 40  # Art. 32: posted at the latest 40 days before election day
CHANGES_CLOSE_HOURS = 24  # Art. 32: additions and removals until 24 hours before voting starts

# Which contests a voter votes in, by residence (Arts. 29-30 and the NEC's guidance; interfaces §8).
# A temporary resident of under 12 months votes for the National Assembly and the provincial council only.
# The table has no district column (abolished in 2025); for 2021-style elections that still hold district
# councils we follow the interface's wording, which names only the National Assembly and the provincial council.
_ALL_LEVELS = frozenset(Level.values)
LEVELS_BY_RESIDENCE: dict[str, frozenset[str]] = {
    Residence.PERMANENT: _ALL_LEVELS,
    Residence.TEMPORARY: _ALL_LEVELS,
    Residence.TEMPORARY_SHORT: frozenset({Level.NATIONAL_ASSEMBLY, Level.PROVINCIAL_COUNCIL}),
}


# Which contests a voter votes in, by category (Art. 29(3) and (5) as amended by Law 83/2025/QH15): a soldier
# listed where their armed-forces unit is stationed, and a person in temporary detention or in a compulsory
# education or rehabilitation facility, listed where they are held, vote "for the National Assembly and the
# provincial People's Council" only. The 2015 text also named the district council for soldiers (clause 3);
# like the residence table above, this follows the amended wording, which names no other level.
_NA_AND_PROVINCE = frozenset({Level.NATIONAL_ASSEMBLY, Level.PROVINCIAL_COUNCIL})
LEVELS_BY_CATEGORY: dict[str, frozenset[str]] = {
    VoterCategory.ORDINARY: _ALL_LEVELS,
    VoterCategory.ARMED_FORCES: _NA_AND_PROVINCE,  # Art. 29(3)
    VoterCategory.DETENTION: _NA_AND_PROVINCE,  # Art. 29(5)
    VoterCategory.COMPULSORY_FACILITY: _NA_AND_PROVINCE,  # Art. 29(5)
}
CLAUSE_OF_CATEGORY: dict[str, str] = {
    VoterCategory.ARMED_FORCES: "Art. 29(3)",
    VoterCategory.DETENTION: "Art. 29(5)",
    VoterCategory.COMPULSORY_FACILITY: "Art. 29(5)",
}


def votes_in(residence: str, level: str, category: str = VoterCategory.ORDINARY) -> bool:
    """Whether a voter of this residence and category votes in a contest of this level.

    Both must allow it. Examples: a temporary resident of 8 months (temporary_short) votes for the National
    Assembly, not for the commune council (Art. 29(3)); a soldier of a unit stationed in the commune, permanent
    resident or not, votes for the National Assembly and the provincial council, not for the commune council
    (Art. 29(3)); so does a person held in a detention camp or a compulsory rehabilitation facility (Art. 29(5)).
    """
    return level in LEVELS_BY_RESIDENCE[residence] and level in LEVELS_BY_CATEGORY[category]


def levels_voted(residence: str, category: str, levels: "list[str] | tuple[str, ...]") -> list[str]:
    """The levels among `levels` (in their order) a voter of this residence and category votes in.

    A soldier (armed_forces) at a unit holding the National Assembly, provincial and commune contests:
    ["national_assembly", "provincial_council"].
    """
    return [level for level in levels if votes_in(residence, level, category)]


def eighteenth_birthday_cutoff(election_day: dt.date) -> dt.date:
    """The latest date of birth of a voter who is 18 on election day (Art. 2).

    Election day 2026-03-15 -> born on or before 2008-03-15: one who turns 18 on election day votes, one
    born the day after does not. A 29 February birthday counts as reached on 1 March in other years.
    """
    try:
        return election_day.replace(year=election_day.year - AGE_OF_VOTING)
    except ValueError:  # election day on 29 February, 18 years back is no leap year
        return dt.date(election_day.year - AGE_OF_VOTING, 2, 28)


def is_of_age(date_of_birth: dt.date, election_day: dt.date) -> bool:
    return date_of_birth <= eighteenth_birthday_cutoff(election_day)


def changes_close_at(election_day: dt.date, voting_opens: dt.time, time_zone: str) -> dt.datetime:
    """Art. 32: the last moment a list may change, 24 hours before voting starts, as an aware datetime.

    Election day 2026-03-15, voting opens 07:00 in Asia/Ho_Chi_Minh -> 2026-03-14 07:00 (+07:00).
    """
    opens = dt.datetime.combine(election_day, voting_opens, tzinfo=zoneinfo.ZoneInfo(time_zone))
    return opens - dt.timedelta(hours=CHANGES_CLOSE_HOURS)


def complaint_deadline(posted_on: dt.date) -> dt.date:
    """Art. 33: the last day a complaint about a list posted on `posted_on` is received (posting + 30 days)."""
    return posted_on + dt.timedelta(days=COMPLAINT_WINDOW_DAYS)


def answer_due(received_on: dt.date) -> dt.date:
    """Art. 33: the listing body answers within 5 days: received 2026-02-10 -> due 2026-02-15."""
    return received_on + dt.timedelta(days=COMPLAINT_ANSWER_DAYS)


def posting_deadline(election_day: dt.date) -> dt.date:
    """Art. 32: post at the latest 40 days before election day: 2026-03-15 -> 2026-02-03."""
    return election_day - dt.timedelta(days=POSTING_DAYS_BEFORE)
