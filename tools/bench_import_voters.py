# ruff: noqa: S608 - SQL built from constant column names and an integer id
"""Benchmark `import_voters` on PostgreSQL against a raw COPY of the same rows (issue 3). Prints; asserts nothing.

    KP_DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python tools/bench_import_voters.py [--rows 1000000]

It creates (bench_world.py) a throwaway election ("bench-voters") with polling units of 2,000 voters, writes a CSV of
generated voters, then in the same run:
1. import: `manage.py import_voters` in a child process (every check, the ID tokens, list numbers, COPY into
   the indexed voter and key tables, commit), with its peak memory (getrusage maxrss of the child). The
   import's own time is measured inside the child, around the command; the child's start-up (Python, Django,
   polars) is printed apart;
2. raw COPY of the same rows: the voter and key rows the import stored, exported with COPY TO and loaded
   again with a plain COPY into equivalent bare tables (same columns and defaults, no index, no constraint,
   no checks), in one transaction; this is the yardstick of the issue;
3. raw COPY of the input CSV into a bare six-column text table, for reference (the least work PostgreSQL can
   do with the file);
4. the same import again, which must change nothing.
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

import bench_world  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from elections.models import Election  # noqa: E402
from voters.importing import postgres_copy as staging  # noqa: E402
from voters.models import Voter  # noqa: E402

SLUG = "bench-voters"
BINARY = " (FORMAT binary)"
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
        cursor.execute("DELETE FROM voters_voterkey WHERE election_id = %s", [election.pk])
        if staging.partitioned_keys():  # the election's own partition of the national-ID index
            cursor.execute(f"DROP TABLE IF EXISTS {staging.key_partition(election.pk)}")
    bench_world.remove(SLUG)


def vacuum() -> None:
    """Start from healthy tables: an earlier run's deleted rows would otherwise still fill them."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE voters_voter")
        cursor.execute("VACUUM ANALYZE voters_voterkey")


def setup(rows: int) -> Election:
    cleanup()
    vacuum()
    return bench_world.build(SLUG, -(-rows // PER_UNIT), name="Benchmark", election_day=dt.date(2026, 3, 15)).election


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
            unit = bench_world.unit_code(i // PER_UNIT)
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


def _export(sql: str, options: str = "") -> bytes:
    out = bytearray()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT{options}") as copy:
        for data in copy:
            out += data
    return bytes(out)


def raw_copy_of_stored_rows(election_id: int) -> tuple[float, int]:
    """COPY the rows the import stored into bare tables of the same shape; return (seconds, bytes sent).

    In the formats the import sends them: voters as text, national-ID rows as binary (the faster for both).
    """
    voters = _export(
        f"SELECT {', '.join(staging.VOTER_COLUMNS)} FROM voters_voter WHERE election_id = {election_id} "
        "ORDER BY polling_unit_id, list_number"
    )
    keys = _export(
        f"SELECT {', '.join(staging.KEY_COLUMNS)} FROM voters_voterkey WHERE election_id = {election_id} "
        "ORDER BY token",
        BINARY,
    )
    with connection.cursor() as cursor:
        for bare, table in (("bench_bare_voter", "voters_voter"), ("bench_bare_key", "voters_voterkey")):
            cursor.execute(f"DROP TABLE IF EXISTS {bare}")
            cursor.execute(f"CREATE TABLE {bare} (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY)")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for bare, columns, data, options in (
            ("bench_bare_voter", staging.VOTER_COLUMNS, voters, ""),
            ("bench_bare_key", staging.KEY_COLUMNS, keys, BINARY),
        ):
            with cursor.cursor.copy(f"COPY {bare} ({', '.join(columns)}) FROM STDIN{options}") as copy:
                for at in range(0, len(data), 1 << 20):
                    copy.write(data[at : at + (1 << 20)])
    took = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare_voter")
        cursor.execute("DROP TABLE bench_bare_key")
    return took, len(voters) + len(keys)


_CHILD = """
import sys, time
t0 = time.perf_counter()
import django
django.setup()
import polars  # noqa: F401 - loaded by the import anyway; counted as start-up
from django.core.management import call_command
t1 = time.perf_counter()
call_command("import_voters", sys.argv[1], sys.argv[2], "--no-progress")
t2 = time.perf_counter()
print(f"TIMING {t1 - t0:.4f} {t2 - t1:.4f}")
"""


def run_import(path: Path) -> tuple[float, float, str]:
    """(start-up seconds, import seconds, the command's summary line), from a child process."""
    result = subprocess.run(  # noqa: S603 - our own command, with our own arguments
        [sys.executable, "-c", _CHILD, SLUG, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"import failed:\n{result.stdout}\n{result.stderr}")
    lines = result.stdout.strip().splitlines()
    startup, took = (float(x) for x in next(ln for ln in lines if ln.startswith("TIMING")).split()[1:])
    return startup, took, lines[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark election and its voters")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set KP_DATABASE_URL to a PostgreSQL database: the benchmark compares with PostgreSQL's COPY.")
    call_command("migrate", verbosity=0)
    election = setup(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "voters.csv"
        started = time.perf_counter()
        write_file(path, args.rows)
        made = time.perf_counter() - started
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {made:.1f} s")
        startup, first, summary = run_import(path)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        bare, sent = raw_copy_of_stored_rows(election.pk)
        raw = raw_copy(path)
        _, again, summary_again = run_import(path)
    loaded = Voter.objects.filter(election__slug=SLUG).count()
    rate = args.rows / first
    print(f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} CPU(s)")
    print(f"import_voters (first load)     : {first:7.2f} s  {rate:>10,.0f} rows/s")
    print(f"  {summary}")
    print(f"  (child start-up, not counted : {startup:7.2f} s: Python, Django, polars)")
    print(
        f"raw COPY of the same rows      : {bare:7.2f} s  {args.rows / bare:>10,.0f} rows/s  "
        f"({sent / 1e6:.0f} MB into bare voter and key tables)"
    )
    print(f"  import / raw COPY            : {rate / (args.rows / bare):7.1%}   (target: at least 50 %)")
    print(f"raw COPY of the input CSV      : {raw:7.2f} s  {args.rows / raw:>10,.0f} rows/s  (six text columns)")
    print(f"  import / raw CSV COPY        : {rate / (args.rows / raw):7.1%}")
    print(f"import_voters (same again)     : {again:7.2f} s  {args.rows / again:>10,.0f} rows/s")
    print(f"  {summary_again}")
    print(f"peak memory of the import      : {peak_mb:7.0f} MB (maxrss of the child)")
    print(f"voters in the database         : {loaded:,}")
    if not args.keep:
        cleanup()


if __name__ == "__main__":
    main()
