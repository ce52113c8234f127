#!/usr/bin/env python3
"""Convert the real elections in ../shared/data/external into our import files (CONTRACT §1 and §2).

Not part of the product: a test harness for the results engine on real data. For each data set it
writes, into OUT/NAME/, `election.json` (for `manage.py import_election`), `tallies.jsonl` (for
`manage.py import_tallies SLUG FILE --approve --lenient`) and `expected.json`: the column sums of the
source files, which the contest totals must equal once loaded (tools/check_external.py checks).

    python tools/convert_external.py [ca|ru|vn ...] [--data ../shared/data/external] [--out var/external]

Mapping choices (see tools/README.md for the reasons):
- ca-ge2015-pollbypoll: rules `plurality`; one constituency per electoral district (1 seat); one unit
  per poll with votes (ordinary, mobile, advance, the two special-voting-rules groups); the electors of
  merged, combined and void rows are added to the poll they name (else to the district's SVR group 1),
  so every elector of the file is on some unit's list.
- ru-duma-2021: rules `plurality`; the party-list ballot with each single-member constituency (`oik`)
  as a constituency of 1 seat and the 14 parties as its "candidates" (affiliation = the party), so the
  contest's affiliations are the national party-list totals; unit = (region, oik, tik, uik).
- vn-na15-2021: rules `vn-2015`; constituency-level data only: one pseudo-unit per constituency whose
  valid ballots are the smallest count consistent with every printed percentage, and whose voters on
  the list, voters and ballots equal it (the source has no turnout or invalid ballots).
Dates of birth are not in any source; candidates get the placeholder year 1900 (the contract requires a
date; plurality never reads it, and vn-2015 reads it only to break an exact tie, none of which occurs).
"""

import argparse
import csv
import glob
import io
import json
import os
import re
import sys
import unicodedata
import zipfile
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

UNKNOWN_BIRTH = "1900"


def write(out: str, name: str, election: dict, tallies: list[dict], expected: dict) -> None:
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "election.json"), "w", encoding="utf-8") as fh:
        json.dump(election, fh, ensure_ascii=False)
    with open(os.path.join(folder, "tallies.jsonl"), "w", encoding="utf-8") as fh:
        for t in tallies:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, ensure_ascii=False, indent=1)
    print(
        f"{name}: {len(election['constituencies'])} constituencies, {len(election['polling_units'])} units, "
        f"{len(election['candidates'])} candidates, {len(tallies)} tallies -> {folder}"
    )


def tally(
    unit: str, contest: str, listed: int, voted: int, issued: int, received: int, valid: int, invalid: int, votes: dict
) -> dict:
    return {
        "polling_unit": unit,
        "contest": contest,
        "voters_on_list": listed,
        "voters_voted": voted,
        "ballots_issued": issued,
        "ballots_received": received,
        "valid_ballots": valid,
        "invalid_ballots": invalid,
        "votes": votes,
    }


# --- Canada 2015 -----------------------------------------------------------------------------------

CA_PROVINCES = {
    "10": "Newfoundland and Labrador", "11": "Prince Edward Island", "12": "Nova Scotia", "13": "New Brunswick",
    "24": "Quebec", "35": "Ontario", "46": "Manitoba", "47": "Saskatchewan", "48": "Alberta",
    "59": "British Columbia", "60": "Yukon", "61": "Northwest Territories", "62": "Nunavut",
}  # fmt: skip
POINTS_TO = re.compile(r"n°\s*([0-9A-Za-z-]+)\s*$")


def _ca_affiliations(path: str) -> dict[str, list[tuple[str, str, str]]]:
    by_district: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    with open(path, encoding="cp1252", newline="") as fh:
        rows = csv.reader(fh, delimiter="\t")
        next(rows)
        for r in rows:
            by_district[r[0].strip()].append((r[6].strip(), r[5].strip(), r[3].strip()))  # first, family, party
    return by_district


def _ca_party(district: list[tuple[str, str, str]], column: str) -> str:
    for first, family, party in district:
        if f"{first} {family}" == column:
            return party
    for _first, family, party in district:  # fall back to the family name, then the first name
        if column.endswith(family):
            return party
    for first, _family, party in district:
        if column.startswith(first):
            return party
    raise ValueError(f"no affiliation for {column!r}")


