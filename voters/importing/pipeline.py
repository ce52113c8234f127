"""The import of a voter file (interfaces §8): read, check, order and load, all or nothing.

A first load of an election streams each checked block to PostgreSQL (COPY) while the next one is read;
later loads check against the lists already there (doubles.py: Art. 29, without telling a committee about
other areas' lists). Refused rows are counted exactly and the first ones kept with the import record. The
audit log gets counts and the file's digest, never a voter's details. A committee's upload goes through
uploads.py (the hourly limit, an audit entry for refused uploads too).
"""

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl
from django.db import transaction
from django.utils.translation import gettext as _

from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Area, Election, PollingUnit
from voters import rules
from voters.crypto import hex_tokens, id_cipher, token_order, token_sort
from voters.errors import VoterListError
from voters.importing import doubles, ordering, reasons, scanning
from voters.importing import postgres_copy as staging
from voters.importing import reading as importers
from voters.importing import spill as spill_folders
from voters.importing.reasons import Code
from voters.models import (
    UNIT_SPAN,
    VoterImport,
    VoterList,
    VoterStatus,
)

REFUSALS_KEPT = 20_000  # refusals stored with an import record; the count is always exact
FIRST_REASONS = 20  # refusals named (line and reason code) in the audit log


KEY_CHUNK = 50_000  # national-ID index rows sent to COPY at a time


@dataclass
class ImportReport:
    rows: int = 0
    loaded: int = 0
    unchanged: int = 0
    refusals: list[tuple[int, str]] = field(default_factory=list)
    loaded_by_unit: dict[str, int] = field(default_factory=dict)
    batch: VoterImport | None = None
    # The refusals as codes (reasons.code_name), for the audit log: a message may quote the file's cells.
    first_reasons: list[tuple[int, str]] = field(default_factory=list)
    reason_counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.loaded > 0


def _phase(callback: Callable[[str, int], None] | None, name: str, total: int) -> None:
    if callback:
        callback(name, total)


def _hex(tokens: Any, rows: pl.Series) -> pl.Series:
    """The tokens of these rows as hex strings, as COPY and comparisons take them."""
    return pl.Series(hex_tokens(tokens[rows.to_numpy()]), dtype=pl.Binary).cast(pl.String)


