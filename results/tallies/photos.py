"""Photos of the signed paper counting minutes (interfaces §12): checked, cleaned, stored by hash, audited.

Only JPEG or PNG up to MAX_BYTES and MAX_PIXELS are taken. The image is decoded with Pillow (a decompression
bomb is refused before decoding), turned upright by its EXIF orientation, scaled down to MAX_SIDE on its long
side and re-encoded as a JPEG with no EXIF, XMP, ICC profile, comment or any other metadata. Its name in the
"photos" storage is the SHA-256 of the stored bytes: no user-given name or personal data is in a path.
"""

import hashlib
import io
import threading
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from core.errors import Problem
from core.types import Actor
from elections.audit_codes import AuditAction
from elections.permissions import Action, grants_for
from results.models import ResultPublication, Tally, TallyPhoto
from results.permissions import TallyScope, can_tally
from results.publication import services as publication
from results.tallies import errors, records

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo; anything larger is refused before it is decoded
MAX_SIDE = 2000
QUALITY = 85
FIELD = "image"
STORAGE = "photos"


class PhotoInvalid(errors.TallyInvalid):
    """Not a JPEG or PNG image the site takes (HTTP 400), named by the field `image`."""

    def __init__(self, message: object):
        super().__init__(message, [Problem(FIELD, message)])


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    sha256: str
    width: int
    height: int


def _too_large() -> PhotoInvalid:
    return PhotoInvalid(_("The photo is larger than 10 MB."))


_TRUNCATED = threading.Lock()


def _load_whole(img: Image.Image) -> None:
    """Decode every pixel, refusing a truncated file. WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the
    whole process when it is imported; it is off here for the time of this decoding."""
    with _TRUNCATED:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            img.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def clean_image(upload: IO[bytes], size: int | None = None) -> CleanImage:
    """The upload as a metadata-free JPEG of at most MAX_SIDE pixels a side; PhotoInvalid when it is not one."""
    if size is not None and size > MAX_BYTES:
        raise _too_large()
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise _too_large()
    if not raw:
        raise PhotoInvalid(_("The file is empty."))
    not_an_image = _("The file is not a JPEG or PNG image.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=["JPEG", "PNG"]) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise PhotoInvalid(_("The image has too many pixels."))
                _load_whole(img)
                upright = ImageOps.exif_transpose(img)
    except PhotoInvalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoInvalid(_("The image has too many pixels.")) from None
    except UnidentifiedImageError:
        raise PhotoInvalid(not_an_image) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise PhotoInvalid(_("The image is damaged or incomplete.")) from None
    if upright.mode not in ("RGB", "L"):
        if "A" in upright.getbands() or upright.mode == "P":
            rgba = upright.convert("RGBA")
            upright = Image.new("RGB", rgba.size, (255, 255, 255))
            upright.paste(rgba, mask=rgba.getchannel("A"))
        else:
            upright = upright.convert("RGB")
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image of the pixels only: nothing of the source's info (EXIF, XMP, ICC, comments, text) is carried over.
    bare = Image.new(upright.mode, upright.size)
    bare.paste(upright)
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=QUALITY, optimize=True)
    data = out.getvalue()
    return CleanImage(data, hashlib.sha256(data).hexdigest(), bare.width, bare.height)


def storage_name(sha256: str) -> str:
    return f"photos/{sha256[:2]}/{sha256}.jpg"


def photo_attach(*, scope: TallyScope, upload: IO[bytes], size: int | None, by: Actor, source: str = "") -> TallyPhoto:
    """Attach a photo of the signed minutes to the unit's current tally for the contest, and audit it."""
    image = clean_image(upload, size)
    with transaction.atomic():
        tally = records.current_tally(scope, lock=True)
        if tally is None:
            raise errors.TallyConflict(_("Save the tally's figures before attaching a photo of its minutes."))
        storage = storages[STORAGE]
        name = storage_name(image.sha256)
        if not storage.exists(name):
            saved = storage.save(name, ContentFile(image.data))
            if saved != name:  # a concurrent upload of the same bytes: keep one copy
                storage.delete(saved)
        photo = TallyPhoto.objects.create(
            tally=tally,
            sha256=image.sha256,
            name=name,
            size=len(image.data),
            width=image.width,
            height=image.height,
            added_by=by,
        )
        # under the tally's own key, so that the photo is in the tally's history
        data = {"tally": tally.pk, "photo": photo.pk, "sha256": image.sha256, "size": len(image.data)}
        records._audit(AuditAction.TALLY_PHOTO_ADDED, scope, tally, by, source, data=data)
        if published(scope):  # the unit's public page shows it now, not at the next change of the results
            publication.public_changed(scope.election.pk, results=True)
    return photo


def photos_of(tally: Tally | None) -> list[TallyPhoto]:
    return [] if tally is None else list(TallyPhoto.objects.filter(tally=tally, removed_at=None).order_by("pk"))


def may_remove(tally: Tally | None) -> bool:
    """A photo comes off the minutes only while its clerk may still change them: once submitted, the reviewers
    have it before them and it stays."""
    return tally is not None and tally.status in records.EDITABLE


def photo_remove(*, scope: TallyScope, photo_id: int, by: Actor, source: str = "") -> TallyPhoto:
    """Take a wrong photo off the unit's current tally (its row and stored image stay, for the audit log)."""
    with transaction.atomic():
        tally = records.current_tally(scope, lock=True)
        photo = None if tally is None else TallyPhoto.objects.filter(tally=tally, pk=photo_id, removed_at=None).first()
        if tally is None or photo is None:
            raise errors.TallyConflict(_("There is no such photo on these minutes (removed already?)."))
        if not may_remove(tally):
            raise errors.TallyConflict(
                _("The minutes are submitted: their photos stay. Ask the reviewer to return them to change a photo.")
            )
        photo.removed_at, photo.removed_by = timezone.now(), by
        photo.save(update_fields=["removed_at", "removed_by"])
        before = {"photo": photo.pk, "sha256": photo.sha256}
        data = {"tally": tally.pk, "photo": photo.pk}
        records._audit(AuditAction.TALLY_PHOTO_REMOVED, scope, tally, by, source, before=before, data=data)
    return photo


def photo_bytes(photo: TallyPhoto) -> bytes:
    with storages[STORAGE].open(photo.name, "rb") as f:
        data: bytes = f.read()
    return data


def published(scope: TallyScope) -> bool:
    """Whether the unit's figures for the contest are part of its constituency's current published result."""
    pub = ResultPublication.objects.filter(constituency=scope.constituency, current=True).first()
    return pub is not None and any(u.get("code") == scope.unit.code and u.get("counted") for u in pub.units)


def may_see(user: object, scope: TallyScope) -> bool:
    """Those who may view the tally (its entrants and reviewers) always; anyone once its result is published."""
    return can_tally(grants_for(user, scope.election), scope, Action.VIEW) or published(scope)


def photo_of(scope: TallyScope, photo_id: int) -> TallyPhoto | None:
    """A photo of the unit's current tally for the contest (earlier attempts' photos are not shown)."""
    tally = records.current_tally(scope)
    if tally is None:
        return None
    return TallyPhoto.objects.filter(tally=tally, pk=photo_id, removed_at=None).first()


def public_photos(scope: TallyScope) -> list[TallyPhoto]:
    return photos_of(records.current_tally(scope)) if published(scope) else []
