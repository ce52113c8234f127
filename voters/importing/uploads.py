"""A committee's upload of a voter file on the staff pages: limited per user and hour, and audited even when refused.

`voter_list_upload` runs the import (pipeline.py) over the units of the committee's area and says what came of it.
Every upload leaves one entry of UPLOAD_ACTIONS in the audit log, whatever its outcome: loaded (the pipeline's
`voters.list.imported`), refused (rows refused, a file that cannot be read, a file too big) or nothing to change.
A refused upload's entry names who, the file's name and SHA-256, the row counts and the first reasons as codes
(`reasons.code_name`): never a national ID, a name or a date of birth, nor a message that could quote one.

At most `settings.VOTER_UPLOADS_PER_HOUR` uploads per user within the last hour, counted from those entries, so
every web process shares the count. One more is refused before its file is read: nothing is written but an entry
saying so (`voters.upload.throttled`, which does not count). The uploader's row is locked while the upload runs,
so two uploads sent at once are counted one after the other.
"""

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Area, AuditEntry
from voters.importing.pipeline import ImportRefused, ImportReport, voter_import_record_refused, voter_list_import
from voters.importing.reading import FileRefused
from voters.models import VoterImport

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # larger files go through `manage.py import_voters`
WINDOW = dt.timedelta(hours=1)
# The entries that count as uploads for the limit: one per upload that was read.
UPLOAD_ACTIONS = (
    AuditAction.VOTER_LIST_IMPORTED,
    AuditAction.VOTER_UPLOAD_REFUSED,
    AuditAction.VOTER_UPLOAD_UNCHANGED,
)


@dataclass
class Upload:
    """What came of an upload: a report (with its record, for the report page), or the whole file refused."""

    report: ImportReport | None = None
    batch: VoterImport | None = None
    error: str = ""  # the file refused before its rows were looked at: shown on the upload page
    status: int = 200  # the page's HTTP status: 400 for a refused file, 429 over the limit


def uploads_within_the_hour(by: Actor, now: dt.datetime | None = None) -> int:
    """The uploads `by` made within the last hour, from the audit log (shared by every web process)."""
    since = (now or timezone.now()) - WINDOW
    return AuditEntry.objects.filter(actor_id=getattr(by, "pk", None), action__in=UPLOAD_ACTIONS, at__gte=since).count()


@transaction.atomic
def voter_list_upload(
    *,
    area: Area,
    source: IO[bytes],
    file_name: str,
    size: int,
    sha256: str,
    skip_invalid: bool,
    by: Actor,
    now: dt.datetime | None = None,
) -> Upload:
    """Import an uploaded voter file into the lists of `area`'s units, once the uploader is within the limit.

    The import runs in a savepoint: a refused file is rolled back whole and its audit entry still commits.
    """
    election = area.election
    # Uploads of one user one after another, so that the count below includes the one running.
    list(get_user_model().objects.select_for_update().filter(pk=getattr(by, "pk", None)).values_list("pk"))
    file = {"file": file_name[:255], "sha256": sha256, "bytes": size, "area": area.code}
    limit = settings.VOTER_UPLOADS_PER_HOUR
    if uploads_within_the_hour(by, now) >= limit:
        _audit(AuditAction.VOTER_UPLOAD_THROTTLED, area, by, {**file, "limit_per_hour": limit})
        message = ngettext(
            "You have uploaded %(n)d voter file within the last hour, the most allowed. Nothing was written: "
            "try again later.",
            "You have uploaded %(n)d voter files within the last hour, the most allowed. Nothing was written: "
            "try again later.",
            limit,
        ) % {"n": limit}
        return Upload(error=message, status=429)
    if size > MAX_UPLOAD_BYTES:
        _audit(AuditAction.VOTER_UPLOAD_REFUSED, area, by, {**file, "refused": "too_big"})
        return Upload(error=_("The file is larger than 200 MB: load it with the import_voters command."), status=400)
    try:
        report = voter_list_import(
            election=election,
            area=area,
            source=source,
            file_name=file_name,
            sha256=sha256,
            skip_invalid=skip_invalid,
            by=by,
        )
    except FileRefused as exc:
        _audit(AuditAction.VOTER_UPLOAD_REFUSED, area, by, {**file, "refused": "file", "fault": exc.kind})
        return Upload(error=str(exc), status=400)
    except ImportRefused as exc:
        batch = voter_import_record_refused(
            election=election, area=area, report=exc.report, file_name=file_name, sha256=sha256, by=by, skip=False
        )
        _audit(AuditAction.VOTER_UPLOAD_REFUSED, area, by, {**file, "refused": "rows", **_counts(exc.report, batch)})
        return Upload(report=exc.report, batch=batch)
    if report.batch is not None:  # loaded: the import wrote its own entry (voters.list.imported)
        return Upload(report=report, batch=report.batch)
    batch = None
    if report.refusals:  # refused rows skipped, and nothing else to load
        batch = voter_import_record_refused(
            election=election, area=area, report=report, file_name=file_name, sha256=sha256, by=by, skip=True
        )
    _audit(AuditAction.VOTER_UPLOAD_UNCHANGED, area, by, {**file, **_counts(report, batch)})
    return Upload(report=report, batch=batch)


def _counts(report: ImportReport, batch: VoterImport | None) -> dict[str, Any]:
    return {
        "import": batch.pk if batch else None,
        "rows": report.rows,
        "unchanged": report.unchanged,
        "refused_rows": len(report.refusals),
        "reasons": report.reason_counts,
        "first_reasons": [list(r) for r in report.first_reasons],
    }


def _audit(action: str, area: Area, by: Actor, data: dict[str, Any]) -> None:
    audit_log(
        action,
        user=by,
        election_slug=area.election.slug,
        object_type="voter_upload",
        object_key=data["sha256"][:64],
        data=data,
        source=f"upload {data['file'][:200]}",
    )
