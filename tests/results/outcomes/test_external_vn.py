"""The real 2021 National Assembly results (shared/data/external/vn-na15-2021) load through the product's
commands after tools/convert_external.py, and the contest totals equal the column sums of the files."""

import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from api.results import contest_result_json
from elections.models import Contest
from results.outcomes import constituency as outcomes
from results.outcomes import contests

DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "external"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (DATA / "vn-na15-2021").is_dir(), reason="shared/data/external is not beside the project"),
]


def test_vn_na15_2021_loads_and_adds_up(tmp_path, capsys):
    sys.path.insert(0, str(Path(settings.BASE_DIR) / "tools"))
    try:
        import convert_external
    finally:
        sys.path.pop(0)
    election, tallies, expected = convert_external.convert_vn(str(DATA))
    convert_external.write(str(tmp_path), "vn", election, tallies, expected)
    call_command("import_election", str(tmp_path / "vn" / "election.json"))
    call_command("import_tallies", "vn-na15-2021", str(tmp_path / "vn" / "tallies.jsonl"), "--approve", "--lenient")
    result = contest_result_json(
        contests.contest_outcome(Contest.objects.get(election__slug="vn-na15-2021", code="QH"))
    )
    for field in ("voters_on_list", "voters_voted", "valid_ballots", "invalid_ballots"):
        assert result[field] == expected[field]
    assert sum(a["votes"] for a in result["affiliations"]) == expected["votes"] == 188_868_632
    # the law's rules elect exactly the candidates the NEC announced (top `seats`, each over half)
    assert result["status_counts"]["decided"] == 184
    assert result["seats_filled"] == expected["elected_in_file"] == 500
    hanoi = outcomes.constituency_outcome(
        result_cons := Contest.objects.get(code="QH").constituencies.get(code="VN-24-1")
    )
    assert hanoi.status == "decided" and result_cons.seats == 3
    assert [c.full_name for c in hanoi.elected][0] == "Nguyễn Phú Trọng"


def test_the_valid_ballot_estimate_reproduces_every_percentage():
    sys.path.insert(0, str(Path(settings.BASE_DIR) / "tools"))
    try:
        from convert_external import estimate_valid
    finally:
        sys.path.pop(0)
    from decimal import Decimal

    # Hà Nội 1: 557,717 votes = 93.23 %, 500,418 = 83.65 %
    valid = estimate_valid([(557717, Decimal("93.23")), (500418, Decimal("83.65"))])
    assert valid * Decimal("0.9323") == pytest.approx(557717, abs=40)
    from results.rules.percentages import percent

    assert percent(557717, valid) == "93.23" and percent(500418, valid) == "83.65"
