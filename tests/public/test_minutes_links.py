"""The public page of a published result lists its issued minutes, each with its verification page."""

from django.test import Client

from results.minutes import services as svc
from tests.results.minutes_fixtures import INPUTS


def test_a_published_result_links_its_minutes_and_an_unpublished_one_does_not(published):
    world = published.world
    # given minutes issued for the published XA1 and for the unpublished QH1
    by = world.users["committee_p"]
    xa1 = svc.minutes_issue(
        document=svc.constituency_document(world.constituencies["XA1"]), inputs=INPUTS, by=by, source="test"
    )
    qh1 = svc.minutes_issue(
        document=svc.constituency_document(world.constituencies["QH1"]), inputs=INPUTS, by=by, source="test"
    )
    # when anyone opens the public pages
    page = Client().get("/public/world-2021/constituencies/XA1/").content.decode()
    other = Client().get("/public/world-2021/constituencies/QH1/").content.decode()
    # then the published result links its minute's verification page and PDF, the unpublished one shows none
    assert f"/verify/{xa1.token}/" in page and f"/verify/{xa1.token}/pdf/" in page
    assert qh1.token not in other and "/verify/" not in other
    # and the verification page it links to answers without a login
    assert Client().get(f"/verify/{xa1.token}/").status_code == 200
