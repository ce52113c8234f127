"""Issue 17 at 375 px (points 1 and 3): the pages whose key columns a phone cut off, the committee's long home page,
and the results chart whose 50 % line crossed the candidates' names.

A table wider than its box scrolls sideways inside it, with its first column pinned and a line above it saying so;
these tests check that the page itself never scrolls sideways and that each key column is on screen, or is reached
by swiping the table while the row's first column stays in place. Screenshots are in tests/browser/screenshots/.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.elections import DEMO_SLUG
from results.models import ResultPublication, Tally
from tests.browser.conftest import PHONE, SCREENSHOTS
from tests.browser.test_election_day import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
E = DEMO_SLUG
DEMO_ROLES = [
    "admin",
    "uyban.tinh",
    "uyban.huyen",
    "uyban.xa",
    "ban.qh2",
    "ban.huyen1",
    "to.by01",
    "to.xl03",
    "kiemtoan",
]
# not pages of the site: the administration (Django's own), the API's documentation, static files
OUTSIDE = ("/admin/", "/api/", "/static/")


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True, verbosity=0)


def page_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def box(locator) -> dict:
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom}; }"
    )


def on_screen(cell, wrap) -> bool:
    """The cell lies within the visible part of its table's box (not cut off by the box's edge)."""
    c, w = box(cell), box(wrap)
    return c["l"] >= w["l"] - 1 and c["r"] <= w["r"] + 1


def test_every_link_on_each_demo_home_page_opens(demo, live_server, browser):
    """Point 1: no home page offers a link that answers 'Page not found' (or anything but the page)."""
    broken = {}
    for username in DEMO_ROLES:
        page = login(browser, live_server.url, username)
        hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
        links = sorted({h.split("#")[0] for h in hrefs if h.startswith("/") and not h.startswith(OUTSIDE)})
        assert links, username
        for link in links:
            status = page.request.get(live_server.url + link).status
            if status != 200:
                broken[f"{username} {link}"] = status
        page.close()
    assert broken == {}


def test_committee_home_puts_the_review_queue_first(demo, live_server, browser, shot):
    page = login(browser, live_server.url, "uyban.huyen")
    queue = page.locator("[data-testid=review-queue]")
    assert box(queue)["b"] <= PHONE["height"]  # on the first screen
    assert page.locator("details.more").count() == 2  # the constituencies and the units, folded
    expect(page.locator("details.more[open]")).to_have_count(0)
    assert not page.locator("details.more ul").first.is_visible()
    assert page.evaluate("document.scrollingElement.scrollHeight") < 1600  # was 4,199 px
    assert page_width(page) <= PHONE["width"]
    # only the contests whose results page opens for a district committee: not the National Assembly's
    contests = page.locator("main a[href*='/contests/']")
    assert contests.count() >= 1
    expect(page.locator(f"main a[href='/elections/{E}/contests/QH/results/']")).to_have_count(0)
    shot(page, "phone-committee-home")
    page.click("details.more >> nth=1")
    assert page.locator("details.more >> nth=1").locator("li").first.is_visible()


def test_public_home_shows_the_published_counts(demo, live_server, browser, shot):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/public/{E}/")
    assert page_width(page) <= PHONE["width"]
    wrap = page.locator("section[aria-labelledby=h-results] .table-wrap")
    rows = wrap.locator("tbody tr")
    assert rows.count() == 4
    for i in range(rows.count()):
        published, seats = rows.nth(i).locator("td").all()
        assert on_screen(published, wrap) and on_screen(seats, wrap)
    assert "/" in rows.first.locator("td").first.inner_text()
    wrap.scroll_into_view_if_needed()
    shot(page, "phone-public-home")


def test_board_queue_shows_each_status_beside_its_unit(demo, live_server, browser, shot):
    page = login(browser, live_server.url, "ban.qh2")
    page.goto(f"{live_server.url}/elections/{E}/review/")
    assert page_width(page) <= PHONE["width"]
    wrap = page.locator(".table-wrap")
    first_row = wrap.locator("tbody tr").first
    unit, status = first_row.locator("td").nth(0), first_row.locator("td").nth(1)
    expect(status.locator(".badge")).to_have_count(1)
    assert on_screen(unit, wrap) and on_screen(status, wrap)
    # the table is wider than the phone: a line says so, and swiping it keeps the unit column in place
    assert page.locator("p.scroll-hint").is_visible()
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
    before = box(unit)["l"]
    shot(page, "phone-board-queue")
    wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    last = first_row.locator("td").last
    assert on_screen(last, wrap)  # reachable
    assert abs(box(unit)["l"] - before) < 1  # pinned
    assert on_screen(unit, wrap)
    shot(page, "phone-board-queue-swiped")


def test_public_contest_page_shows_seats_and_results(demo, live_server, browser, shot):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/public/{E}/contests/XA/")
    assert page_width(page) <= PHONE["width"]
    wrap = page.locator("section[aria-labelledby=h-cons] .table-wrap")
    headers = [h.strip() for h in wrap.locator("thead th").all_inner_texts()]
    result, seats = headers.index("Kết quả"), headers.index("Số đại biểu được bầu")
    assert result <= 2 and seats <= 2  # beside the constituency, not after the winners' names
    row = wrap.locator("tbody tr").first
    assert on_screen(row.locator("td").nth(result), wrap) and on_screen(row.locator("td").nth(seats), wrap)
    # the affiliations' table fits whole
    aff = page.locator("section[aria-labelledby=h-aff] .table-wrap")
    assert aff.evaluate("e => e.scrollWidth <= e.clientWidth")
    wrap.scroll_into_view_if_needed()
    shot(page, "phone-public-contest")


@pytest.fixture
def published_code(demo) -> str:
    published = ResultPublication.objects.filter(current=True, election__slug=E)
    return published.values_list("constituency__code", flat=True)[0]


def test_candidates_percentages_and_the_majority_line(published_code, live_server, browser, shot):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/public/{E}/constituencies/{published_code}/")
    assert page_width(page) <= PHONE["width"]
    # every candidate's % is on screen: the candidates' table fits the phone
    table = page.locator("section[aria-labelledby=h-votes] .table-wrap")
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth")
    cells = table.locator("tbody tr td:last-child")
    assert cells.count() >= 2
    for i in range(cells.count()):
        assert on_screen(cells.nth(i), table)
        assert "," in cells.nth(i).inner_text() or "." in cells.nth(i).inner_text()
    # the 50 % line crosses the bars and no candidate's name
    chart = page.locator("figure.share-chart svg")
    pieces, names = chart.locator("line.line"), chart.locator("text.label")
    assert pieces.count() == names.count() >= 2
    for i in range(pieces.count()):
        line = box(pieces.nth(i))
        for j in range(names.count()):
            name = box(names.nth(j))
            overlaps = (
                line["l"] < name["r"] and name["l"] < line["r"] and line["t"] < name["b"] and name["t"] < line["b"]
            )
            assert not overlaps, (i, names.nth(j).inner_text())
    chart.scroll_into_view_if_needed()
    shot(page, "phone-public-result")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("figure.share-chart").screenshot(path=str(SCREENSHOTS / "phone-majority-line.png"))


def test_a_tallys_history_keeps_whole_lines(demo, live_server, browser, shot):
    tally = Tally.objects.filter(election__slug=E, version__gte=3).select_related("polling_unit", "contest").first()
    page = login(browser, live_server.url, "uyban.tinh")
    page.goto(f"{live_server.url}/elections/{E}/units/{tally.polling_unit.code}/minutes/{tally.contest.code}/review/")
    assert page_width(page) <= PHONE["width"]
    history = page.locator(".table-wrap[aria-label='Lịch sử thay đổi']")
    what = history.locator("tbody td.wide")
    assert what.count() >= 3
    for i in range(what.count()):
        assert box(what.nth(i))["r"] - box(what.nth(i))["l"] >= 180  # a readable column, not a word a line
        assert on_screen(what.nth(i), history)
    history.scroll_into_view_if_needed()
    shot(page, "phone-tally-history")
