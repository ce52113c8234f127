"""JSON text of plain values by orjson, byte for byte what the standard library writes (issue 13).

`canonical` is `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`: the audit chain
hashes that text, so it must not change by one byte. orjson writes the same for plain values (dicts with string
keys, lists, tuples, strings, str subclasses, 64-bit integers, booleans, None), several times faster; for
anything else (floats, dates, other types, integers beyond 64 bits) the standard library's text is used.
"""

import json
from typing import Any

import orjson

_LOW, _HIGH = -(2**63), 2**63


def plain(value: Any) -> bool:
    """Whether orjson writes `value` exactly as the standard library does."""
    t = type(value)
    if t is dict:
        if not all(type(k) is str for k in value):
            return False
        items: Any = value.values()
    elif t is list or t is tuple:
        items = value
    else:  # a subclass of str (a TextChoices member): both write its characters
        return isinstance(value, str) or value is None or t is bool or (t is int and _LOW <= value < _HIGH)
    for v in items:  # the common scalars here, without a call each
        t = type(v)
        if t is str or v is None or t is bool:
            continue
        if t is int:
            if not _LOW <= v < _HIGH:
                return False
        elif not plain(v):
            return False
    return True


def canonical(value: Any, *, default: Any = None) -> str:
    """Sorted keys, no spaces, UTF-8 characters as they are; `default` for values JSON has no type for."""
    if plain(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
        except orjson.JSONEncodeError:  # a lone surrogate in a string: the standard library's text
            pass
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default)


def round_trip(value: Any, *, default: Any = None) -> Any:
    """`json.loads(canonical(value))`: what comes back from storing `value` as JSON."""
    if plain(value):
        try:
            return orjson.loads(orjson.dumps(value, option=orjson.OPT_SORT_KEYS))
        except orjson.JSONEncodeError:
            pass
    return json.loads(canonical(value, default=default))
