"""axe-core on every page a demo role reaches from its home page, and on the public site, at phone size (issue 17).

Each role logs in, then follows the same-site links of the pages it reaches, breadth first; so does an anonymous
visitor from the public site. Downloads (PDF, ZIP, CSV, JSON), the API, Django's administration, the logout, the
language switch and anything that acts are left out. A few pages of each kind (one URL pattern) are enough: the
same template with other figures adds little but time. Every serious or critical axe violation is listed with
its page and rule, and so is a page wider than the phone or a link that does not answer 200.
"""

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import Resolver404, resolve

from demo.elections import DEMO_SLUG
from results.models import ResultPublication
from tests.browser.conftest import PHONE
from tests.browser.test_election_day import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}
ROLES = ["admin", "uyban.tinh", "uyban.huyen", "uyban.xa", "ban.qh2", "ban.huyen1", "to.by01", "to.xl03", "kiemtoan"]
ROLES += ["uyban.sl", "to.ls03"]  # the 2026 demo election (issue 15): decisions, rounds, the amended law's minutes
PAGES_PER_ROLE = 60  # a cap, so one role's lists cannot make the crawl endless
PAGES_PER_KIND = 2  # pages of one URL pattern (say two polling units), with their figures
# Not pages to read: downloads, the API, the administration (Django's own), logging out, switching language,
# and the few addresses that act (a retry, an action on a tally) even though they answer a GET with a form.
SKIP_PREFIXES = ("/api/", "/admin/", "/accounts/logout/", "/i18n/", "/en/", "/static/", "/media/")
SKIP_SUFFIXES = (".pdf", ".zip", ".csv", ".json", ".pem", ".py", ".xml", "/pdf/", "/zip/", "/retry/")
SKIP_ROUTES = {"tally-action", "voter-remove", "unit-post", "minutes-job-retry", "minutes-job-zip"}


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True, verbosity=0)


def _kind(path: str, skip: tuple[str, ...]) -> str | None:
    """The URL pattern a same-site path belongs to, or None when the crawl leaves it alone."""
    if path.startswith(SKIP_PREFIXES + skip) or path.endswith(SKIP_SUFFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name in SKIP_ROUTES:
        return None
    return match.view_name


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(urldefrag(href)[0])
        # sorting, paging and filtering show the same template again: the page without its query is enough
        if f"{parts.scheme}://{parts.netloc}" == origin:
            found.append(f"{origin}{parts.path}")
    return found


def _violations(page) -> list[str]:
    response = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in response["violations"]
        if v.get("impact") in SERIOUS
    ]


def crawl(page, origin: str, starts: list[str], skip: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Visit same-site pages from `starts` breadth first, but those under `skip`; the pages seen and every
    serious violation."""
    queue = deque((origin + start, start) for start in starts)
    seen, per_kind = {origin + start for start in starts}, {}
    visited, problems = [], []
    while queue and len(visited) < PAGES_PER_ROLE:
        url, came_from = queue.popleft()
        parts = urlsplit(url)
        kind = _kind(parts.path, skip)
        if kind is None or per_kind.get(kind, 0) >= PAGES_PER_KIND:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        response = page.goto(url)
        address = url[len(origin) :]
        if response is None or response.status != 200:
            problems.append(
                f"{address}: answered {response.status if response else 'nothing'} (linked from {came_from})"
            )
            continue
        visited.append(address)
        problems += [f"{address}: {v}" for v in _violations(page)]
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{address}: the page is {width} px wide, wider than a phone's {PHONE['width']} px")
        for link in _links(page, origin):
            if link not in seen:
                seen.add(link)
                queue.append((link, address))
    return visited, problems


def test_every_page_any_role_reaches_passes_axe_on_a_phone(demo, live_server, browser):
    """One demo election for every role (loading it takes longer than a role's crawl); the failure lists them all."""
    problems, counts = [], {}
    for username in ROLES:
        page = login(browser, live_server.url, username)
        # the public site is the same for everyone: the anonymous crawl below covers it
        visited, found = crawl(page, live_server.url, ["/"], skip=("/public/",))
        counts[username] = len(visited)
        problems += [f"{username} {p}" for p in found]
        page.close()
    page = browser.new_page(viewport=PHONE)
    # a published result too (its chart and tables), which the first links of the lists do not reach
    published = ResultPublication.objects.filter(current=True, election__slug=DEMO_SLUG)
    published = published.values_list("constituency__code", flat=True)[0]
    starts = ["/public/", "/accounts/login/", f"/public/{DEMO_SLUG}/constituencies/{published}/"]
    visited, found = crawl(page, live_server.url, starts)
    counts["anonymous"] = len(visited)
    problems += [f"anonymous {p}" for p in found]
    assert f"/public/{DEMO_SLUG}/constituencies/{published}/" in visited
    page.close()
    assert problems == [], "\n".join(problems)
    # each role reached its own pages, not only its home page (a login that failed would reach one or two)
    assert all(n >= 8 for n in counts.values()), counts
