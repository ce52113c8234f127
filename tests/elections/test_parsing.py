"""Reading the structure file: every problem found at once, each with its JSON path."""

import copy
import json
from pathlib import Path

import pytest

from elections.parsing import parse_election

EXAMPLE = json.loads((Path(__file__).parent.parent / "data" / "contract_example.json").read_text(encoding="utf-8"))


def doc(**changes):
    d = copy.deepcopy(EXAMPLE)
    d.update(changes)
    return d


def messages(result):
    return [str(p) for p in result.errors]


def test_contract_example_parses_without_errors():
    result = parse_election(EXAMPLE)
    assert result.errors == []
    assert result.spec.slug == "thanh-thuy-2021"
    assert [c.code for c in result.spec.candidates if c.constituency == "QH-PT-2"] == [
        f"QH-PT-2-0{i}" for i in range(1, 6)
    ]
    # ballot order is the file's order, per constituency
    assert [c.ballot_order for c in result.spec.candidates] == [1, 2, 3, 4, 5, 1, 2, 3]


def test_every_problem_is_listed_with_its_path():
    d = doc(slug="Bad Slug", election_day="23/05/2021", rules="majority")
    d["areas"][0]["parent"] = "NOPE"
    d["contests"][1]["level"] = "mayor"
    d["constituencies"][0]["seats"] = 0
    d["polling_units"][0]["constituencies"] = ["QH-PT-2", "X-9"]
    d["polling_units"][1]["registered_voters"] = "640"
    d["candidates"][1]["date_of_birth"] = "1971-13"
    d["candidates"][2]["code"] = "QH-PT-2-01"
    d["candidates"][3]["gender"] = "f"
    result = parse_election(d)
    assert messages(result) == [
        'slug: must use only a-z, 0-9 and "-", not "Bad Slug"',
        'election_day: must be a date "YYYY-MM-DD", not "23/05/2021"',
        'rules: must be one of vn-2015, plurality, not "majority"',
        'areas[0].parent: unknown area "NOPE"',
        "contests[1].level: must be one of national_assembly, provincial_council, district_council, "
        'commune_council, not "mayor"',
        "constituencies[0].seats: must be at least 1, not 0",
        'polling_units[0].constituencies[1]: unknown constituency "X-9"',
        "polling_units[1].registered_voters: must be a whole number, not a string '640'",
        'candidates[1].date_of_birth: must be "YYYY-MM-DD", "YYYY-MM" or "YYYY", not "1971-13"',
        'candidates[2].code: duplicate candidate code "QH-PT-2-01" (first at candidates[0])',
        'candidates[3].gender: must be one of female, male or left out, not "f"',
    ]


def test_a_unit_in_two_constituencies_of_one_contest_is_refused():
    d = doc()
    d["constituencies"].append({"code": "QH-PT-3", "contest": "QH", "name": "ĐV 3", "seats": 2, "area": "PT"})
    d["polling_units"][0]["constituencies"] = ["QH-PT-2", "QH-PT-3"]
    assert messages(parse_election(d)) == [
        'polling_units[0].constituencies[1]: a second constituency for contest "QH" (already QH-PT-2); '
        "a polling unit votes in at most one constituency per contest"
    ]


def test_an_area_cycle_is_refused():
    d = doc()
    d["areas"][1]["parent"] = "PT-TT-BY"  # PT -> PT-TT-BY -> PT-TT -> PT
    errors = messages(parse_election(d))
    assert len(errors) == 1
    assert "areas form a cycle" in errors[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "the file must hold one JSON object, not a list"),
        ("x", "the file must hold one JSON object, not a string"),
    ],
)
def test_not_an_object(value, message):
    assert messages(parse_election(value)) == [message]


def test_missing_sections_are_named():
    errors = messages(parse_election({"slug": "a", "name": "A", "election_day": "2021-05-23"}))
    assert errors == [
        "areas: is required (a list, which may be empty)",
        "contests: is required (a list, which may be empty)",
        "constituencies: is required (a list, which may be empty)",
        "polling_units: is required (a list, which may be empty)",
        "candidates: is required (a list, which may be empty)",
    ]


def test_voting_hours_must_be_within_the_law():
    result = parse_election(doc(voting_hours={"opens": "04:30", "closes": "19:00"}))
    assert messages(result) == ["voting_hours: voting must lie within 05:00-21:00 and open before it closes (Art. 71)"]
    result = parse_election(doc(voting_hours={"opens": "05:00", "closes": "21:00"}))
    assert result.errors == []
    assert (result.spec.voting_opens.hour, result.spec.voting_closes.hour) == (5, 21)


def test_legal_warnings_do_not_refuse():
    d = doc()
    d["constituencies"][0]["seats"] = 4  # National Assembly: at most 3
    d["polling_units"][0]["registered_voters"] = 120
    result = parse_election(d)
    assert result.errors == []
    warnings = [str(w) for w in result.warnings]
    assert 'constituencies[0]: "QH-PT-2": 4 seats; the law allows at most 3 for this level (Art. 10(4))' in warnings
    assert (
        'constituencies[0]: "QH-PT-2": 5 candidates for 4 seats; the law asks for at least 6 (Art. 57(6))' in warnings
    )
    assert any(w.startswith("polling_units[0].registered_voters: 120 voters, fewer than 300") for w in warnings)
    # XA-BY-1: 2 seats need 3 candidates, and has 3
    assert not any("XA-BY-1" in w for w in warnings)


def test_unknown_fields_are_warned_and_ignored():
    d = doc()
    d["areas"][0]["population"] = 5
    result = parse_election(d)
    assert result.errors == []
    assert "areas[0].population: unknown field, ignored" in [str(w) for w in result.warnings]


@pytest.mark.parametrize("code", ["BY/01", "BY 01", "BY?01", "BY#1", "..%2F", "a\\b"])
def test_codes_with_characters_that_break_addresses_are_refused(code):
    """Issue 14, point 7: a code with "/" imported, then the public area and constituency pages answered 500."""
    d = doc()
    d["polling_units"][0]["code"] = code
    found = [m for m in messages(parse_election(d)) if "polling_units[0].code" in m]
    assert found and "letters, digits" in found[0], messages(parse_election(d))


@pytest.mark.parametrize("code", ["BY-01", "QH_PT.2", "XÃ-BẢO-YÊN-1"])
def test_codes_of_letters_digits_dashes_underscores_and_dots_are_accepted(code):
    d = doc()
    old = d["polling_units"][0]["code"]
    d["polling_units"][0]["code"] = code
    result = parse_election(d)
    assert not [m for m in messages(result) if "code" in m and old not in m], messages(result)
