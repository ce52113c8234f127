"""Writes to voter lists: posting, changes after posting, certificates, complaints, check-in (the import is
voters/importing/pipeline.py).

Each service runs in one transaction, locks what it changes and writes the audit log with the voter's unit
and list number only: national IDs and dates of birth never reach the audit log.
"""

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Election, PollingUnit
from elections.permissions import grants_for
from voters import rules
from voters.crypto import id_cipher
from voters.errors import AlreadyVoted, CertificateRefused, ListsClosed, StaleVersion, VoterListError
from voters.importing.reasons import Reason
from voters.models import (
    ACTIVE_STATUSES,
    Certificate,
    Complaint,
    DoubleListing,
    RemovalReason,
    Residence,
    Voter,
    VoterCategory,
    VoterKey,
    VoterList,
    VoterStatus,
    voter_pk,
)

# --- changes after posting (Art. 32-34) ----------------------------------------------------------------


def changes_close_at(election: Election) -> dt.datetime:
    return rules.changes_close_at(election.election_day, election.voting_opens, election.time_zone)


def _check_open(election: Election, now: dt.datetime | None) -> dt.datetime:
    now = now or timezone.now()
    closes = changes_close_at(election)
    if now >= closes:
        raise ListsClosed(
            _("The lists closed for changes at %(when)s, 24 hours before voting starts (Art. 32).")
            % {"when": timezone.localtime(closes, closes.tzinfo).strftime("%Y-%m-%d %H:%M %Z")}
        )
    return now


def _locked_list(unit: PollingUnit) -> VoterList:
    VoterList.objects.get_or_create(polling_unit=unit, defaults={"election_id": unit.election_id})
    return VoterList.objects.select_for_update().get(polling_unit=unit)


def _locked_voter(voter_id: int, version: int | None) -> Voter:
    voter = Voter.objects.select_for_update().select_related("polling_unit", "election").get(pk=voter_id)
    if version is not None and voter.version != version:
        raise StaleVersion(_("Someone else changed this voter meanwhile; look at the row again and retry."))
    return voter


def _next_number(unit: PollingUnit) -> int:
    return (Voter.objects.of_unit(unit).aggregate(n=Max("list_number"))["n"] or 0) + 1


def _audit(action: str, voter: Voter, by: Actor, **data: Any) -> None:
    audit_log(
        action,
        user=by,
        election_slug=voter.election.slug,
        object_type="voter",
        object_key=f"{voter.polling_unit.code}#{voter.list_number}",
        data={"voter": voter.pk, "polling_unit": voter.polling_unit.code, "list_number": voter.list_number, **data},
    )


def _scope(by: Actor, election: Election) -> tuple[str, ...] | None:
    """The paths of the areas whose lists `by` may see; None for the whole election (the system, an administrator)."""
    if by is None:
        return None
    grants = grants_for(by, election)
    return None if grants.superuser else grants.committee_paths


def _listings_of(voter: Voter) -> list[Voter]:
    """The person's listings in the election (on a list, held or not): the active one first."""
    places = VoterKey.objects.filter(election_id=voter.election_id, token=voter.national_id_token)
    ids = [voter_pk(unit_id, number) for unit_id, number in places.values_list("polling_unit_id", "list_number")]
    listed = Voter.objects.filter(pk__in=ids, status__in=ACTIVE_STATUSES).select_related("polling_unit__area")
    return list(listed.order_by("held", "pk"))


