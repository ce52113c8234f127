"""What every recorded decision carries (CONTRACT §10): the body that took it, its reference, date and reason.

Opening a second round (further_rounds.py) and closing a constituency (closing.py) both record one
`ConstituencyDecision` through `decision_row`, after checking its words here.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.errors import Invalid, Problem, lazy_format
from core.types import Actor
from elections.models import Candidate, Constituency
from results.models import ConstituencyDecision, ConstituencyRound
from results.rules import second_rounds

MAX_BODY = 300
MAX_REFERENCE = 200
MAX_REASON = 4000


def _day(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# Worded when shown, in the reader's language: a date as they write it.
day_words = lazy(_day, str)


class DecisionInvalid(Invalid):
    """The decision's words or figures are not acceptable (HTTP 400); each problem names its field."""


@dataclass(frozen=True)
class DecisionText:
    """The decision as the body took it: "Hội đồng bầu cử quốc gia", "Nghị quyết số 12/NQ-HĐBCQG", its date."""

    body: str
    reference: str
    date: dt.date
    reason: str = ""

    def cleaned(self, *, prefix: str = "decision.") -> "DecisionText":
        """The text with spaces trimmed, or DecisionInvalid naming each field at fault (`prefix` + field)."""
        body, reference, reason = (" ".join(self.body.split()), " ".join(self.reference.split()), self.reason.strip())
        problems = []
        fields = (
            (prefix + "body", body, MAX_BODY, True),
            (prefix + "reference", reference, MAX_REFERENCE, True),
            ("reason", reason, MAX_REASON, False),
        )
        for path, value, limit, required in fields:
            if required and not value:
                problems.append(Problem(path, _("This field is required.")))
            elif len(value) > limit:
                problems.append(Problem(path, lazy_format(_("at most %(max)s characters"), max=limit)))
            elif "\x00" in value:  # PostgreSQL text cannot hold it
                problems.append(Problem(path, _("must be text (without NUL characters)")))
        if problems:
            raise DecisionInvalid(_("The decision is not well formed."), problems)
        return DecisionText(body, reference, self.date, reason)

    def as_audit(self) -> dict[str, Any]:
        return {"body": self.body, "reference": self.reference, "date": self.date.isoformat()}


def decision_day_check(
    text: DecisionText, *, election_day: dt.date, latest: dt.date, latest_is_voting_day: bool, prefix: str
) -> None:
    """Refuse a decision dated before election day, or after `latest`: today (a date still to come), or the
    voting day the decision itself sets. The problem names the field `prefix` + "date"."""
    problem = second_rounds.decision_day_problem(text.date, election_day=election_day, latest=latest)
    if problem is None:
        return
    if problem == second_rounds.DECISION_BEFORE_ELECTION_DAY:
        message = lazy_format(
            _("The decision is dated %(date)s, before election day (%(election_day)s): it decides on this "
              "election's result."),
            date=day_words(text.date),
            election_day=day_words(election_day),
        )  # fmt: skip
    elif latest_is_voting_day:
        message = lazy_format(
            _("The decision is dated %(date)s, after the voting day it sets (%(day)s)."),
            date=day_words(text.date),
            day=day_words(latest),
        )
    else:
        message = lazy_format(
            _("The decision is dated %(date)s, a day still to come (today is %(today)s)."),
            date=day_words(text.date),
            today=day_words(latest),
        )
    raise DecisionInvalid(message, [Problem(prefix + "date", message)])


def decision_row(
    *,
    constituency: Constituency,
    round_number: int,
    kind: str,
    text: DecisionText,
    article: str,
    by: Actor,
    elected: Sequence[Candidate] = (),
    round_opened: ConstituencyRound | None = None,
    consent: DecisionText | None = None,
) -> ConstituencyDecision:
    """Write the decision (inside the caller's transaction, which holds the constituency's lock)."""
    row = ConstituencyDecision.objects.create(
        election_id=constituency.election_id,
        constituency=constituency,
        round=round_number,
        kind=kind,
        body=text.body,
        reference=text.reference,
        date=text.date,
        reason=text.reason,
        article=article,
        round_opened=round_opened,
        decided_by=by if getattr(by, "pk", None) else None,
        consent_body=consent.body if consent else "",
        consent_reference=consent.reference if consent else "",
        consent_date=consent.date if consent else None,
    )
    if elected:
        row.elected.set(elected)
    return row
