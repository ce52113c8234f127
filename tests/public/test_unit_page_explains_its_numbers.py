"""Issue 17, point 6: a unit's public page says why its list count and its turnout differ from the minutes."""

from django.test import Client

E = "world-2021"


def test_a_unit_page_explains_why_the_minutes_and_the_day_reports_differ(published):
    # U1's XA minutes: 800 on the list, 700 voted; its last report of the day: 500 at 11:00.
    unit = published.world.units["U1"]
    unit.registered_voters = 810
    unit.save(update_fields=["registered_voters"])
    page = Client().get(f"/en/public/{E}/units/U1/").content.decode()
    listed = page.split('data-testid="why-listed-differs">')[1].split("</p>")[0]
    voted = page.split('data-testid="why-voted-differs">')[1].split("</p>")[0]
    assert "800" in listed and "810" in listed
    assert "700" in voted and "500" in voted and "11:00" in voted


def test_a_unit_page_says_nothing_when_the_numbers_agree(published):
    unit = published.world.units["U1"]
    unit.registered_voters = 800
    unit.save(update_fields=["registered_voters"])
    from results.tallies import turnout

    turnout.turnout_report_save(unit=unit, at=unit.election.voting_closes, voters_voted=700, by=None)
    page = Client().get(f"/en/public/{E}/units/U1/").content.decode()
    assert "why-listed-differs" not in page and "why-voted-differs" not in page