@transaction.atomic
def voter_list_import(
    *,
    election: Election,
    source: IO[bytes],
    file_name: str,
    sha256: str,
    by: Actor = None,
    area: Area | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    on_progress: Callable[[int], None] | None = None,
    on_phase: Callable[[str, int], None] | None = None,
) -> ImportReport:
    """Load a voter file (interfaces §8) into the election's lists, all or nothing unless `skip_invalid`.

    Progress: `on_phase("checking", 0)` then `on_progress(bytes read)`; `on_phase("loading", rows to load)`
    then `on_progress(rows loaded)`.

    `source` is the file opened in binary. It is read once: every row is checked, what the checks across rows
    need is kept (about 40 bytes a row) and the values of the rows that pass go to a temporary folder, from
    which they are loaded, so memory does not hold the file. `area` limits
    the file to the polling units under it (a committee's upload): other units are unknown. Rows already on
    the lists exactly as given are left alone, so importing a file again changes nothing. Raises
    ImportRefused (nothing written) when any row is refused and `skip_invalid` is false.

    Art. 29 (doubles.py): a person on a list of the importer's scope (`area`, else the whole election) is
    refused, naming the unit and number; one listed outside `area` is loaded but held for the committee that
    covers both (Voter.held, DoubleListing). The report, its counts and the audit entry's public data are then
    those of any loaded row: an upload learns nothing about the lists of other areas.
    """
    election = Election.objects.select_for_update().get(pk=election.pk)  # one import per election at a time
    units_qs = PollingUnit.objects.filter(election=election)
    if area is not None:
        units_qs = units_qs.filter(area__path__startswith=area.path)
    code_of = {pk: code for code, pk in units_qs.values_list("code", "pk")}
    units = importers.units_frame({code: pk for pk, code in code_of.items()})
    cutoff = rules.eighteenth_birthday_cutoff(election.election_day)

    _phase(on_phase, "checking", 0)
    columns = importers.read_columns(source)
    width = len(columns)
    has_keys = staging.election_has_keys(election.pk)
    ctx = ImportContext(file_name, sha256, by, area, skip_invalid, dry_run, on_phase, on_progress)
    scanner = scanning.Scanner(width=width, units=units, cutoff=cutoff, details=has_keys, spill=None, columns=columns)
    spill = spill_folders.new_spill()
    scanner.spill = spill
    try:
        if not has_keys and not dry_run:
            report = _first_load(election, source, scanner, code_of, width, cutoff, ctx)
            if report is not None:
                return report
        else:
            for raw in importers.raw_frames(source, width=width, on_bytes=on_progress):
                scanner.block(raw)
        return _checked_and_loaded(election, scanner.result(), spill, code_of, width, cutoff, has_keys, ctx)
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _first_load(
    election: Election,
    source: IO[bytes],
    scanner: scanning.Scanner,
    code_of: dict[int, str],
    width: int,
    cutoff: dt.date,
    ctx: "ImportContext",
) -> ImportReport | None:
    """The first load of an election's lists, streamed: each block is checked and sent to PostgreSQL at once.

    With no list to check against, a row's fate depends on the file alone, so PostgreSQL stores one block
    while the next is read and checked. At the first refused row (without --skip-invalid) it stops writing
    and reads on only to list every refusal, then everything is rolled back. A household that comes back
    out of order (`RunningOrder`) stops the stream too: the rows written so far are rolled back and None
    tells the caller to number the whole file at once from what was read (nothing is read twice).
    """
    savepoint = transaction.savepoint()
    batch = VoterImport.objects.create(
        election=election,
        area=ctx.area,
        outcome=VoterImport.Outcome.LOADED,
        file_name=ctx.file_name[:255],
        sha256=ctx.sha256,
        skip_invalid=ctx.skip_invalid,
        by=ctx.by if getattr(ctx.by, "pk", None) else None,
    )
    order = ordering.RunningOrder()
    cipher = id_cipher()
    keys: list[tuple[Any, Any, Any]] = []  # numpy: tokens, units, list numbers (no strings held)
    streaming, out_of_order = True, False
    with staging.copy_writer(staging.VOTER, staging.VOTER_COLUMNS) as write:
        for raw in importers.raw_frames(source, width=width, on_bytes=ctx.on_progress):
            passed = scanner.block(raw)
            if not streaming or passed.height == 0:
                continue
            if scanner.refusals and not ctx.skip_invalid:
                streaming = False
                continue
            numbered = order.number(passed.select("line", "unit_id", "household", "head"))
            if numbered is None:
                streaming, out_of_order = False, True
                continue
            tokens = cipher.tokens(passed.get_column("nid").to_numpy())
            rows = passed.with_columns(
                token=pl.Series(hex_tokens(tokens), dtype=pl.Binary).cast(pl.String),
                list_number=numbered.sort("line").get_column("list_number"),
            )
            write(_voter_rows(rows, election.pk, batch.pk))
            keys.append((tokens, rows.get_column("unit_id").to_numpy(), rows.get_column("list_number").to_numpy()))
        # While PostgreSQL still stores the last voters: the key rows in token order (if they go in at all).
        key_rows = _KeyRows(keys) if streaming and keys else None
    scan = scanner.result()
    if out_of_order:
        transaction.savepoint_rollback(savepoint)
        return None
    report = ImportReport(rows=scan.rows)
    _refusals(report, scan.refused, width, cutoff)
    if report.refusals and not ctx.skip_invalid:
        transaction.savepoint_rollback(savepoint)
        raise ImportRefused(report)
    good = scan.good
    report.loaded = good.height
    report.loaded_by_unit = dict(sorted((code_of[u], n) for u, n in good.group_by("unit_id").len().iter_rows()))
    if report.loaded == 0:
        transaction.savepoint_rollback(savepoint)
        return report
    # The key rows in token order, made slice by slice while PostgreSQL stores the slice before.
    if staging.partitioned_keys() and not staging.key_partition_exists(election.pk):
        keys_writer = staging.new_key_partition(election.pk)
    else:
        keys_writer = staging.copy_writer(staging.KEY, staging.KEY_COLUMNS, binary=staging.postgres())
    with keys_writer as write:
        for rows in key_rows.slices(election.pk) if key_rows else ():
            write(rows)
    VoterList.objects.bulk_create(
        [VoterList(election=election, polling_unit_id=u) for u in sorted(good.get_column("unit_id").unique())],
        ignore_conflicts=True,
    )
    _finish(batch, report, ctx)
    return report