def _key_listed(voter: Voter, *, by: Actor) -> DoubleListing | None:
    """Save a new voter with its key; Art. 29 (one list per person) is the key table's unique index.

    A person already listed in a unit that `by` may see is refused, saying where. One listed elsewhere is put on
    this list but held, for the committee that covers both (DoubleListing): `by` sees a listing like any other,
    so adding people by hand tells nothing about lists outside their area either.
    """
    scope = _scope(by, voter.election)
    for attempt in (1, 2):
        listed = _listings_of(voter)
        # A listing `by` may see is named, held or not (a held row reads as listed to them, so it is refused too).
        seen = [v for v in listed if scope is None or any(v.polling_unit.area.path.startswith(p) for p in scope)]
        if seen:
            raise VoterListError(
                _(
                    "This person is already on the list of polling unit %(code)s, number %(n)d; remove them there "
                    "first (Art. 29)."
                )
                % {"code": seen[0].polling_unit.code, "n": seen[0].list_number}
            )
        first = listed[0] if listed else None
        voter.held = first is not None
        try:
            with transaction.atomic():
                voter.save(force_insert=True)
                VoterKey.objects.create(
                    election_id=voter.election_id,
                    token=voter.national_id_token,
                    struck=voter.pk if voter.held else 0,
                    polling_unit_id=voter.polling_unit_id,
                    list_number=voter.list_number,
                )
        except IntegrityError:
            if attempt == 2:
                raise VoterListError(_("Someone listed this person meanwhile; try again.")) from None
            continue  # listed elsewhere meanwhile: decide again, now that it shows
        if first is None:
            return None
        return DoubleListing.objects.create(
            election_id=voter.election_id, held=voter, first=first, created_by=by if getattr(by, "pk", None) else None
        )
    return None


def _key_struck(voter: Voter, now: dt.datetime | None = None) -> None:
    """The voter left the list: their key no longer counts for Art. 29, nor for the lookup.

    A held row's key was struck when it was held; it leaves its case instead, which closes (nobody is listed
    twice any more). The caller saves the row.
    """
    if voter.held:
        voter.held = False
        DoubleListing.objects.filter(held=voter, outcome=DoubleListing.Outcome.OPEN).update(
            outcome=DoubleListing.Outcome.WITHDRAWN, settled_at=now or timezone.now()
        )
        return
    changed = VoterKey.objects.filter(
        election_id=voter.election_id,
        token=voter.national_id_token,
        struck=0,
        polling_unit_id=voter.polling_unit_id,
        list_number=voter.list_number,
    ).update(struck=voter.pk)
    assert changed == 1, changed  # every voter row has its key: a missing one must not commit


@dataclass(frozen=True)
class NewVoter:
    national_id: str
    full_name: str
    date_of_birth: dt.date
    gender: str
    residence: str = Residence.PERMANENT
    category: str = VoterCategory.ORDINARY  # Art. 29(3), (5)
    household: str = ""
    household_head: bool = False


@transaction.atomic
def voter_add(*, unit: PollingUnit, person: NewVoter, note: str, by: Actor, now: dt.datetime | None = None) -> Voter:
    """Add one person to a unit's list (Art. 32: moved in, asked to vote where they live, late listing).

    Art. 29: someone on a list that `by` may see is refused, naming it; someone listed elsewhere is added but
    held for the committee that covers both lists (`_key_listed`), and `by` sees an addition like any other.
    """
    election = unit.election
    _check_open(election, now)
    if not rules.is_of_age(person.date_of_birth, election.election_day):
        raise VoterListError(Reason.under_age(rules.eighteenth_birthday_cutoff(election.election_day)))
    voter_list = _locked_list(unit)
    token = id_cipher().token(person.national_id)
    voter = Voter(
        election=election,
        polling_unit=unit,
        list_number=_next_number(unit),
        national_id_token=token,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        residence=person.residence,
        category=person.category,
        household=person.household,
        household_head=person.household_head,
        status=VoterStatus.ADDED_LATE if voter_list.posted_on else VoterStatus.LISTED,
        status_note=note[:300],
    )
    case = _key_listed(voter, by=by)
    _audit(AuditAction.VOTER_ADDED, voter, by, status=voter.status, note=note[:300], **_held_data(case))
    return voter


def _held_data(case: DoubleListing | None) -> dict[str, Any]:
    """What a sealed entry about an added voter says of their hold (nothing when they were not held)."""
    if case is None:
        return {}
    return {"held": True, "first_unit": case.first.polling_unit.code, "first_list_number": case.first.list_number}


