"""What the tally workflow refuses; each error carries the message its reader sees, in the reader's language."""

from core.errors import Conflict, DomainError, Forbidden, Invalid


class TallyError(DomainError):
    """Base of the workflow's refusals; `problems` name the field each one is about."""


class TallyInvalid(TallyError, Invalid):
    """The tally breaks a rule of the minutes or names unknown candidates (HTTP 400)."""


class TallyConflict(TallyError, Conflict):
    """Stale version, or a state the action does not apply to (HTTP 409)."""


class SeparationOfDuties(TallyError, Forbidden):
    """The same person may not both enter or submit and approve (HTTP 403)."""