def convert_ca(data: str) -> tuple[dict, list[dict], dict]:
    base = os.path.join(data, "ca-ge2015-pollbypoll")
    parties = _ca_affiliations(os.path.join(base, "candidates.tsv"))
    areas = [{"code": "CA", "name": "Canada", "parent": None}]
    areas += [{"code": f"CA-{k}", "name": v, "parent": "CA"} for k, v in CA_PROVINCES.items()]
    constituencies, units, candidates, tallies = [], [], [], []
    exp = {
        "voters_on_list": 0,
        "voters_voted": 0,
        "valid_ballots": 0,
        "invalid_ballots": 0,
        "affiliations": defaultdict(int),
        "rows": 0,
    }
    for path in sorted(glob.glob(os.path.join(base, "poll_by_poll", "*.csv"))):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        head, body = rows[0], rows[1:]
        names = head[4:-3]
        district, district_name = body[0][0].strip(), body[0][1].split("/")[0]
        cons = f"ED-{district}"
        area = f"CA-{district}"
        areas.append({"code": area, "name": district_name, "parent": f"CA-{district[:2]}"})
        constituencies.append({"code": cons, "contest": "HOC", "name": district_name, "seats": 1, "area": area})
        codes = []
        for i, name in enumerate(names, start=1):
            code = f"{district}-{i:02d}"
            codes.append(code)
            party = _ca_party(parties[district], name)
            candidates.append(
                {
                    "code": code,
                    "constituency": cons,
                    "full_name": name,
                    "date_of_birth": UNKNOWN_BIRTH,
                    "affiliation": party,
                }
            )
        voting: dict[str, dict] = {}
        extra: dict[str, int] = defaultdict(int)
        leftovers: list[tuple[str, int]] = []
        for r in body:
            exp["rows"] += 1
            poll = r[2].strip() or ("SVR1" if "1" in r[3] else "SVR2")
            electors = int(r[-1]) if r[-1].strip() else 0
            exp["voters_on_list"] += electors
            if re.fullmatch(r"\d+", r[4].strip()):
                votes = {code: int(v) for code, v in zip(codes, r[4:-3], strict=True)}
                rejected, total = int(r[-3]), int(r[-2])
                valid = sum(votes.values())
                assert valid + rejected == total, (path, r)
                voting[poll] = {
                    "electors": electors,
                    "votes": votes,
                    "rejected": rejected,
                    "total": total,
                    "name": r[3],
                }
                exp["voters_voted"] += total
                exp["valid_ballots"] += valid
                exp["invalid_ballots"] += rejected
                for name, n in zip(names, votes.values(), strict=True):
                    exp["affiliations"][_ca_party(parties[district], name)] += n
            elif electors:
                m = POINTS_TO.search(r[4])
                target = m.group(1) if m else ("SVR2" if "special ballot in Group 2" in r[4] else "")
                leftovers.append((target, electors))
        for target, electors in leftovers:
            extra[target if target in voting else "SVR1"] += electors
        for poll, v in voting.items():
            code = f"{district}-{poll}"
            listed = v["electors"] + extra.get(poll, 0)
            units.append(
                {
                    "code": code,
                    "name": v["name"][:200],
                    "area": area,
                    "registered_voters": listed,
                    "constituencies": [cons],
                }
            )
            t = v["total"]
            tallies.append(tally(code, "HOC", listed, t, t, t, t - v["rejected"], v["rejected"], v["votes"]))
    election = {
        "slug": "ca-ge2015",
        "name": "Canada, 42nd general election (2015), validated poll-by-poll results",
        "election_day": "2015-10-19",
        "rules": "plurality",
        "time_zone": "America/Toronto",
        "areas": areas,
        "contests": [{"code": "HOC", "name": "House of Commons", "level": "national_assembly"}],
        "constituencies": constituencies,
        "polling_units": units,
        "candidates": candidates,
    }
    exp["affiliations"] = dict(exp["affiliations"])
    return election, tallies, {"contest": "HOC", **exp}


# --- Russia 2021 -----------------------------------------------------------------------------------


