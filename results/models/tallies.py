"""Election day: turnout reports and the counting minutes (Biên bản kết quả kiểm phiếu, Art. 76).

One tally per polling unit x contest x round. A tally's every version is kept (TallyVersion); the
Tally row holds the current one. Corrections of an approved tally go through TallyCorrection.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elections.models import Candidate, Constituency, Contest, Election, PollingUnit

FIGURES = ("voters_on_list", "voters_voted", "ballots_issued", "ballots_received", "valid_ballots", "invalid_ballots")


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
    # A re-vote at a polling unit whose result was annulled (Art. 81) is the next attempt of the same round.
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The fields of Art. 76(2), in the law's order.
    voters_on_list = models.PositiveIntegerField(_("total voters of the polling unit"))
    voters_voted = models.PositiveIntegerField(_("voters who took part"))
    ballots_issued = models.PositiveIntegerField(_("ballots issued"))
    ballots_received = models.PositiveIntegerField(_("ballots received"))
    valid_ballots = models.PositiveIntegerField(_("valid ballots"))
    invalid_ballots = models.PositiveIntegerField(_("invalid ballots"))
    complaints = models.TextField(_("complaints and denunciations"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    annul_reason = models.TextField(_("reason for annulment"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported = models.BooleanField(_("loaded by import"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["polling_unit", "contest", "round", "attempt"], name="tally_unit_contest_round_unique"
            ),
            models.CheckConstraint(condition=Q(round__gte=1) & Q(attempt__gte=1), name="tally_round_positive"),
        ]
        indexes = [
            models.Index(fields=["constituency", "round", "status"]),
            models.Index(fields=["election", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.polling_unit_id}/{self.contest_id} r{self.round}.{self.attempt} v{self.version} {self.status}"


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


class TallyVersion(models.Model):
    """Every version a tally has had, never changed once written."""

    tally = models.ForeignKey(Tally, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Tally.Status.choices)
    # What made this version: saved, submitted, returned, approved, annulled, corrected, imported.
    action = models.CharField(max_length=12)
    figures = models.JSONField()  # the six figures, votes by candidate code, complaints
    payload_hash = models.CharField(max_length=64)  # of the figures, to recognise a retried request
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("tally version")
        verbose_name_plural = _("tally versions")
        ordering = ["tally", "version"]
        constraints = [models.UniqueConstraint(fields=["tally", "version"], name="tally_version_unique")]

    def __str__(self) -> str:
        return f"{self.tally_id} v{self.version}"


class TallyDraft(models.Model):
    """The clerk's minutes as typed, kept when they cannot be a tally yet: a line still empty, a number that is
    not one, or a check that refuses them (issue 16: a draft is always saved when the clerk asks).

    A Tally row only ever holds figures that pass the refusing checks; what the clerk saves before that waits
    here, over the tally version it was typed from, until a save of complete, lawful figures or a submission
    makes the tally (and removes this row). Never counted, never reviewed.
    """

    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.CASCADE, related_name="tally_drafts")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="tally_drafts")
    round = models.PositiveSmallIntegerField(default=1)
    attempt = models.PositiveSmallIntegerField(default=1)
    based_on_version = models.PositiveIntegerField(null=True, blank=True)  # None: typed before the first tally
    revision = models.PositiveIntegerField(default=1)  # each save bumps it: a stale page cannot overwrite it
    # {"figures": {"voters_on_list": "812", ...}, "votes": {"QH1-01": "", ...}, "complaints": "..."}, as typed
    typed = models.JSONField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft of the minutes")
        verbose_name_plural = _("drafts of the minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["polling_unit", "contest", "round", "attempt"], name="tally_draft_unit_contest_round_unique"
            )
        ]

    def __str__(self) -> str:
        return f"draft {self.polling_unit_id}/{self.contest_id} r{self.round}.{self.attempt} rev {self.revision}"


class SecondEntry(models.Model):
    """The second, blind typing of a tally's minutes in an election with double entry (CONTRACT §12).

    The first entrant's figures are the Tally itself; the second entrant's are kept here as typed, complete or
    not, for the same unit, contest, round and attempt. The tally is submitted only once the two agree
    (results/tallies/double_entry.py); this row is never counted.
    """

    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.CASCADE, related_name="second_entries")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="second_entries")
    round = models.PositiveSmallIntegerField(default=1)
    attempt = models.PositiveSmallIntegerField(default=1)
    # {"figures": {"voters_on_list": "812", ...}, "votes": {"QH1-01": "301", ...}, "complaints": "..."}, as typed
    typed = models.JSONField()
    revision = models.PositiveIntegerField(default=1)  # each save bumps it
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("second entry of the minutes")
        verbose_name_plural = _("second entries of the minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["polling_unit", "contest", "round", "attempt"], name="second_entry_unit_contest_round_unique"
            )
        ]

    def __str__(self) -> str:
        return f"second entry {self.polling_unit_id}/{self.contest_id} r{self.round}.{self.attempt}"


class TallyCorrection(models.Model):
    """A correction of an approved tally: a reason, then a second committee member's approval."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")

    tally = models.ForeignKey(Tally, on_delete=models.CASCADE, related_name="corrections")
    based_on_version = models.PositiveIntegerField()
    figures = models.JSONField()
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("tally correction")
        verbose_name_plural = _("tally corrections")
        constraints = [
            models.UniqueConstraint(fields=["tally"], condition=Q(status="pending"), name="one_pending_correction")
        ]

    def __str__(self) -> str:
        return f"correction of {self.tally_id} ({self.status})"


class TurnoutReport(models.Model):
    """Voters who have voted so far at a polling unit, at one of the day's reporting times."""

    class Source(models.TextChoices):
        CLERK = "clerk", _("reported by the clerk")
        CHECK_IN = "check_in", _("counted from check-ins")
        IMPORT = "import", _("imported")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="turnout_reports")
    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.CASCADE, related_name="turnout_reports")
    at = models.TimeField(_("reporting time"))
    voters_voted = models.PositiveIntegerField(_("voters who have voted"))
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CLERK)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("turnout report")
        verbose_name_plural = _("turnout reports")
        ordering = ["polling_unit", "at"]
        constraints = [models.UniqueConstraint(fields=["polling_unit", "at"], name="turnout_report_unit_time_unique")]

    def __str__(self) -> str:
        return f"{self.polling_unit_id} {self.at}: {self.voters_voted}"
