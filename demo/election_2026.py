"""The second demo election: 2026 (15 March 2026) in a two-tier province, in the structure format of CONTRACT §1.

Everything here is synthetic. "Tỉnh Sông Lam" and its wards and communes are invented names (no such province
exists); polling units, voter counts, constituencies and candidates are made up and are not real figures. The
output is deterministic (`random.Random(2026)`).

The election is held under Law 85/2015 as amended by Law 83/2025/QH15: local government has two tiers, so the
province's communes and wards sit directly under it (no district), and the contests are the National Assembly
(khóa XVI), the provincial council and the commune and ward councils (nhiệm kỳ 2026-2031). No voter list is
loaded (each unit's `registered_voters` counts), which keeps `load_demo` fast.

Planted for the demo's election day (demo/results_2026.py):
- TINH-SL-2's last seat is tied between a candidate born "1975" and one born "1975-06-15": the age rule cannot
  order them (CONTRACT §1), so the competent body settles it;
- QH-SL-2 and XA-TA-2 fill too few seats in round 1 (Art. 79).
"""

from __future__ import annotations

import random
from typing import Any

from demo.elections import BIRTH_YEARS, PARTY, _candidates, constituency_row
from elections.rules import required_candidates

DEMO_2026_SLUG = "song-lam-2026"
SEED = 2026
ELECTION_DAY = "2026-03-15"

PROVINCE = ("SL", "Tỉnh Sông Lam")

CONTESTS: tuple[tuple[str, str, str], ...] = (
    ("QH", "Đại biểu Quốc hội khóa XVI", "national_assembly"),
    ("TINH", "Đại biểu HĐND tỉnh Sông Lam nhiệm kỳ 2026-2031", "provincial_council"),
    ("XA", "Đại biểu HĐND xã, phường nhiệm kỳ 2026-2031", "commune_council"),
)

# National Assembly constituency -> seats; provincial-council constituency -> seats.
NA_SEATS = {1: 2, 2: 3}
PROVINCIAL_SEATS = {1: 3, 2: 2, 3: 3}

# Wards and communes, directly under the province: (abbreviation, name, polling units, NA constituency,
# provincial constituency, word for its residential groups, seats of each of its council constituencies
# (with the units each covers)).
COMMUNES: tuple[tuple[str, str, int, int, int, str, tuple[tuple[int, int], ...]], ...] = (
    ("HD", "Phường Hưng Đạo", 4, 1, 1, "Tổ dân phố", ((4, 2), (3, 2))),
    ("TA", "Xã Tân An", 4, 1, 2, "Thôn", ((3, 2), (3, 2))),
    ("PL", "Xã Phú Lâm", 3, 2, 3, "Thôn", ((3, 2), (3, 1))),
    ("LS", "Phường Lam Sơn", 3, 2, 3, "Tổ dân phố", ((4, 2), (3, 1))),
)

# The tie the age rule cannot settle: TINH-SL-2's candidates 2 and 3, born "1975" and "1975-06-15".
TIED = ("TINH-SL-2-02", "TINH-SL-2-03")
TIED_BIRTH_DATES = ("1975", "1975-06-15")

