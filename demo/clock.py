"""The demo's own clock: what it records is dated in the election's calendar, not on the day it was loaded.

The demo election was held on 23 May 2021. Loading it today through the real services would stamp every audit
entry, tally, publication and minute with today's date. Inside `demo_clock(start)`, Django's `timezone.now()`
(which every service, `auto_now` field and audit entry reads) returns a simulated time that starts at `start`
and moves on by `step` at every reading, so the order of events is kept and the audit chain is made with
those times from the start (nothing is rewritten afterwards).
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


@contextmanager
def demo_clock(start: dt.datetime, step: dt.timedelta = dt.timedelta(milliseconds=250)) -> Iterator[None]:
    if timezone.is_naive(start):
        raise ValueError("the demo clock needs an aware start time")
    readings = 0
    real_now = timezone.now

    def simulated_now() -> dt.datetime:
        nonlocal readings
        readings += 1
        return (start + step * readings).astimezone(dt.UTC)

    timezone.now = simulated_now
    try:
        yield
    finally:
        timezone.now = real_now
