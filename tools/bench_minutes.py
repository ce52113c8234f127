"""Benchmark of the official minutes: 1,000 polling units, per-document time beside a bare WeasyPrint render.

Builds (directly with bulk inserts) an election of N polling units (default 1,000) in one province, each
voting in two contests: a National-Assembly-like one of N/100 constituencies of 100 units (3 seats,
5 candidates) and a council-like one of N/10 constituencies of 10 units (2 seats, 4 candidates); every
tally approved. Then, in the same run, it times

- a bare WeasyPrint render of a similar page: the HTML of one counting minute, already made, to PDF;
- a counting minute from ids (read the data, template, QR code, WeasyPrint): seconds per document and the
  ratio to the bare render (the issue's target: at most 1.5x);
- a constituency minute of 100 units and a summary minute of N/10 constituencies, for scale;
- the ZIP of every minute of the province (counting, constituency and summary minutes), with one
  rendering process and with two, and the speed-up.

It prints the figures and asserts nothing.

    .venv/bin/python tools/bench_minutes.py [--units 1000] [--sample 40] [--skip-batch]

It uses a throwaway SQLite database in a temporary folder unless KP_DATABASE_URL is set (then the
benchmark election, slug `bench-minutes`, is replaced in that database; use a throwaway one).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
_TMP = tempfile.mkdtemp(prefix="kp-bench-minutes-")
os.environ.setdefault("KP_DATABASE_URL", f"sqlite:///{_TMP}/bench.sqlite3")
os.environ.setdefault("KP_MEDIA_ROOT", f"{_TMP}/media")
SLUG = "bench-minutes"


def build(units: int) -> None:
    import datetime as dt
    import random

    from django.db import transaction

    from elections.models import (
        Area,
        Candidate,
        Constituency,
        Contest,
        Election,
        PollingUnit,
        PollingUnitConstituency,
    )
    from results.models import Tally, TallyVote

    rng = random.Random(1000)  # noqa: S311 (made-up figures)
    Election.objects.filter(slug=SLUG).delete()
    with transaction.atomic():
        e = Election.objects.create(slug=SLUG, name="Bầu cử thử nghiệm", election_day=dt.date(2021, 5, 23))
        province = Area.objects.create(election=e, code="T", name="Tỉnh Thử Nghiệm", path="/", depth=0)
        province.path = f"/{province.pk}/"
        province.save(update_fields=["path"])
        communes = []
        for i in range(units // 10):
            a = Area.objects.create(election=e, code=f"X{i:03d}", name=f"Xã Số {i + 1}", parent=province, depth=1)
            a.path = f"{province.path}{a.pk}/"
            a.save(update_fields=["path"])
            communes.append(a)
        contests = [
            Contest.objects.create(election=e, code="QH", name="Đại biểu Quốc hội khóa XV", level="national_assembly"),
            Contest.objects.create(
                election=e, code="HD", name="Đại biểu HĐND tỉnh nhiệm kỳ 2021-2026", level="provincial_council",
                position=1,
            ),
        ]  # fmt: skip
        plan = [(contests[0], 100, 3, 5), (contests[1], 10, 2, 4)]  # contest, units each, seats, candidates
        cons: dict[str, list[Constituency]] = {}
        for contest, size, seats, n_cand in plan:
            rows = Constituency.objects.bulk_create(
                Constituency(
                    election=e, contest=contest, code=f"{contest.code}-{i + 1}", name=f"Đơn vị bầu cử số {i + 1}",
                    seats=seats, area=province,
                )
                for i in range(max(1, units // size))
            )  # fmt: skip
            cons[contest.code] = rows
            Candidate.objects.bulk_create(
                Candidate(
                    election=e, constituency=c, code=f"{c.code}-{k + 1}", ballot_order=k + 1,
                    full_name=f"Nguyễn Văn Ứng Cử {c.code}-{k + 1}", date_of_birth=dt.date(1970, 1, 1 + k),
                )
                for c in rows for k in range(n_cand)
            )  # fmt: skip
        pus = PollingUnit.objects.bulk_create(
            PollingUnit(
                election=e, code=f"KV-{i + 1:04d}", name=f"Khu vực bỏ phiếu số {i + 1}", area=communes[i // 10],
                registered_voters=800,
            )
            for i in range(units)
        )  # fmt: skip
        links, tallies = [], []
        for i, u in enumerate(pus):
            for contest, size, _seats, _n in plan:
                c = cons[contest.code][min(i // size, len(cons[contest.code]) - 1)]
                links.append(PollingUnitConstituency(polling_unit=u, constituency=c, contest=contest))
                voted = rng.randint(700, 800)
                invalid = rng.randint(0, 10)
                tallies.append(
                    Tally(
                        election=e, polling_unit=u, contest=contest, constituency=c, status="approved",
                        voters_on_list=800, voters_voted=voted, ballots_issued=voted, ballots_received=voted,
                        valid_ballots=voted - invalid, invalid_ballots=invalid,
                    )
                )  # fmt: skip
        PollingUnitConstituency.objects.bulk_create(links, batch_size=2000)
        Tally.objects.bulk_create(tallies, batch_size=2000)
        cands = {}
        for cid, cons_id in Candidate.objects.filter(election=e).values_list("pk", "constituency_id"):
            cands.setdefault(cons_id, []).append(cid)
        votes = [
            TallyVote(tally_id=t["pk"], candidate_id=cid, votes=rng.randint(300, t["valid_ballots"]))
            for t in Tally.objects.filter(election=e).values("pk", "constituency_id", "valid_ballots")
            for cid in cands[t["constituency_id"]]
        ]
        TallyVote.objects.bulk_create(votes, batch_size=5000)
    # Approving a tally adds it to its constituency's running sums; these were written directly: sum them once.
    from results.outcomes import totals

    totals.totals_rebuild(e)


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=40, help="counting minutes timed one by one")
    parser.add_argument("--skip-batch", action="store_true", help="do not build the ZIPs")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from weasyprint import HTML

    from elections.models import Area, Constituency, Contest, Election
    from results.minutes import data as md
    from results.minutes import jobs as minutes_jobs
    from results.minutes import rendering as documents
    from results.minutes import services as svc
    from results.models import MinutesJob, Tally
    from results.permissions import tally_scope

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    build(args.units)
    e = Election.objects.get(slug=SLUG)
    print(f"built {args.units:,} units, {Tally.objects.filter(election=e).count():,} approved tallies "
          f"in {time.perf_counter() - t0:.1f} s ({connection.vendor}, {os.cpu_count()} CPU(s))")  # fmt: skip
    settings = md.settings_for(e.pk)
    meta = {"key": "bench", "version": 1, "issued_at": "2021-05-24T08:00:00+07:00",
            "verify_url": "https://kiemphieu.example.vn/verify/abcdefghijklmnopqrstuvwx/"}  # fmt: skip

    def counting_pdf(tally: Tally) -> bytes:
        """A counting minute from ids, as issuing renders it: read the data, template, QR, WeasyPrint."""
        scope = tally_scope(SLUG, tally.polling_unit.code, tally.contest.code)
        doc = svc.counting_document(scope)
        data = {"source": doc.source, "inputs": svc.default_inputs(doc), "meta": {**meta, "key": doc.key}}
        return documents.render_pdf(data, "vi", settings=md.settings_for(e.pk))

    sample = list(
        Tally.objects.filter(election=e, contest__code="QH").select_related("polling_unit", "contest")[: args.sample]
    )
    counting_pdf(sample[0])  # warm up: fonts, templates
    scope = tally_scope(SLUG, sample[0].polling_unit.code, "QH")
    doc = svc.counting_document(scope)
    html = documents.render_html({"source": doc.source, "inputs": {}, "meta": meta}, "vi", settings=settings)
    bare, full = [], []
    for t in sample:  # interleaved, so that other load on the machine hits both alike
        bare += timed(lambda: HTML(string=html).write_pdf(), 1)
        full += timed(lambda t=t: counting_pdf(t), 1)
    b, f = statistics.median(bare), statistics.median(full)
    print(f"\nper document (median of {len(sample)})")
    print(f"  bare WeasyPrint, the HTML of a counting minute    : {b:7.3f} s")
    print(f"  counting minute from ids (data, template, QR, PDF) : {f:7.3f} s   = {f / b:.2f} x bare (target <= 1.5)")

    cons = Constituency.objects.filter(election=e, contest__code="QH").select_related("election", "contest", "area")[0]
    start = time.perf_counter()
    cdoc = svc.constituency_document(cons)
    cpdf = documents.render_pdf({"source": cdoc.source, "inputs": {}, "meta": meta}, "vi", settings=settings)
    print(f"  constituency minute, {len(cdoc.source['units'])} units in its annex        : "
          f"{time.perf_counter() - start:7.3f} s ({_pages(cpdf)} pages)")  # fmt: skip
    contest, province = Contest.objects.get(election=e, code="HD"), Area.objects.get(election=e, code="T")
    start = time.perf_counter()
    sdoc = svc.summary_document(contest, province)
    spdf = documents.render_pdf({"source": sdoc.source, "inputs": {}, "meta": meta}, "vi", settings=settings)
    print(f"  summary minute, {len(sdoc.source['constituencies'])} constituencies              : "
          f"{time.perf_counter() - start:7.3f} s ({_pages(spdf)} pages)")  # fmt: skip
    out = Path(_TMP)
    (out / "constituency.pdf").write_bytes(cpdf)
    (out / "summary.pdf").write_bytes(spdf)
    print(f"  (written to {out}/constituency.pdf and summary.pdf)")

    if args.skip_batch:
        return
    print("\nthe ZIP of every minute of the province (background job)")
    user = _user()
    seconds = {}
    for workers in (1, 2):
        job = MinutesJob.objects.create(election=e, area=province, requested_by=user)
        start = time.perf_counter()
        job = minutes_jobs.job_run(job.pk, workers=workers)
        seconds[workers] = time.perf_counter() - start
        per = seconds[workers] / max(1, job.done)
        print(f"  {workers} process(es): {job.done:,} minutes ({job.status}) in {seconds[workers]:7.1f} s "
              f"= {per:.3f} s per minute; ZIP {job.file.size / 1e6:.1f} MB")  # fmt: skip
    print(f"  speed-up with 2 processes: {seconds[1] / seconds[2]:.2f} x")


def _pages(pdf: bytes) -> str:
    import subprocess

    try:
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S607
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def _user():  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(username="bench-minutes")
    return user


if __name__ == "__main__":
    main()
