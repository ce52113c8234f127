"""read_tally_file reads each line by orjson where it reads it as json.loads does (issue 13), and leaves the
rest (NaN, integers beyond 64 bits, lone surrogates, broken lines) to json.loads: the same objects, the same
problems."""

import json

from results.tallies.parsing import read_tally_file

LINES = [
    '{"polling_unit": "U1", "contest": "QH", "votes": {"A": 1, "B": 2}, "valid_ballots": 3}',
    '{"polling_unit": "U2", "voters_on_list": NaN}',
    '{"polling_unit": "U3", "voters_on_list": 123456789012345678901234567890}',
    '{"polling_unit": "\\ud800", "complaints": "\\u00e9 ệ \\n"}',
    '{"polling_unit": "U5", "voters_on_list": 1.5e3, "a": 1, "a": 2}',
]


def test_every_line_reads_as_json_loads_reads_it():
    items, problems = read_tally_file("\n".join(LINES).encode())
    assert problems == []
    got = [obj for _path, obj in items]
    assert json.dumps(got) == json.dumps([json.loads(line) for line in LINES])  # NaN compares unequal to itself


def test_a_broken_line_gets_json_loads_message():
    items, problems = read_tally_file(b'{"polling_unit": "U1"}\n{"polling_unit": \n')
    assert len(items) == 1
    assert [(p.path, str(p.message)) for p in problems] == [("line 2", "not valid JSON: Expecting value at column 18")]
