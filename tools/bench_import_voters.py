"""Benchmark `import_voters` on PostgreSQL against a raw COPY of the same rows (issue 3). Prints; asserts nothing.

    KP_DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python tools/bench_import_voters.py [--rows 1000000]

It creates a throwaway election ("bench-voters") with polling units of 2,000 voters, writes a CSV of
generated voters, then in the same run:
1. raw COPY: the CSV straight into an equivalent bare table (same six columns, no index, no checks);
2. import: `manage.py import_voters` in a child process (checks, HMAC and encryption of every ID, staging
   COPY, merge with list numbers into the indexed voter table), timed from outside, with its peak memory
   (getrusage maxrss of the child);
3. the same import again, which must change nothing.
The election and its voters are removed at the end unless --keep is given.
"""

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from elections.models import Area, Election, PollingUnit  # noqa: E402
from voters.models import Voter  # noqa: E402

SLUG = "bench-voters"
PER_UNIT = 2000
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Hữu", "Thanh")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Minh", "Nam", "Phương", "Quỳnh", "Sơn", "Tâm")


def cleanup() -> None:
    election = Election.objects.filter(slug=SLUG).first()
    if election is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM voters_voter WHERE election_id = %s", [election.pk])
    PollingUnit.objects.filter(election=election).delete()  # areas and units are protected: remove them first
    Area.objects.filter(election=election).delete()
    election.delete()


def setup(rows: int) -> Election:
    cleanup()
    with transaction.atomic():
        election = Election.objects.create(slug=SLUG, name="Benchmark", election_day=dt.date(2026, 3, 15))
        area = Area.objects.create(election=election, code="B", name="Tỉnh B", path="")
        area.path = f"/{area.pk}/"
        area.save(update_fields=["path"])
        units = (rows + PER_UNIT - 1) // PER_UNIT
        PollingUnit.objects.bulk_create(
            PollingUnit(election=election, code=f"B-{i:05d}", name=f"Khu vực bỏ phiếu số {i}", area=area)
            for i in range(units)
        )
    return election


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(7)  # noqa: S311 - benchmark data, not secrets
    start = dt.date(1930, 1, 1).toordinal()
    span = dt.date(2007, 12, 31).toordinal() - start
    residences = ("", "", "", "", "", "", "permanent", "temporary", "temporary_short")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("national_id,full_name,date_of_birth,gender,polling_unit,residence\n")
        lines = []
        for i in range(rows):
            female = i % 2
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            born = dt.date.fromordinal(start + rng.randrange(span)).isoformat()
            unit = f"B-{i // PER_UNIT:05d}"
            gender = "female" if female else "male"
            lines.append(f"{i + 100_000_000_000:012d},{name},{born},{gender},{unit},{rng.choice(residences)}\n")
            if len(lines) == 50_000:
                fh.writelines(lines)
                lines = []
        fh.writelines(lines)


def raw_copy(path: Path) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_voters")
        cursor.execute(
            "CREATE TABLE bench_raw_voters (national_id text, full_name text, date_of_birth date, gender text, "
            "polling_unit text, residence text)"
        )
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy("COPY bench_raw_voters FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        path.open("rb") as fh,
    ):
        while chunk := fh.read(1 << 20):
            copy.write(chunk)
    took = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_voters")
    return took


def run_import(path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own command, with our own arguments
        [sys.executable, "manage.py", "import_voters", SLUG, str(path), "--no-progress"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"import failed:\n{result.stdout}\n{result.stderr}")
    return took, result.stdout.strip().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark election and its voters")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set KP_DATABASE_URL to a PostgreSQL database: the benchmark compares with PostgreSQL's COPY.")
    call_command("migrate", verbosity=0)
    setup(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "voters.csv"
        started = time.perf_counter()
        write_file(path, args.rows)
        made = time.perf_counter() - started
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {made:.1f} s")
        raw = raw_copy(path)
        first, summary = run_import(path)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        again, summary_again = run_import(path)
    loaded = Voter.objects.filter(election__slug=SLUG).count()
    raw_rate, import_rate = args.rows / raw, args.rows / first
    print(f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} CPU(s)")
    print(f"raw COPY into a bare table : {raw:7.2f} s  {raw_rate:>10,.0f} rows/s")
    share = import_rate / raw_rate
    print(f"import_voters (first load) : {first:7.2f} s  {import_rate:>10,.0f} rows/s  ({share:.1%} of raw COPY)")
    print(f"  {summary}")
    print(f"import_voters (same again) : {again:7.2f} s  {args.rows / again:>10,.0f} rows/s")
    print(f"  {summary_again}")
    print(f"peak memory of the import  : {peak_mb:7.0f} MB (maxrss)")
    print(f"voters in the database     : {loaded:,}")
    if not args.keep:
        cleanup()


if __name__ == "__main__":
    main()
