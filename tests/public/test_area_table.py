"""The area table counts voters only where units have reported turnout: an area with none shows dashes, not a
0 that would contradict the results' own voter counts."""

import re

from django.test import Client


def row(html: str, code: str) -> list[str]:
    """The text of each cell of the area row whose code is `code`."""
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        if f">{code}</span>" in tr:
            return [re.sub(r"<[^>]+>|\s+", " ", td).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
    raise AssertionError(f"no row for {code}")


def test_an_area_with_no_report_shows_dashes_and_one_with_reports_its_figures(published):
    # given turnout public, with U1 and U2 (district D1) reporting and district D2's unit not yet
    html = Client().get("/en/public/world-2021/areas/P/").content.decode()
    # then D1 gives its voters and D2 dashes, with 0 units reported of its total
    d1, d2 = row(html, "D1"), row(html, "D2")
    assert d1[2] != "—" and d1[3] == "500"
    assert d2[1].startswith("0 / ") and d2[2:] == ["—", "—", "—"]
