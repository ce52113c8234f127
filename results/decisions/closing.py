"""Closing a constituency without a further round, by a recorded decision of the competent body (CONTRACT §10).

`seats_left_vacant`: the NEC decides not to hold an additional National Assembly election (Art. 79(1)), the
council's Election Committee does not call one (Art. 79(2)), or a second round calls for a third, which the law
never holds (Arts. 79(3), 80(4)). `tie_settled`: the competent body names who takes the seat(s) a tie the age rule
cannot settle leaves open (Art. 78(4), CONTRACT §1). Either makes the status `decided`, so the summary minutes can
be issued; a published result is corrected at once (the decision is part of it).
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, Problem, lazy_format
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Candidate, Constituency
from results.decisions.further_rounds import STATUS_WORDS
from results.decisions.recording import DecisionInvalid, DecisionText, decision_day_check, decision_row
from results.outcomes import constituency as outcomes
from results.outcomes.deadlines import local_today
from results.publication import services as publication
from results.publication.counters import public_changed
from results.rules import closing as rules

KIND_WORDS = {rules.SEATS_LEFT_VACANT: _("leaving the seats vacant"), rules.TIE_SETTLED: _("settling a tie")}


class DecisionRefused(Conflict):
    """The result's status does not allow this decision (HTTP 409)."""


@transaction.atomic
def decision_record(
    *,
    constituency: Constituency,
    kind: str,
    decision: DecisionText,
    elected: Sequence[str] = (),
    by: Actor,
    source: str = "",
) -> outcomes.ConstituencyOutcome:
    """Record a decision of `kind` closing the constituency's current round; return the result it makes.

    `elected`: for `tie_settled`, the codes of the candidates the body names, among those tied, exactly as
    many as the seats open; nothing for `seats_left_vacant`.
    """
    if kind not in rules.KINDS:
        raise DecisionInvalid(
            lazy_format(_("Unknown kind of decision: %(kind)s."), kind=kind), [Problem("kind", _("unknown kind"))]
        )
    decision = decision.cleaned(prefix="")
    cons = (
        Constituency.objects.select_for_update(of=("self",))
        .select_related("election", "contest", "area")
        .get(pk=constituency.pk)
    )
    today = local_today(cons.election)
    decision_day_check(
        decision, election_day=cons.election.election_day, latest=today, latest_is_voting_day=False, prefix=""
    )
    outcome = outcomes.constituency_outcome(cons, with_margin=False)
    current = outcome.current
    if not rules.may_close(kind, current.status, current.number):
        raise DecisionRefused(
            lazy_format(
                _("The result is %(status)s: it does not allow %(kind)s."),
                status=STATUS_WORDS.get(current.status, current.status),
                kind=KIND_WORDS[kind],
            )
        )
    chosen = _chosen(cons, kind, elected, tied=current.tied, open_seats=current.seats - current.seats_filled)
    article = rules.closing_article(kind, level=cons.contest.level, round_kind=current.kind)
    decision_row(
        constituency=cons,
        round_number=current.number,
        kind=kind,
        text=decision,
        article=article,
        by=by,
        elected=chosen,
    )
    after = outcomes.constituency_outcome(cons, with_margin=False)
    audit_log(
        AuditAction.DECISION_RECORDED,
        user=by,
        election_slug=cons.election.slug,
        object_type="constituency",
        object_key=cons.code,
        before={"round": current.number, "status": current.status},
        after={"round": current.number, "status": after.status},
        data={
            "kind": kind,
            "article": article,
            "decision": decision.as_audit(),
            "elected": [c.code for c in chosen],
            "reason": decision.reason,
        },
        source=source,
    )
    publication.sync_published(
        [cons.pk],
        change=publication.Change(publication.CAUSE_DECISION, reason=f"{decision.body}, {decision.reference}"),
        by=by,
        source=source,
    )
    public_changed(cons.election_id, results=True)
    return outcomes.constituency_outcome(cons)


def _chosen(
    cons: Constituency, kind: str, codes: Sequence[str], *, tied: Sequence[int], open_seats: int
) -> list[Candidate]:
    """The candidates a tie settlement names, checked against the tie (rules/closing.py)."""
    if kind != rules.TIE_SETTLED:
        if codes:
            raise DecisionInvalid(
                _("Only a decision settling a tie names candidates elected."),
                [Problem("elected", _("must be empty unless the kind is tie_settled"))],
            )
        return []
    by_code = {c.code: c for c in cons.candidates.all()}
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        message = lazy_format(_("Not a candidate of this constituency: %(codes)s."), codes=", ".join(unknown))
        raise DecisionInvalid(message, [Problem("elected", message)])
    chosen = [by_code[code] for code in codes]
    problem = rules.tie_settlement_problem([c.pk for c in chosen], tied=tied, open_seats=open_seats)
    if problem is not None:
        tied_codes = ", ".join(c.code for c in by_code.values() if c.pk in set(tied))
        words = {
            rules.REPEATED: _("A candidate is named twice."),
            rules.NOT_TIED: lazy_format(_("Name only candidates who are tied: %(codes)s."), codes=tied_codes),
            rules.WRONG_COUNT: lazy_format(
                _("Name exactly %(n)s of the tied candidates (%(codes)s): the seats the tie leaves open."),
                n=open_seats,
                codes=tied_codes,
            ),
        }
        raise DecisionInvalid(_("The decision does not settle the tie."), [Problem("elected", words[problem])])
    return chosen
