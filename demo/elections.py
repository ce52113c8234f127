"""A synthetic demo election in the structure format of interfaces §1 (2021-style, Phú Thọ province).

Everything here is invented for demonstrations and tests. The place names are plausible, but the
polling units, voter counts, constituencies and candidates are made up and are not real figures.
The output is deterministic (`random.Random(2021)`).

Two legal warnings are planted on purpose, so the demo shows them:
- polling unit TV-04 has 280 registered voters, fewer than the 300 of Art. 11;
- district-council constituency HUYEN-TT-4 has one candidate fewer than Art. 58(3) asks.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from typing import Any

from elections.rules import required_candidates

DEMO_SLUG = "phu-tho-2021"
DEMO_PASSWORD = "kiemphieu-demo-2021"
SEED = 2021

PROVINCE = ("PT", "Tỉnh Phú Thọ")
DISTRICT = ("PT-TT", "Huyện Thanh Thủy")

PARTY = "Đảng Cộng sản Việt Nam"
NON_PARTY = "Ngoài Đảng"

CONTESTS: tuple[tuple[str, str, str], ...] = (
    ("QH", "Đại biểu Quốc hội khóa XV", "national_assembly"),
    ("TINH", "Đại biểu HĐND tỉnh Phú Thọ nhiệm kỳ 2021-2026", "provincial_council"),
    ("HUYEN", "Đại biểu HĐND huyện Thanh Thủy nhiệm kỳ 2021-2026", "district_council"),
    ("XA", "Đại biểu HĐND cấp xã nhiệm kỳ 2021-2026", "commune_council"),
)

# National Assembly constituency number -> seats (Art. 10(4): at most 3).
NA_SEATS = {1: 2, 2: 3, 3: 2}
# Provincial-council constituency number -> seats.
PROVINCIAL_SEATS = {1: 4, 2: 2, 3: 3, 4: 2}
# District-council constituency number -> seats.
DISTRICT_SEATS = {1: 4, 2: 5, 3: 3, 4: 4, 5: 3}
# The one deliberate shortfall: this district constituency gets one candidate fewer than the law asks.
SHORT_DISTRICT_CONSTITUENCY = 4

# Thanh Thủy communes: (abbreviation, name, polling units, district constituency, provincial constituency).
# All Thanh Thủy lies in National Assembly constituency 2.
THANH_THUY_COMMUNES: tuple[tuple[str, str, int, int, int], ...] = (
    ("TT", "Thị trấn Thanh Thủy", 5, 1, 3),
    ("BY", "Xã Bảo Yên", 4, 1, 3),
    ("DH", "Xã Đoan Hạ", 4, 1, 3),
    ("TP", "Xã Tân Phương", 4, 2, 3),
    ("TD", "Xã Thạch Đồng", 3, 2, 3),
    ("XL", "Xã Xuân Lộc", 4, 2, 3),
    ("HX", "Xã Hoàng Xá", 5, 3, 3),
    ("PM", "Xã Phượng Mao", 3, 3, 3),
    ("YM", "Xã Yến Mao", 4, 3, 3),
    ("DT", "Xã Đồng Trung", 5, 4, 4),
    ("DL", "Xã Đồng Luận", 3, 4, 4),
    ("TH", "Xã Trung Thịnh", 4, 4, 4),
    ("TN", "Xã Trung Nghĩa", 4, 5, 4),
    ("ST", "Xã Sơn Thủy", 5, 5, 4),
    ("TV", "Xã Tu Vũ", 4, 5, 4),
)

# Other districts, each with one commune or ward that votes only for the National Assembly and the
# provincial council in this demo: (district code, district name, abbreviation, commune name,
# polling units, word for its residential groups, National Assembly constituency, provincial constituency).
OTHER_DISTRICTS: tuple[tuple[str, str, str, str, int, str, int, int], ...] = (
    ("PT-VT", "Thành phố Việt Trì", "GC", "Phường Gia Cẩm", 4, "Tổ dân phố", 1, 1),
    ("PT-LT", "Huyện Lâm Thao", "SV", "Xã Sơn Vi", 3, "Khu", 3, 2),
)

# The one polling unit below Art. 11's 300 voters (lawful in scattered hill areas, but warned about).
SMALL_UNIT = ("TV-04", 280)

# Three candidates whose date of birth is only partly known: (constituency, ballot position, kept part).
INCOMPLETE_BIRTH_DATES: tuple[tuple[str, int, int], ...] = (
    ("XA-DH-1", 3, len("YYYY-MM")),
    ("XA-TV-2", 2, len("YYYY-MM")),
    ("XA-YM-1", 4, len("YYYY")),
)

# Birth-year ranges per level; every candidate is well over 21 on election day.
BIRTH_YEARS = {
    "national_assembly": (1962, 1986),
    "provincial_council": (1960, 1990),
    "district_council": (1958, 1992),
    "commune_council": (1958, 1995),
}

FAMILY_NAMES: tuple[tuple[str, int], ...] = (
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 5), ("Phan", 4),
    ("Bùi", 4), ("Đỗ", 4), ("Đặng", 3), ("Ngô", 3), ("Đinh", 3), ("Hà", 3), ("Hồ", 2), ("Dương", 2),
    ("Cao", 2), ("Tạ", 2), ("Lý", 1), ("Huỳnh", 1), ("Võ", 1),
)  # fmt: skip
MALE_MIDDLE_NAMES: tuple[tuple[str, int], ...] = (
    ("Văn", 12), ("Đức", 4), ("Minh", 3), ("Hữu", 3), ("Quang", 3), ("Xuân", 2), ("Mạnh", 2),
    ("Công", 2), ("Tiến", 2), ("Việt", 2), ("Đình", 2), ("Trọng", 1), ("Thế", 1), ("Ngọc", 1), ("Anh", 1),
)  # fmt: skip
FEMALE_MIDDLE_NAMES: tuple[tuple[str, int], ...] = (
    ("Thị", 14), ("Thị Thu", 2), ("Thị Hồng", 2), ("Thị Thanh", 2), ("Thị Minh", 1), ("Thu", 2),
    ("Ngọc", 2), ("Thanh", 2), ("Minh", 1), ("Phương", 1), ("Thùy", 1), ("Hồng", 1), ("Kim", 1),
)  # fmt: skip
MALE_GIVEN_NAMES = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Thắng", "Quang", "Sơn", "Hải", "Nam", "Cường", "Long", "Trung",
    "Hưng", "Bình", "Thành", "Đạt", "Khánh", "Phong", "Toàn", "Vinh", "Tiến", "Huy", "Kiên", "Lâm",
    "Phúc", "Tùng", "Hiếu", "Đông", "Chiến", "Tâm", "Thịnh", "Quyết",
)  # fmt: skip
FEMALE_GIVEN_NAMES = (
    "Lan", "Hương", "Hồng", "Mai", "Thu", "Hà", "Ngọc", "Linh", "Hạnh", "Huyền", "Nga", "Oanh",
    "Phương", "Thảo", "Trang", "Yến", "Dung", "Hằng", "Loan", "Nhung", "Thủy", "Vân", "Xuân", "Anh",
    "Quỳnh", "Hoa", "Liên", "Thúy", "Giang", "Châu",
)  # fmt: skip
SHARE_OF_WOMEN = 0.42
SHARE_OF_PARTY_MEMBERS = 0.85

DEMO_USERS: list[dict[str, Any]] = [
    {
        "username": "admin",
        "password": DEMO_PASSWORD,
        "role": "admin",
        "scope": None,
        "label_vi": "Quản trị hệ thống",
        "label_en": "System administrator",
    },
    {
        "username": "uyban.tinh",
        "password": DEMO_PASSWORD,
        "role": "committee",
        "scope": "PT",
        "label_vi": "Ủy ban bầu cử tỉnh Phú Thọ",
        "label_en": "Election committee of Phú Thọ province",
    },
    {
        # A second member of the same committee: publication needs two different members (interfaces §9).
        "username": "uyban.tinh2",
        "password": DEMO_PASSWORD,
        "role": "committee",
        "scope": "PT",
        "label_vi": "Ủy ban bầu cử tỉnh Phú Thọ (thành viên thứ hai)",
        "label_en": "Election committee of Phú Thọ province (a second member)",
    },
    {
        "username": "uyban.huyen",
        "password": DEMO_PASSWORD,
        "role": "committee",
        "scope": "PT-TT",
        "label_vi": "Ủy ban bầu cử huyện Thanh Thủy",
        "label_en": "Election committee of Thanh Thủy district",
    },
    {
        "username": "uyban.xa",
        "password": DEMO_PASSWORD,
        "role": "committee",
        "scope": "PT-TT-BY",
        "label_vi": "Ủy ban bầu cử xã Bảo Yên",
        "label_en": "Election committee of Bảo Yên commune",
    },
    {
        "username": "ban.qh2",
        "password": DEMO_PASSWORD,
        "role": "board",
        "scope": "QH-PT-2",
        "label_vi": "Ban bầu cử đại biểu Quốc hội, đơn vị bầu cử số 2",
        "label_en": "Election board, National Assembly constituency no. 2",
    },
    {
        "username": "ban.huyen1",
        "password": DEMO_PASSWORD,
        "role": "board",
        "scope": "HUYEN-TT-1",
        "label_vi": "Ban bầu cử đại biểu HĐND huyện, đơn vị bầu cử số 1",
        "label_en": "Election board, district council constituency no. 1",
    },
    {
        "username": "to.by01",
        "password": DEMO_PASSWORD,
        "role": "clerk",
        "scope": "BY-01",
        "label_vi": "Tổ bầu cử khu vực bỏ phiếu số 1, xã Bảo Yên",
        "label_en": "Polling team, polling unit no. 1, Bảo Yên commune",
    },
    {
        "username": "to.xl03",
        "password": DEMO_PASSWORD,
        "role": "clerk",
        "scope": "XL-03",
        "label_vi": "Tổ bầu cử khu vực bỏ phiếu số 3, xã Xuân Lộc",
        "label_en": "Polling team, polling unit no. 3, Xuân Lộc commune",
    },
    {
        "username": "kiemtoan",
        "password": DEMO_PASSWORD,
        "role": "auditor",
        "scope": None,
        "label_vi": "Kiểm tra, giám sát (chỉ xem)",
        "label_en": "Auditor (read-only)",
    },
]

KINDS = ("areas", "contests", "constituencies", "polling_units", "candidates")


# --- Vietnamese alphabetical order -------------------------------------------------------------

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Dictionary order of the tones: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}


def _word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Letters first (ă after a, đ after d, ...), tones only to break ties."""
    letters: list[str] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES and letters:
            tones[-1] = _TONES[ch]
        elif letters and (letters[-1], ch) in _LETTER_MARKS:
            letters[-1] = _LETTER_MARKS[(letters[-1], ch)]
        else:
            letters.append(ch)
            tones.append(0)
    ranks = tuple(_ALPHABET.index(c) if c in _ALPHABET else len(_ALPHABET) + ord(c) for c in letters)
    return ranks, tuple(tones)