def convert_ru(data: str) -> tuple[dict, list[dict], dict]:
    path = os.path.join(data, "ru-duma-2021", "2021.csv.zip")
    with zipfile.ZipFile(path) as z, z.open("2021.csv") as raw:
        rows = list(csv.reader(io.TextIOWrapper(raw, "utf-8")))
    head, body = rows[0], rows[1:]
    parties = [re.sub(r"^\d+\.\s*", "", h) for h in head[17:31]]
    regions: dict[str, str] = {}
    tiks: dict[tuple[str, str], str] = {}
    oiks: dict[str, dict] = {}
    units, tallies = [], []
    exp = {
        "voters_on_list": 0,
        "voters_voted": 0,
        "valid_ballots": 0,
        "invalid_ballots": 0,
        "affiliations": defaultdict(int),
        "rows": 0,
    }
    for r in body:
        region, oik, tik, uik = r[1], r[2], r[3], r[4]
        n = [int(x) for x in r[5:31]]
        region_code = regions.setdefault(region, f"RU-{len(regions) + 1:02d}")
        tik_code = tiks.setdefault((region, tik), f"{region_code}-T{len([k for k in tiks if k[0] == region]) + 1:03d}")
        oik_no = int(re.search(r"\d+", oik).group())
        cons = f"OIK-{oik_no:03d}"
        if cons not in oiks:
            oiks[cons] = {"region": region_code, "name": oik}
        assert oiks[cons]["region"] == region_code, f"{oik} spans regions"
        uik_no = re.search(r"\d+", uik).group() if uik else f"DEG-{tik_code}"
        code = f"{oik_no:03d}-{uik_no}"
        listed, issued = n[0], n[2] + n[3] + n[4]
        received, invalid, valid = n[6] + n[7], n[8], n[9]
        votes = {f"{cons}-P{i + 1:02d}": v for i, v in enumerate(n[12:26])}
        units.append(
            {"code": code, "name": uik or tik, "area": tik_code, "registered_voters": listed, "constituencies": [cons]}
        )
        tallies.append(tally(code, "PL", listed, issued, issued, received, valid, invalid, votes))
        exp["rows"] += 1
        exp["voters_on_list"] += listed
        exp["voters_voted"] += issued
        exp["valid_ballots"] += valid
        exp["invalid_ballots"] += invalid
        for party, v in zip(parties, n[12:26], strict=True):
            exp["affiliations"][party] += v
    codes = [u["code"] for u in units]
    assert len(set(codes)) == len(codes), "unit codes repeat"
    areas = [{"code": "RU", "name": "Российская Федерация", "parent": None}]
    areas += [{"code": c, "name": name, "parent": "RU"} for name, c in regions.items()]
    areas += [{"code": c, "name": tik, "parent": regions[region]} for (region, tik), c in tiks.items()]
    constituencies = [
        {"code": cons, "contest": "PL", "name": v["name"], "seats": 1, "area": v["region"]} for cons, v in oiks.items()
    ]
    candidates = [
        {
            "code": f"{cons}-P{i + 1:02d}",
            "constituency": cons,
            "full_name": party[:200],
            "date_of_birth": UNKNOWN_BIRTH,
            "affiliation": party[:200],
        }
        for cons in oiks
        for i, party in enumerate(parties)
    ]
    election = {
        "slug": "ru-duma-2021",
        "name": "Russia, State Duma 2021, party-list ballot by single-member constituency",
        "election_day": "2021-09-19",
        "rules": "plurality",
        "time_zone": "Europe/Moscow",
        "areas": areas,
        "contests": [{"code": "PL", "name": "Party lists (federal district)", "level": "national_assembly"}],
        "constituencies": constituencies,
        "polling_units": units,
        "candidates": candidates,
    }
    exp["affiliations"] = dict(exp["affiliations"])
    return election, tallies, {"contest": "PL", **exp}


# --- Viet Nam 2021 ---------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """A province name without prefixes, case or diacritics: the two files spell them differently."""
    text = re.sub(r"^(THÀNH PHỐ|TỈNH|TP\.|Tỉnh|Thành phố)\s+", "", text.strip(), flags=re.IGNORECASE)
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def estimate_valid(votes_and_pcts: list[tuple[int, Decimal]]) -> int:
    """The smallest valid-ballot count that reproduces every printed percentage (rounded half up).

    Each candidate bounds it: votes x 100 / (pct + 0.005) < valid <= votes x 100 / (pct - 0.005). If
    no count satisfies them all (a misprint), the top candidate's votes / pct is used.
    """
    top_votes, top_pct = max(votes_and_pcts)
    guess = int((Decimal(top_votes) * 100 / top_pct).to_integral_value())
    low = max(int(Decimal(v) * 100 / (p + Decimal("0.005"))) for v, p in votes_and_pcts if p > 0)
    for valid in range(max(low, top_votes, 1), guess + 2000):
        if all(_percent(v, valid) == p for v, p in votes_and_pcts):
            return valid
    return guess


