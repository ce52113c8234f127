"""The public "where do I vote" lookup (interfaces §8): rate limits, an alarm, and a constant answer time.

A lookup names only the polling unit, and only when the national ID and the date of birth both match an
active row. Each client gets a handful of guesses per minute; across all clients, more lookups per minute
than the alarm threshold raise an alarm (logged, and written once per minute to the audit log) because it
looks like enumeration. Every answer, hit or miss, does the same work and is then padded to a fixed floor,
so the time taken tells nothing.

The counts are a sliding minute kept in Django's cache, so with a shared cache (KP_CACHE_URL) there is one count
for the whole deployment, however many web processes and machines answer. Each count is kept in slices of
SLICE_SECONDS (one atomic add and increment each) and read over the slices that any minute ending now touches:
a count is never below the true number of the last 60 seconds, so a limit of 5 never lets 6 through in a minute,
across the turn of a minute included. Every attempt counts, a refused one too.
"""

import datetime as dt
import hmac
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.cache import CACHE_ERRORS, cache_failed
from core.errors import Unavailable
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Election, PollingUnit
from voters.crypto import id_cipher
from voters.models import ACTIVE_STATUSES, Voter, VoterKey, voter_pk

log = logging.getLogger("voters.lookup")
WINDOW_SECONDS = 60
SLICE_SECONDS = 10
# The slices a minute ending now touches: the one under way and the six before it.
_SLICES = WINDOW_SECONDS // SLICE_SECONDS + 1
# Seconds after which a refused client is sure to be counted below the limit again, if it stops asking.
RETRY_AFTER_SECONDS = WINDOW_SECONDS + SLICE_SECONDS
_DUMMY_ID = "000000000000"


def _count(name: str) -> int:
    """Count one more under `name`; the count of the sliding minute ending now, this one included."""
    now = int(time.time() // SLICE_SECONDS)
    key = f"{name}:{now}"
    keep = RETRY_AFTER_SECONDS + SLICE_SECONDS  # a slice is read for up to 70 seconds after it began
    cache.add(key, 0, timeout=keep)
    try:
        current = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=keep)
        current = 1
    earlier = cache.get_many([f"{name}:{now - back}" for back in range(1, _SLICES)])
    return current + sum(int(count) for count in earlier.values())


def _client_key(client: str) -> str:
    """The cache's name for a client: keyed by the site's secret, so the cache holds no addresses, and an IPv6
    client by its /64 network, which one household or phone holds whole (else every address of it is new)."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        network = client
    else:
        mapped = getattr(address, "ipv4_mapped", None)
        if isinstance(address, ipaddress.IPv6Address) and mapped is None:
            network = str(ipaddress.IPv6Network((address, 64), strict=False))
        else:
            network = str(mapped or address)
    return salted_hmac("kp:lookup:client", network).hexdigest()[:32]


class LookupUnavailable(Unavailable):
    """The shared cache that counts lookups does not answer: the lookup is refused (503), never let through
    uncounted, for the limit is what keeps anyone from trying IDs and dates of birth by the thousand."""


UNAVAILABLE_RETRY_SECONDS = 30


def lookup_allowed(election: Election, client: str) -> bool:
    """Count one lookup for `client` (an IP address); False once it asked too often in the last minute.

    Also counts the election-wide rate and raises the alarm when it passes the threshold, at most once a minute
    for the whole deployment. Raises LookupUnavailable when the cache cannot count.
    """
    try:
        total = _count(f"kp:lookup:all:{election.pk}")
        if total > settings.VOTER_LOOKUP_ALARM_PER_MINUTE and cache.add(
            f"kp:lookup:alarm-sent:{election.pk}", 1, timeout=WINDOW_SECONDS
        ):
            _raise_alarm(election, total)
        return _count(f"kp:lookup:client:{_client_key(client)}") <= settings.VOTER_LOOKUP_PER_CLIENT_PER_MINUTE
    except CACHE_ERRORS as exc:
        cache_failed("lookup limit", exc)
        raise LookupUnavailable(_("The lookup is unavailable for a moment; try again in half a minute.")) from exc


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
    """When the alarm last went off (epoch seconds) within the hour, for committee pages (None if the cache is down)."""
    try:
        return cache.get(f"kp:lookup:alarm:{election.pk}")
    except CACHE_ERRORS as exc:
        cache_failed("lookup alarm", exc)
        return None


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
