"""Helpers for the results tests: tallies of the `world` fixture loaded through the real import."""

from results.tallies import bulk_import


def minutes(unit, contest, votes, *, listed=800, voted=700, invalid=10):
    """A consistent tally for `unit` and `contest` with the given candidate votes."""
    valid = voted - invalid
    return {
        "polling_unit": unit,
        "contest": contest,
        "voters_on_list": listed,
        "voters_voted": voted,
        "ballots_issued": voted,
        "ballots_received": voted,
        "valid_ballots": valid,
        "invalid_ballots": invalid,
        "votes": votes,
    }


def load(election, *items, approve=True):
    report = bulk_import.tallies_import(
        election=election, items=[(f"[{i}]", t) for i, t in enumerate(items)], approve=approve, lenient=True
    )
    assert not report.problems, report.problems
    return report


def qh_votes(a, b, c, d, e):
    """Votes for QH1's five candidates; None leaves a candidate out (not on a later round's ballot, Art. 79(3))."""
    votes = {"QH1-01": a, "QH1-02": b, "QH1-03": c, "QH1-04": d, "QH1-05": e}
    return {code: n for code, n in votes.items() if n is not None}


def xa_votes(cons, a, b, c):
    return {f"{cons}-01": a, f"{cons}-02": b, f"{cons}-03": c}