def convert_vn(data: str) -> tuple[dict, list[dict], dict]:
    base = os.path.join(data, "vn-na15-2021")
    with open(os.path.join(base, "cema-district-results.csv"), encoding="utf-8", newline="") as fh:
        results = list(csv.DictReader(fh))
    with open(os.path.join(base, "congressional-units-parsed.csv"), encoding="utf-8", newline="") as fh:
        seats_rows = list(csv.DictReader(fh))
    seats_by: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in seats_rows:
        seats_by[_plain(r["associated_province"])].append(
            (int(r["province_congressional_unit_number"]), int(r["representatives_count"]))
        )
    by_unit: dict[tuple[str, int], list[dict]] = defaultdict(list)
    province_names: dict[str, str] = {}
    for r in results:
        key = _plain(r["province"])
        province_names.setdefault(key, r["province"].strip().title())
        by_unit[(key, int(r["unit_number"]))].append(r)
    assert len(province_names) == 63 and set(province_names) == set(seats_by), "provinces do not join"
    areas = [{"code": "VN", "name": "Việt Nam", "parent": None}]
    constituencies, units, candidates, tallies = [], [], [], []
    exp = {
        "voters_on_list": 0,
        "voters_voted": 0,
        "valid_ballots": 0,
        "invalid_ballots": 0,
        "affiliations": {},
        "rows": len(results),
        "votes": 0,
        "elected_in_file": 0,
    }
    for p_index, (key, name) in enumerate(sorted(province_names.items()), start=1):
        province = f"VN-{p_index:02d}"
        areas.append({"code": province, "name": name, "parent": "VN"})
        numbers = sorted(n for k, n in by_unit if k == key)
        seat_list = sorted(seats_by[key])
        assert len(numbers) == len(seat_list), f"{name}: {len(numbers)} units vs {len(seat_list)}"
        # Pair the constituencies by their order in the province (Bắc Kạn is numbered 3 and 5 in one file).
        for number, (_other_number, seats) in zip(numbers, seat_list, strict=True):
            cons = f"{province}-{number}"
            rows = sorted(by_unit[(key, number)], key=lambda r: int(r["order"]))
            constituencies.append(
                {
                    "code": cons,
                    "contest": "QH",
                    "name": f"{name}, đơn vị bầu cử số {number}",
                    "seats": seats,
                    "area": province,
                }
            )
            pairs = [(int(r["votes"]), Decimal(r["percent"])) for r in rows]
            valid = estimate_valid(pairs)
            votes = {}
            for r in rows:
                code = f"{cons}-{int(r['order']):02d}"
                honorific, _, full = r["candidate_name"].partition(" ")
                candidates.append(
                    {
                        "code": code,
                        "constituency": cons,
                        "full_name": full.strip()[:200],
                        "date_of_birth": UNKNOWN_BIRTH,
                        "gender": {"Ông": "male", "Bà": "female"}.get(honorific, ""),
                    }
                )
                votes[code] = int(r["votes"])
                exp["votes"] += int(r["votes"])
                if int(r["order"]) <= seats and Decimal(r["percent"]) > 50:
                    exp["elected_in_file"] += 1
            unit = f"{cons}-U"
            units.append(
                {
                    "code": unit,
                    "name": f"{name} {number} (whole constituency)",
                    "area": province,
                    "registered_voters": valid,
                    "constituencies": [cons],
                }
            )
            tallies.append(tally(unit, "QH", valid, valid, valid, valid, valid, 0, votes))
            for field in ("voters_on_list", "voters_voted", "valid_ballots"):
                exp[field] += valid
    exp["affiliations"] = {"": exp["votes"]}
    election = {
        "slug": "vn-na15-2021",
        "name": "Bầu cử đại biểu Quốc hội khóa XV (2021), kết quả theo đơn vị bầu cử",
        "election_day": "2021-05-23",
        "rules": "vn-2015",
        "areas": areas,
        "contests": [{"code": "QH", "name": "Đại biểu Quốc hội khóa XV", "level": "national_assembly"}],
        "constituencies": constituencies,
        "polling_units": units,
        "candidates": candidates,
    }
    return election, tallies, {"contest": "QH", **exp}


CONVERTERS = {"ca": ("ca-ge2015", convert_ca), "ru": ("ru-duma-2021", convert_ru), "vn": ("vn-na15-2021", convert_vn)}


def main(argv: list[str]) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("which", nargs="*", help="ca, ru and/or vn (default: all)")
    parser.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "external"))
    parser.add_argument("--out", default=os.path.join(here, "..", "var", "external"))
    args = parser.parse_args(argv)
    for key in args.which or list(CONVERTERS):
        if key not in CONVERTERS:
            parser.error(f"unknown data set {key!r}: choose from {', '.join(CONVERTERS)}")
        name, convert = CONVERTERS[key]
        election, tallies, expected = convert(args.data)
        write(args.out, name, election, tallies, expected)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
