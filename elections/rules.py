"""Legal checks on the structure of an election, as pure functions over numbers.

They warn and never refuse: candidates withdraw after the lists are fixed, and some polling areas
are lawfully small, so real data breaks them (see the foundation issue).
"""

import datetime as dt
from dataclasses import dataclass, field

from elections.models import DatePrecision, Level

# Art. 10(4): at most 3 deputies per National Assembly constituency, at most 5 per council constituency.
MAX_SEATS = {
    Level.NATIONAL_ASSEMBLY: 3,
    Level.PROVINCIAL_COUNCIL: 5,
    Level.DISTRICT_COUNCIL: 5,
    Level.COMMUNE_COUNCIL: 5,
}

# Art. 11: a polling area has 300 to 4,000 voters (fewer allowed in mountains, islands, scattered areas).
UNIT_MIN_VOTERS = 300
UNIT_MAX_VOTERS = 4000

# Law 83/2025/QH15, in force from 1 July 2025: local government has two tiers (province, then communes and wards),
# so an election held from that day has no district council to elect.
TWO_TIERS_FROM = dt.date(2025, 7, 1)
TWO_TIERS_LAW = "Law 83/2025/QH15"


@dataclass(frozen=True)
class Finding:
    code: str
    message: str  # in English, for logs and commands; pages word it from `code` and `params` (elections/wording.py)
    article: str
    params: dict[str, int] = field(default_factory=dict)


def max_seats_for_level(level: str) -> int:
    """Art. 10(4): National Assembly constituencies elect at most 3, People's Councils at most 5."""
    return MAX_SEATS[Level(level)]


def required_candidates(level: str, seats: int) -> int:
    """The fewest candidates the law asks for a constituency of `seats` seats.

    National Assembly, Art. 57(6): seats + 2 (3 seats -> 5 candidates).
    People's Councils, Art. 58(3) and Official Letter 45/VPHĐBCQG: 1-2 seats + 1, 3 seats + 2,
    4 or more seats + 3 (5 seats -> 8 candidates).
    """
    if Level(level) == Level.NATIONAL_ASSEMBLY:
        return seats + 2
    if seats <= 2:
        return seats + 1
    if seats == 3:
        return seats + 2
    return seats + 3


def check_constituency(*, level: str, seats: int, candidates: int) -> list[Finding]:
    """Warnings for one constituency: too many seats for its level, too few candidates for its seats."""
    found = []
    limit = max_seats_for_level(level)
    if seats > limit:
        found.append(
            Finding(
                "seats_above_legal_maximum",
                f"{seats} seats; the law allows at most {limit} for this level",
                "Art. 10(4)",
                {"seats": seats, "limit": limit},
            )
        )
    needed = required_candidates(level, seats)
    if candidates < needed:
        article = "Art. 57(6)" if Level(level) == Level.NATIONAL_ASSEMBLY else "Art. 58(3)"
        found.append(
            Finding(
                "too_few_candidates",
                f"{candidates} candidates for {seats} seats; the law asks for at least {needed}",
                article,
                {"candidates": candidates, "seats": seats, "needed": needed},
            )
        )
    return found


def check_contest(*, level: str, election_day: dt.date | None) -> list[Finding]:
    """A district-council contest in an election held on or after 1 July 2025, when Law 83/2025/QH15 left two
    tiers of local government (province, then communes and wards): warned about, not refused.
    30/6/2025 -> no warning; 1/7/2025 -> a warning."""
    if level != Level.DISTRICT_COUNCIL or election_day is None or election_day < TWO_TIERS_FROM:
        return []
    return [
        Finding(
            "district_council_after_two_tiers",
            "a district-council contest, but from 1 July 2025 local government has two tiers "
            "(province, then communes and wards) and no district level",
            TWO_TIERS_LAW,
        )
    ]


def check_polling_unit(*, voters: int | None) -> list[Finding]:
    """Art. 11: 300-4,000 voters per polling area (smaller ones are lawful in remote places)."""
    if voters is None:
        return []
    if voters < UNIT_MIN_VOTERS:
        return [
            Finding(
                "polling_unit_small",
                f"{voters} voters, fewer than {UNIT_MIN_VOTERS} "
                "(lawful only in mountainous, island or scattered areas)",
                "Art. 11",
                {"voters": voters, "limit": UNIT_MIN_VOTERS},
            )
        ]
    if voters > UNIT_MAX_VOTERS:
        return [
            Finding(
                "polling_unit_large",
                f"{voters} voters, more than {UNIT_MAX_VOTERS}",
                "Art. 11",
                {"voters": voters, "limit": UNIT_MAX_VOTERS},
            )
        ]
    return []


def parse_birth_date(text: str) -> tuple[dt.date, DatePrecision]:
    """Read `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; an unknown day or month counts as the 1st (Art. 2; NEC guidance).

    `1968-03` -> (1968-03-01, month); `1968` -> (1968-01-01, year). Raises ValueError otherwise.
    """
    parts = text.split("-")
    if not (1 <= len(parts) <= 3) or not all(p.isdigit() for p in parts):
        raise ValueError(text)
    if len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
        raise ValueError(text)
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else 1
    day = int(parts[2]) if len(parts) > 2 else 1
    precision = {1: DatePrecision.YEAR, 2: DatePrecision.MONTH, 3: DatePrecision.DAY}[len(parts)]
    return dt.date(year, month, day), precision
