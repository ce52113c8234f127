"""Election day: turnout reports and the counting minutes (Biên bản kết quả kiểm phiếu, Art. 75).

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
    # The fields of Art. 75(2), in the law's order.
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

    @property
    def kind(self) -> str:
        from .flag_words import kind

        return kind(self.code)

    @property
    def text(self) -> str:
        """Its words in the reader's language (see flag_words)."""
        from .flag_words import text

        return text(self)

    @property
    def reference(self) -> str:
        from .flag_words import reference

        return reference(self)


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


class ConstituencyRound(models.Model):
    """A second round of a constituency (Arts. 79-80), opened by the election committee.

    Round 1 (the regular election) needs no row. A re-election (bầu cử lại) keeps the voter and
    candidate lists and the seats; an additional election (bầu cử thêm) puts only the candidates not
    elected on the ballot and fills only the seats left. The ballot and seats are fixed when the round
    is opened, so a later correction of round 1 cannot silently change the round being counted.
    """

    class Kind(models.TextChoices):
        RE_ELECTION = "re_election", _("re-election")
        ADDITIONAL = "additional", _("additional election")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="constituency_rounds")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    seats = models.PositiveSmallIntegerField(_("seats to fill"))
    candidates = models.ManyToManyField(Candidate, related_name="+", verbose_name=_("candidates on the ballot"))
    voting_day = models.DateField(_("voting day"))
    deadline = models.DateField(_("deadline set by law"))
    reason = models.TextField(_("reason"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("round of a constituency")
        verbose_name_plural = _("rounds of constituencies")
        ordering = ["constituency", "number"]
        constraints = [
            models.UniqueConstraint(fields=["constituency", "number"], name="constituency_round_unique"),
            models.CheckConstraint(condition=Q(number__gte=2) & Q(seats__gte=1), name="constituency_round_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.constituency_id} r{self.number} {self.kind}"


class ConstituencyResult(models.Model):
    """The result of a constituency in one round: a cache of its sums and decision, and its publication.

    `fingerprint` names the state of the tallies, units, candidates and rules the cached `data` was
    computed from; any approval, correction, annulment or new tally changes it (every tally change bumps
    the tally's version), so a stale cache is recomputed on the next read. `published` is real data:
    until it is true only the committees, the board and staff see the result.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="constituency_results")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="results")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    fingerprint = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("constituency result")
        verbose_name_plural = _("constituency results")
        constraints = [
            models.UniqueConstraint(fields=["constituency", "round"], name="constituency_result_round_unique")
        ]
        indexes = [models.Index(fields=["election", "round"])]

    def __str__(self) -> str:
        return f"{self.constituency_id} r{self.round} {self.status}"


class RoundTotal(models.Model):
    """The sums of the approved tallies of one constituency in one round, kept as tallies change.

    Every service that moves a tally into or out of "approved", or changes an approved tally, adds or takes
    away its figures and votes here in the same transaction (results/totals.py), so a whole election's
    results are computed from one row per constituency instead of summing every tally and vote again.
    `revision` grows with every change: it is part of the cached result's fingerprint. `totals_rebuild`
    sums them afresh from the tallies (after a bulk load by SQL, and to check them).
    """

    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="round_totals")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    counted = models.PositiveIntegerField(default=0)
    voters_on_list = models.BigIntegerField(default=0)
    voters_voted = models.BigIntegerField(default=0)
    ballots_issued = models.BigIntegerField(default=0)
    ballots_received = models.BigIntegerField(default=0)
    valid_ballots = models.BigIntegerField(default=0)
    invalid_ballots = models.BigIntegerField(default=0)
    # {candidate id: votes}; JSON keys are strings.
    votes = models.JSONField(default=dict, blank=True)
    revision = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("sums of a round")
        verbose_name_plural = _("sums of rounds")
        constraints = [models.UniqueConstraint(fields=["constituency", "round"], name="round_total_unique")]

    def __str__(self) -> str:
        return f"{self.constituency_id} r{self.round}: {self.counted} counted"


class PublicationProposal(models.Model):
    """A board or committee member's proposal to publish a constituency's result as it stands (CONTRACT §9).

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
    data = models.JSONField()  # the public result (CONTRACT §3 shape): totals, candidates, winners, reasons
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


# The official minutes live in their own module; importing them here registers them with the app.
from .models_minutes import BodyMember, Minute, MinutesJob, MinutesSettings  # noqa: E402, F401
