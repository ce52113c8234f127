"""The models of results, one module per subject; every model is importable from here as Django expects.

- tallies: the counting minutes as entered (Tally, its votes, versions and corrections) and turnout reports;
- flags: what the checks and the screening found;
- outcomes: rounds of a constituency, cached results, running sums;
- decisions: decisions of a competent body that open a second round or close a constituency;
- publication: proposals, published snapshots, the public counters;
- photos: the photos of a tally's signed paper minutes;
- minutes: the issued official minutes, their settings, members and ZIP jobs.
"""

from results.models.decisions import ConstituencyDecision
from results.models.flags import Flag
from results.models.minutes import (
    DEFAULT_FORMS,
    FORMS_2025,
    BodyMember,
    Minute,
    MinutesJob,
    MinutesJobPart,
    MinutesSettings,
)
from results.models.outcomes import ConstituencyResult, ConstituencyRound, RoundTotal
from results.models.photos import TallyPhoto
from results.models.publication import PublicationProposal, PublicRevision, ResultPublication, TurnoutPublication
from results.models.tallies import (
    FIGURES,
    SecondEntry,
    Tally,
    TallyCorrection,
    TallyDraft,
    TallyVersion,
    TallyVote,
    TurnoutReport,
)

__all__ = [
    "DEFAULT_FORMS",
    "FIGURES",
    "FORMS_2025",
    "SecondEntry",
    "BodyMember",
    "ConstituencyDecision",
    "ConstituencyResult",
    "ConstituencyRound",
    "Flag",
    "Minute",
    "MinutesJob",
    "MinutesJobPart",
    "MinutesSettings",
    "PublicRevision",
    "PublicationProposal",
    "ResultPublication",
    "RoundTotal",
    "Tally",
    "TallyCorrection",
    "TallyDraft",
    "TallyPhoto",
    "TallyVersion",
    "TallyVote",
    "TurnoutPublication",
    "TurnoutReport",
]