class _KeyRows:
    """The national-ID index rows of a first load, sorted by token (the index's order) when made."""

    def __init__(self, keys: list[tuple[Any, Any, Any]]) -> None:
        self.tokens, self.unit_ids, self.numbers = (np.concatenate(part) for part in zip(*keys, strict=True))
        self.order = token_sort(self.tokens)

    def slices(self, election_id: int) -> Iterator[pl.DataFrame | bytes]:
        """The rows in token order, in slices (never all at once), as COPY binary on PostgreSQL."""
        for start in range(0, len(self.order), KEY_CHUNK):
            at = self.order[start : start + KEY_CHUNK]
            tokens, unit_ids, numbers = self.tokens[at], self.unit_ids[at], self.numbers[at]
            if staging.postgres():
                yield staging.key_rows_binary(election_id, tokens, unit_ids, numbers)
                continue
            yield pl.DataFrame(
                {
                    "election_id": election_id,
                    "token": pl.Series(hex_tokens(tokens), dtype=pl.Binary).cast(pl.String),
                    "struck": 0,
                    "polling_unit_id": unit_ids,
                    "list_number": numbers,
                }
            ).select(staging.KEY_COLUMNS)


def _voter_rows(rows: pl.DataFrame, election_id: int, batch_id: int) -> pl.DataFrame:
    """Checked rows with their list number and token (hex) as the voter table's COPY columns."""
    return rows.select(
        (pl.col("unit_id") * UNIT_SPAN + pl.col("list_number")).alias("id"),
        pl.lit(election_id).alias("election_id"),
        pl.col("unit_id").alias("polling_unit_id"),
        "list_number",
        pl.col("token").alias("national_id_token"),
        "full_name",
        pl.col("dob").alias("date_of_birth"),
        pl.col("prec").alias("date_of_birth_precision"),
        "gender",
        "residence",
        "household",
        pl.col("head").alias("household_head"),
        "category",
        pl.lit(VoterStatus.LISTED.value).alias("status"),
        pl.lit(batch_id).alias("batch_id"),
    )


def _refusals(report: ImportReport, refused: pl.DataFrame, width: int, cutoff: dt.date) -> None:
    """The refused rows (line, code, arg) on the report: each with its message, and as codes for the audit log."""
    refused = refused.sort("line")
    report.refusals = [
        (line, reasons.message(code, arg, width=width, cutoff=cutoff)) for line, code, arg in refused.iter_rows()
    ]
    report.first_reasons = [
        (line, reasons.code_name(code)) for line, code in refused.head(FIRST_REASONS).select("line", "code").iter_rows()
    ]
    counts = refused.group_by("code").len().sort("code").iter_rows()
    report.reason_counts = {reasons.code_name(code): n for code, n in counts}


