"""Reading tallies (interfaces §2) from JSON: shape and types only, every problem with its path. Pure."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from django.utils.translation import gettext_lazy as _

from core import jsontext
from core.errors import Problem, lazy_format
from results.rules.checks import FIELDS

MAX_COUNT = 2_000_000_000
# Item 8 of the counting minutes (Art. 76) is a short account; a longer text is attached on paper.
MAX_COMPLAINTS = 4000


@dataclass
class TallyPayload:
    figures: dict[str, int]
    votes: dict[str, int]
    complaints: str
    polling_unit: str = ""
    contest: str = ""

    def canonical(self) -> dict[str, Any]:
        return {**self.figures, "votes": dict(sorted(self.votes.items())), "complaints": self.complaints}


def _count(value: Any, path: str, problems: list[Problem]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        shown = json.dumps(value, ensure_ascii=False) if value is not None else "null"
        problems.append(Problem(path, lazy_format(_("must be a whole number, not %(value)s"), value=shown)))
        return None
    if value < 0:
        problems.append(Problem(path, lazy_format(_("must not be negative, not %(value)s"), value=value)))
        return None
    if value > MAX_COUNT:
        problems.append(Problem(path, lazy_format(_("is too large: %(value)s"), value=value)))
        return None
    return value


def parse_tally(
    obj: Any, *, path: str = "", with_keys: bool = False, extra: frozenset[str] = frozenset()
) -> tuple[TallyPayload | None, list[Problem]]:
    """One tally object. `with_keys`: it must also name `polling_unit` and `contest` (the import file)."""
    prefix = f"{path}." if path else ""
    problems: list[Problem] = []
    if not isinstance(obj, dict):
        return None, [Problem(path, _("must be a JSON object"))]
    known = {*FIELDS, "votes", "complaints", *extra} | ({"polling_unit", "contest"} if with_keys else set())
    problems += [Problem(f"{prefix}{key}", _("unknown field")) for key in sorted(set(obj) - known)]
    keys = {}
    if with_keys:
        for key in ("polling_unit", "contest"):
            value = obj.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(f"{prefix}{key}", _("is required (a code)")))
            else:
                keys[key] = value.strip()
    figures: dict[str, int] = {}
    for name in FIELDS:
        if name not in obj:
            problems.append(Problem(f"{prefix}{name}", _("is required")))
            continue
        value = _count(obj[name], f"{prefix}{name}", problems)
        if value is not None:
            figures[name] = value
    votes: dict[str, int] = {}
    raw_votes = obj.get("votes")
    if not isinstance(raw_votes, dict):
        problems.append(Problem(f"{prefix}votes", _("is required: an object of candidate code -> votes")))
    else:
        for code, value in raw_votes.items():
            if "\x00" in code:
                problems.append(Problem(f"{prefix}votes", _("a candidate code must not contain NUL characters")))
                continue
            n = _count(value, f"{prefix}votes.{code}", problems)
            if n is not None:
                votes[code] = n
    complaints = obj.get("complaints", "")
    if complaints is None:
        complaints = ""
    if not isinstance(complaints, str) or "\x00" in complaints:
        problems.append(Problem(f"{prefix}complaints", _("must be text (without NUL characters)")))
        complaints = ""
    elif len(complaints) > MAX_COMPLAINTS:
        problems.append(
            Problem(
                f"{prefix}complaints",
                lazy_format(
                    _("at most %(max)s characters (this text has %(n)s); attach a longer account on paper"),
                    max=MAX_COMPLAINTS,
                    n=len(complaints),
                ),
            )
        )
    if problems:
        return None, problems
    return TallyPayload(figures, votes, complaints.strip(), **keys), []


def read_tally_file(raw: bytes) -> tuple[list[tuple[str, Any]], list[Problem]]:
    """A JSON array of tallies, or JSON Lines (one tally a line): (path, object) pairs."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem("", f"the file is not UTF-8 (byte {exc.start})")]
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            doc = _loads(text)
        except json.JSONDecodeError as exc:
            return [], [Problem("", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]
        return [(f"[{i}]", item) for i, item in enumerate(doc)], []
    items, problems = [], []
    for lineno, line in _lines(text):
        try:
            items.append((f"line {lineno}", _loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"line {lineno}", f"not valid JSON: {exc.msg} at column {exc.colno}"))
    return items, problems


def _loads(text: str) -> Any:
    """`json.loads`, by orjson where it reads the text the same (several times faster on 100,000 lines). What it
    refuses (NaN, lone surrogates, broken text) goes to `json.loads` for its verdict, and so does anything with a
    float in it: orjson reads an integer beyond 64 bits as a float."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    return value if jsontext.plain(value) else json.loads(text)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield lineno, line
