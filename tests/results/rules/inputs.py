"""Builders of the winner rules' inputs for the rule tests: a candidate and a contest, with plain defaults."""

import datetime as dt

from results.rules.winners import CandidateInput, ContestInput

NA = "national_assembly"
MID = dt.date(1970, 1, 1)


def cand(id_, votes, born=MID, order=None):
    return CandidateInput(id=id_, votes=votes, born=born, ballot_order=id_ if order is None else order)


def contest(*candidates, seats=1, level=NA, on_list=1000, voted=900, valid=None, round_kind="regular"):
    return ContestInput(
        level=level,
        seats=seats,
        voters_on_list=on_list,
        voters_voted=voted,
        valid_ballots=voted if valid is None else valid,
        candidates=tuple(candidates),
        round_kind=round_kind,
    )
