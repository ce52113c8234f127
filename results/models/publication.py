"""Publication of results and turnout: proposals, published snapshots and the public counters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elections.models import Constituency, Election


class PublicationProposal(models.Model):
    """A board or committee member's proposal to publish a constituency's result as it stands (interfaces §9).

    A second, different member confirms it. `fingerprint` is the result's fingerprint when proposed: a
    proposal for figures that have changed since is superseded, never confirmed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a second member")
        CONFIRMED = "confirmed", _("confirmed and published")
        SUPERSEDED = "superseded", _("superseded: the result changed")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="publication_proposals")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="publication_proposals")
    round = models.PositiveSmallIntegerField(_("round"))
    fingerprint = models.CharField(max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("publication proposal")
        verbose_name_plural = _("publication proposals")
        ordering = ["constituency", "-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "round"], condition=Q(status="pending"), name="one_pending_publication"
            )
        ]

    def __str__(self) -> str:
        return f"{self.constituency_id} r{self.round} {self.status}"


class ResultPublication(models.Model):
    """One published version of a constituency's result: exactly what the public sees, never changed.

    The first publication of a round is `original` (two members); a later change of the counted tallies
    (a correction, an annulment, an approved re-vote) publishes a `correction` with its cause and reason.
    `current` marks the version shown; earlier versions stay as the public history.
    """

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("publication")
        CORRECTION = "correction", _("correction")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="result_publications")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="publications")
    round = models.PositiveSmallIntegerField(_("round"))
    sequence = models.PositiveIntegerField(_("version"))  # 1, 2, ... per constituency
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=40)
    fingerprint = models.CharField(max_length=200)
    data = models.JSONField()  # the public result (interfaces §3 shape): totals, candidates, winners, reasons
    units = models.JSONField(default=list)  # every polling unit's approved figures and votes
    seats_filled = models.PositiveSmallIntegerField(default=0)
    winners = models.JSONField(default=list)  # names of the elected, for lists that show many constituencies
    cause = models.CharField(max_length=40, blank=True)  # corrections: tally_corrected, unit_annulled, ...
    reason = models.TextField(_("reason"), blank=True)
    polling_unit_code = models.CharField(max_length=64, blank=True)  # the unit a correction came from
    published_at = models.DateTimeField(_("published at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["constituency", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["constituency", "sequence"], name="result_publication_sequence_unique"),
            models.UniqueConstraint(fields=["constituency"], condition=Q(current=True), name="one_current_publication"),
        ]
        indexes = [models.Index(fields=["election", "current"])]

    def __str__(self) -> str:
        return f"{self.constituency_id} #{self.sequence} {self.kind}"


class TurnoutPublication(models.Model):
    """Whether turnout during the day is public for an election, and since when (one row per election).

    Published turnout is the clerks' reports as they arrive, for the whole election at once: a partial
    publication would make the election's figure look like something it is not.
    """

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="turnout_publication")
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("turnout publication")
        verbose_name_plural = _("turnout publications")

    def __str__(self) -> str:
        return f"{self.election_id} turnout {'public' if self.published else 'not public'}"


class PublicRevision(models.Model):
    """Counters of what the public site shows, bumped in the same transaction as the change.

    Public pages, downloads and the public API are cached under these numbers (and answer conditional
    requests with them as ETags); a change anywhere is seen by every server process on its next request.
    """

    election = models.OneToOneField(
        Election, on_delete=models.CASCADE, primary_key=True, related_name="public_revision"
    )
    results = models.PositiveBigIntegerField(default=0)  # approvals, publications, corrections, rounds
    turnout = models.PositiveBigIntegerField(default=0)  # turnout reports and their publication
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("public revision")
        verbose_name_plural = _("public revisions")

    def __str__(self) -> str:
        return f"{self.election_id} r{self.results} t{self.turnout}"
