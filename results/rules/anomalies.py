"""Anomaly screening of counted units: statistics that point a committee at units worth a second look.

Beyond the law: nothing here decides a result. Each screening names its method and its paper, and
every finding explains itself with its figures. Pure functions over integers (statistics in floats:
a screening threshold is not a legal figure); the database side is `results.screening`.

- Turnout far outside its area's distribution: robust z-score with the median and the median absolute
  deviation (Iglewicz and Hoaglin, "How to Detect and Handle Outliers", ASQC 1993): |z| > 3.5.
- Turnout / vote-share fingerprint (Klimek, Yegorov, Hanel and Thurner, "Statistical detection of
  systematic election irregularities", PNAS 109(41), 2012): ballot stuffing raises a unit's turnout and
  its leader's share together, so a unit far above its constituency's bulk on both axes is flagged.
- Integer-percentage spikes (Kobak, Shpilkin and Pshenichnikov, "Integer percentages as electoral
  falsification fingerprints", Annals of Applied Statistics 10(1), 2016): a region with far more units
  at an exact whole-number turnout or leader share than chance gives has its such units flagged.
- Last-digit test (Beber and Scacco, "What the Numbers Say: A Digit-Based Test for Election Fraud",
  Political Analysis 20(2), 2012): the last digits of vote counts of 10 or more should be uniform; a
  constituency whose digits fail a chi-square test at 0.1 % is flagged.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from results.rules.percentages import percent

WARNING = "warning"

SRC_ROBUST_Z = "screening: robust z-score, median absolute deviation (Iglewicz and Hoaglin 1993)"
SRC_FINGERPRINT = "screening: turnout/vote-share fingerprint (Klimek et al., PNAS 2012)"
SRC_INTEGER = "screening: integer percentages (Kobak, Shpilkin and Pshenichnikov, Ann. Appl. Stat. 2016)"
SRC_LAST_DIGIT = "screening: last-digit test (Beber and Scacco, Political Analysis 2012)"

Z_OUTLIER = 3.5  # Iglewicz and Hoaglin's cut-off for the modified z-score
Z_FINGERPRINT = 3.0  # each axis, in the direction of ballot stuffing
MIN_GROUP = 10  # fewer units than this make no distribution
ALPHA = 0.001  # significance of the group tests
MIN_DIGIT_COUNT = 10  # Beber and Scacco use counts with at least two digits
MIN_DIGITS = 50  # fewer last digits make a weak test


@dataclass(frozen=True)
class UnitFigures:
    """One counted unit of one contest."""

    key: Hashable  # what a finding points at (a tally id)
    code: str  # the polling unit's code, for messages
    area: Hashable  # the area whose turnout distribution it belongs to
    region: Hashable  # the wider area the integer-percentage test pools
    constituency: Hashable
    voters_on_list: int
    voters_voted: int
    valid_ballots: int
    leader_votes: int  # votes of its constituency's leading candidate at this unit
    votes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Anomaly:
    code: str
    key: Hashable  # a unit's key, or a constituency for group tests
    message: str
    source: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = WARNING


# --- statistics ----------------------------------------------------------------------------------


def robust_z(values: Sequence[float]) -> list[float | None]:
    """Modified z-scores 0.6745 (x - median) / MAD; None for all when the values do not vary.

    With MAD = 0 (more than half the values equal) the mean absolute deviation times 1.2533 stands in
    for it, as Iglewicz and Hoaglin suggest. Example: [0.70, 0.71, 0.72, 0.71, 0.99] -> the last one
    has z = 0.6745 x 0.28 / 0.01 = 18.9.
    """
    if not values:
        return []
    med = median(values)
    mad = median(abs(v - med) for v in values)
    if mad > 0:
        return [0.6745 * (v - med) / mad for v in values]
    mean_ad = sum(abs(v - med) for v in values) / len(values)
    if mean_ad == 0:
        return [None] * len(values)
    return [(v - med) / (1.253314 * mean_ad) for v in values]


def _gamma_series(a: float, x: float) -> float:
    total = term = 1.0 / a
    n = a
    for _ in range(1000):
        n += 1
        term *= x / n
        total += term
        if abs(term) < abs(total) * 1e-15:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_fraction(a: float, x: float) -> float:
    # Lentz's method for the continued fraction of the upper incomplete gamma function.
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return h * math.exp(-x + a * math.log(x) - math.lgamma(a))


def gamma_p(a: float, x: float) -> float:
    """The regularized lower incomplete gamma function P(a, x); P(a, 0) = 0."""
    if x <= 0:
        return 0.0
    if x < a + 1:
        return min(1.0, _gamma_series(a, x))
    return max(0.0, 1 - _gamma_fraction(a, x))


def chi_square_p(statistic: float, df: int) -> float:
    """P(X >= statistic) for chi-square with `df` degrees of freedom: 21.67 with 9 df -> 0.010."""
    return 1 - gamma_p(df / 2, statistic / 2) if statistic > 0 else 1.0


def poisson_at_least(k: int, mean: float) -> float:
    """P(X >= k) for a Poisson count with `mean`: the regularized P(k, mean); 1 for k <= 0."""
    if k <= 0:
        return 1.0
    return gamma_p(k, mean)


# --- the screenings ------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float:
    return part / whole


def turnout_outliers(units: Sequence[UnitFigures], *, threshold: float = Z_OUTLIER) -> list[Anomaly]:
    """Units whose turnout is far from the other units of their area: |robust z| > 3.5.

    Example: nine units at 70-72 % and one at 99 % in the same area -> the 99 % unit (z about 19).
    Areas with fewer than 10 units with voters on the list are not screened.
    """
    groups: dict[Hashable, list[UnitFigures]] = defaultdict(list)
    for u in units:
        if u.voters_on_list > 0:
            groups[u.area].append(u)
    found = []
    for members in groups.values():
        if len(members) < MIN_GROUP:
            continue
        turnouts = [_share(u.voters_voted, u.voters_on_list) for u in members]
        med = median(turnouts)
        for u, z in zip(members, robust_z(turnouts), strict=True):
            if z is None or abs(z) <= threshold:
                continue
            found.append(
                Anomaly(
                    "turnout_outlier",
                    u.key,
                    f"Turnout {percent(u.voters_voted, u.voters_on_list)} % is far from its area's "
                    f"(median {med * 100:.2f} % over {len(members)} units; robust z {z:+.1f}).",
                    SRC_ROBUST_Z,
                    {
                        "turnout_pct": percent(u.voters_voted, u.voters_on_list),
                        "median_pct": f"{med * 100:.2f}",
                        "z": round(z, 2),
                        "units": len(members),
                    },
                )
            )
    return found


def fingerprint_outliers(units: Sequence[UnitFigures], *, threshold: float = Z_FINGERPRINT) -> list[Anomaly]:
    """Units above their constituency's bulk in both turnout and leader's share (robust z > 3 on each).

    Klimek et al. show ballot stuffing as a smear of units towards 100 % turnout and 100 % for the
    winner; a unit far out on both axes at once is where the smear would start. Constituencies with
    fewer than 10 counted units are not screened.
    """
    groups: dict[Hashable, list[UnitFigures]] = defaultdict(list)
    for u in units:
        if u.voters_on_list > 0 and u.valid_ballots > 0:
            groups[u.constituency].append(u)
    found = []
    for members in groups.values():
        if len(members) < MIN_GROUP:
            continue
        zt = robust_z([_share(u.voters_voted, u.voters_on_list) for u in members])
        zs = robust_z([_share(u.leader_votes, u.valid_ballots) for u in members])
        for u, t, s in zip(members, zt, zs, strict=True):
            if t is None or s is None or t <= threshold or s <= threshold:
                continue
            found.append(
                Anomaly(
                    "fingerprint_outlier",
                    u.key,
                    f"Turnout {percent(u.voters_voted, u.voters_on_list)} % and the leader's share "
                    f"{percent(u.leader_votes, u.valid_ballots)} % are both far above the constituency's other "
                    f"units (robust z {t:+.1f} and {s:+.1f}).",
                    SRC_FINGERPRINT,
                    {"z_turnout": round(t, 2), "z_share": round(s, 2)},
                )
            )
    return found


def is_integer_percent(part: int, whole: int) -> bool:
    """`part` is a whole-number percentage of `whole`: 100 x part divisible by whole (850 of 1,000)."""
    return whole > 0 and (100 * part) % whole == 0


def integer_chance(whole: int) -> float:
    """The chance that a count out of `whole` lands on a whole-number percentage, had it fallen anywhere.

    Of the values 0..whole, those with 100 x m divisible by `whole` are the multiples of whole / g,
    g = gcd(100, whole): g + 1 of the whole + 1 values. 1,000 voters -> 101 / 1,001, about 10 %;
    1,234 -> 3 / 1,235; 100 -> every value.
    """
    g = math.gcd(100, whole)
    return (g + 1) / (whole + 1)


def integer_percent_spikes(units: Sequence[UnitFigures], *, alpha: float = ALPHA) -> list[Anomaly]:
    """Units at a whole-number turnout or leader's share, in regions where that is far too common.

    For each region and each measure the number of units at a whole percentage is compared with the
    number chance gives (the sum of `integer_chance`): when the excess is significant (Poisson tail
    below 0.1 %) and at least double, each such unit is flagged. Example: 40 of 400 units at exactly
    90 %, 95 % or 100 % where chance gives 6 -> p far below 0.001: all 40 flagged.
    """
    measures = {
        "turnout": lambda u: (u.voters_voted, u.voters_on_list),
        "leader_share": lambda u: (u.leader_votes, u.valid_ballots),
    }
    groups: dict[Hashable, list[UnitFigures]] = defaultdict(list)
    for u in units:
        groups[u.region].append(u)
    found: list[Anomaly] = []
    for members in groups.values():
        for measure, pick in measures.items():
            pairs = [(u, *pick(u)) for u in members]
            pairs = [(u, part, whole) for u, part, whole in pairs if whole > 0]
            if len(pairs) < MIN_GROUP:
                continue
            hits = [(u, part, whole) for u, part, whole in pairs if is_integer_percent(part, whole)]
            expected = sum(integer_chance(whole) for _u, _p, whole in pairs)
            p = poisson_at_least(len(hits), expected)
            if len(hits) < 5 or len(hits) < 2 * expected or p >= alpha:
                continue
            found.extend(
                Anomaly(
                    f"integer_percent_{measure}",
                    u.key,
                    f"{'Turnout' if measure == 'turnout' else 'The leader share'} is exactly "
                    f"{100 * part // whole} % ({part} of {whole}); in this region {len(hits)} of {len(pairs)} "
                    f"units are at a whole percentage where chance gives {expected:.1f} (p = {p:.1e}).",
                    SRC_INTEGER,
                    {
                        "measure": measure,
                        "pct": 100 * part // whole,
                        "hits": len(hits),
                        "expected": round(expected, 2),
                        "units": len(pairs),
                        "p": float(f"{p:.3g}"),
                    },
                )
                for u, part, whole in hits
            )
    return found


def last_digit_test(counts: Mapping[Hashable, Sequence[int]], *, alpha: float = ALPHA) -> list[Anomaly]:
    """Groups whose vote counts of 10 or more have last digits far from uniform (chi-square, 9 df).

    Example: 120 counts all ending in 0 or 5 -> chi-square 480, p far below 0.001: flagged; 100
    counts with ten of each digit -> chi-square 0: not flagged. Fewer than 50 such counts: not tested.
    """
    found = []
    for key, values in counts.items():
        digits = [v % 10 for v in values if v >= MIN_DIGIT_COUNT]
        n = len(digits)
        if n < MIN_DIGITS:
            continue
        observed = [0] * 10
        for d in digits:
            observed[d] += 1
        expected = n / 10
        statistic = sum((o - expected) ** 2 / expected for o in observed)
        p = chi_square_p(statistic, 9)
        if p >= alpha:
            continue
        found.append(
            Anomaly(
                "last_digit",
                key,
                f"The last digits of {n} vote counts are far from uniform (chi-square {statistic:.1f}, 9 df, "
                f"p = {p:.1e}); most common: {max(range(10), key=lambda d: observed[d])}.",
                SRC_LAST_DIGIT,
                {"counts": n, "chi_square": round(statistic, 2), "p": float(f"{p:.3g}"), "digits": observed},
            )
        )
    return found


def screen(units: Sequence[UnitFigures]) -> list[Anomaly]:
    """Every unit-level screening, then the last-digit test per constituency."""
    found = turnout_outliers(units) + fingerprint_outliers(units) + integer_percent_spikes(units)
    counts: dict[Hashable, list[int]] = defaultdict(list)
    for u in units:
        counts[u.constituency].extend(u.votes)
    return found + last_digit_test(counts)
