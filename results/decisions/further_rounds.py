"""Opening a second round of a constituency: a re-election (Art. 80) or an additional election (Art. 79).

The election committee decides, when the constituency's result calls for it. Opening a round bumps
`Constituency.current_round` and `current_round_kind`; the clerks' entry and the imports are keyed by
the current round, so they then collect the second round's tallies. There is never a third round
(Arts. 79(3), 80(3)).
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, lazy_format
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Constituency
from results.models import ConstituencyRound
from results.outcomes import constituency as outcomes
from results.outcomes import rounds
from results.outcomes.rounds import INCOMPLETE
from results.publication.counters import public_changed
from results.rules import winners as rules

KINDS = {rules.RE_ELECTION: rules.RE_ELECTION_REQUIRED, rules.ADDITIONAL: rules.ADDITIONAL_ELECTION_REQUIRED}
ROUND_WORDS = {rules.RE_ELECTION: _("re-election"), rules.ADDITIONAL: _("additional election")}
STATUS_WORDS = {
    rules.DECIDED: _("decided"),
    rules.RE_ELECTION_REQUIRED: _("re-election required"),
    rules.ADDITIONAL_ELECTION_REQUIRED: _("additional election required"),
    rules.TIE_UNRESOLVED: _("tie unresolved"),
    INCOMPLETE: _("incomplete"),
}


class RoundRefused(Conflict):
    """The round cannot be opened (wrong status, already opened, no third round)."""


@transaction.atomic
def round_open(
    *, constituency: Constituency, kind: str, voting_day: dt.date, reason: str = "", by: Actor, source: str = ""
) -> ConstituencyRound:
    """Open round 2 of `constituency` as `kind` (`re_election` or `additional`), as its result asks.

    A re-election keeps the voter list, the candidates and the seats (Art. 80(2)); an additional
    election puts on the ballot only the candidates not elected and fills the seats left (Art. 79(3)).
    A voting day after the legal deadline (election day + `second_round_deadline_days`) is recorded,
    and warned about, not refused: the committee may have a lawful reason, and the log keeps it.
    """
    if kind not in KINDS:
        raise RoundRefused(lazy_format(_("Unknown kind of round: %(kind)s."), kind=kind))
    cons = (
        Constituency.objects.select_for_update(of=("self",))
        .select_related("election", "contest", "area")
        .get(pk=constituency.pk)
    )
    if cons.current_round != 1:
        raise RoundRefused(_("A further round is already open; the law allows no third round."))
    outcome = outcomes.constituency_outcome(cons, with_margin=False)
    if outcome.status != KINDS[kind]:
        raise RoundRefused(
            lazy_format(
                _("The result is %(status)s; a %(kind)s needs %(needed)s."),
                status=STATUS_WORDS.get(outcome.status, outcome.status),
                kind=ROUND_WORDS[kind],
                needed=STATUS_WORDS[KINDS[kind]],
            )
        )
    candidates = list(cons.candidates.order_by("ballot_order"))
    if kind == rules.RE_ELECTION:
        seats, ballot = cons.seats, candidates
    else:
        elected = {c.id for c in outcome.candidates if c.elected}
        seats, ballot = cons.seats - len(elected), [c for c in candidates if c.pk not in elected]
    election = cons.election
    deadline = rounds.second_round_deadline(election)
    row = ConstituencyRound.objects.create(
        election=election,
        constituency=cons,
        number=2,
        kind=kind,
        seats=seats,
        voting_day=voting_day,
        deadline=deadline,
        reason=reason.strip(),
        opened_by=by if getattr(by, "pk", None) else None,
    )
    row.candidates.set(ballot)
    before = {"round": cons.current_round, "round_kind": cons.current_round_kind}
    cons.current_round, cons.current_round_kind = 2, kind
    cons.save(update_fields=["current_round", "current_round_kind"])
    public_changed(election.pk, results=True)  # the public page says a further round is under way
    audit_log(
        AuditAction.ROUND_OPENED,
        user=by,
        election_slug=election.slug,
        object_type="constituency",
        object_key=cons.code,
        before=before,
        after={"round": 2, "round_kind": kind},
        data={
            "seats": seats,
            "candidates": [c.code for c in ballot],
            "voting_day": voting_day.isoformat(),
            "deadline": deadline.isoformat(),
            "after_deadline": voting_day > deadline,
            "result_status": outcome.status,
            "reason": reason.strip(),
        },
        source=source,
    )
    return row
