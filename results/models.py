"""Counting minutes (Biên bản kết quả kiểm phiếu, Art. 75): one tally per polling unit x contest x round."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elections.models import Candidate, Constituency, Contest, Election, PollingUnit


class Tally(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")
        ANNULLED = "annulled", _("annulled")

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="tallies")
    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.PROTECT, related_name="tallies")
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="tallies")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="tallies")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The fields of Art. 75(2), in the law's order; empty while a draft is incomplete.
    voters_on_list = models.PositiveIntegerField(_("total voters of the polling unit"), null=True, blank=True)
    voters_voted = models.PositiveIntegerField(_("voters who took part"), null=True, blank=True)
    ballots_issued = models.PositiveIntegerField(_("ballots issued"), null=True, blank=True)
    ballots_received = models.PositiveIntegerField(_("ballots received"), null=True, blank=True)
    valid_ballots = models.PositiveIntegerField(_("valid ballots"), null=True, blank=True)
    invalid_ballots = models.PositiveIntegerField(_("invalid ballots"), null=True, blank=True)
    complaints = models.TextField(_("complaints and denunciations"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["polling_unit", "contest", "round"], name="tally_unit_contest_round_unique"
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="tally_round_positive"),
        ]
        indexes = [models.Index(fields=["constituency", "round", "status"])]

    def __str__(self) -> str:
        return f"{self.polling_unit_id}/{self.contest_id} r{self.round} v{self.version} {self.status}"


class TallyVote(models.Model):
    """Votes for one candidate in one tally (field 7 of the minutes)."""

    tally = models.ForeignKey(Tally, on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="tally_votes")
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        verbose_name = _("votes of a candidate")
        verbose_name_plural = _("votes of candidates")
        constraints = [models.UniqueConstraint(fields=["tally", "candidate"], name="tally_vote_candidate_unique")]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.votes}"