@transaction.atomic
def voter_remove(
    *, voter: Voter, reason: str, note: str, by: Actor, version: int | None = None, now: dt.datetime | None = None
) -> Voter:
    """Strike a voter off their list, keeping the row (and its number) as history (Art. 30, 32)."""
    _check_open(voter.election, now)
    voter = _locked_voter(voter.pk, version)
    if voter.status not in ACTIVE_STATUSES:
        raise VoterListError(_("This voter is no longer on the list."))
    if reason not in RemovalReason.values:
        raise VoterListError(_("Choose a reason for the removal."))
    before, was_held = voter.status, voter.held
    voter.status, voter.removal_reason, voter.status_note = VoterStatus.REMOVED, reason, note[:300]
    voter.version += 1
    _key_struck(voter)
    voter.save(update_fields=["status", "removal_reason", "status_note", "version", "held", "updated_at"])
    _audit(AuditAction.VOTER_REMOVED, voter, by, before=before, reason=reason, note=note[:300], was_held=was_held)
    return voter


@transaction.atomic
def voter_list_post(*, unit: PollingUnit, posted_on: dt.date, by: Actor) -> VoterList:
    """Record that the unit's list is posted (Art. 32): the 30-day complaint window starts."""
    voter_list = VoterList.objects.select_for_update().filter(polling_unit=unit).first()
    if voter_list is None or not Voter.objects.of_unit(unit).exists():
        raise VoterListError(_("This polling unit has no voter list to post yet."))
    if voter_list.posted_on:
        raise VoterListError(_("This list was already posted on %(day)s.") % {"day": voter_list.posted_on})
    voter_list.posted_on, voter_list.posted_by = posted_on, by
    voter_list.save(update_fields=["posted_on", "posted_by"])
    late = posted_on > rules.posting_deadline(unit.election.election_day)
    audit_log(
        AuditAction.VOTER_LIST_POSTED,
        user=by,
        election_slug=unit.election.slug,
        object_type="voter_list",
        object_key=unit.code,
        data={"posted_on": posted_on.isoformat(), "after_legal_deadline": late},
    )
    return voter_list


_CERT_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I, 5/S, 8/B, 2/Z)


def _certificate_number() -> str:
    return "".join(secrets.choice(_CERT_ALPHABET) for _ in range(8))


@transaction.atomic
def certificate_issue(
    *, voter: Voter, by: Actor, version: int | None = None, now: dt.datetime | None = None
) -> Certificate:
    """Issue the certificate for voting elsewhere (Art. 34): the voter is struck from this list."""
    now = _check_open(voter.election, now)
    voter = _locked_voter(voter.pk, version)
    if voter.status not in ACTIVE_STATUSES:
        raise VoterListError(_("This voter is no longer on the list."))
    if voter.voted_at:
        raise VoterListError(_("This voter has already voted."))
    number = _certificate_number()
    while Certificate.objects.filter(election=voter.election, number=number).exists():
        number = _certificate_number()
    voter.status = VoterStatus.TRANSFERRED_OUT
    voter.version += 1
    _key_struck(voter)
    voter.save(update_fields=["status", "version", "held", "updated_at"])
    certificate = Certificate.objects.create(
        election=voter.election, number=number, voter=voter, issued_at=now, issued_by=by
    )
    _audit(AuditAction.CERTIFICATE_ISSUED, voter, by, certificate=number)
    return certificate


@transaction.atomic
def certificate_accept(
    *, unit: PollingUnit, number: str, national_id: str, by: Actor, note: str = "", now: dt.datetime | None = None
) -> Voter:
    """Add the holder of a certificate to this unit's list on showing it and their ID card (Art. 34)."""
    now = _check_open(unit.election, now)
    refused = CertificateRefused(
        _("No unused certificate with this number belongs to this national ID in this election.")
    )
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("voter__polling_unit__area")
        .filter(election=unit.election, number=number.strip().upper())
        .first()
    )
    try:
        token = id_cipher().token(national_id.strip())
    except ValueError:
        raise refused from None
    if certificate is None or not hmac.compare_digest(bytes(certificate.voter.national_id_token), token):
        raise refused
    if certificate.status != Certificate.Status.ISSUED:
        raise refused
    origin = certificate.voter
    if origin.polling_unit_id == unit.pk:
        raise VoterListError(_("The certificate was issued by this polling unit: the voter votes elsewhere."))
    _locked_list(unit)
    # Someone voting outside their commune keeps the national and provincial votes only (Art. 30);
    # within the same commune their residence stays what it was.
    same_commune = origin.polling_unit.area_id == unit.area_id
    voter = Voter(
        election=unit.election,
        polling_unit=unit,
        list_number=_next_number(unit),
        national_id_token=origin.national_id_token,
        full_name=origin.full_name,
        date_of_birth=origin.date_of_birth,
        date_of_birth_precision=origin.date_of_birth_precision,
        gender=origin.gender,
        residence=origin.residence if same_commune else Residence.TEMPORARY_SHORT,
        # The person stays who they are (Art. 29(3), (5)): a certificate never gives more ballots than their list.
        category=origin.category,
        status=VoterStatus.ADDED_BY_CERTIFICATE,
        status_note=note[:300],
    )
    case = _key_listed(voter, by=by)
    certificate.status, certificate.added_voter, certificate.used_at, certificate.used_by = (
        Certificate.Status.USED,
        voter,
        now,
        by,
    )
    certificate.save(update_fields=["status", "added_voter", "used_at", "used_by"])
    _audit(
        AuditAction.CERTIFICATE_USED,
        voter,
        by,
        certificate=certificate.number,
        from_unit=origin.polling_unit.code,
        from_list_number=origin.list_number,
        **_held_data(case),
    )
    return voter