def _finish(batch: VoterImport, report: ImportReport, ctx: "ImportContext", held: Sequence[list[int]] = ()) -> None:
    """Record what the import did on its row and in the audit log.

    Two entries, whatever the file held: the import's counts (public in an export), and the check of Art. 29
    (sealed: the rows held for a committee, `doubles.py`). The second is written for every load, so an export
    does not tell an import that held rows from one that did not.
    """
    batch.rows, batch.loaded, batch.unchanged = report.rows, report.loaded, report.unchanged
    batch.refused = len(report.refusals)
    batch.refusals = [list(r) for r in report.refusals[:REFUSALS_KEPT]]
    batch.save(update_fields=["rows", "loaded", "unchanged", "refused", "refusals"])
    report.batch = batch
    audit_log(
        AuditAction.VOTER_LIST_IMPORTED,
        user=ctx.by,
        election_slug=batch.election.slug,
        object_type="voter_import",
        object_key=str(batch.pk),
        data={
            "file": ctx.file_name[:255],
            "sha256": ctx.sha256,
            "area": ctx.area.code if ctx.area else None,
            "rows": report.rows,
            "loaded": report.loaded,
            "unchanged": report.unchanged,
            "refused": len(report.refusals),
            "skip_invalid": ctx.skip_invalid,
            "loaded_by_unit": dict(list(report.loaded_by_unit.items())[:500]),
        },
        source=f"import_voters {ctx.file_name[:200]}",
    )
    audit_log(
        AuditAction.VOTER_LIST_DOUBLES_CHECKED,
        user=ctx.by,
        election_slug=batch.election.slug,
        object_type="voter",  # sealed (elections/audit.py): it names places on the lists
        object_key=f"import {batch.pk}",
        data={"import": batch.pk, "held": len(held), "held_rows": doubles.places(list(held)[:500])},
        source=f"import_voters {ctx.file_name[:200]}",
    )


@dataclass(frozen=True)
class ImportContext:
    file_name: str
    sha256: str
    by: Actor
    area: Area | None
    skip_invalid: bool
    dry_run: bool
    on_phase: Callable[[str, int], None] | None
    on_progress: Callable[[int], None] | None


