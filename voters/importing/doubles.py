"""The rows of a voter file whose person is listed already (Art. 29(2): one list per person), decided set-wise.

For each row, against every row of the election with the same national ID (`postgres_copy.matches`):

1. a row in the same unit with the same details: the row is there already (left alone, so a file imported
   again changes nothing);
2. else a listing (status in ACTIVE_STATUSES, held or not) in a unit the importer may name (its area; the whole
   election for the command): the row is refused, saying where ("already on the list of polling unit U1,
   number 3"), since the importer may see that list;
3. else a listing in a unit outside the importer's area: the row is loaded but held (`Voter.held`, a
   `DoubleListing`) for the committee whose area covers both units. To the importer it is loaded like any
   other row (same report, same counts, same status words), so an upload learns nothing about lists outside
   its area;
4. rows struck off a list (removed, transferred out) do not count: the person is on no list there.

The command `import_voters` (CONTRACT §8) covers the whole election, so every person on a list is refused there,
as §8 says ("already ... on any list of the election"); rows are held only in a committee's upload. All of it is
joins over the file's frames: no query per row.
"""

import polars as pl

from core.types import Actor
from elections.models import Election, PollingUnit
from voters.importing.ordering import details_hash
from voters.importing.reasons import Code
from voters.models import ACTIVE_STATUSES, UNIT_SPAN, DoubleListing, Voter, VoterImport

_LISTED = [str(s) for s in ACTIVE_STATUSES]
CHUNK = 500  # held rows marked and recorded at a time (within SQLite's limit of query parameters)


def decide(
    found: pl.DataFrame, good: pl.DataFrame, scope: dict[int, str]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(same, refused, held) for the rows of `good` (line, details) that `found` (matches) names.

    `scope` maps the ids of the units the importer may name to their codes. `same`: the lines already listed as
    given; `refused`: line, code, arg (Code.ON_A_LIST, "unit code#number"); `held`: line and `first`, the id of
    the listing outside the scope that the row would double (the person's active listing when there is one).
    """
    found = found.with_columns(details=details_hash(found))
    same = good.select("line", "details").join(found.select("line", "details"), on=["line", "details"], how="semi")
    same = same.select("line")  # a semi join: each line of the file once
    listed = found.filter(pl.col("status").is_in(_LISTED)).join(same, on="line", how="anti")
    # The listing each row meets: one the importer may see first, then the active one, then by place.
    met = (
        listed.with_columns(inside=pl.col("unit_id").is_in(list(scope)))
        .sort(["line", "inside", "held", "unit_id", "list_number"], descending=[False, True, False, False, False])
        .unique("line", keep="first", maintain_order=True)
    )
    inside = met.filter(pl.col("inside"))
    refused = inside.select(
        "line",
        code=pl.lit(Code.ON_A_LIST, pl.UInt8),
        arg=pl.col("unit_id").replace_strict(scope, return_dtype=pl.String)
        + "#"
        + pl.col("list_number").cast(pl.String),
    )
    held = met.filter(~pl.col("inside")).select("line", first=pl.col("unit_id") * UNIT_SPAN + pl.col("list_number"))
    return same, refused, held


def held_key() -> pl.Expr:
    """The `struck` of a numbered row's key: its own id when it is held (`first` set), 0 otherwise."""
    own = pl.col("unit_id") * UNIT_SPAN + pl.col("list_number")
    return pl.when(pl.col("first").is_not_null()).then(own).otherwise(0)


def record(*, election: Election, batch: VoterImport, held: pl.DataFrame, by: Actor) -> list[list[int]]:
    """Mark the loaded rows `held` (id, first) and open their cases; return [[held id, first id], ...]."""
    pairs = [[int(a), int(b)] for a, b in held.select("id", "first").iter_rows()]
    user = by if getattr(by, "pk", None) else None
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        Voter.objects.filter(pk__in=[a for a, _ in chunk]).update(held=True)
        DoubleListing.objects.bulk_create(
            [DoubleListing(election=election, held_id=a, first_id=b, batch=batch, created_by=user) for a, b in chunk]
        )
    return pairs


def places(pairs: list[list[int]]) -> list[list[object]]:
    """[[held unit code, number, first unit code, number], ...] of held pairs (for the sealed audit entry)."""
    unit_ids = {v // UNIT_SPAN for pair in pairs for v in pair}
    code = dict(PollingUnit.objects.filter(pk__in=unit_ids).values_list("pk", "code"))
    return [[code[a // UNIT_SPAN], a % UNIT_SPAN, code[b // UNIT_SPAN], b % UNIT_SPAN] for a, b in pairs]