@transaction.atomic
def complaint_receive(
    *,
    unit: PollingUnit,
    kind: str,
    complainant: str,
    text: str,
    voter: Voter | None,
    by: Actor,
    received_on: dt.date | None = None,
) -> Complaint:
    """Receive a complaint about a posted list (Art. 33): within 30 days of posting; answer due in 5 days."""
    received_on = received_on or timezone.localdate()
    voter_list = VoterList.objects.select_for_update().filter(polling_unit=unit).first()
    if voter_list is None or voter_list.posted_on is None:
        raise VoterListError(_("Complaints are received once the list is posted."))
    last_day = rules.complaint_deadline(voter_list.posted_on)
    if received_on > last_day:
        raise VoterListError(
            _("The complaint window closed on %(day)s, 30 days after posting (Art. 33).") % {"day": last_day}
        )
    if received_on < voter_list.posted_on:
        raise VoterListError(_("A complaint cannot be received before the list was posted."))
    complaint = Complaint.objects.create(
        election=unit.election,
        polling_unit=unit,
        voter=voter,
        kind=kind,
        complainant=complainant[:200],
        text=text,
        received_on=received_on,
        answer_due=rules.answer_due(received_on),
        received_by=by,
    )
    audit_log(
        AuditAction.COMPLAINT_RECEIVED,
        user=by,
        election_slug=unit.election.slug,
        object_type="voter_complaint",
        object_key=str(complaint.pk),
        data={
            "polling_unit": unit.code,
            "kind": kind,
            "list_number": voter.list_number if voter else None,
            "answer_due": complaint.answer_due.isoformat(),
        },
    )
    return complaint


@transaction.atomic
def complaint_answer(
    *, complaint: Complaint, upheld: bool, answer: str, by: Actor, version: int | None = None
) -> Complaint:
    """Answer a complaint (Art. 33). An upheld complaint is then put right with an addition or a removal."""
    complaint = Complaint.objects.select_for_update().select_related("polling_unit", "election").get(pk=complaint.pk)
    if version is not None and complaint.version != version:
        raise StaleVersion(_("Someone else answered this complaint meanwhile; look at it again."))
    if complaint.status != Complaint.Status.OPEN:
        raise VoterListError(_("This complaint is already answered."))
    complaint.status = Complaint.Status.UPHELD if upheld else Complaint.Status.REJECTED
    complaint.answer, complaint.answered_on, complaint.answered_by = answer, timezone.localdate(), by
    complaint.version += 1
    complaint.save(update_fields=["status", "answer", "answered_on", "answered_by", "version"])
    audit_log(
        AuditAction.COMPLAINT_ANSWERED,
        user=by,
        election_slug=complaint.election.slug,
        object_type="voter_complaint",
        object_key=str(complaint.pk),
        data={
            "polling_unit": complaint.polling_unit.code,
            "status": complaint.status,
            "late": complaint.answered_on > complaint.answer_due,
        },
    )
    return complaint


# --- people listed twice (Art. 29) ------------------------------------------------------------------------


