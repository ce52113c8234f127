"""Flags: what a check of the minutes or a screening found about a tally, a unit or a constituency."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from elections.models import Constituency, Election, PollingUnit
from results.models.tallies import Tally


class Flag(models.Model):
    """Something a committee should look at: a failed or doubtful check, an anomaly, a lenient import."""

    class Severity(models.TextChoices):
        ERROR = "error", _("error")
        WARNING = "warning", _("warning")
        INFO = "info", _("information")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="flags")
    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="flags")
    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    tally = models.ForeignKey(Tally, on_delete=models.CASCADE, null=True, blank=True, related_name="flags")
    code = models.CharField(max_length=60)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    message = models.TextField()
    params = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=100, blank=True)  # the check or screening that raised it, with its reference
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        indexes = [models.Index(fields=["election", "status"]), models.Index(fields=["tally", "status"])]

    def __str__(self) -> str:
        return f"{self.code} ({self.severity})"
