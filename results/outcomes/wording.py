"""The reasons of a result in words, translated, with candidates' names and the articles of law.

The rule sets and the margin check return `Reason`s with a code and plain figures; this module words
them for people in the active language ("Turnout 49.87 % is not over half: re-election required,
Art. 78(1), Art. 80(1)"). An unknown code falls back to the reason's own English message.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy

from core.law import reference_words
from results.rules import margins
from results.rules.winners import Reason

SHOWN_UNITS = 8


def number(n: Any) -> str:
    return formats.number_format(n, force_grouping=True)


def pct(text: str) -> str:
    """A percentage string of the contract ("49.87") in the active language's decimals."""
    try:
        return formats.number_format(Decimal(text), 2)
    except ArithmeticError:
        return text


def article(text: str) -> str:
    """ "Art. 78(1), Art. 80(1)" in the active language; other sources (plurality rule) as they are."""
    parts = []
    for piece in (p.strip() for p in text.split(",")):
        worded = reference_words(piece)
        if worded is not None:
            parts.append(worded)
        elif piece == "plurality rule":
            parts.append(gettext("plurality rule"))
        elif piece == margins.BEYOND_THE_LAW:
            parts.append(gettext("margin check, beyond the law"))
        else:
            parts.append(piece)
    return ", ".join(parts)


def day(iso: str) -> str:
    """A date of the contract ("2026-03-20") as the active language writes it."""
    try:
        return formats.date_format(dt.date.fromisoformat(iso), "SHORT_DATE_FORMAT")
    except ValueError:
        return iso


def names(ids: Sequence[int], by_id: Mapping[int, str]) -> str:
    shown = [by_id.get(i, f"#{i}") for i in ids]
    if len(shown) <= 1:
        return "".join(shown)
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(shown[:-1]), "last": shown[-1]}


def units(codes: Sequence[str]) -> str:
    if len(codes) <= SHOWN_UNITS:
        return ", ".join(codes)
    more = len(codes) - SHOWN_UNITS
    return ngettext("%(shown)s and %(n)s more", "%(shown)s and %(n)s more", more) % {
        "shown": ", ".join(codes[:SHOWN_UNITS]),
        "n": number(more),
    }


TEXTS = {
    "turnout_over_half": gettext_lazy(
        "Turnout %(turnout_pct)s %% (%(voters_voted)s of %(voters_on_list)s voters) is over half"
    ),
    "turnout_not_over_half": gettext_lazy("Turnout %(turnout_pct)s %% is not over half: re-election required"),
    "turnout_not_over_half_additional": gettext_lazy(
        "Turnout %(turnout_pct)s %% is not over half: the additional election's result is not recognised, and no "
        "second additional election is held"
    ),
    "turnout_not_over_half_after_re_election": gettext_lazy(
        "Turnout %(turnout_pct)s %% is again not over half: the re-election's result is recognised, with no third round"
    ),
    "elected": gettext_lazy(
        "%(name)s is elected with %(votes)s of %(valid_ballots)s valid ballots (%(pct_of_valid)s %%)"
    ),
    "no_majority": gettext_lazy(
        "%(name)s is not elected: %(votes)s of %(valid_ballots)s valid ballots (%(pct_of_valid)s %%) "
        "is not more than half"
    ),
    "outranked": gettext_lazy(
        "%(name)s is not elected: %(votes)s votes are more than half of the valid ballots, but fewer than those "
        "of the candidates taking the seats"
    ),
    "tie_broken_by_age": ngettext_lazy(
        "%(names)s have %(votes)s votes each for %(seats_left)s remaining seat; by date of birth the older "
        "is elected: %(winners)s",
        "%(names)s have %(votes)s votes each for %(seats_left)s remaining seats; by date of birth the oldest "
        "are elected: %(winners)s",
        "seats_left_n",
    ),
    "tie_unresolved": ngettext_lazy(
        "%(names)s have %(votes)s votes each for %(seats_left)s remaining seat: the rules cannot settle it, "
        "the election committee must decide",
        "%(names)s have %(votes)s votes each for %(seats_left)s remaining seats: the rules cannot settle it, "
        "the election committee must decide",
        "seats_left_n",
    ),
    "no_further_round": gettext_lazy(
        "%(seats_filled)s of %(seats)s seats are filled after the second round: no further round is held, "
        "the result stands"
    ),
    "seats_unfilled_additional_election": gettext_lazy(
        "%(seats_filled)s of %(seats)s seats are filled: for the National Assembly the provincial committee asks "
        "the National Election Council to decide on an additional election"
    ),
    "seats_unfilled_below_two_thirds": gettext_lazy(
        "%(seats_filled)s of %(seats)s seats are filled, fewer than two-thirds: additional election required"
    ),
    "seats_vacant_no_action": gettext_lazy(
        "%(seats_filled)s of %(seats)s seats are filled, at least two-thirds: the seats left stay vacant, "
        "no additional election"
    ),
    # decisions of a competent body (results/decisions/closing.py)
    "decision_tie_settled": gettext_lazy(
        "%(body)s decided (%(reference)s of %(date)s) who takes the tied seat(s): %(winners)s"
    ),
    "decision_seats_left_vacant": ngettext_lazy(
        "%(body)s decided (%(reference)s of %(date)s) to leave %(seats_unfilled)s seat vacant, with no further round",
        "%(body)s decided (%(reference)s of %(date)s) to leave %(seats_unfilled)s seats vacant, with no further round",
        "seats_unfilled_n",
    ),
    # the margin check
    "margin_voters_unknown": gettext_lazy(
        "The voters on the list of %(units)s are not known: they may change the outcome"
    ),
    "margin_quorum": gettext_lazy(
        "%(voters_voted)s of %(voters_on_list)s voters voted: the %(pending_voters)s voters not counted decide "
        "whether turnout is over half"
    ),
    "margin_quorum_fails_anyway": gettext_lazy(
        "Even if all %(pending_voters)s voters not counted voted, turnout would not be over half"
    ),
    "margin_tie": gettext_lazy("%(names)s are tied for the last seat: the voters not counted can break the tie"),
    "margin_majority_winner": gettext_lazy(
        "%(name)s has %(votes)s of %(valid_ballots)s valid ballots: %(pending_voters)s more valid ballots could "
        "leave them at half or below"
    ),
    "margin_majority_other": gettext_lazy(
        "%(name)s has %(votes)s of %(valid_ballots)s valid ballots: with %(pending_voters)s more votes they could "
        "pass half and take a seat left unfilled"
    ),
    "margin_last_seat": gettext_lazy(
        "%(name)s trails %(last_name)s, who holds the last seat on the figures so far, by %(margin)s votes: "
        "the %(pending_voters)s voters not counted could close the gap"
    ),
    "margin_cannot_change": gettext_lazy(
        "The %(pending_voters)s voters not counted cannot change the status or who is elected"
    ),
}