@transaction.atomic
def double_listing_settle(
    *, case: DoubleListing, decision: str, note: str, by: Actor, now: dt.datetime | None = None
) -> DoubleListing:
    """Settle a person put on a second list while on another (Art. 29(2): one list per person).

    `decision` KEPT_FIRST: the first listing stays; the held row is removed ("on another list of this
    election"). MOVED: the person is listed here (Art. 30(3): struck from the old list, added to the new one):
    the first listing, if still on its list, is struck with the same reason and the held row becomes the
    person's one listing. Only a committee whose area covers both units decides (voters/permissions.py).
    """
    case = DoubleListing.objects.select_for_update().select_related("election").get(pk=case.pk)
    now = _check_open(case.election, now)
    if case.outcome != DoubleListing.Outcome.OPEN:
        raise VoterListError(_("This case is already settled."))
    held = _locked_voter(case.held_id, None)
    first = _locked_voter(case.first_id, None)
    reason = RemovalReason.LISTED_ELSEWHERE
    if decision == DoubleListing.Outcome.KEPT_FIRST:
        held.status, held.removal_reason, held.status_note, held.held = VoterStatus.REMOVED, reason, note[:300], False
        action = AuditAction.DOUBLE_LISTING_KEPT_FIRST
    elif decision == DoubleListing.Outcome.MOVED:
        if first.is_listed:
            first.status, first.removal_reason, first.status_note = VoterStatus.REMOVED, reason, note[:300]
            first.version += 1
            _key_struck(first, now)
            first.save(update_fields=["status", "removal_reason", "status_note", "version", "held", "updated_at"])
            _audit(AuditAction.VOTER_REMOVED, first, by, reason=reason, note=note[:300], moved_to=held.pk)
        try:
            with transaction.atomic():
                changed = VoterKey.objects.filter(
                    election_id=held.election_id, token=held.national_id_token, struck=held.pk
                ).update(struck=0)
            assert changed == 1, changed  # every held row has its struck key: a missing one must not commit
        except IntegrityError:
            raise VoterListError(
                _("This person is on another list now: settle that listing first (Art. 29).")
            ) from None
        held.held = False
        action = AuditAction.DOUBLE_LISTING_MOVED
    else:
        raise VoterListError(_("Choose a decision."))
    held.version += 1
    held.save(update_fields=["status", "removal_reason", "status_note", "held", "version", "updated_at"])
    case.outcome, case.settled_at, case.settled_by, case.note = decision, now, by, note[:300]
    case.save(update_fields=["outcome", "settled_at", "settled_by", "note"])
    _audit(
        action,
        held,
        by,
        first_unit=first.polling_unit.code,
        first_list_number=first.list_number,
        law="Art. 29(2)" if decision == DoubleListing.Outcome.KEPT_FIRST else "Art. 29(2), Art. 30(3)",
        note=note[:300],
    )
    return case


# --- check-in at the polling station ---------------------------------------------------------------------


@transaction.atomic
def voter_check_in(*, unit: PollingUnit, voter_id: int, by: Actor, now: dt.datetime | None = None) -> Voter:
    """Mark a voter of this unit as voted, once. A second check-in raises AlreadyVoted with the first time.

    Check-ins are not written to the audit log: millions of them on one day would serialise every polling
    station on the log's lock. The row itself keeps who checked the voter in, and when.
    """
    voter = Voter.objects.select_for_update().filter(pk=voter_id, polling_unit=unit).first()
    if voter is None:
        raise VoterListError(_("No such voter on this polling unit's list."))
    if voter.status not in ACTIVE_STATUSES:
        raise VoterListError(
            _("This voter was struck from the list: %(status)s.") % {"status": voter.get_status_display()}
        )
    if voter.held:
        # Art. 29: the person is also on another list; until a committee decides, that first listing is theirs.
        raise VoterListError(
            _("This voter is also on another list of this election, awaiting the committee's decision (Art. 29).")
        )
    if voter.voted_at is not None:
        raise AlreadyVoted(voter)
    voter.voted_at, voter.checked_in_by = now or timezone.now(), by
    voter.save(update_fields=["voted_at", "checked_in_by", "updated_at"])
    return voter
