"""Refusals of the tally workflow reach Vietnamese readers in Vietnamese, English ones in English (one house, issue 12).

The messages are marked for translation where they are raised (results/tallies/), so the API and the pages
word them in the reader's language, with the problems named by their path.
"""

import pytest
from django.conf import settings
from django.utils import translation

from elections.models import Role, RoleAssignment
from results.tallies import corrections, errors, services
from tests.results.conftest import good_qh, payload

URL = "/api/v1/elections/world-2021/tallies/U1/QH/"


def put(client, body, version=None, lang="vi"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang  # the language switch's choice (config/middleware.py)
    data = dict(body) | ({"version": version} if version is not None else {})
    return client.put(URL, data, content_type="application/json")


def post(client, action, data=None, lang="vi"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.post(URL + action + "/", data or {}, content_type="application/json")


@pytest.mark.parametrize(
    ("lang", "detail", "field"),
    [("vi", "Phải nêu lý do.", "là bắt buộc"), ("en", "A reason is required.", "is required")],
)
def test_returning_a_tally_with_a_blank_reason(api, lang, detail, field):
    put(api("clerk_u1"), good_qh())
    post(api("clerk_u1"), "submit")
    r = post(api("board_qh1"), "return", {"reason": "  "}, lang=lang)
    assert r.status_code == 400
    assert r.json() == {"detail": detail, "errors": {"reason": [field]}}


@pytest.mark.parametrize(
    ("lang", "words"),
    [("vi", "Biên bản vừa thay đổi: nay là phiên bản 2, không phải 1."), ("en", "it is at version 2, not 1")],
)
def test_a_stale_save(api, lang, words):
    clerk = api("clerk_u1")
    put(clerk, good_qh())
    put(clerk, good_qh(complaints="a"), version=1)
    r = put(clerk, good_qh(complaints="b"), version=1, lang=lang)
    assert r.status_code == 409
    assert words in r.json()["detail"]


def test_a_self_approval_is_refused_in_vietnamese(world, api):
    both = world.users["committee_c1"]
    RoleAssignment.objects.create(user=both, election=world.election, role=Role.CLERK, polling_unit=world.units["U1"])
    c = api("committee_c1")
    put(c, good_qh())
    post(c, "submit")
    r = post(c, "approve")
    assert (r.status_code, r.json()) == (
        403,
        {"detail": "Bạn đã nhập hoặc nộp biên bản này; một thành viên khác phải duyệt."},
    )


def test_a_self_applied_correction_is_refused_in_the_readers_language(world, scope_u1_qh):
    # given an approved tally and a correction proposed by one committee member
    first, second = world.users["committee_p"], world.users["committee_d1"]
    clerk = world.users["clerk_u1"]
    services.tally_save(scope=scope_u1_qh, payload=payload(good_qh()), version=None, by=clerk)
    services.tally_submit(scope=scope_u1_qh, by=clerk)
    services.tally_approve(scope=scope_u1_qh, by=second)
    fixed = payload(good_qh(valid_ballots=689, invalid_ballots=11))
    correction = corrections.correction_propose(scope=scope_u1_qh, payload=fixed, reason="sai số", by=first)
    # when the proposer applies it
    with pytest.raises(errors.SeparationOfDuties) as refused:
        corrections.correction_decide(scope=scope_u1_qh, correction_id=correction.pk, approve=True, by=first)
    # then the same refusal reads in either language
    with translation.override("vi"):
        assert (
            str(refused.value)
            == "Bạn đã đề xuất đính chính này; một thành viên khác của Ủy ban bầu cử phải quyết định."
        )
    with translation.override("en"):
        assert str(refused.value) == "You proposed this correction; another committee member must decide on it."


def test_a_malformed_body_is_explained_in_vietnamese(api):
    r = put(api("clerk_u1"), good_qh(voters_voted=-1))
    assert r.status_code == 400
    assert r.json()["detail"] == "Biên bản không đúng cấu trúc."
    assert r.json()["errors"]["voters_voted"] == ["không được là số âm, không phải -1"]
