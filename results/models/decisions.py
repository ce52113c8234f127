"""Decisions of a competent body about a constituency: opening a second round, or closing it without one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elections.models import Candidate, Constituency, Election
from results.models.outcomes import ConstituencyRound


class ConstituencyDecision(models.Model):
    """A decision recorded for a constituency (CONTRACT §10), with the body that took it and its reference.

    Round decisions open round 2: an additional election (Art. 79), a re-election (Art. 80), or the NEC's
    annulment of the constituency's result and its re-election (Art. 81). Closing decisions end a round the
    rules cannot take further: seats left vacant (Arts. 79(1)-(3), 80(4)) or a tie settled (Art. 78(4)); they
    make the round's status `decided` (results/rules/closing.py), at most one per round.
    """

    class Kind(models.TextChoices):
        ADDITIONAL = "additional", _("additional election called")
        RE_ELECTION = "re_election", _("re-election called")
        ANNULMENT = "annulment", _("result annulled, re-election called")
        SEATS_LEFT_VACANT = "seats_left_vacant", _("seats left vacant")
        TIE_SETTLED = "tie_settled", _("tie settled")

    CLOSING = (Kind.SEATS_LEFT_VACANT, Kind.TIE_SETTLED)

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="constituency_decisions")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="decisions")
    round = models.PositiveSmallIntegerField(_("round decided on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = models.CharField(_("body that decided"), max_length=300)
    reference = models.CharField(_("reference (number of the decision)"), max_length=200)
    date = models.DateField(_("date of the decision"))
    reason = models.TextField(_("reason"), blank=True)
    article = models.CharField(_("article of law"), max_length=40)
    # Art. 80(3) as amended in 2025: a council re-election is set after the NEC agrees; its consent, as given.
    consent_body = models.CharField(_("body that consented"), max_length=300, blank=True)
    consent_reference = models.CharField(_("reference of the consent"), max_length=200, blank=True)
    consent_date = models.DateField(_("date of the consent"), null=True, blank=True)
    elected = models.ManyToManyField(Candidate, blank=True, related_name="+", verbose_name=_("candidates elected"))
    round_opened = models.OneToOneField(
        ConstituencyRound, on_delete=models.CASCADE, null=True, blank=True, related_name="decision"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision on a constituency")
        verbose_name_plural = _("decisions on constituencies")
        ordering = ["constituency", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "round"],
                condition=Q(kind__in=["seats_left_vacant", "tie_settled"]),
                name="constituency_decision_one_closing_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.constituency_id} r{self.round} {self.kind} {self.reference}"