def _checked_and_loaded(
    election: Election,
    scan: scanning.Scan,
    spill: Path,
    code_of: dict[int, str],
    width: int,
    cutoff: dt.date,
    has_keys: bool,
    ctx: ImportContext,
) -> ImportReport:
    """The checks against the lists, the list numbers and the COPY, after the file was read (`scan`)."""
    report = ImportReport()
    report.rows, refused, good = scan.rows, scan.refused, scan.good
    # The tokens stay in one numpy array (16 bytes a row); frames carry the row's index in it (`tok`).
    tokens = id_cipher().tokens(good.get_column("nid").to_numpy())
    good = good.drop("nid").with_columns(tok=pl.int_range(pl.len(), dtype=pl.Int64), rank=token_order(tokens))

    unit_ids = sorted(set(good.get_column("unit_id").to_list()))
    existing = set(VoterList.objects.filter(polling_unit_id__in=unit_ids).values_list("polling_unit_id", flat=True))
    VoterList.objects.bulk_create(
        [VoterList(election=election, polling_unit_id=u) for u in unit_ids if u not in existing],
        ignore_conflicts=True,
    )
    # Lock the lists being extended: a committee member adding a voter by hand waits for the import.
    list(VoterList.objects.select_for_update().filter(polling_unit_id__in=unit_ids).values_list("pk", flat=True))
    held = pl.DataFrame(schema={"line": pl.Int64, "first": pl.Int64})
    if has_keys:  # Art. 29: the people of the file already listed (doubles.py)
        found = staging.matches(election.pk, good.select("line", token=_hex(tokens, good.get_column("tok"))))
        same, listed_here, held = doubles.decide(found, good, code_of)
        report.unchanged = same.height
        good = good.join(same, on="line", how="anti").join(listed_here, on="line", how="anti")
        refused = pl.concat([refused, listed_here])
    posted = list(
        VoterList.objects.filter(polling_unit_id__in=unit_ids, posted_on__isnull=False).values_list(
            "polling_unit_id", flat=True
        )
    )
    if posted:
        late = good.filter(pl.col("unit_id").is_in(posted))
        good = good.join(late, on="line", how="anti")
        refused = pl.concat(
            [
                refused,
                late.select(
                    "line",
                    code=pl.lit(Code.LIST_POSTED, pl.UInt8),
                    arg=pl.col("unit_id").replace_strict(code_of, return_dtype=pl.String),
                ),
            ]
        )
    _refusals(report, refused, width, cutoff)
    if report.refusals and not ctx.skip_invalid:
        raise ImportRefused(report)

    report.loaded_by_unit = dict(sorted((code_of[u], n) for u, n in good.group_by("unit_id").len().iter_rows()))
    report.loaded = good.height
    if report.loaded == 0 or ctx.dry_run:
        if ctx.dry_run:
            transaction.set_rollback(True)
        return report

    _phase(ctx.on_phase, "loading", report.loaded)
    batch = VoterImport.objects.create(
        election=election,
        area=ctx.area,
        outcome=VoterImport.Outcome.LOADED,
        file_name=ctx.file_name[:255],
        sha256=ctx.sha256,
        skip_invalid=ctx.skip_invalid,
        by=ctx.by if getattr(ctx.by, "pk", None) else None,
    )
    top = staging.tops(unit_ids) if has_keys else pl.DataFrame(schema={"unit_id": pl.Int64, "top": pl.Int64})
    good = good.join(held, on="line", how="left")  # `first`: the listing elsewhere that a held row doubles
    numbered = ordering.list_order(good.select("line", "unit_id", "household", "head", "tok", "rank", "first"), top)
    numbered = numbered.select("line", "unit_id", "tok", "rank", "list_number", "first").sort("line")
    by_token = numbered.sort("rank")
    keys = by_token.select(
        pl.lit(election.pk).alias("election_id"),
        _hex(tokens, by_token.get_column("tok")).alias("token"),
        doubles.held_key().alias("struck"),
        pl.col("unit_id").alias("polling_unit_id"),
        "list_number",
    )
    del by_token

    def voter_frames() -> Iterable[pl.DataFrame]:
        lines = numbered.get_column("line")
        for rows in scanning.spilled(spill):
            if rows.height == 0:
                continue
            first, last = rows.item(0, "line"), rows.item(rows.height - 1, "line")
            lo, hi = lines.search_sorted(first, "left"), lines.search_sorted(last, "right")
            mine = numbered.slice(lo, hi - lo)
            if mine.height == 0:
                continue
            mine = mine.with_columns(token=_hex(tokens, mine.get_column("tok")))
            yield _voter_rows(rows.join(mine.drop("unit_id", "rank", "tok", "first"), on="line"), election.pk, batch.pk)

    loaded = staging.copy_in(staging.VOTER, staging.VOTER_COLUMNS, voter_frames(), on_rows=ctx.on_progress)
    assert loaded == report.loaded, (loaded, report.loaded)  # a broken load must not commit
    staging.copy_in(staging.KEY, staging.KEY_COLUMNS, [keys])
    held_rows = numbered.filter(pl.col("first").is_not_null()).select(
        id=pl.col("unit_id") * UNIT_SPAN + pl.col("list_number"), first="first"
    )
    pairs = doubles.record(election=election, batch=batch, held=held_rows, by=ctx.by) if held_rows.height else []
    _finish(batch, report, ctx, held=pairs)
    return report


def voter_import_record_refused(
    *, election: Election, area: Area | None, report: ImportReport, file_name: str, sha256: str, by: Actor, skip: bool
) -> VoterImport:
    """Keep the report of an upload that loaded nothing (line numbers and reasons only), for its report page."""
    return VoterImport.objects.create(
        election=election,
        area=area,
        outcome=VoterImport.Outcome.REFUSED if report.refusals and not skip else VoterImport.Outcome.LOADED,
        file_name=file_name[:255],
        sha256=sha256,
        skip_invalid=skip,
        rows=report.rows,
        loaded=0,
        unchanged=report.unchanged,
        refused=len(report.refusals),
        refusals=[list(r) for r in report.refusals[:REFUSALS_KEPT]],
        by=by if getattr(by, "pk", None) else None,
    )


def file_digest_of_upload(upload: Any) -> str:
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    return sha.hexdigest()


class ImportRefused(VoterListError):
    """The file has refused rows and --skip-invalid was not given: nothing was written."""

    def __init__(self, report: "ImportReport") -> None:
        super().__init__(_("%(n)d row(s) refused; nothing was written") % {"n": len(report.refusals)})
        self.report = report
