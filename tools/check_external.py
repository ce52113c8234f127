#!/usr/bin/env python3
"""Load the real elections through the product's own commands and check the contest totals.

    DJANGO_SETTINGS_MODULE=config.settings.dev KP_DATABASE_URL=postgres://... \\
        .venv/bin/python tools/check_external.py [ca|ru|vn ...] [--out var/external]

For each data set: convert (tools/convert_external.py), `import_election`, `import_tallies --approve
--lenient`, then compute the contest result and compare its totals (voters on the list, voters who
voted, valid and invalid ballots, votes per affiliation) with the column sums of the source files.
Prints the timings and one line per comparison; exits non-zero on any difference. Re-running is
idempotent (both imports change nothing the second time).
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def check(key: str, out: str, data: str) -> bool:
    import convert_external
    from django.core.management import call_command

    from api.results import contest_result_json
    from elections.models import Contest
    from results.outcomes import contests

    name, convert = convert_external.CONVERTERS[key]
    started = time.perf_counter()
    election, tallies, expected = convert(data)
    convert_external.write(out, name, election, tallies, expected)
    folder = os.path.join(out, name)
    print(f"  convert: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        # the law's warnings (units over 4,000 voters...) are expected for foreign data: not printed
        call_command("import_election", os.path.join(folder, "election.json"), verbosity=0, stdout=quiet, stderr=quiet)
    print(f"  import_election: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command(
            "import_tallies", election["slug"], os.path.join(folder, "tallies.jsonl"), "--approve", "--lenient",
            stdout=sys.stdout, stderr=quiet,
        )  # fmt: skip
    print(f"  import_tallies --approve --lenient: {time.perf_counter() - started:.1f} s")
    contest = Contest.objects.get(election__slug=election["slug"], code=expected["contest"])
    started = time.perf_counter()
    result = contests.contest_outcome(contest)
    print(f"  contest result (cold: every constituency computed): {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    result = contests.contest_outcome(contest)
    print(f"  contest result (cached): {time.perf_counter() - started:.2f} s")
    ok = True
    api = contest_result_json(result)
    for field in ("voters_on_list", "voters_voted", "valid_ballots", "invalid_ballots"):
        same = api[field] == expected[field]
        ok &= same
        print(f"  {'ok  ' if same else 'DIFF'} {field}: contest {api[field]:,} / files {expected[field]:,}")
    got = {a["name"]: a["votes"] for a in api["affiliations"]}
    same = got == expected["affiliations"]
    ok &= same
    print(f"  {'ok  ' if same else 'DIFF'} votes of {len(got)} affiliations (total {sum(got.values()):,})")
    units = api["polling_units_counted"] == api["polling_units"] == len(tallies)
    ok &= units
    print(
        f"  {'ok  ' if units else 'DIFF'} polling units counted: "
        f"{api['polling_units_counted']:,} of {api['polling_units']:,}"
    )
    print(
        f"  statuses: { {k: v for k, v in api['status_counts'].items() if v} }; "
        f"seats filled {api['seats_filled']} of {api['seats']}"
    )
    if "elected_in_file" in expected:
        same = api["seats_filled"] == expected["elected_in_file"]
        ok &= same
        print(
            f"  {'ok  ' if same else 'DIFF'} elected: engine {api['seats_filled']} / file {expected['elected_in_file']}"
        )
    return ok


def main(argv: list[str]) -> int:
    import argparse

    import django

    parser = argparse.ArgumentParser(description="Load the external elections and check the contest totals.")
    parser.add_argument("which", nargs="*", help="ca, ru and/or vn (default: all)")
    parser.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data", "external"))
    parser.add_argument("--out", default=os.path.join(HERE, "..", "var", "external"))
    args = parser.parse_args(argv)
    django.setup()
    ok = True
    for key in args.which or ["vn", "ca", "ru"]:
        print(f"== {key}")
        ok &= check(key, args.out, args.data)
    print("ALL TOTALS MATCH" if ok else "SOME TOTALS DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
