"""Issuing official minutes and reading them back: versions, currency, drafts, verification.

`minutes_issue` is the one write: it renders the minute from the count's data and the entered details,
stores the PDF with its SHA-256 and the SHA-256 of the data, and writes the audit log
(`results.minutes.issued`), all in one transaction. A minute is never changed: issuing again (after a
correction of the data, or to fix the entered details) makes the next numbered version and keeps the
old one. A version is *current* while it is the newest one and the count still gives the same data.
"""

import base64
import datetime as dt
import hashlib
import hmac
import logging
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, lazy_format
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Area, Constituency, Contest, Election
from results.minutes import data as md
from results.minutes import rendering as documents
from results.models import BodyMember, Minute, Tally
from results.permissions import TallyScope, tally_scope
from results.publication import services as publication

log = logging.getLogger(__name__)
Kind = Minute.Kind
MAX_TEXT = 4000
MAX_MEMBERS = 40


class MinutesConflict(Conflict):
    """Two issues of the same minute at once, or a state that does not allow issuing (HTTP 409)."""


@dataclass
class Document:
    """One minute as the count describes it now (not yet a stored version)."""

    election: Election
    kind: str
    key: str
    source: dict[str, Any]
    tally: Tally | None = None
    constituency: Constituency | None = None
    round: int | None = None
    contest: Contest | None = None
    area: Area | None = None
    final: bool = True  # may be issued (a summary waits for second rounds)
    waiting: list[str] = field(default_factory=list)

    @property
    def data_sha256(self) -> str:
        return md.sha256_of(self.source)

    def body(self) -> dict[str, int | None]:
        """The body that makes this minute: the unit's team, the constituency's board or the area's committee."""
        if self.kind == Kind.COUNTING and self.tally is not None:
            return {"unit_id": self.tally.polling_unit_id}
        if self.kind == Kind.CONSTITUENCY and self.constituency is not None:
            return {"constituency_id": self.constituency.pk}
        return {"area_id": self.area.pk if self.area else None}


# --- the documents of the count ---------------------------------------------------------------------


def counting_document(scope: TallyScope, round_number: int | None = None) -> Document:
    tally = md.counting_tally(scope, round_number)
    return Document(
        election=scope.election,
        kind=Kind.COUNTING,
        key=md.counting_key(scope, tally),
        source=md.counting_source(scope, tally),
        tally=tally,
        constituency=scope.constituency,
        round=tally.round,
        contest=scope.contest,
    )


def constituency_document(constituency: Constituency, round_number: int | None = None) -> Document:
    number = round_number or constituency.current_round
    if not 1 <= number <= constituency.current_round:
        raise md.MinutesUnavailable(gettext("Round %(n)s has not been held in this constituency.") % {"n": number})
    return Document(
        election=constituency.election,
        kind=Kind.CONSTITUENCY,
        key=md.constituency_key(constituency, number),
        source=md.constituency_source(constituency, number),
        constituency=constituency,
        round=number,
        contest=constituency.contest,
    )


def summary_document(contest: Contest, area: Area) -> Document:
    state = md.summary_state(contest, area)
    if not state.counted:
        raise md.MinutesUnavailable(
            gettext("Not every constituency of this contest in this area is counted yet: %(codes)s")
            % {"codes": ", ".join(state.waiting[:10])}
            + ("…" if len(state.waiting) > 10 else "")
        )
    return Document(
        election=contest.election,
        kind=Kind.SUMMARY,
        key=md.summary_key(contest, area),
        source=md.summary_source(contest, area),
        contest=contest,
        area=area,
        final=state.final,
        waiting=state.waiting,
    )


def document_of(minute: Minute) -> Document:
    """The document a stored version is a version of, as the count gives it now (MinutesUnavailable if it cannot)."""
    if minute.kind == Kind.COUNTING:
        tally = Tally.objects.select_related("polling_unit", "contest").get(pk=minute.tally_id)  # as it is now
        scope = tally_scope(minute.election.slug, tally.polling_unit.code, tally.contest.code)
        if tally.status != Tally.Status.APPROVED:
            raise md.MinutesUnavailable(
                gettext("The counting minutes are now %(status)s.") % {"status": tally.get_status_display()}
            )
        return Document(
            election=scope.election,
            kind=Kind.COUNTING,
            key=minute.key,
            source=md.counting_source(scope, tally),
            tally=tally,
            constituency=scope.constituency,
            round=tally.round,
            contest=scope.contest,
        )
    if minute.kind == Kind.CONSTITUENCY:
        assert minute.constituency is not None
        return constituency_document(minute.constituency, minute.round)
    assert minute.contest is not None and minute.area is not None
    return summary_document(minute.contest, minute.area)


