"""A district-council contest in an election from 1 July 2025 is warned about (Law 83/2025/QH15: two tiers of
local government, no district level); a warning, never a refusal (issue 15, Why point 9)."""

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from demo.elections import build_demo_election
from elections import rules
from elections.parsing import parse_election
from elections.services import election_import

EXAMPLE = json.loads((Path(__file__).parent.parent / "data" / "contract_example.json").read_text(encoding="utf-8"))


def with_district_council(day: str) -> dict:
    doc = copy.deepcopy(EXAMPLE)
    doc["election_day"] = day
    doc["contests"].append({"code": "HUYEN", "name": "Đại biểu HĐND huyện", "level": "district_council"})
    return doc


def two_tier_warnings(result) -> list[str]:
    return [str(p) for p in result.warnings if "Law 83/2025/QH15" in str(p)]


def test_district_council_is_warned_about_from_1_july_2025_law_83_2025():
    assert rules.check_contest(level="district_council", election_day=dt.date(2025, 6, 30)) == []
    (finding,) = rules.check_contest(level="district_council", election_day=dt.date(2025, 7, 1))
    assert (finding.code, finding.article) == ("district_council_after_two_tiers", "Law 83/2025/QH15")
    # the other levels stay
    for level in ("national_assembly", "provincial_council", "commune_council"):
        assert rules.check_contest(level=level, election_day=dt.date(2026, 3, 15)) == []


def test_importing_a_district_council_on_30_june_2025_gives_no_warning():
    result = parse_election(with_district_council("2025-06-30"))
    assert result.errors == [] and two_tier_warnings(result) == []


def test_importing_a_district_council_on_1_july_2025_warns_without_refusing():
    result = parse_election(with_district_council("2025-07-01"))
    assert result.errors == []
    (warning,) = two_tier_warnings(result)
    assert warning.startswith("contests[2].level") and '"HUYEN"' in warning


def test_the_2021_demo_with_its_district_council_does_not_warn():
    result = parse_election(build_demo_election())
    assert result.errors == [] and two_tier_warnings(result) == []


@pytest.mark.django_db
def test_the_checks_page_shows_the_two_tier_warning(client, django_user_model):
    result = parse_election(with_district_council("2026-03-15"))
    election_import(spec=result.spec, source="test")
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("elections:election-checks", args=[result.spec.slug])).content.decode()
    assert "No district level since 1 July 2025" in page
    assert "Law 83/2025/QH15" in page and "HUYEN" in page
