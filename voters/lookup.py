"""The public "where do I vote" lookup (interfaces §8): rate limits, an alarm, and a constant answer time.

A lookup names only the polling unit, and only when the national ID and the date of birth both match an
active row. Each client gets a handful of guesses per minute; across all clients, more lookups per minute
than the alarm threshold raise an alarm (logged, and written once per minute to the audit log) because it
looks like enumeration. Every answer, hit or miss, does the same work and is then padded to a fixed floor,
so the time taken tells nothing.
"""

import datetime as dt
import hmac
import logging
import time

from django.conf import settings
from django.core.cache import cache

from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Election, PollingUnit
from voters.crypto import id_cipher
from voters.models import ACTIVE_STATUSES, Voter, VoterKey, voter_pk

log = logging.getLogger("voters.lookup")
WINDOW_SECONDS = 60
_DUMMY_ID = "000000000000"


def _window() -> int:
    return int(time.time() // WINDOW_SECONDS)


def _count(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        return 1


def lookup_allowed(election: Election, client: str) -> bool:
    """Count one lookup for `client` (an IP address); False once it asked too often this minute.

    Also counts the election-wide rate and raises the alarm the first time it passes the threshold in a
    minute. The client key is hashed, so the cache holds no addresses either.
    """
    window = _window()
    client_key = hmac.new(b"kp-lookup-client", client.encode(), "sha256").hexdigest()[:32]
    total = _count(f"kp:lookup:all:{election.pk}:{window}")
    if total == settings.VOTER_LOOKUP_ALARM_PER_MINUTE + 1:
        _raise_alarm(election, total)
    return _count(f"kp:lookup:client:{client_key}:{window}") <= settings.VOTER_LOOKUP_PER_CLIENT_PER_MINUTE


def _raise_alarm(election: Election, total: int) -> None:
    log.warning(
        "voter lookup alarm: more than %d lookups in one minute for election %s",
        settings.VOTER_LOOKUP_ALARM_PER_MINUTE,
        election.slug,
    )
    cache.set(f"kp:lookup:alarm:{election.pk}", time.time(), timeout=3600)
    audit_log(
        AuditAction.LOOKUP_ALARM_RAISED,
        election_slug=election.slug,
        object_type="election",
        object_key=election.slug,
        data={"threshold_per_minute": settings.VOTER_LOOKUP_ALARM_PER_MINUTE, "count": total},
    )


def alarm_raised_at(election: Election) -> float | None:
    """When the alarm last went off (epoch seconds) within the hour, for committee pages."""
    return cache.get(f"kp:lookup:alarm:{election.pk}")


def find_polling_unit(election: Election, national_id: str, date_of_birth: dt.date | None) -> PollingUnit | None:
    """The polling unit of the active voter with this ID and date of birth, or None; padded to a fixed time."""
    started = time.monotonic()
    well_formed = len(national_id) == 12 and national_id.isdigit() and date_of_birth is not None
    # The same work for every request: one token, two indexed queries, one constant-time comparison.
    token = id_cipher().token(national_id if well_formed and national_id.isascii() else _DUMMY_ID)
    unit_id, number = VoterKey.objects.filter(election=election, token=token, struck=0).values_list(
        "polling_unit_id", "list_number"
    ).first() or (0, 0)
    row = (
        Voter.objects.filter(pk=voter_pk(unit_id, number), status__in=ACTIVE_STATUSES)
        .select_related("polling_unit__area")
        .only("date_of_birth", "polling_unit__code", "polling_unit__name", "polling_unit__area__name")
        .first()
    )
    stored = row.date_of_birth.isoformat() if row else "0000-00-00"
    given = date_of_birth.isoformat() if date_of_birth else "9999-99-99"
    match = hmac.compare_digest(stored.encode(), given.encode()) and well_formed and row is not None
    remaining = settings.VOTER_LOOKUP_MIN_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    return row.polling_unit if match and row else None


def client_address(request: object) -> str:
    """The client's address as the proxy in front of us reports it (REMOTE_ADDR; see README for proxies)."""
    meta = getattr(request, "META", {})
    header = settings.VOTER_LOOKUP_CLIENT_HEADER
    if header and meta.get(header):
        return meta[header].split(",")[0].strip()
    return meta.get("REMOTE_ADDR", "")