def _params(reason: Reason, by_id: Mapping[int, str], unit_codes: Sequence[str]) -> dict[str, Any]:
    p = dict(reason.params)
    out: dict[str, Any] = {}
    for key, value in p.items():
        if key in ("turnout_pct", "pct_of_valid"):
            out[key] = pct(value)
        elif key == "date" and isinstance(value, str):
            out[key] = day(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            out[key] = number(value)
            out[f"{key}_n"] = value  # the plural form follows the number itself (ngettext_lazy)
        else:
            out[key] = value
    if "candidate" in p:
        out["name"] = by_id.get(p["candidate"], f"#{p['candidate']}")
    if "last_elected" in p:
        out["last_name"] = by_id.get(p["last_elected"], f"#{p['last_elected']}")
    if "candidates" in p:
        out["names"] = names(p["candidates"], by_id)
    if reason.code == "margin_tie":
        out["names"] = names(p.get("candidates", []), by_id)
    out["winners"] = names(p.get("winners", []), by_id)
    out["units"] = units(p.get("units", unit_codes))
    return out


def explain(reason: Reason, by_id: Mapping[int, str], unit_codes: Sequence[str] = ()) -> str:
    """One reason as a sentence with its article: "Turnout 49.87 % is not over half: ..., Art. 78(1)"."""
    text = TEXTS.get(reason.code)
    if text is None:
        return reason.message
    try:
        sentence = str(text % _params(reason, by_id, unit_codes))
    except (KeyError, TypeError, ValueError):
        return reason.message
    if reason.article == margins.BEYOND_THE_LAW:  # the page says once that the margin check is beyond the law
        return sentence
    return f"{sentence}, {article(reason.article)}"


def margin_summary(m: margins.MarginCheck | None) -> str:
    """ "A re-vote at BY-07 cannot change the outcome." / "... can change it." for the committee."""
    if m is None or not m.pending_units:
        return ""
    codes = units(m.pending_units)
    if m.annulled_only:
        if m.can_change:
            return gettext("A re-vote at %(units)s can change the outcome.") % {"units": codes}
        return gettext("A re-vote at %(units)s cannot change the outcome.") % {"units": codes}
    if m.can_change:
        return gettext("The units not counted yet (%(units)s) can change the outcome.") % {"units": codes}
    return gettext("The units not counted yet (%(units)s) cannot change the outcome.") % {"units": codes}
