"""What the voter lists refuse: each error says why, in the reader's language."""

from django.utils.translation import gettext as _

from core.errors import Conflict
from voters.models import Voter


class VoterListError(Conflict):
    """A change to a voter list that the law or the list's state does not allow; the message says why."""


class ListsClosed(VoterListError):
    """Art. 32: lists change until 24 hours before voting starts, not after."""


class StaleVersion(VoterListError):
    """Someone else changed the row since the form was shown (two committee members at once)."""


class AlreadyVoted(VoterListError):
    def __init__(self, voter: Voter) -> None:
        super().__init__(_("already checked in"))
        self.voter = voter


class CertificateRefused(VoterListError):
    """Unknown number, already used, or the national ID shown is not the holder's: one message for all."""
