# ruff: noqa: S608, S603 - SQL built from constant table names and integer ids; children run this Python
"""Benchmark `import_election` and `import_tallies --approve --lenient` on PostgreSQL (issue 13). Prints only.

    KP_DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python tools/bench_imports.py \\
        [--folder var/external/ru-duma-2021] [--orm-only] [--again] [--keep]

The folder holds `election.json` and `tallies.jsonl` (tools/convert_external.py writes them). The run makes a
database of its own on DB's server (`DB_bench_imports`, made through the `postgres` database, dropped at the
end unless --keep), migrates it, then:
1. `manage.py import_election FILE` in a child process; the command's own time is printed beside the child's
   whole time (Python and Django start-up); with --orm-only the rows are written with bulk_create as before
   COPY (core/bulk_rows.orm_only), for comparison;
2. `manage.py import_tallies SLUG FILE --approve --lenient` the same way;
3. with --again, both once more (they must change nothing);
4. the yardsticks, in the same run: the rows each import wrote (units, memberships, areas, candidates; tallies,
   votes, versions, flags, audit entries), read back with COPY TO and written again with a plain COPY into
   bare copies of their tables (same columns and defaults, no index, no constraint, no check, no audit),
   in one transaction that is committed and then dropped: the least PostgreSQL can do with those rows;
   and `SELECT count(*)` of the rows written, for scale.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import contextlib, json, os, sys, time
import django
django.setup()
from django.core.management import call_command
from io import StringIO
from core import bulk_rows
out, err = StringIO(), StringIO()
started = time.perf_counter()
with bulk_rows.orm_only() if os.environ.get("BENCH_ORM_ONLY") else contextlib.nullcontext():
    call_command(*sys.argv[1:], stdout=out, stderr=err)
print(json.dumps({"seconds": time.perf_counter() - started, "out": out.getvalue()}))
"""
ELECTION_TABLES = {
    "elections_area": "election_id = {e}",
    "elections_pollingunit": "election_id = {e}",
    "elections_pollingunitconstituency": (
        "polling_unit_id IN (SELECT id FROM elections_pollingunit WHERE election_id = {e})"
    ),
    "elections_candidate": "election_id = {e}",
}
TALLY_TABLES = {
    "results_tally": "election_id = {e}",
    "results_tallyvote": "tally_id IN (SELECT id FROM results_tally WHERE election_id = {e})",
    "results_tallyversion": "tally_id IN (SELECT id FROM results_tally WHERE election_id = {e})",
    "results_flag": "election_id = {e}",
    "elections_auditentry": "election_slug = '{slug}' AND action LIKE 'results.tally.imported%%'",
}


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_command(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """(the command's own seconds, the child's whole seconds, its output)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    whole = time.perf_counter() - started
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"{args[0]} failed")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], whole, result["out"].strip().splitlines()[0] if result["out"].strip() else ""


def yardstick(
    conn: psycopg.Connection, tables: dict[str, str], election_id: int, slug: str
) -> tuple[float, float, int]:
    """(seconds of a raw COPY of these rows into bare tables, seconds of counting them, rows)."""
    blobs = {}
    with conn.cursor() as cur:
        for table, where in tables.items():
            data = bytearray()
            with cur.copy(
                f"COPY (SELECT * FROM {table} WHERE {where.format(e=election_id, slug=slug)}) TO STDOUT"
            ) as copy:
                for chunk in copy:
                    data += chunk
            blobs[table] = bytes(data)
        conn.commit()
        started = time.perf_counter()
        rows = 0
        for table, where in tables.items():
            cur.execute(
                f"SELECT count(*) FROM {table} WHERE {where.format(e=election_id, slug=slug)}".replace("%%", "%")
            )
            rows += cur.fetchone()[0]
        counting = time.perf_counter() - started
        conn.commit()
        started = time.perf_counter()
        for table, data in blobs.items():
            cur.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING DEFAULTS)")
            with cur.copy(f"COPY bench_{table} FROM STDIN") as copy:
                copy.write(data)
        conn.commit()
        raw = time.perf_counter() - started
        for table in blobs:
            cur.execute(f"DROP TABLE bench_{table}")
        conn.commit()
    return raw, counting, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", default=str(ROOT / "var" / "external" / "ru-duma-2021"))
    parser.add_argument("--again", action="store_true", help="import both files a second time (no changes)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--orm-only", action="store_true", help="write with bulk_create as before COPY (core/bulk_rows.orm_only)"
    )
    args = parser.parse_args()
    url = os.environ.get("KP_DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("KP_DATABASE_URL must name a PostgreSQL database")
    name = urlsplit(url).path.lstrip("/") + "_bench_imports"
    folder = Path(args.folder)
    slug = json.loads((folder / "election.json").read_text(encoding="utf-8"))["slug"]
    admin = psycopg.connect(with_db(url, "postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "KP_DATABASE_URL": with_db(url, name), "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    if args.orm_only:
        env["BENCH_ORM_ONLY"] = "1"
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        print(f"database {name}; files in {folder}; writes by {'bulk_create' if args.orm_only else 'COPY'}")
        figures = {}
        election_args = ("import_election", str(folder / "election.json"))
        tally_args = ("import_tallies", slug, str(folder / "tallies.jsonl"), "--approve", "--lenient")
        for label, command in (("import_election", election_args), ("import_tallies --approve --lenient", tally_args)):
            own, whole, said = run_command(env, *command)
            figures[label] = own
            print(f"{label}: {own:.1f} s (child process {whole:.1f} s) - {said}")
        if args.again:
            for label, command in (("import_election again", election_args), ("import_tallies again", tally_args)):
                own, whole, said = run_command(env, *command)
                print(f"{label}: {own:.1f} s (child process {whole:.1f} s) - {said}")
        with psycopg.connect(with_db(url, name)) as conn:
            election_id = conn.execute("SELECT id FROM elections_election WHERE slug = %s", [slug]).fetchone()[0]
            conn.commit()
            for label, tables in (
                ("import_election", ELECTION_TABLES),
                ("import_tallies --approve --lenient", TALLY_TABLES),
            ):
                raw, counting, rows = yardstick(conn, tables, election_id, slug)
                print(
                    f"yardstick for {label}: raw COPY of its {rows:,} rows into bare tables {raw:.2f} s; "
                    f"count(*) of them {counting:.2f} s; the import takes {figures[label] / raw:.1f} x the raw COPY"
                )
    finally:
        if not args.keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
