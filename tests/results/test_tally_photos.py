"""Photos of the signed paper minutes (interfaces §12): cleaning, storing, the API and who may see them."""

import hashlib
import io
import random
import zlib

import pytest
from django.conf import settings
from django.core.files.storage import storages
from PIL import Image, PngImagePlugin

from elections.models import AuditEntry, Role, RoleAssignment
from results.models import TallyPhoto
from results.tallies import photos
from tests.public.conftest import publish
from tests.results.conftest import good_qh

URL = "/api/v1/elections/world-2021/tallies/U1/QH/photos/"


def jpeg_with_exif(size=(640, 480), orientation=None) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Maker"  # Make
    exif[0x0110] = "SecretCam Model X"  # Model
    if orientation:
        exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)}  # GPS
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Nguyen Van Secret")
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 255, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _en(message) -> str:
    from django.utils import translation

    with translation.override("en"):
        return str(message)


def refusal(raw: bytes, size=None) -> str:
    with pytest.raises(photos.PhotoInvalid) as caught:
        photos.clean_image(io.BytesIO(raw), size)
    assert caught.value.problems[0].path == "image"
    return _en(caught.value.message)


def test_exif_gps_and_camera_model_are_gone_from_the_stored_jpeg():
    clean = photos.clean_image(io.BytesIO(jpeg_with_exif()))
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert b"Exif" not in clean.data and b"SecretCam" not in clean.data and b"secret comment" not in clean.data
    assert "icc_profile" not in stored.info and "comment" not in stored.info
    assert clean.sha256 == hashlib.sha256(clean.data).hexdigest()


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    clean = photos.clean_image(io.BytesIO(jpeg_with_exif((640, 480), orientation=6)))  # rotated 90°
    assert (clean.width, clean.height) == (480, 640)


def test_png_text_chunks_are_dropped_and_the_photo_becomes_a_jpeg():
    clean = photos.clean_image(io.BytesIO(png_with_text()))
    assert Image.open(io.BytesIO(clean.data)).format == "JPEG"
    assert b"Nguyen Van Secret" not in clean.data and b"tEXt" not in clean.data


def test_a_large_photo_is_scaled_down_to_2000_px_on_its_long_side():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (9, 9, 9)).save(out, "JPEG")
    clean = photos.clean_image(io.BytesIO(out.getvalue()))
    assert (clean.width, clean.height) == (2000, 1500)


def test_a_non_image_is_refused():
    assert refusal(b"%PDF-1.4 not an image") == "The file is not a JPEG or PNG image."


def test_an_empty_file_is_refused():
    assert refusal(b"") == "The file is empty."


