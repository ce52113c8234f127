"""Opening a second round of a constituency: an additional election (Art. 79), a re-election (Art. 80), or the
re-election after the NEC annuls the constituency's result (Art. 81).

The competent body decides, when the constituency's result calls for it (an annulment: whatever the result);
the decision is recorded with its body, reference and date (CONTRACT §10). Opening a round bumps
`Constituency.current_round` and `current_round_kind`; the clerks' entry and the imports are keyed by the current
round, so they then collect the second round's tallies. There is never a third round (Arts. 79(3), 80(4)). The
voting day must lie between election day and the deadline of the law in force on election day (7 days under Law
83/2025/QH15, 15 before: Arts. 79(3), 80(4), 81(2)); another day is refused, naming the article.
"""

import datetime as dt

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, Invalid, Problem, lazy_format
from core.law import reference_words
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Constituency
from results.decisions.recording import DecisionInvalid, DecisionText, day_words, decision_day_check, decision_row
from results.models import ConstituencyDecision, ConstituencyRound
from results.outcomes import constituency as outcomes
from results.outcomes import rounds
from results.outcomes.deadlines import local_today
from results.outcomes.rounds import INCOMPLETE
from results.publication.counters import public_changed
from results.rules import second_rounds
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


def _article(text: str) -> str:
    return reference_words(text) or text


# Worded when shown, in the reader's language: an article as their law cites it (a date: recording.day_words).
article_words = lazy(_article, str)


class RoundRefused(Conflict):
    """The round cannot be opened (wrong status, already opened, no third round)."""


class VotingDayRefused(Invalid):
    """The voting day is not lawful for a second round (before election day, or after the deadline)."""


def voting_day_check(*, election_day: dt.date, deadline: dt.date, days: int, voting_day: dt.date, kind: str) -> None:
    """Refuse a voting day before election day or after the deadline, naming the article of `kind`'s deadline."""
    problem = second_rounds.voting_day_problem(voting_day, election_day=election_day, deadline=deadline)
    if problem is None:
        return
    article = article_words(second_rounds.DEADLINE_ARTICLE[kind])
    if problem == second_rounds.BEFORE_ELECTION_DAY:
        message = lazy_format(
            _("The voting day %(day)s is before election day, %(election_day)s: a second round follows the first "
              "election (%(article)s)."),
            day=day_words(voting_day),
            election_day=day_words(election_day),
            article=article,
        )  # fmt: skip
    else:
        message = lazy_format(
            _("The voting day %(day)s is after %(deadline)s, the last day the law allows: %(days)s days after "
              "election day (%(article)s)."),
            day=day_words(voting_day),
            deadline=day_words(deadline),
            days=days,
            article=article,
        )  # fmt: skip
    raise VotingDayRefused(message, [Problem("voting_day", message)])


@transaction.atomic
def round_open(
    *,
    constituency: Constituency,
    kind: str,
    voting_day: dt.date,
    decision: DecisionText,
    annulment: bool = False,
    consent: DecisionText | None = None,
    by: Actor,
    source: str = "",
) -> ConstituencyRound:
    """Open round 2 of `constituency` as `kind` (`re_election` or `additional`), as its result asks.

    A re-election keeps the voter list, the candidates and the seats (Arts. 80(4), 82); an additional
    election puts on the ballot only the candidates not elected and fills the seats left (Art. 79(3)).
    `annulment`: the NEC annulled the constituency's result (Art. 81(1)); a re-election with the same
    candidates and seats is opened whatever the result (Art. 81(2)). `consent`: the NEC's consent, which a People's
    Council re-election needs under the 2025 text (Art. 80(3)); refused without it, ignored where not needed. The
    decision is recorded (`ConstituencyDecision`) and the audit log keeps it with its articles.
    """
    if kind not in KINDS:
        raise RoundRefused(lazy_format(_("Unknown kind of round: %(kind)s."), kind=kind))
    if annulment and kind != rules.RE_ELECTION:
        raise Invalid(
            _("An annulment of the constituency's result is followed by a re-election (Art. 81(2))."),
            [Problem("kind", _("must be re_election with an annulment"))],
        )
    decision = decision.cleaned()
    consent = consent.cleaned(prefix="consent.") if consent is not None else None
    cons = (
        Constituency.objects.select_for_update(of=("self",))
        .select_related("election", "contest", "area")
        .get(pk=constituency.pk)
    )
    election = cons.election
    deadline = rounds.second_round_deadline(election)
    round_kind = second_rounds.ANNULMENT if annulment else kind
    voting_day_check(
        election_day=election.election_day,
        deadline=deadline,
        days=rounds.second_round_days(election),
        voting_day=voting_day,
        kind=round_kind,
    )
    if annulment and not second_rounds.is_nec(decision.body):
        message = lazy_format(
            _("Only the National Election Council annuls an election's result (%(article)s): give its name as the "
              "body that decided."),
            article=article_words(second_rounds.ART_ANNULMENT),
        )  # fmt: skip
        raise DecisionInvalid(message, [Problem("decision.body", message)])
    today = local_today(election)
    dated = {
        "election_day": election.election_day,
        "latest": min(voting_day, today),
        "latest_is_voting_day": voting_day <= today,
    }
    decision_day_check(decision, prefix="decision.", **dated)
    if cons.current_round != 1:
        raise RoundRefused(_("A further round is already open; the law allows no third round."))
    outcome = outcomes.constituency_outcome(cons, with_margin=False)
    if not annulment and outcome.status != KINDS[kind]:
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
    decided_by, deadline_article = second_rounds.round_articles(round_kind, cons.contest.level)
    if second_rounds.nec_consent_required(round_kind, cons.contest.level, election.election_day):
        if consent is None:
            message = lazy_format(
                _("A People's Council re-election is set after the National Election Council agrees (%(article)s): "
                  "give the NEC's consent, its reference and date."),
                article=article_words(second_rounds.ART_NEC_CONSENT),
            )  # fmt: skip
            raise DecisionInvalid(message, [Problem("consent", message)])
        decision_day_check(consent, prefix="consent.", **dated)
    else:
        consent = None  # not the law's requirement here: not recorded as one
    row = ConstituencyRound.objects.create(
        election=election,
        constituency=cons,
        number=2,
        kind=kind,
        seats=seats,
        voting_day=voting_day,
        deadline=deadline,
        reason=decision.reason,
        opened_by=by if getattr(by, "pk", None) else None,
    )
    row.candidates.set(ballot)
    decision_row(
        constituency=cons,
        round_number=1,
        kind=ConstituencyDecision.Kind.ANNULMENT if annulment else kind,
        text=decision,
        article=f"{decided_by}, {deadline_article}",
        by=by,
        round_opened=row,
        consent=consent,
    )
    before = {"round": cons.current_round, "round_kind": cons.current_round_kind}
    cons.current_round, cons.current_round_kind = 2, kind
    cons.save(update_fields=["current_round", "current_round_kind"])
    public_changed(election.pk, results=True)  # the public page says a further round is under way
    audit_log(
        AuditAction.CONSTITUENCY_ANNULLED if annulment else AuditAction.ROUND_OPENED,
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
            "article": decided_by,
            "deadline_article": deadline_article,
            "decision": decision.as_audit(),
            "consent": consent.as_audit() if consent else None,
            "annulment": annulment,
            "result_status": outcome.status,
            "reason": decision.reason,
        },
        source=source,
    )
    return row
