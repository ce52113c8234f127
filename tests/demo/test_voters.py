"""The demo's voters listed apart (Art. 29(3), (5)): a few soldiers, detainees and people in a compulsory facility
at units with a commune-council contest, who vote there for the National Assembly and the provincial council only."""

import datetime as dt

from demo.elections import build_demo_election
from demo.voters import LISTED_APART, demo_voter_rows
from voters.importing.reading import HEADER, OPTIONAL


def test_the_demo_file_has_the_category_column_and_the_voters_listed_apart():
    rows = demo_voter_rows([("YM-02", 40), ("TT-03", 30), ("BY-01", 20)], dt.date(2021, 5, 23))
    assert {len(row) for row in rows} == {len(HEADER) + len(OPTIONAL)}
    category_at = len(HEADER) + OPTIONAL.index("category")
    apart = [(row[4], row[category_at]) for row in rows if row[category_at]]
    assert sorted(apart) == sorted((code, category) for code, category, n in LISTED_APART for _ in range(n))
    assert len({row[0] for row in rows}) == len(rows)  # national IDs stay unique
    # they come last, after every unit's own rows: the numbers on the lists before them stay as they were
    n_apart = sum(n for _code, _category, n in LISTED_APART)
    assert all(row[category_at] for row in rows[-n_apart:]) and not any(row[category_at] for row in rows[:-n_apart])


def test_the_units_of_the_voters_listed_apart_hold_a_commune_council_contest():
    election = build_demo_election()
    levels = {c["code"]: c["contest"] for c in election["constituencies"]}
    units = {u["code"]: u for u in election["polling_units"]}
    for code, _category, _n in LISTED_APART:
        assert "XA" in {levels[c] for c in units[code]["constituencies"]}
