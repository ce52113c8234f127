"""The public audit page (public/audit.py): what a checkpoint proves, the checkpoints, the key, the verifier."""

import importlib.util
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from elections import audit, audit_checkpoints
from elections.models import AuditCheckpoint

pytestmark = pytest.mark.django_db

PAGE = "/en/public/audit/"


@pytest.fixture
def signed():
    """Three checkpoints over a small log."""
    for i in range(3):
        audit.audit_log("test.thing.done", object_key=f"k{i}")
        audit_checkpoints.audit_checkpoint(reason="schedule" if i < 2 else "publication")
    return list(AuditCheckpoint.objects.order_by("number"))


def test_the_page_lists_the_checkpoints_newest_first_with_the_key(signed):
    response = Client().get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "What a checkpoint proves" in html and "What it does not prove" in html
    # newest first, each with its entry and its full hash
    assert html.index(signed[2].hash) < html.index(signed[1].hash) < html.index(signed[0].hash)
    assert "Newest checkpoint: no. 3, signed" in html
    key = audit_checkpoints.public_key_info()
    assert key["key_id"] in html and key["raw_base64"] in html
    assert "at a publication" in html and "on schedule" in html
    assert response["Cache-Control"] == f"public, max-age={settings.PUBLIC_MAX_AGE}"


def test_the_page_is_in_vietnamese_by_default():
    html = Client().get("/public/audit/").content.decode()
    assert '<html lang="vi">' in html
    assert 'hreflang="en" href="/en/public/audit/"' in html


def test_the_page_says_when_nothing_is_signed_yet():
    assert "No checkpoint has been signed yet." in Client().get(PAGE).content.decode()


def test_a_new_checkpoint_changes_the_etag_and_an_unchanged_page_is_not_sent_again(signed):
    client = Client()
    etag = client.get(PAGE)["ETag"]
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 304
    audit.audit_log("test.thing.done")
    audit_checkpoints.audit_checkpoint()
    again = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1" * 400, "%00"])
def test_a_bad_page_number_still_answers(signed, page):
    assert Client().get(PAGE, {"page": page}).status_code == 200


def test_the_page_takes_no_post(signed):
    assert Client().post(PAGE).status_code == 405


def test_the_downloads_are_what_an_observer_needs_to_verify_an_export(signed, tmp_path):
    client = Client()
    # the checkpoints and the public key, as downloaded from the site
    document = client.get("/public/audit/checkpoints.json")
    assert document["Content-Disposition"] == 'attachment; filename="kiemphieu-audit-checkpoints.json"'
    body = document.json()
    assert [c["number"] for c in body["checkpoints"]] == [1, 2, 3]
    assert body["public_key"]["key_id"] == signed[0].key_id
    pem = client.get("/public/audit/public-key.pem")
    assert pem.content.decode().startswith("-----BEGIN PUBLIC KEY-----")
    script = client.get("/public/audit/verify_audit_export.py")
    assert script.status_code == 200
    # and with them, the verifier downloaded from the site accepts the committee's export
    (tmp_path / "checkpoints.json").write_bytes(document.content)
    (tmp_path / "key.pem").write_bytes(pem.content)
    (tmp_path / "verify.py").write_bytes(b"".join(script.streaming_content) if script.streaming else script.content)
    call_command("export_audit", output=str(tmp_path / "export.jsonl"))
    spec = importlib.util.spec_from_file_location("downloaded_verifier", tmp_path / "verify.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    args = ["--public-key", tmp_path / "key.pem", "--checkpoints", tmp_path / "checkpoints.json"]
    assert tool.main([str(tmp_path / "export.jsonl"), *map(str, args)]) == 0
    assert json.loads(document.content)["format"] == "kiemphieu-audit-checkpoints"
