"""Every action the audit log records, declared once with its words (`app.entity.verb_past`).

Services write `AuditAction.X` (a str, so the stored code is the plain dotted text); pages word an entry with
`label(code)`, in the reader's language. A code that is not here (an entry written by an older release) is
shown as it is stored.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # elections
    ELECTION_IMPORTED = "elections.election.imported", _("election imported")
    ROLE_GRANTED = "elections.role.granted", _("role granted")
    ROLE_REVOKED = "elections.role.revoked", _("role revoked")
    SECOND_FACTOR_SET_UP = "elections.user.second_factor_set_up", _("second factor set up")
    # voters
    VOTER_LIST_IMPORTED = "voters.list.imported", _("voter list imported")
    VOTER_LIST_DOUBLES_CHECKED = "voters.list.doubles_checked", _("voter list checked for people on two lists")
    VOTER_UPLOAD_REFUSED = "voters.upload.refused", _("voter file refused")
    VOTER_UPLOAD_UNCHANGED = "voters.upload.unchanged", _("voter file uploaded, nothing to change")
    VOTER_UPLOAD_THROTTLED = "voters.upload.throttled", _("voter file refused: too many uploads within the hour")
    DOUBLE_LISTING_KEPT_FIRST = "voters.double_listing.kept_first", _("person listed twice: first listing kept")
    DOUBLE_LISTING_MOVED = "voters.double_listing.moved", _("person listed twice: moved to the new list")
    VOTER_LIST_POSTED = "voters.list.posted", _("voter list posted")
    VOTER_ADDED = "voters.voter.added", _("voter added")
    VOTER_REMOVED = "voters.voter.removed", _("voter removed")
    CERTIFICATE_ISSUED = "voters.certificate.issued", _("voting certificate issued")
    CERTIFICATE_USED = "voters.certificate.used", _("voting certificate used")
    COMPLAINT_RECEIVED = "voters.complaint.received", _("complaint received")
    COMPLAINT_ANSWERED = "voters.complaint.answered", _("complaint answered")
    LOOKUP_ALARM_RAISED = "voters.lookup.alarm_raised", _("voter lookup alarm raised")
    # results: tallies
    TALLY_SAVED = "results.tally.saved", _("saved")
    TALLY_DRAFT_KEPT = "results.tally.draft_kept", _("draft kept as typed, not yet complete")
    TALLY_SECOND_ENTRY_SAVED = "results.tally.second_entry_saved", _("second entry saved")
    TALLY_SUBMITTED = "results.tally.submitted", _("submitted")
    TALLY_RETURNED = "results.tally.returned", _("returned")
    TALLY_APPROVED = "results.tally.approved", _("approved")
    TALLY_ANNULLED = "results.tally.annulled", _("recorded the annulment of a unit's result (Art. 81)")
    TALLY_CORRECTION_PROPOSED = "results.tally.correction_proposed", _("correction proposed")
    TALLY_CORRECTED = "results.tally.corrected", _("corrected")
    TALLY_CORRECTION_REJECTED = "results.tally.correction_rejected", _("correction rejected")
    TALLY_IMPORTED = "results.tally.imported", _("imported")
    TALLY_IMPORTED_APPROVED = "results.tally.imported_approved", _("imported as approved")
    TALLY_PHOTO_ADDED = "results.tally.photo_added", _("photo of the minutes attached")
    TALLY_PHOTO_REMOVED = "results.tally.photo_removed", _("photo of the minutes removed")
    TURNOUT_REPORTED = "results.turnout.reported", _("turnout reported")
    # results: flags, rounds, publication, minutes
    FLAG_RESOLVED = "results.flag.resolved", _("flag resolved")
    SCREENING_RAN = "results.screening.ran", _("anomaly screening run")
    ROUND_OPENED = "results.round.opened", _("further round opened")
    CONSTITUENCY_ANNULLED = "results.constituency.annulled", _("constituency's result annulled, re-election opened")
    DECISION_RECORDED = "results.decision.recorded", _("decision closing a constituency recorded")
    PUBLICATION_PROPOSED = "results.result.publication_proposed", _("publication proposed")
    RESULT_PUBLISHED = "results.result.published", _("result published")
    PUBLICATION_SUPERSEDED = "results.result.publication_superseded", _("publication proposal superseded")
    CORRECTION_PUBLISHED = "results.result.correction_published", _("correction published")
    TURNOUT_PUBLISHED = "results.turnout.published", _("turnout published")
    TURNOUT_UNPUBLISHED = "results.turnout.unpublished", _("turnout withdrawn from the public site")
    MINUTES_ISSUED = "results.minutes.issued", _("minutes issued")
    MINUTES_ZIP_REQUESTED = "results.minutes_zip.requested", _("ZIP of an area's minutes requested")


def label(code: str) -> str:
    """The words of an action code in the active language; an unknown code as it is stored."""
    try:
        return str(AuditAction(code).label)
    except ValueError:
        return code