def test_a_truncated_image_is_refused():
    out = io.BytesIO()
    Image.frombytes("RGB", (640, 480), random.Random(1).randbytes(640 * 480 * 3)).save(out, "JPEG")
    raw = out.getvalue()
    assert refusal(raw[: len(raw) // 2]) == "The image is damaged or incomplete."


def test_a_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    assert refusal(out.getvalue()) == "The file is not a JPEG or PNG image."


def test_a_file_over_10_mb_is_refused():
    assert refusal(b"\xff" * (photos.MAX_BYTES + 1)) == "The photo is larger than 10 MB."
    assert refusal(b"\xff\xd8", size=photos.MAX_BYTES + 1) == "The photo is larger than 10 MB."


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    assert refusal(_png_header_only(60_000, 60_000)) == "The image has too many pixels."
    assert refusal(_png_header_only(10_000, 6_000)) == "The image has too many pixels."


# --- the API -----------------------------------------------------------------------------------------------------


def _post(client, raw, name="bien-ban.jpg", url=URL):
    f = io.BytesIO(raw)
    f.name = name
    return client.post(url, {"image": f})


def test_the_clerk_attaches_a_photo_201_with_id_sha256_url_and_it_is_audited(api, world):
    clerk = api("clerk_u1")
    assert clerk.put(URL[: -len("photos/")], good_qh(), content_type="application/json").status_code == 201
    r = _post(clerk, jpeg_with_exif(), name="Nguyen Van A 012345678.jpg")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert set(body) == {"id", "sha256", "url"}
    photo = TallyPhoto.objects.get(pk=body["id"])
    with storages["photos"].open(photo.name, "rb") as f:
        stored = f.read()
    assert hashlib.sha256(stored).hexdigest() == body["sha256"] == photo.sha256
    assert b"Exif" not in stored and dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    assert "Nguyen" not in photo.name and "012345678" not in photo.name and body["sha256"] in photo.name
    entry = AuditEntry.objects.get(action="results.tally.photo_added")
    assert entry.actor_id == world.users["clerk_u1"].pk and entry.object_key.startswith("U1/QH")
    assert entry.data["sha256"] == body["sha256"] and entry.data["size"] == len(stored)
    # the entrant sees it, privately
    got = clerk.get(body["url"])
    assert (got.status_code, got["Content-Type"], got.content) == (200, "image/jpeg", stored)
    assert got["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"just text", "The file is not a JPEG or PNG image."),
        (b"GIF89a" + b"\0" * 20, "The file is not a JPEG or PNG image."),
    ],
)
def test_anything_but_a_jpeg_or_png_is_400_naming_the_field(api, world, raw, message):
    clerk = api("clerk_u1")
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    clerk.put(URL[: -len("photos/")], good_qh(), content_type="application/json")
    r = _post(clerk, raw)
    assert r.status_code == 400
    assert r.json()["errors"]["image"] == [message]
    assert not TallyPhoto.objects.exists()


def test_a_request_without_the_image_field_is_400(api, world):
    clerk = api("clerk_u1")
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = clerk.post(URL, {"picture": "x"})
    assert r.status_code == 400 and "image" in r.json()["errors"]
    assert clerk.post(URL, {"image": "x"}, content_type="application/json").status_code == 415


def test_no_tally_yet_is_409(api, world):
    assert _post(api("clerk_u1"), jpeg_with_exif()).status_code == 409


def clerk_u2(api, world):
    RoleAssignment.objects.create(
        user=world.users["outsider"], election=world.election, role=Role.CLERK, polling_unit=world.units["U2"]
    )
    return api("outsider")


def test_another_units_clerk_and_a_board_may_not_attach(api, world):
    assert _post(clerk_u2(api, world), jpeg_with_exif()).status_code == 403
    assert _post(api("board_qh1"), jpeg_with_exif()).status_code == 403
    assert not TallyPhoto.objects.exists()


def test_the_photo_is_public_only_once_the_units_result_is_published(api, counted, client):
    world = counted
    r = _post(api("clerk_u1"), jpeg_with_exif(), url="/api/v1/elections/world-2021/tallies/U1/XA/photos/")
    assert r.status_code == 201, r.json()
    url = r.json()["url"]
    assert client.get(url).status_code == 404  # anonymous, not published
    assert clerk_u2(api, world).get(url).status_code == 404  # another unit's clerk
    assert api("board_xa1").get(url).status_code == 200  # the reviewers
    publish(world, "XA1")
    got = client.get(url)
    assert got.status_code == 200 and got["Cache-Control"] == "public, max-age=3600"
    assert client.get(url, HTTP_IF_NONE_MATCH=got["ETag"]).status_code == 304
    # a photo of another unit's tally is not found under this unit
    assert client.get(url.replace("/U1/", "/U2/")).status_code == 404


# --- the pages ---------------------------------------------------------------------------------------------------


def test_the_clerk_attaches_a_photo_from_the_entry_page_without_script(api, world):
    from django.urls import reverse

    entry = reverse("results:tally-entry", args=["world-2021", "U1", "QH"])
    clerk = api("clerk_u1")
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    clerk.put(URL[: -len("photos/")], good_qh(), content_type="application/json")
    page = clerk.get(entry).content.decode()
    assert 'accept="image/jpeg,image/png" capture="environment"' in page and 'enctype="multipart/form-data"' in page
    f = io.BytesIO(jpeg_with_exif())
    f.name = "x.jpg"
    r = clerk.post(reverse("results:tally-photo-add", args=["world-2021", "U1", "QH"]), {"image": f})
    assert r.status_code == 302 and r["Location"].endswith("#photos")
    photo = TallyPhoto.objects.get()
    page = clerk.get(entry).content.decode()
    assert f"/photos/{photo.pk}/" in page and "The photo of the minutes is attached." in page
    # the board sees it beside the figures on the review page
    review = api("board_qh1").get(reverse("results:tally-review", args=["world-2021", "U1", "QH"]))
    assert f"/photos/{photo.pk}/" in review.content.decode()


def test_a_bad_file_on_the_page_is_refused_with_a_message_beside_the_input(api, world):
    from django.urls import reverse

    clerk = api("clerk_u1")
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    clerk.put(URL[: -len("photos/")], good_qh(), content_type="application/json")
    f = io.BytesIO(b"GIF89a not a photo")
    f.name = "x.gif"
    r = clerk.post(reverse("results:tally-photo-add", args=["world-2021", "U1", "QH"]), {"image": f})
    page = r.content.decode()
    assert r.status_code == 400
    assert 'id="photo-error"' in page and "The file is not a JPEG or PNG image." in page
    assert 'aria-describedby="photo-error"' in page
    assert not TallyPhoto.objects.exists()


def test_the_public_unit_page_shows_the_photos_only_once_published(api, counted, client):
    from django.core.cache import cache
    from django.urls import reverse

    r = _post(api("clerk_u1"), jpeg_with_exif(), url="/api/v1/elections/world-2021/tallies/U1/XA/photos/")
    url = r.json()["url"]
    cache.clear()
    assert url not in client.get(reverse("public:unit", args=["world-2021", "U1"])).content.decode()
    publish(counted, "XA1")
    cache.clear()
    assert url in client.get(reverse("public:unit", args=["world-2021", "U1"])).content.decode()


def test_a_photo_attached_after_publication_reaches_the_public_page_at_once(api, counted, client):
    from django.urls import reverse

    publish(counted, "XA1")
    page = reverse("public:unit", args=["world-2021", "U1"])
    assert "public-photo" not in client.get(page).content.decode()  # the page is now cached without a photo
    r = _post(api("clerk_u1"), jpeg_with_exif(), url="/api/v1/elections/world-2021/tallies/U1/XA/photos/")
    assert r.status_code == 201, r.json()
    assert r.json()["url"] in client.get(page).content.decode()  # no cache.clear(): the attachment bumped it


def test_a_wrong_photo_is_removed_before_submission_audited_and_no_longer_shown(api, world, client):
    from django.urls import reverse

    clerk = api("clerk_u1")
    clerk.put(URL[: -len("photos/")], good_qh(), content_type="application/json")
    body = _post(clerk, jpeg_with_exif()).json()
    assert client.delete(body["url"]).status_code in (401, 403)  # anonymous
    assert api("board_qh1").delete(body["url"]).status_code == 403  # a reviewer does not enter the minutes
    assert clerk.delete(body["url"]).status_code == 204
    assert clerk.get(body["url"]).status_code == 404
    assert clerk.delete(body["url"]).status_code == 409  # removed already
    photo = TallyPhoto.objects.get(pk=body["id"])
    assert photo.removed_by == world.users["clerk_u1"] and storages["photos"].exists(photo.name)  # kept for the log
    entry = AuditEntry.objects.get(action="results.tally.photo_removed")
    assert entry.before == {"photo": photo.pk, "sha256": photo.sha256}
    # from the entry page, with a button beside the photo
    second = _post(clerk, jpeg_with_exif(size=(320, 240))).json()
    entry_page = reverse("results:tally-entry", args=["world-2021", "U1", "QH"])
    remove = reverse("results:tally-photo-remove", args=["world-2021", "U1", "QH", second["id"]])
    assert f'action="{remove}"' in clerk.get(entry_page).content.decode()
    assert clerk.post(remove)["Location"].endswith("#photos")
    assert second["url"] not in clerk.get(entry_page).content.decode()


def test_once_submitted_the_photos_stay(api, world):
    clerk = api("clerk_u1")
    tally_url = URL[: -len("photos/")]
    clerk.put(tally_url, good_qh(), content_type="application/json")
    body = _post(clerk, jpeg_with_exif()).json()
    assert clerk.post(tally_url + "submit/", {}, content_type="application/json").status_code == 200
    refused = clerk.delete(body["url"])
    assert refused.status_code == 409 and "detail" in refused.json()
    assert TallyPhoto.objects.get(pk=body["id"]).removed_at is None
