"""Benchmark of the official minutes: 1,000 polling units, per-document time beside a bare WeasyPrint render.

Builds (with bench_world.py, straight into the database) an election of N polling units (default 1,000)
in one province of communes of 10 units, each voting in two contests: a National-Assembly-like one of
N/100 constituencies of 100 units (3 seats, 5 candidates) and a council-like one of N/10 constituencies of
10 units (2 seats, 4 candidates), all placed at the province; every tally approved. Then, in the same run, it times

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

import bench_world

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
_TMP = tempfile.mkdtemp(prefix="kp-bench-minutes-")
os.environ.setdefault("KP_DATABASE_URL", f"sqlite:///{_TMP}/bench.sqlite3")
os.environ.setdefault("KP_MEDIA_ROOT", f"{_TMP}/media")
SLUG = "bench-minutes"


def build(units: int) -> None:
    bench_world.build_minutes_area(SLUG, units)


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
    contest, province = Contest.objects.get(election=e, code="HD"), Area.objects.get(election=e, depth=0)
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
