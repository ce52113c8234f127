"""A flag's kind, words and reference in the reader's language, from its code and figures.

Flags are stored with their words in the language of the moment they were raised (and the screening's in
English); a committee member reading them later, in Vietnamese or English, gets them worded again here from
the flag's code and figures. A flag whose figures do not fit its words (an older one) keeps its stored text.
"""

from typing import Any

from django.utils import formats
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from results.models import Flag
from results.outcomes import wording as explain
from results.rules import checks

KINDS = {
    "voters_voted_above_list": gettext_lazy("more voters than on the list"),
    "ballots_issued_above_list": gettext_lazy("more ballots issued than voters on the list"),
    "ballots_received_above_issued": gettext_lazy("more ballots received than issued"),
    "valid_plus_invalid_not_received": gettext_lazy("valid and invalid do not add up to ballots received"),
    "candidate_above_valid": gettext_lazy("a candidate above the valid ballots"),
    "votes_above_valid_times_seats": gettext_lazy("votes above valid ballots x seats"),
    "list_differs_from_voter_list": gettext_lazy("voters on the list differ from the loaded list"),
    "issued_differs_from_voted": gettext_lazy("ballots issued differ from voters who took part"),
    "turnout_series_down": gettext_lazy("turnout went down during the day"),
    "turnout_above_list": gettext_lazy("turnout above the list"),
    "unit_annulled": gettext_lazy("unit annulled"),
    "turnout_outlier": gettext_lazy("turnout far from its area's"),
    "fingerprint_outlier": gettext_lazy("turnout and leader's share both high"),
    "integer_percent_turnout": gettext_lazy("turnout at a whole percentage"),
    "integer_percent_leader_share": gettext_lazy("leader's share at a whole percentage"),
    "last_digit": gettext_lazy("last digits not uniform"),
}

# Words of the flags that are not checks of the minutes (those are checks.MESSAGES).
MESSAGES = {
    "unit_annulled": gettext_noop("Result annulled, re-vote required: %(reason)s"),
    "turnout_outlier": gettext_noop(
        "Turnout %(turnout_pct)s %% is far from its area's (median %(median_pct)s %% over %(units)s units; "
        "robust z %(z)s)."
    ),
    "fingerprint_outlier": gettext_noop(
        "Turnout and the leader's share are both far above the constituency's other units "
        "(robust z %(z_turnout)s and %(z_share)s)."
    ),
    "integer_percent_turnout": gettext_noop(
        "Turnout is exactly %(pct)s %%; in this region %(hits)s of %(units)s units are at a whole percentage "
        "where chance gives %(expected)s (p = %(p)s)."
    ),
    "integer_percent_leader_share": gettext_noop(
        "The leader's share is exactly %(pct)s %%; in this region %(hits)s of %(units)s units are at a whole "
        "percentage where chance gives %(expected)s (p = %(p)s)."
    ),
    "last_digit": gettext_noop(
        "The last digits of %(counts)s vote counts are far from uniform (chi-square %(chi_square)s, 9 df, "
        "p = %(p)s); most common: %(digit)s."
    ),
}

SOURCES = {
    "check": gettext_lazy("check"),
    "committee": gettext_lazy("committee"),
    "screening": gettext_lazy("screening"),
    "import": gettext_lazy("import"),
}


def kind(code: str) -> str:
    """The name of a kind of flag ("unit annulled"), or its code in words when it has none."""
    return str(KINDS.get(code) or code.replace("_", " "))


def _shown(params: dict[str, Any]) -> dict[str, Any]:
    """Figures as the active language writes them: 4.200 / 4,200; 49,87 / 49.87; z-scores with their sign."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if type(value) is int:
            out[key] = formats.number_format(value, force_grouping=True)
        elif key.endswith("_pct") and isinstance(value, str):
            out[key] = explain.pct(value)
        elif key.startswith("z") and isinstance(value, int | float):
            out[key] = ("+" if value >= 0 else "") + formats.number_format(round(value, 1), 1)  # it cuts, not rounds
        elif key == "p" and isinstance(value, float):
            out[key] = f"{value:.1e}"
        elif isinstance(value, float):
            out[key] = formats.number_format(round(value, 1), 1)
        else:
            out[key] = value
    digits = params.get("digits")
    if isinstance(digits, list) and len(digits) == 10:
        out["digit"] = max(range(10), key=lambda d: digits[d])
    return out


def text(flag: "Flag") -> str:
    """The flag's words in the active language; its stored words when its figures do not fit."""
    template = checks.MESSAGES.get(flag.code) or MESSAGES.get(flag.code)
    if template is None or not isinstance(flag.params, dict):
        return flag.message
    try:
        return gettext(template) % _shown(flag.params)
    except (KeyError, TypeError, ValueError):
        return flag.message


def reference(flag: "Flag") -> str:
    """ "check: Art. 76(2)" as "kiểm tra: Điều 76(2)" in Vietnamese; screening references keep their papers."""
    prefix, sep, rest = flag.source.partition(": ")
    if not sep or prefix not in SOURCES:
        return flag.source
    if prefix == "screening":
        return f"{SOURCES[prefix]}: {rest}"
    parts = [part.strip() for part in rest.split(";")]
    return f"{SOURCES[prefix]}: " + "; ".join(
        gettext("lenient import") if part == "lenient import" else explain.article(part) for part in parts
    )
