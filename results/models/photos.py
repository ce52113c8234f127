"""Photos of the signed paper counting minutes of a tally (interfaces §12).

The stored image is a re-encoded JPEG without any metadata; its name in the photos storage is its SHA-256,
so no path carries a user-given name or personal data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from results.models.tallies import Tally


class TallyPhoto(models.Model):
    tally = models.ForeignKey(Tally, on_delete=models.PROTECT, related_name="photos")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    name = models.CharField(max_length=200)  # the name in the "photos" storage: photos/<sha256>.jpg
    size = models.PositiveIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    # A wrong photo is taken off the minutes while the clerk may still change them; the row and the stored
    # image stay, for the audit log that names its hash.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo of the counting minutes")
        verbose_name_plural = _("photos of the counting minutes")

    def __str__(self) -> str:
        return f"{self.tally_id}: {self.sha256[:12]}"
