"""Reading the election structure file (interfaces §1) into plain data, with every problem and its JSON path.

Pure: no database. `parse_election` never stops at the first problem; it reports them all, so a
committee fixes its file once.
"""

import datetime as dt
import re
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from core.errors import Problem
from elections import rules
from elections.models import EARLIEST_OPENING, LATEST_CLOSING, DatePrecision, Gender, Level, RuleSet

SLUG_RE = re.compile(r"^[a-z0-9-]+$")
CODE_RE = re.compile(r"[\w.-]+")  # interfaces §1: letters, digits, "-", "_" and "."
CODE_MAX = 64


@dataclass
class AreaSpec:
    code: str
    name: str
    parent: str | None


@dataclass
class ContestSpec:
    code: str
    name: str
    level: str
    position: int


@dataclass
class ConstituencySpec:
    code: str
    contest: str
    name: str
    seats: int
    area: str


@dataclass
class PollingUnitSpec:
    code: str
    name: str
    area: str
    registered_voters: int | None
    constituencies: list[str]


@dataclass
class CandidateSpec:
    code: str
    constituency: str
    full_name: str
    date_of_birth: dt.date
    date_of_birth_precision: DatePrecision
    gender: str
    affiliation: str
    ballot_order: int


@dataclass
class ElectionSpec:
    slug: str = ""
    name: str = ""
    election_day: dt.date | None = None
    rules: str = RuleSet.VN_2015
    time_zone: str = "Asia/Ho_Chi_Minh"
    voting_opens: dt.time = dt.time(7, 0)
    voting_closes: dt.time = dt.time(19, 0)
    double_entry: bool = False  # every tally typed twice, by two different users (CONTRACT §12)
    areas: list[AreaSpec] = field(default_factory=list)
    contests: list[ContestSpec] = field(default_factory=list)
    constituencies: list[ConstituencySpec] = field(default_factory=list)
    polling_units: list[PollingUnitSpec] = field(default_factory=list)
    candidates: list[CandidateSpec] = field(default_factory=list)


@dataclass
class ParseResult:
    spec: ElectionSpec
    errors: list[Problem]
    warnings: list[Problem]