def ballot_sort_key(full_name: str) -> tuple[Any, ...]:
    """Ballot order: by given name (the last word), then middle names, then family name."""
    words = full_name.split()
    given, middle, family = words[-1], words[1:-1], words[0]
    return (_word_key(given), tuple(_word_key(w) for w in middle), _word_key(family))


# --- generation --------------------------------------------------------------------------------


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _candidates(rng: random.Random, constituency: str, level: str, count: int, taken: set[str]) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    first_year, last_year = BIRTH_YEARS[level]
    start = dt.date(first_year, 1, 1)
    span = (dt.date(last_year, 12, 31) - start).days
    for _ in range(count):
        female = rng.random() < SHARE_OF_WOMEN
        while True:
            family = _weighted(rng, FAMILY_NAMES)
            middle = _weighted(rng, FEMALE_MIDDLE_NAMES if female else MALE_MIDDLE_NAMES)
            given = rng.choice(FEMALE_GIVEN_NAMES if female else MALE_GIVEN_NAMES)
            full_name = f"{family} {middle} {given}"
            if given not in middle.split() and full_name not in taken:
                break
        taken.add(full_name)
        born = start + dt.timedelta(days=rng.randint(0, span))
        people.append(
            {
                "full_name": full_name,
                "date_of_birth": born.isoformat(),
                "gender": "female" if female else "male",
                "affiliation": PARTY if rng.random() < SHARE_OF_PARTY_MEMBERS else NON_PARTY,
            }
        )
    people.sort(key=lambda p: ballot_sort_key(p["full_name"]))
    return [
        {"code": f"{constituency}-{i:02d}", "constituency": constituency, **p} for i, p in enumerate(people, start=1)
    ]