DEMO_2026_USERS: list[dict[str, Any]] = [
    {
        "username": "uyban.sl",
        "role": "committee",
        "scope": "SL",
        "label_vi": "Ủy ban bầu cử tỉnh Sông Lam (2026)",
        "label_en": "Election committee of Sông Lam province (2026)",
    },
    {
        "username": "uyban.sl2",
        "role": "committee",
        "scope": "SL",
        "label_vi": "Ủy ban bầu cử tỉnh Sông Lam, thành viên thứ hai (2026)",
        "label_en": "Election committee of Sông Lam province, a second member (2026)",
    },
    {
        "username": "uyban.tanan",
        "role": "committee",
        "scope": "SL-TA",
        "label_vi": "Ủy ban bầu cử xã Tân An (2026)",
        "label_en": "Election committee of Tân An commune (2026)",
    },
    {
        "username": "ban.tinh2",
        "role": "board",
        "scope": "TINH-SL-2",
        "label_vi": "Ban bầu cử đại biểu HĐND tỉnh, đơn vị bầu cử số 2 (2026)",
        "label_en": "Election board, provincial council constituency no. 2 (2026)",
    },
    {
        "username": "to.ls03",
        "role": "clerk",
        "scope": "LS-03",
        "label_vi": "Tổ bầu cử khu vực bỏ phiếu số 3, phường Lam Sơn (2026)",
        "label_en": "Polling team, polling unit no. 3, Lam Sơn ward (2026)",
    },
    {
        "username": "to.ls03b",
        "role": "clerk",
        "scope": "LS-03",
        "label_vi": "Tổ bầu cử khu vực bỏ phiếu số 3, phường Lam Sơn: người nhập lần hai (2026)",
        "label_en": "Polling team, polling unit no. 3, Lam Sơn ward: the second entry (2026)",
    },
]


def _units(rng: random.Random, abbr: str, area: str, count: int, group_word: str) -> list[dict[str, Any]]:
    return [
        {
            "code": f"{abbr}-{n:02d}",
            "name": f"Khu vực bỏ phiếu số {n} - {group_word} {n}",
            "area": area,
            "registered_voters": rng.randint(650, 1450),
            "constituencies": [],
        }
        for n in range(1, count + 1)
    ]


def build_demo_2026_election() -> dict[str, Any]:
    """The whole 2026 demo election as a JSON-ready dict (CONTRACT §1); the same on every call."""
    rng = random.Random(SEED)  # noqa: S311 (seeded random for demo data)
    level = {code: lvl for code, _, lvl in CONTESTS}
    areas: list[dict[str, Any]] = [{"code": PROVINCE[0], "name": PROVINCE[1], "parent": None}]
    constituencies: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []

    def constituency(contest: str, code: str, number: int, seats: int, area: str) -> None:
        constituencies.append(constituency_row(contest, code, number, seats, area))

    for number, seats in NA_SEATS.items():
        constituency("QH", f"QH-SL-{number}", number, seats, PROVINCE[0])
    for number, seats in PROVINCIAL_SEATS.items():
        constituency("TINH", f"TINH-SL-{number}", number, seats, PROVINCE[0])
    for abbr, name, count, na, provincial, group_word, councils in COMMUNES:
        area = f"{PROVINCE[0]}-{abbr}"
        areas.append({"code": area, "name": name, "parent": PROVINCE[0]})
        commune_units = _units(rng, abbr, area, count, group_word)
        first = 0
        for number, (seats, size) in enumerate(councils, start=1):
            code = f"XA-{abbr}-{number}"
            constituency("XA", code, number, seats, area)
            for unit in commune_units[first : first + size]:
                unit["constituencies"] = [f"QH-SL-{na}", f"TINH-SL-{provincial}", code]
            first += size
        units.extend(commune_units)

    candidates: list[dict[str, Any]] = []
    taken: set[str] = set()
    for c in constituencies:
        lvl = level[c["contest"]]
        candidates.extend(_candidates(rng, c["code"], lvl, required_candidates(lvl, c["seats"]), taken))
    by_code = {c["code"]: c for c in candidates}
    for code, born in zip(TIED, TIED_BIRTH_DATES, strict=True):
        by_code[code]["date_of_birth"] = born
        by_code[code]["affiliation"] = PARTY
    assert set(BIRTH_YEARS) >= set(level.values())

    return {
        "slug": DEMO_2026_SLUG,
        "name": "Bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp nhiệm kỳ 2026-2031",
        "election_day": ELECTION_DAY,
        "rules": "vn-2015",
        "double_entry": True,  # every tally typed twice (CONTRACT §12): LS-03's commune minutes by to.ls03 and to.ls03b
        "areas": areas,
        "contests": [{"code": code, "name": name, "level": lvl} for code, name, lvl in CONTESTS],
        "constituencies": constituencies,
        "polling_units": units,
        "candidates": candidates,
    }
