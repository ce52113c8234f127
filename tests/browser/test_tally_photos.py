"""Photos of the signed minutes in headless Chromium at phone size (issue 16, Build 5): the clerk attaches one from
the entry page, the reviewers see it, the public page shows it once the unit's result is published, and the
stored bytes carry no EXIF."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from demo.elections import DEMO_SLUG
from results.models import ResultPublication, TallyPhoto
from results.permissions import tally_scope
from results.tallies import photos
from tests.browser.conftest import PHONE
from tests.browser.test_election_day import demo, fill_minutes, login  # noqa: F401 (demo is a fixture)
from tests.results.test_tally_photos import jpeg_with_exif

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def attach(page, tmp_path: Path) -> None:
    picture = tmp_path / "bien-ban.jpg"
    picture.write_bytes(jpeg_with_exif((1200, 1600)))
    page.set_input_files("#id_photo_image", str(picture))
    page.click("#photo-submit")
    page.wait_for_load_state()


def test_a_clerks_photo_is_seen_by_the_board_and_by_the_public_once_published(
    demo,  # noqa: F811
    live_server,
    browser,
    tmp_path,
    shot,
):
    base = live_server.url
    clerk = login(browser, base, "to.by01")
    # given the clerk's saved figures of an unpublished contest
    clerk.goto(f"{base}/elections/{DEMO_SLUG}/units/BY-01/minutes/QH/")
    fill_minutes(clerk)
    clerk.click("#save-draft")
    clerk.wait_for_load_state()
    # when the clerk attaches a photo with the phone's camera data in it
    attach(clerk, tmp_path)
    # then it is shown on the entry page, and the stored bytes have no EXIF
    expect(clerk.locator("[data-testid=tally-photo]")).to_have_count(1)
    assert clerk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    clerk.locator("#photos").scroll_into_view_if_needed()
    clerk.wait_for_function("() => [...document.images].every(i => i.complete)")
    shot(clerk, "photos-entry-with-photo")
    photo = TallyPhoto.objects.get()
    with storages["photos"].open(photo.name, "rb") as f:
        stored = f.read()
    assert b"Exif" not in stored and dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    # and the board sees it beside the figures
    board = login(browser, base, "uyban.tinh")
    board.goto(f"{base}/elections/{DEMO_SLUG}/units/BY-01/minutes/QH/review/")
    expect(board.locator("[data-testid=tally-photo]")).to_have_count(1)
    got = board.request.get(base + board.locator("[data-testid=tally-photo]").get_attribute("href"))
    assert (got.status, got.headers["content-type"]) == (200, "image/jpeg")
    # the public page of a unit shows the photo of a published contest, and not before publication
    assert photos.public_photos(tally_scope(DEMO_SLUG, "BY-01", "QH")) == []
    pub = ResultPublication.objects.filter(election__slug=DEMO_SLUG, current=True).order_by("pk").first()
    unit = next(u["code"] for u in pub.units if u.get("counted"))
    scope = tally_scope(DEMO_SLUG, unit, pub.constituency.contest.code)
    assert photos.published(scope)
    photos.photo_attach(
        scope=scope,
        upload=io.BytesIO(jpeg_with_exif()),
        size=None,
        by=get_user_model().objects.get(username="uyban.tinh"),
    )
    cache.clear()
    public_url = base + reverse("public:unit", args=[DEMO_SLUG, unit])
    anyone = browser.new_page(viewport=PHONE)
    anyone.goto(base + reverse("public:unit", args=[DEMO_SLUG, "BY-01"]))
    assert anyone.locator("h1").count() == 1 and "BY-01" in anyone.locator("h1").inner_text()
    expect(anyone.locator("[data-testid=public-photo]")).to_have_count(0)
    anyone.goto(public_url)
    shown = anyone.locator("[data-testid=public-photo]")
    assert shown.count() == 1
    assert f"/tallies/{unit}/{scope.contest.code}/photos/" in (shown.get_attribute("href") or "")
    got = anyone.request.get(base + shown.get_attribute("href"))
    assert (got.status, got.headers["content-type"]) == (200, "image/jpeg")
    assert anyone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shown.scroll_into_view_if_needed()
    anyone.wait_for_function("() => [...document.images].every(i => i.complete)")
    shot(anyone, "photos-public-with-photo")
