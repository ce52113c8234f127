"""The public counters of each election: every public answer is keyed on them (public/cache.py).

`public_changed` bumps them in the caller's transaction and NOTIFYs (PostgreSQL) on `CHANNEL`, so every
web process that keeps the counters in memory (public/revisions.py) forgets them the moment the change
commits.
"""

from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from results.models import PublicRevision

CHANNEL = "kp_public"


def notify() -> None:
    """Tell every process the counters changed, when the caller's transaction commits (PostgreSQL NOTIFY)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")


def public_changed(election_id: int, *, results: bool = False, turnout: bool = False) -> None:
    """Bump the public counters of an election (in the caller's transaction); servers hear of it at commit."""
    notify()
    changes: dict[str, Any] = {"changed_at": timezone.now()}
    if results:
        changes["results"] = F("results") + 1
    if turnout:
        changes["turnout"] = F("turnout") + 1
    if PublicRevision.objects.filter(election_id=election_id).update(**changes):
        return
    try:
        with transaction.atomic():
            PublicRevision.objects.create(
                election_id=election_id, results=int(results), turnout=int(turnout), changed_at=changes["changed_at"]
            )
    except IntegrityError:  # created by another writer meanwhile
        PublicRevision.objects.filter(election_id=election_id).update(**changes)