class _Reader:
    """Collects problems while reading fields of JSON objects."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Problem(path, message))

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True, max_length: int = 300) -> str:
        value = obj.get(key)
        where = f"{path}.{key}" if path else key
        if value is None:
            if required:
                self.error(where, "is required")
            return ""
        if not isinstance(value, str):
            self.error(where, f"must be a string, not {_json_type(value)}")
            return ""
        value = value.strip()
        if "\x00" in value:
            self.error(where, "must not contain NUL characters")
            return ""
        if required and not value:
            self.error(where, "must not be empty")
        if len(value) > max_length:
            self.error(where, f"is longer than {max_length} characters")
        return value

    def code(self, obj: dict[str, Any], key: str, path: str) -> str:
        value = self.text(obj, key, path, max_length=CODE_MAX)
        if value and len(value) <= CODE_MAX and not CODE_RE.fullmatch(value):
            # A code is part of page and API addresses: "/", "?", "#", spaces and the like would break them.
            where = f"{path}.{key}" if path else key
            self.error(where, f"may hold only letters, digits, '-', '_' and '.', not {value!r}")
        return value

    def integer(self, obj: dict[str, Any], key: str, path: str, *, minimum: int, required: bool = True) -> int | None:
        value = obj.get(key)
        where = f"{path}.{key}"
        if value is None:
            if required:
                self.error(where, "is required")
            return None
        # bool is an int in Python, but `true` is no count of seats.
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"must be a whole number, not {_json_type(value)} {value!r}")
            return None
        if value < minimum:
            self.error(where, f"must be at least {minimum}, not {value}")
            return None
        if value > 2_147_483_647:
            self.error(where, f"is too large: {value}")
            return None
        return value

    def objects(self, doc: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        value = doc.get(key)
        if value is None:
            self.error(key, "is required (a list, which may be empty)")
            return []
        if not isinstance(value, list):
            self.error(key, f"must be a list, not {_json_type(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.error(path, f"must be an object, not {_json_type(item)}")
                continue
            out.append((path, item))
        return out

    def unknown_keys(self, obj: dict[str, Any], path: str, known: set[str]) -> None:
        for key in sorted(set(obj) - known):
            self.warn(f"{path}.{key}" if path else key, "unknown field, ignored")


def _json_type(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _unique(reader: _Reader, seen: dict[str, str], code: str, path: str, kind: str) -> bool:
    if not code:
        return False
    if code in seen:
        reader.error(f"{path}.code", f'duplicate {kind} code "{code}" (first at {seen[code]})')
        return False
    seen[code] = path
    return True


def _parse_time(reader: _Reader, value: Any, path: str) -> dt.time | None:
    if not isinstance(value, str):
        reader.error(path, 'must be a time "HH:MM"')
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        reader.error(path, f'must be a time "HH:MM", not "{value}"')
        return None


def parse_election(doc: Any) -> ParseResult:  # noqa: C901 - one pass over the file, section by section
    reader = _Reader()
    spec = ElectionSpec()
    if not isinstance(doc, dict):
        reader.error("", f"the file must hold one JSON object, not {_json_type(doc)}")
        return ParseResult(spec, reader.errors, reader.warnings)

    reader.unknown_keys(
        doc,
        "",
        {
            "slug",
            "name",
            "election_day",
            "rules",
            "time_zone",
            "voting_hours",
            "double_entry",
            "areas",
            "contests",
            "constituencies",
            "polling_units",
            "candidates",
        },
    )
    spec.slug = reader.text(doc, "slug", "", max_length=80)
    if spec.slug and not SLUG_RE.match(spec.slug):
        reader.error("slug", f'must use only a-z, 0-9 and "-", not "{spec.slug}"')
    spec.name = reader.text(doc, "name", "")
    day = reader.text(doc, "election_day", "")
    if day:
        try:
            spec.election_day = dt.date.fromisoformat(day) if len(day) == 10 else None
        except ValueError:
            spec.election_day = None
        if spec.election_day is None:
            reader.error("election_day", f'must be a date "YYYY-MM-DD", not "{day}"')
    rule_set = doc.get("rules", RuleSet.VN_2015)
    if rule_set not in RuleSet.values:
        reader.error("rules", f'must be one of {", ".join(RuleSet.values)}, not "{rule_set}"')
    else:
        spec.rules = rule_set
    time_zone = doc.get("time_zone", spec.time_zone)
    if not isinstance(time_zone, str) or time_zone not in zoneinfo.available_timezones():
        reader.error("time_zone", f'unknown time zone "{time_zone}"')
    else:
        spec.time_zone = time_zone
    hours = doc.get("voting_hours")
    if hours is not None:
        if not isinstance(hours, dict):
            reader.error("voting_hours", 'must be an object {"opens": "07:00", "closes": "19:00"}')
        else:
            opens = _parse_time(reader, hours.get("opens", "07:00"), "voting_hours.opens")
            closes = _parse_time(reader, hours.get("closes", "19:00"), "voting_hours.closes")
            if opens and closes:
                if opens < EARLIEST_OPENING or closes > LATEST_CLOSING or opens >= closes:
                    reader.error(
                        "voting_hours", "voting must lie within 05:00-21:00 and open before it closes (Art. 71)"
                    )
                else:
                    spec.voting_opens, spec.voting_closes = opens, closes

    double_entry = doc.get("double_entry", False)
    if not isinstance(double_entry, bool):
        reader.error("double_entry", f"must be true or false, not {_json_type(double_entry)}")
    else:
        spec.double_entry = double_entry

    # Areas: codes first, then parents, then the tree must have no cycle.
    area_paths: dict[str, str] = {}
    for path, obj in reader.objects(doc, "areas"):
        reader.unknown_keys(obj, path, {"code", "name", "parent"})
        code = reader.code(obj, "code", path)
        name = reader.text(obj, "name", path, max_length=200)
        parent = obj.get("parent")
        if parent is not None and not isinstance(parent, str):
            reader.error(f"{path}.parent", f"must be an area code or null, not {_json_type(parent)}")
            parent = None
        if _unique(reader, area_paths, code, path, "area"):
            spec.areas.append(AreaSpec(code, name, parent or None))
    parents = {a.code: a.parent for a in spec.areas}
    for a in spec.areas:
        if a.parent is not None and a.parent not in parents:
            reader.error(f"{area_paths[a.code]}.parent", f'unknown area "{a.parent}"')
    reported_cycle: set[str] = set()
    for a in spec.areas:
        seen: list[str] = []
        node: str | None = a.code
        while node is not None and node in parents and node not in seen:
            seen.append(node)
            node = parents[node]
        if node is not None and node in seen and node not in reported_cycle:
            cycle = seen[seen.index(node) :]
            reported_cycle.update(cycle)
            reader.error(f"{area_paths[node]}.parent", "areas form a cycle: " + " -> ".join([*cycle, node]))

    contest_paths: dict[str, str] = {}
    for i, (path, obj) in enumerate(reader.objects(doc, "contests")):
        reader.unknown_keys(obj, path, {"code", "name", "level"})
        code = reader.code(obj, "code", path)
        name = reader.text(obj, "name", path)
        level = obj.get("level")
        if level not in Level.values:
            reader.error(f"{path}.level", f'must be one of {", ".join(Level.values)}, not "{level}"')
            level = None
        if _unique(reader, contest_paths, code, path, "contest") and level:
            spec.contests.append(ContestSpec(code, name, level, i))
            for finding in rules.check_contest(level=level, election_day=spec.election_day):
                reader.warn(f"{path}.level", f'"{code}": {finding.message} ({finding.article})')
    contest_level = {c.code: c.level for c in spec.contests}

    constituency_paths: dict[str, str] = {}
    for path, obj in reader.objects(doc, "constituencies"):
        reader.unknown_keys(obj, path, {"code", "contest", "name", "seats", "area"})
        code = reader.code(obj, "code", path)
        contest = reader.code(obj, "contest", path)
        name = reader.text(obj, "name", path, max_length=200)
        seats = reader.integer(obj, "seats", path, minimum=1)
        area = reader.code(obj, "area", path)
        if contest and contest not in contest_paths:
            reader.error(f"{path}.contest", f'unknown contest "{contest}"')
        if area and area not in area_paths:
            reader.error(f"{path}.area", f'unknown area "{area}"')
        if seats is not None and seats > 32767:
            reader.error(f"{path}.seats", f"is too large: {seats}")
            seats = None
        if _unique(reader, constituency_paths, code, path, "constituency") and seats is not None:
            spec.constituencies.append(ConstituencySpec(code, contest, name, seats, area))
    constituency_contest = {c.code: c.contest for c in spec.constituencies}

    unit_paths: dict[str, str] = {}
    for path, obj in reader.objects(doc, "polling_units"):
        reader.unknown_keys(obj, path, {"code", "name", "area", "registered_voters", "constituencies"})
        code = reader.code(obj, "code", path)
        name = reader.text(obj, "name", path, max_length=200)
        area = reader.code(obj, "area", path)
        voters = reader.integer(obj, "registered_voters", path, minimum=0, required=False)
        if area and area not in area_paths:
            reader.error(f"{path}.area", f'unknown area "{area}"')
        members = obj.get("constituencies", [])
        codes: list[str] = []
        if not isinstance(members, list):
            reader.error(f"{path}.constituencies", f"must be a list of constituency codes, not {_json_type(members)}")
            members = []
        by_contest: dict[str, int] = {}
        for j, member in enumerate(members):
            where = f"{path}.constituencies[{j}]"
            if not isinstance(member, str):
                reader.error(where, f"must be a constituency code, not {_json_type(member)}")
                continue
            if member not in constituency_paths:
                reader.error(where, f'unknown constituency "{member}"')
                continue
            if member in codes:
                reader.error(where, f'constituency "{member}" is listed twice')
                continue
            contest = constituency_contest.get(member)
            if contest is not None and contest in by_contest:
                reader.error(
                    where,
                    f'a second constituency for contest "{contest}" (already {members[by_contest[contest]]}); '
                    "a polling unit votes in at most one constituency per contest",
                )
                continue
            if contest is not None:
                by_contest[contest] = j
            codes.append(member)
        if _unique(reader, unit_paths, code, path, "polling unit"):
            spec.polling_units.append(PollingUnitSpec(code, name, area, voters, codes))
            for finding in rules.check_polling_unit(voters=voters):
                reader.warn(f"{path}.registered_voters", f"{finding.message} ({finding.article})")

    candidate_paths: dict[str, str] = {}
    order: dict[str, int] = defaultdict(int)
    for path, obj in reader.objects(doc, "candidates"):
        reader.unknown_keys(obj, path, {"code", "constituency", "full_name", "date_of_birth", "gender", "affiliation"})
        code = reader.code(obj, "code", path)
        constituency = reader.code(obj, "constituency", path)
        full_name = reader.text(obj, "full_name", path, max_length=200)
        dob_text = reader.text(obj, "date_of_birth", path, max_length=10)
        gender = reader.text(obj, "gender", path, required=False, max_length=10)
        affiliation = reader.text(obj, "affiliation", path, required=False, max_length=200)
        if constituency and constituency not in constituency_paths:
            reader.error(f"{path}.constituency", f'unknown constituency "{constituency}"')
        if gender and gender not in Gender.values:
            reader.error(f"{path}.gender", f'must be one of {", ".join(Gender.values)} or left out, not "{gender}"')
        born: tuple[dt.date, DatePrecision] | None = None
        if dob_text:
            try:
                born = rules.parse_birth_date(dob_text)
            except ValueError:
                reader.error(f"{path}.date_of_birth", f'must be "YYYY-MM-DD", "YYYY-MM" or "YYYY", not "{dob_text}"')
        if _unique(reader, candidate_paths, code, path, "candidate") and born and constituency:
            order[constituency] += 1
            spec.candidates.append(
                CandidateSpec(
                    code,
                    constituency,
                    full_name,
                    born[0],
                    born[1],
                    gender,
                    affiliation,
                    ballot_order=order[constituency],
                )
            )

    # The law's warnings on seats and candidates, once the file holds together.
    if not reader.errors:
        for c in spec.constituencies:
            for finding in rules.check_constituency(
                level=contest_level[c.contest], seats=c.seats, candidates=order.get(c.code, 0)
            ):
                reader.warn(f"{constituency_paths[c.code]}", f'"{c.code}": {finding.message} ({finding.article})')
    return ParseResult(spec, reader.errors, reader.warnings)
