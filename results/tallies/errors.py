"""What the tally workflow refuses; each error carries the message its reader sees, in the reader's language."""

from collections.abc import Sequence

from core.errors import Conflict, DomainError, Forbidden, Invalid, Problem
from results.rules.checks import Finding


class TallyError(DomainError):
    """Base of the workflow's refusals; `problems` name the field each one is about."""


class TallyInvalid(TallyError, Invalid):
    """The tally breaks a rule of the minutes or names unknown candidates (HTTP 400)."""


class TallyConflict(TallyError, Conflict):
    """Stale version, or a state the action does not apply to (HTTP 409)."""


class SeparationOfDuties(TallyError, Forbidden):
    """The same person may not both enter or submit and approve (HTTP 403)."""


class WarningsUnconfirmed(TallyError, Conflict):
    """The minutes add up but give warnings the clerk has not confirmed yet (HTTP 409).

    A warning does not refuse lawful minutes (ballots issued may differ from voters who voted); the entry page
    lists the warnings and submits again once the clerk confirms them. `findings` are those warnings.
    """

    def __init__(self, message: object, findings: Sequence[Finding]):
        super().__init__(message, [Problem(", ".join(f.fields), f.message) for f in findings])
        self.findings = list(findings)