# --- versions -----------------------------------------------------------------------------------------


def versions(election: Election, kind: str, key: str) -> list[Minute]:
    return list(
        Minute.objects.filter(election=election, kind=kind, key=key).select_related("issued_by").order_by("-version")
    )


def latest(election: Election, kind: str, key: str) -> Minute | None:
    return Minute.objects.filter(election=election, kind=kind, key=key).order_by("-version").first()


@dataclass(frozen=True)
class Currency:
    current: bool
    newest: bool  # no later version exists
    data_matches: bool  # the count still gives the data this version was made from
    newer: Minute | None = None
    reason: str = ""  # why the data no longer matches, when it is known


def currency(minute: Minute) -> Currency:
    """Whether `minute` is still the valid one: the newest version, made from the data as it stands."""
    newer = (
        Minute.objects.filter(
            election_id=minute.election_id, kind=minute.kind, key=minute.key, version__gt=minute.version
        )
        .order_by("-version")
        .first()
    )
    reason = ""
    try:
        matches = document_of(minute).data_sha256 == minute.data_sha256
    except md.MinutesUnavailable as exc:
        matches, reason = False, exc.message
    return Currency(newer is None and matches, newer is None, matches, newer, reason)


# --- rendering -------------------------------------------------------------------------------------------


def _clean_text(value: Any, limit: int = MAX_TEXT) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def clean_inputs(raw: dict[str, Any]) -> dict[str, Any]:
    """The entered details, trimmed to plain values: nothing the template could misread."""
    members = []
    for m in list(raw.get("members") or [])[:MAX_MEMBERS]:
        if not isinstance(m, dict):
            continue
        name = _clean_text(m.get("name"), 200)
        position = m.get("position") if m.get("position") in BodyMember.Position.values else "member"
        gender = m.get("gender") if m.get("gender") in ("female", "male") else ""
        if name:
            members.append({"name": name, "gender": gender, "position": position})
    meeting_at = raw.get("meeting_at")
    if isinstance(meeting_at, dt.datetime):
        meeting_at = meeting_at.isoformat()
    elif meeting_at:
        try:
            meeting_at = dt.datetime.fromisoformat(str(meeting_at)).isoformat()
        except ValueError:
            meeting_at = None
    return {
        "meeting_at": meeting_at or None,
        "place": _clean_text(raw.get("place"), 300),
        "members": members,
        "witnesses": [_clean_text(w, 200) for w in list(raw.get("witnesses") or [])[:2]],
        "events": _clean_text(raw.get("events")),
        "complaints_resolved": _clean_text(raw.get("complaints_resolved")),
        "complaints_forwarded": _clean_text(raw.get("complaints_forwarded")),
        "complaints_lower": _clean_text(raw.get("complaints_lower")),
    }


def default_inputs(document: Document) -> dict[str, Any]:
    """What the issue form starts from: the body's stored members; the last version's other details."""
    last = latest(document.election, document.kind, document.key)
    base = dict(last.data.get("inputs", {})) if last else {}
    base["members"] = md.members_of(**document.body())
    return clean_inputs(base)


def draft_pdf(document: Document, language: str, inputs: dict[str, Any] | None = None) -> bytes:
    """The minute as it would be issued now, marked as a draft and without a QR code."""
    data = {
        "source": document.source,
        "inputs": inputs if inputs is not None else default_inputs(document),
        "meta": {"key": document.key},
    }
    return documents.render_pdf(data, language, settings=md.settings_for(document.election.pk))


def minute_pdf(minute: Minute, language: str = "vi") -> bytes:
    """An issued version: the stored official PDF, or its English translation rendered from the same data."""
    if documents.language_of(language) == "en":
        return documents.render_pdf(minute.data, "en", settings=md.settings_for(minute.election_id))
    try:
        with minute.pdf.open("rb") as fh:
            content = fh.read()
    except (FileNotFoundError, OSError, ValueError):
        content = b""
    if hashlib.sha256(content).hexdigest() == minute.pdf_sha256:
        return content
    # The stored file is missing or damaged: the data re-renders the very same bytes, or nothing is served.
    content = documents.render_pdf(minute.data, "vi", settings=md.settings_for(minute.election_id))
    if hashlib.sha256(content).hexdigest() != minute.pdf_sha256:
        log.error("minute %s: stored PDF lost and the data no longer renders the same bytes", minute.pk)
        raise MinutesConflict("The stored PDF of this version is damaged; issue a new version.")
    log.warning("minute %s: stored PDF missing or damaged; served a byte-identical re-rendering", minute.pk)
    return content


# --- issuing ----------------------------------------------------------------------------------------------