def _units(
    rng: random.Random, abbr: str, area: str, count: int, group_word: str, voters: tuple[int, int]
) -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = []
    next_group = 1
    for n in range(1, count + 1):
        size = rng.choice((1, 1, 2))
        groups = " và ".join(f"{group_word} {g}" for g in range(next_group, next_group + size))
        next_group += size
        units.append(
            {
                "code": f"{abbr}-{n:02d}",
                "name": f"Khu vực bỏ phiếu số {n} - {groups}",
                "area": area,
                "registered_voters": rng.randint(*voters),
                "constituencies": [],
            }
        )
    return units


def _split_commune(rng: random.Random, units: int) -> tuple[int, ...]:
    """How many polling units each commune-council constituency covers (1 or 2, 2-3 constituencies)."""
    if units == 3:
        return (2, 1)
    if units == 4:
        return rng.choice(((2, 2), (1, 2, 1)))
    return rng.choice(((2, 2, 1), (2, 1, 2)))


def constituency_row(contest: str, code: str, number: int, seats: int, area: str) -> dict[str, Any]:
    """A constituency of the structure file (CONTRACT §1), named as the committees number them."""
    return {"code": code, "contest": contest, "name": f"Đơn vị bầu cử số {number}", "seats": seats, "area": area}


def build_demo_election() -> dict[str, Any]:
    """The whole demo election as a JSON-ready dict (interfaces §1); the same on every call."""
    rng = random.Random(SEED)
    level = {code: lvl for code, _, lvl in CONTESTS}
    areas: list[dict[str, Any]] = [{"code": PROVINCE[0], "name": PROVINCE[1], "parent": None}]
    constituencies: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []

    def constituency(contest: str, code: str, number: int, seats: int, area: str) -> None:
        constituencies.append(constituency_row(contest, code, number, seats, area))

    for number, seats in NA_SEATS.items():
        constituency("QH", f"QH-PT-{number}", number, seats, PROVINCE[0])
    for number, seats in PROVINCIAL_SEATS.items():
        constituency("TINH", f"TINH-PT-{number}", number, seats, PROVINCE[0])
    for number, seats in DISTRICT_SEATS.items():
        constituency("HUYEN", f"HUYEN-TT-{number}", number, seats, DISTRICT[0])

    def other_district(index: int) -> None:
        district, district_name, abbr, name, count, group_word, na, provincial = OTHER_DISTRICTS[index]
        area = f"{district}-{abbr}"
        areas.append({"code": district, "name": district_name, "parent": PROVINCE[0]})
        areas.append({"code": area, "name": name, "parent": district})
        for unit in _units(rng, abbr, area, count, group_word, (900, 1950)):
            unit["constituencies"] = [f"QH-PT-{na}", f"TINH-PT-{provincial}"]
            units.append(unit)

    other_district(0)  # Việt Trì, National Assembly constituency 1
    areas.append({"code": DISTRICT[0], "name": DISTRICT[1], "parent": PROVINCE[0]})
    for abbr, name, count, district_number, provincial in THANH_THUY_COMMUNES:
        area = f"{DISTRICT[0]}-{abbr}"
        areas.append({"code": area, "name": name, "parent": DISTRICT[0]})
        town = name.startswith("Thị trấn")
        commune_units = _units(rng, abbr, area, count, "Khu", (1100, 1950) if town else (420, 1650))
        first = 0
        for number, size in enumerate(_split_commune(rng, count), start=1):
            code = f"XA-{abbr}-{number}"
            constituency("XA", code, number, rng.choice((3, 4)) if size == 1 else rng.choice((4, 5)), area)
            for unit in commune_units[first : first + size]:
                unit["constituencies"] = ["QH-PT-2", f"TINH-PT-{provincial}", f"HUYEN-TT-{district_number}", code]
            first += size
        units.extend(commune_units)
    other_district(1)  # Lâm Thao, National Assembly constituency 3

    for unit in units:
        if unit["code"] == SMALL_UNIT[0]:
            unit["registered_voters"] = SMALL_UNIT[1]

    # Candidates, constituency by constituency, each list already in ballot order.
    candidates: list[dict[str, Any]] = []
    taken: set[str] = set()
    for c in constituencies:
        lvl = level[c["contest"]]
        count = required_candidates(lvl, c["seats"])
        if c["code"] == f"HUYEN-TT-{SHORT_DISTRICT_CONSTITUENCY}":
            count -= 1  # deliberate: one candidate short of the law, so the demo shows the warning
        candidates.extend(_candidates(rng, c["code"], lvl, count, taken))

    by_code = {c["code"]: c for c in candidates}
    # Two QH-PT-2 candidates share a date of birth, so that a tie on votes cannot be broken by age
    # alone (Art. 78: the elder wins a tie); kept for a later tie-break test.
    by_code["QH-PT-2-04"]["date_of_birth"] = by_code["QH-PT-2-02"]["date_of_birth"]
    for constituency_code, position, keep in INCOMPLETE_BIRTH_DATES:
        person = by_code[f"{constituency_code}-{position:02d}"]
        person["date_of_birth"] = person["date_of_birth"][:keep]

    return {
        "slug": DEMO_SLUG,
        "name": "Bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2021-2026",
        "election_day": "2021-05-23",
        "rules": "vn-2015",
        "areas": areas,
        "contests": [{"code": code, "name": name, "level": lvl} for code, name, lvl in CONTESTS],
        "constituencies": constituencies,
        "polling_units": units,
        "candidates": candidates,
    }


def demo_summary(doc: dict[str, Any]) -> dict[str, int]:
    """How many areas, contests, constituencies, polling units and candidates `doc` holds."""
    return {kind: len(doc.get(kind, [])) for kind in KINDS}
