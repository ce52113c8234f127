"""Rounds of a constituency, its cached results and the running sums of its approved tallies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elections.models import Candidate, Constituency, Election


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