def _token(election: Election, kind: str, key: str, version: int, data_sha256: str) -> str:
    """An unguessable, reproducible name for a version: the QR code's address carries it."""
    secret = hashlib.sha256(("kiemphieu-minutes:" + settings.SECRET_KEY).encode()).digest()
    mac = hmac.new(secret, f"{election.slug}|{kind}|{key}|{version}|{data_sha256}".encode(), hashlib.sha256).digest()
    return base64.b32encode(mac[:15]).decode().lower()


def verify_url(base_url: str, token: str) -> str:
    base = (getattr(settings, "PUBLIC_BASE_URL", "") or base_url or "").rstrip("/")
    return base + reverse("minutes-verify", args=[token])


def _anchor_lock(document: Document) -> None:
    """Serialise issues of one minute: lock the row the minute hangs on (PostgreSQL; SQLite locks the file)."""
    if document.tally is not None:
        Tally.objects.select_for_update().filter(pk=document.tally.pk).first()
    elif document.constituency is not None:
        Constituency.objects.select_for_update().filter(pk=document.constituency.pk).first()
    elif document.area is not None:
        Area.objects.select_for_update().filter(pk=document.area.pk).first()


def _save_members(document: Document, members: list[dict[str, Any]]) -> None:
    """The body's members as entered on the latest issue: kept for the next minute of the same body."""
    body = document.body()
    scope = {
        "polling_unit_id": body.get("unit_id"),
        "constituency_id": body.get("constituency_id"),
        "area_id": body.get("area_id"),
    }
    BodyMember.objects.filter(**scope).delete()
    BodyMember.objects.bulk_create(
        BodyMember(
            election=document.election,
            full_name=m["name"],
            gender=m["gender"],
            position=m["position"],
            order=i,
            **scope,
        )
        for i, m in enumerate(members)
    )


@transaction.atomic
def minutes_issue(
    *, document: Document, inputs: dict[str, Any], by: Actor, base_url: str = "", source: str = ""
) -> Minute:
    """Issue the next version of `document` with the entered `inputs`; audit-logged as results.minutes.issued."""
    if not document.final:
        raise MinutesConflict(
            lazy_format(
                _("The summary minutes wait until every constituency is decided (second rounds, ties): %(codes)s"),
                codes=", ".join(document.waiting[:10]),
            )
        )
    _anchor_lock(document)
    inputs = clean_inputs(inputs)
    election = document.election
    version = (
        Minute.objects.filter(election=election, kind=document.kind, key=document.key).aggregate(v=Max("version"))["v"]
        or 0
    ) + 1
    data_sha256 = document.data_sha256
    token = _token(election, document.kind, document.key, version, data_sha256)
    url = verify_url(base_url, token)
    issued_at = timezone.now().replace(microsecond=0)
    local = issued_at.astimezone(zoneinfo.ZoneInfo(election.time_zone))
    data = {
        "source": document.source,
        "inputs": inputs,
        "meta": {
            "key": document.key,
            "version": version,
            "issued_at": local.isoformat(),
            "issued_by": by.get_username() if getattr(by, "pk", None) else "",
            "token": token,
            "verify_url": url,
        },
    }
    pdf = documents.render_pdf(data, "vi", settings=md.settings_for(election.pk))
    pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    minute = Minute(
        election=election,
        kind=document.kind,
        key=document.key,
        version=version,
        tally=document.tally,
        constituency=document.constituency,
        round=document.round,
        contest=document.contest,
        area=document.area,
        data=data,
        data_sha256=data_sha256,
        pdf_sha256=pdf_sha256,
        pdf_size=len(pdf),
        token=token,
        verify_url=url,
        issued_by=by if getattr(by, "pk", None) else None,
        issued_at=issued_at,
    )
    name = minute.pdf.field.generate_filename(minute, "minute.pdf")
    storage = minute.pdf.storage
    minute.pdf.name = name if storage.exists(name) else storage.save(name, ContentFile(pdf))
    try:
        with transaction.atomic():
            minute.save()
    except IntegrityError:
        raise MinutesConflict("Someone issued this minute at the same moment; reload and try again.") from None
    if inputs["members"]:
        _save_members(document, inputs["members"])
    audit_log(
        AuditAction.MINUTES_ISSUED,
        user=by,
        election_slug=election.slug,
        object_type="minute",
        object_key=f"{document.kind}:{document.key}",
        after={"version": version, "pdf_sha256": pdf_sha256, "data_sha256": data_sha256},
        data={"token": token, "members": len(inputs["members"])},
        source=source,
    )
    if minute.kind == Minute.Kind.CONSTITUENCY:  # the public page of the result lists its minutes
        publication.public_changed(election.pk, results=True)
    return minute
