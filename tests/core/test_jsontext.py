"""core/jsontext.py (issue 13): orjson's text where it is byte for byte the standard library's, the standard
library's everywhere else. The audit chain hashes this text: one byte of difference breaks every hash."""

import enum
import json

import pytest

from core import jsontext


def stdlib(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


class Kind(enum.StrEnum):
    IMPORTED = "results.tally.imported"


PLAIN = [
    {"b": 1, "a": [True, None, "x"], "é": {"z": -(2**63), "y": 2**63 - 1}},
    {"text": 'quote " backslash \\ controls \x00\x01\x1f\x7f \n\r\t\b\f, ệ 中 😀 \u2028\u2029'},
    [Kind.IMPORTED, {"k": Kind.IMPORTED}],
    ("a", 1),
    {"votes": {"OIK-039-P02": 2, "OIK-039-P01": 57}, "complaints": ""},
    "",
    None,
]
NOT_PLAIN = [
    {"share": 1e16, "small": 1e-7, "half": 0.5},
    {"big": 2**64},
    {1: "int key"},
    {"nan": float("nan")},
    {"when": __import__("datetime").date(2021, 9, 19)},
]


@pytest.mark.parametrize("value", PLAIN)
def test_plain_values_are_written_by_orjson_exactly_as_json_dumps(value):
    assert jsontext.plain(value)
    assert jsontext.canonical(value, default=str) == stdlib(value)
    assert jsontext.round_trip(value, default=str) == json.loads(stdlib(value))


@pytest.mark.parametrize("value", NOT_PLAIN)
def test_other_values_get_the_standard_librarys_text(value):
    assert not jsontext.plain(value)
    assert jsontext.canonical(value, default=str) == stdlib(value)


def test_round_trip_keeps_the_sorted_key_order_of_the_stored_text():
    assert list(jsontext.round_trip({"b": 1, "a": {"d": 1, "c": 2}})) == ["a", "b"]


def test_a_lone_surrogate_which_orjson_refuses_gets_the_standard_librarys_text():
    value = {"lone": "\ud800"}
    assert jsontext.canonical(value) == stdlib(value)
    assert jsontext.round_trip(value) == json.loads(stdlib(value))
