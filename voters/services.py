"""Writes to voter lists: the import of CONTRACT §8, posting, changes after posting, certificates, check-in.

Each service runs in one transaction, locks what it changes and writes the audit log with the voter's unit
and list number only: national IDs and dates of birth never reach the audit log.
"""

import datetime as dt
import hashlib
import hmac
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from elections.audit import audit_log
from elections.models import Area, Election, PollingUnit

from . import importers, rules, staging
from .crypto import hex_tokens, id_cipher, token_order, token_sort
from .importers import Code, Reason
from .models import (
    ACTIVE_STATUSES,
    UNIT_SPAN,
    Certificate,
    Complaint,
    RemovalReason,
    Residence,
    Voter,
    VoterImport,
    VoterKey,
    VoterList,
    VoterStatus,
)

REFUSALS_KEPT = 20_000  # refusals stored with an import record; the count is always exact
KEY_CHUNK = 50_000  # national-ID index rows sent to COPY at a time


class VoterListError(Exception):
    """A change to a voter list that the law or the list's state does not allow; the message says why."""


class ImportRefused(VoterListError):
    """The file has refused rows and --skip-invalid was not given: nothing was written."""

    def __init__(self, report: "ImportReport") -> None:
        super().__init__(_("%(n)d row(s) refused; nothing was written") % {"n": len(report.refusals)})
        self.report = report


class ListsClosed(VoterListError):
    """Art. 32: lists change until 24 hours before voting starts, not after."""


class StaleVersion(VoterListError):
    """Someone else changed the row since the form was shown (two committee members at once)."""


class AlreadyVoted(VoterListError):
    def __init__(self, voter: Voter) -> None:
        super().__init__(_("already checked in"))
        self.voter = voter


@dataclass
class ImportReport:
    rows: int = 0
    loaded: int = 0
    unchanged: int = 0
    refusals: list[tuple[int, str]] = field(default_factory=list)
    loaded_by_unit: dict[str, int] = field(default_factory=dict)
    batch: VoterImport | None = None

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
    by: Any = None,
    area: Area | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    on_progress: Callable[[int], None] | None = None,
    on_phase: Callable[[str, int], None] | None = None,
) -> ImportReport:
    """Load a voter file (CONTRACT §8) into the election's lists, all or nothing unless `skip_invalid`.

    Progress: `on_phase("checking", 0)` then `on_progress(bytes read)`; `on_phase("loading", rows to load)`
    then `on_progress(rows loaded)`.

    `source` is the file opened in binary. It is read once: every row is checked, what the checks across rows
    need is kept (about 40 bytes a row) and the values of the rows that pass go to a temporary folder, from
    which they are loaded, so memory does not hold the file. `area` limits
    the file to the polling units under it (a committee's upload): other units are unknown. Rows already on
    the lists exactly as given are left alone, so importing a file again changes nothing. Raises
    ImportRefused (nothing written) when any row is refused and `skip_invalid` is false.
    """
    election = Election.objects.select_for_update().get(pk=election.pk)  # one import per election at a time
    units_qs = PollingUnit.objects.filter(election=election)
    if area is not None:
        units_qs = units_qs.filter(area__path__startswith=area.path)
    code_of = {pk: code for code, pk in units_qs.values_list("code", "pk")}
    units = importers.units_frame({code: pk for pk, code in code_of.items()})
    cutoff = rules.eighteenth_birthday_cutoff(election.election_day)

    _phase(on_phase, "checking", 0)
    width = importers.read_header(source)
    has_keys = staging.election_has_keys(election.pk)
    ctx = ImportContext(file_name, sha256, by, area, skip_invalid, dry_run, on_phase, on_progress)
    scanner = importers.Scanner(width=width, units=units, cutoff=cutoff, details=has_keys, spill=None)
    spill = Path(tempfile.mkdtemp(prefix="kp-voters-"))
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
    scanner: importers.Scanner,
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
    order = importers.RunningOrder()
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
    report.refusals = _messages(scan.refused, width, cutoff)
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
        pl.lit(VoterStatus.LISTED.value).alias("status"),
        pl.lit(batch_id).alias("batch_id"),
    )


def _messages(refused: pl.DataFrame, width: int, cutoff: dt.date) -> list[tuple[int, str]]:
    return [
        (line, importers.message(code, arg, width=width, cutoff=cutoff))
        for line, code, arg in refused.sort("line").iter_rows()
    ]


def _finish(batch: VoterImport, report: ImportReport, ctx: "ImportContext") -> None:
    """Record what the import did on its row and in the audit log."""
    batch.rows, batch.loaded, batch.unchanged = report.rows, report.loaded, report.unchanged
    batch.refused = len(report.refusals)
    batch.refusals = [list(r) for r in report.refusals[:REFUSALS_KEPT]]
    batch.save(update_fields=["rows", "loaded", "unchanged", "refused", "refusals"])
    report.batch = batch
    audit_log(
        "voters.list.imported",
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


@dataclass(frozen=True)
class ImportContext:
    file_name: str
    sha256: str
    by: Any
    area: Area | None
    skip_invalid: bool
    dry_run: bool
    on_phase: Callable[[str, int], None] | None
    on_progress: Callable[[int], None] | None


def _checked_and_loaded(
    election: Election,
    scan: importers.Scan,
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
    if has_keys:
        found = staging.matches(election.pk, good.select("line", token=_hex(tokens, good.get_column("tok"))))
        found = found.select("line", details=importers.details_hash(found))
        same = good.join(found, on=["line", "details"], how="semi").select("line")
        other = found.join(same, on="line", how="anti").select("line").unique()
        report.unchanged = same.height
        good = good.join(found.select("line").unique(), on="line", how="anti")
        refused = pl.concat(
            [refused, other.select("line", code=pl.lit(Code.ON_A_LIST, pl.UInt8), arg=pl.lit(None, pl.String))]
        )
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
    report.refusals = _messages(refused, width, cutoff)
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
    numbered = importers.list_order(good.select("line", "unit_id", "household", "head", "tok", "rank"), top)
    numbered = numbered.select("line", "unit_id", "tok", "rank", "list_number").sort("line")
    by_token = numbered.sort("rank")
    keys = by_token.select(
        pl.lit(election.pk).alias("election_id"),
        _hex(tokens, by_token.get_column("tok")).alias("token"),
        pl.lit(0).alias("struck"),
        pl.col("unit_id").alias("polling_unit_id"),
        "list_number",
    )
    del by_token

    def voter_frames() -> Iterable[pl.DataFrame]:
        lines = numbered.get_column("line")
        for rows in importers.spilled(spill):
            if rows.height == 0:
                continue
            first, last = rows.item(0, "line"), rows.item(rows.height - 1, "line")
            lo, hi = lines.search_sorted(first, "left"), lines.search_sorted(last, "right")
            mine = numbered.slice(lo, hi - lo)
            if mine.height == 0:
                continue
            mine = mine.with_columns(token=_hex(tokens, mine.get_column("tok")))
            yield _voter_rows(rows.join(mine.drop("unit_id", "rank", "tok"), on="line"), election.pk, batch.pk)

    loaded = staging.copy_in(staging.VOTER, staging.VOTER_COLUMNS, voter_frames(), on_rows=ctx.on_progress)
    assert loaded == report.loaded, (loaded, report.loaded)  # a broken load must not commit
    staging.copy_in(staging.KEY, staging.KEY_COLUMNS, [keys])
    _finish(batch, report, ctx)
    return report


def voter_import_record_refused(
    *, election: Election, area: Area | None, report: ImportReport, file_name: str, sha256: str, by: Any, skip: bool
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


# --- changes after posting (Art. 32-34) ----------------------------------------------------------------


def changes_close_at(election: Election) -> dt.datetime:
    return rules.changes_close_at(election.election_day, election.voting_opens, election.time_zone)


def _check_open(election: Election, now: dt.datetime | None) -> dt.datetime:
    now = now or timezone.now()
    closes = changes_close_at(election)
    if now >= closes:
        raise ListsClosed(
            _("The lists closed for changes at %(when)s, 24 hours before voting starts (Art. 32).")
            % {"when": timezone.localtime(closes, closes.tzinfo).strftime("%Y-%m-%d %H:%M %Z")}
        )
    return now


def _locked_list(unit: PollingUnit) -> VoterList:
    VoterList.objects.get_or_create(polling_unit=unit, defaults={"election_id": unit.election_id})
    return VoterList.objects.select_for_update().get(polling_unit=unit)


def _locked_voter(voter_id: int, version: int | None) -> Voter:
    voter = Voter.objects.select_for_update().select_related("polling_unit", "election").get(pk=voter_id)
    if version is not None and voter.version != version:
        raise StaleVersion(_("Someone else changed this voter meanwhile; look at the row again and retry."))
    return voter


def _next_number(unit: PollingUnit) -> int:
    return (Voter.objects.of_unit(unit).aggregate(n=Max("list_number"))["n"] or 0) + 1


def _audit(action: str, voter: Voter, by: Any, **data: Any) -> None:
    audit_log(
        action,
        user=by,
        election_slug=voter.election.slug,
        object_type="voter",
        object_key=f"{voter.polling_unit.code}#{voter.list_number}",
        data={"voter": voter.pk, "polling_unit": voter.polling_unit.code, "list_number": voter.list_number, **data},
    )


def _key_listed(voter: Voter) -> None:
    """Save a new voter with its key; Art. 29 (one list per person) is the key table's unique index."""
    try:
        with transaction.atomic():
            voter.save()
            VoterKey.objects.create(
                election_id=voter.election_id,
                token=voter.national_id_token,
                polling_unit_id=voter.polling_unit_id,
                list_number=voter.list_number,
            )
    except IntegrityError:
        raise VoterListError(
            _("This person is already on a list of this election; remove them there first (Art. 29).")
        ) from None


def _key_struck(voter: Voter) -> None:
    """The voter left the list: their key no longer counts for Art. 29, nor for the lookup."""
    changed = VoterKey.objects.filter(
        election_id=voter.election_id,
        token=voter.national_id_token,
        struck=0,
        polling_unit_id=voter.polling_unit_id,
        list_number=voter.list_number,
    ).update(struck=voter.pk)
    assert changed == 1, changed  # every voter row has its key: a missing one must not commit


@dataclass(frozen=True)
class NewVoter:
    national_id: str
    full_name: str
    date_of_birth: dt.date
    gender: str
    residence: str = Residence.PERMANENT
    household: str = ""
    household_head: bool = False


@transaction.atomic
def voter_add(*, unit: PollingUnit, person: NewVoter, note: str, by: Any, now: dt.datetime | None = None) -> Voter:
    """Add one person to a unit's list (Art. 32: moved in, asked to vote where they live, late listing)."""
    election = unit.election
    _check_open(election, now)
    if not rules.is_of_age(person.date_of_birth, election.election_day):
        raise VoterListError(Reason.under_age(rules.eighteenth_birthday_cutoff(election.election_day)))
    voter_list = _locked_list(unit)
    token = id_cipher().token(person.national_id)
    voter = Voter(
        election=election,
        polling_unit=unit,
        list_number=_next_number(unit),
        national_id_token=token,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        residence=person.residence,
        household=person.household,
        household_head=person.household_head,
        status=VoterStatus.ADDED_LATE if voter_list.posted_on else VoterStatus.LISTED,
        status_note=note[:300],
    )
    _key_listed(voter)
    _audit("voters.voter.added", voter, by, status=voter.status, note=note[:300])
    return voter


@transaction.atomic
def voter_remove(
    *, voter: Voter, reason: str, note: str, by: Any, version: int | None = None, now: dt.datetime | None = None
) -> Voter:
    """Strike a voter off their list, keeping the row (and its number) as history (Art. 30, 32)."""
    _check_open(voter.election, now)
    voter = _locked_voter(voter.pk, version)
    if voter.status not in ACTIVE_STATUSES:
        raise VoterListError(_("This voter is no longer on the list."))
    if reason not in RemovalReason.values:
        raise VoterListError(_("Choose a reason for the removal."))
    before = voter.status
    voter.status, voter.removal_reason, voter.status_note = VoterStatus.REMOVED, reason, note[:300]
    voter.version += 1
    voter.save(update_fields=["status", "removal_reason", "status_note", "version", "updated_at"])
    _key_struck(voter)
    _audit("voters.voter.removed", voter, by, before=before, reason=reason, note=note[:300])
    return voter


@transaction.atomic
def voter_list_post(*, unit: PollingUnit, posted_on: dt.date, by: Any) -> VoterList:
    """Record that the unit's list is posted (Art. 32): the 30-day complaint window starts."""
    voter_list = VoterList.objects.select_for_update().filter(polling_unit=unit).first()
    if voter_list is None or not Voter.objects.of_unit(unit).exists():
        raise VoterListError(_("This polling unit has no voter list to post yet."))
    if voter_list.posted_on:
        raise VoterListError(_("This list was already posted on %(day)s.") % {"day": voter_list.posted_on})
    voter_list.posted_on, voter_list.posted_by = posted_on, by
    voter_list.save(update_fields=["posted_on", "posted_by"])
    late = posted_on > rules.posting_deadline(unit.election.election_day)
    audit_log(
        "voters.list.posted",
        user=by,
        election_slug=unit.election.slug,
        object_type="voter_list",
        object_key=unit.code,
        data={"posted_on": posted_on.isoformat(), "after_legal_deadline": late},
    )
    return voter_list


_CERT_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I, 5/S, 8/B, 2/Z)


def _certificate_number() -> str:
    return "".join(secrets.choice(_CERT_ALPHABET) for _ in range(8))


@transaction.atomic
def certificate_issue(
    *, voter: Voter, by: Any, version: int | None = None, now: dt.datetime | None = None
) -> Certificate:
    """Issue the certificate for voting elsewhere (Art. 34): the voter is struck from this list."""
    now = _check_open(voter.election, now)
    voter = _locked_voter(voter.pk, version)
    if voter.status not in ACTIVE_STATUSES:
        raise VoterListError(_("This voter is no longer on the list."))
    if voter.voted_at:
        raise VoterListError(_("This voter has already voted."))
    number = _certificate_number()
    while Certificate.objects.filter(election=voter.election, number=number).exists():
        number = _certificate_number()
    voter.status = VoterStatus.TRANSFERRED_OUT
    voter.version += 1
    voter.save(update_fields=["status", "version", "updated_at"])
    _key_struck(voter)
    certificate = Certificate.objects.create(
        election=voter.election, number=number, voter=voter, issued_at=now, issued_by=by
    )
    _audit("voters.certificate.issued", voter, by, certificate=number)
    return certificate


class CertificateRefused(VoterListError):
    """Unknown number, already used, or the national ID shown is not the holder's: one message for all."""


@transaction.atomic
def certificate_accept(
    *, unit: PollingUnit, number: str, national_id: str, by: Any, note: str = "", now: dt.datetime | None = None
) -> Voter:
    """Add the holder of a certificate to this unit's list on showing it and their ID card (Art. 34)."""
    now = _check_open(unit.election, now)
    refused = CertificateRefused(
        _("No unused certificate with this number belongs to this national ID in this election.")
    )
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("voter__polling_unit__area")
        .filter(election=unit.election, number=number.strip().upper())
        .first()
    )
    try:
        token = id_cipher().token(national_id.strip())
    except ValueError:
        raise refused from None
    if certificate is None or not hmac.compare_digest(bytes(certificate.voter.national_id_token), token):
        raise refused
    if certificate.status != Certificate.Status.ISSUED:
        raise refused
    origin = certificate.voter
    if origin.polling_unit_id == unit.pk:
        raise VoterListError(_("The certificate was issued by this polling unit: the voter votes elsewhere."))
    _locked_list(unit)
    # Someone voting outside their commune keeps the national and provincial votes only (spec §3 table);
    # within the same commune their residence stays what it was.
    same_commune = origin.polling_unit.area_id == unit.area_id
    voter = Voter(
        election=unit.election,
        polling_unit=unit,
        list_number=_next_number(unit),
        national_id_token=origin.national_id_token,
        full_name=origin.full_name,
        date_of_birth=origin.date_of_birth,
        date_of_birth_precision=origin.date_of_birth_precision,
        gender=origin.gender,
        residence=origin.residence if same_commune else Residence.TEMPORARY_SHORT,
        status=VoterStatus.ADDED_BY_CERTIFICATE,
        status_note=note[:300],
    )
    _key_listed(voter)
    certificate.status, certificate.added_voter, certificate.used_at, certificate.used_by = (
        Certificate.Status.USED,
        voter,
        now,
        by,
    )
    certificate.save(update_fields=["status", "added_voter", "used_at", "used_by"])
    _audit(
        "voters.certificate.used",
        voter,
        by,
        certificate=certificate.number,
        from_unit=origin.polling_unit.code,
        from_list_number=origin.list_number,
    )
    return voter


@transaction.atomic
def complaint_receive(
    *,
    unit: PollingUnit,
    kind: str,
    complainant: str,
    text: str,
    voter: Voter | None,
    by: Any,
    received_on: dt.date | None = None,
) -> Complaint:
    """Receive a complaint about a posted list (Art. 33): within 30 days of posting; answer due in 5 days."""
    received_on = received_on or timezone.localdate()
    voter_list = VoterList.objects.select_for_update().filter(polling_unit=unit).first()
    if voter_list is None or voter_list.posted_on is None:
        raise VoterListError(_("Complaints are received once the list is posted."))
    last_day = rules.complaint_deadline(voter_list.posted_on)
    if received_on > last_day:
        raise VoterListError(
            _("The complaint window closed on %(day)s, 30 days after posting (Art. 33).") % {"day": last_day}
        )
    if received_on < voter_list.posted_on:
        raise VoterListError(_("A complaint cannot be received before the list was posted."))
    complaint = Complaint.objects.create(
        election=unit.election,
        polling_unit=unit,
        voter=voter,
        kind=kind,
        complainant=complainant[:200],
        text=text,
        received_on=received_on,
        answer_due=rules.answer_due(received_on),
        received_by=by,
    )
    audit_log(
        "voters.complaint.received",
        user=by,
        election_slug=unit.election.slug,
        object_type="voter_complaint",
        object_key=str(complaint.pk),
        data={
            "polling_unit": unit.code,
            "kind": kind,
            "list_number": voter.list_number if voter else None,
            "answer_due": complaint.answer_due.isoformat(),
        },
    )
    return complaint


@transaction.atomic
def complaint_answer(
    *, complaint: Complaint, upheld: bool, answer: str, by: Any, version: int | None = None
) -> Complaint:
    """Answer a complaint (Art. 33). An upheld complaint is then put right with an addition or a removal."""
    complaint = Complaint.objects.select_for_update().select_related("polling_unit", "election").get(pk=complaint.pk)
    if version is not None and complaint.version != version:
        raise StaleVersion(_("Someone else answered this complaint meanwhile; look at it again."))
    if complaint.status != Complaint.Status.OPEN:
        raise VoterListError(_("This complaint is already answered."))
    complaint.status = Complaint.Status.UPHELD if upheld else Complaint.Status.REJECTED
    complaint.answer, complaint.answered_on, complaint.answered_by = answer, timezone.localdate(), by
    complaint.version += 1
    complaint.save(update_fields=["status", "answer", "answered_on", "answered_by", "version"])
    audit_log(
        "voters.complaint.answered",
        user=by,
        election_slug=complaint.election.slug,
        object_type="voter_complaint",
        object_key=str(complaint.pk),
        data={
            "polling_unit": complaint.polling_unit.code,
            "status": complaint.status,
            "late": complaint.answered_on > complaint.answer_due,
        },
    )
    return complaint


# --- check-in at the polling station ---------------------------------------------------------------------


@transaction.atomic
def voter_check_in(*, unit: PollingUnit, voter_id: int, by: Any, now: dt.datetime | None = None) -> Voter:
    """Mark a voter of this unit as voted, once. A second check-in raises AlreadyVoted with the first time.

    Check-ins are not written to the audit log: millions of them on one day would serialise every polling
    station on the log's lock. The row itself keeps who checked the voter in, and when.
    """
    voter = Voter.objects.select_for_update().filter(pk=voter_id, polling_unit=unit).first()
    if voter is None:
        raise VoterListError(_("No such voter on this polling unit's list."))
    if voter.status not in ACTIVE_STATUSES:
        raise VoterListError(
            _("This voter was struck from the list: %(status)s.") % {"status": voter.get_status_display()}
        )
    if voter.voted_at is not None:
        raise AlreadyVoted(voter)
    voter.voted_at, voter.checked_in_by = now or timezone.now(), by
    voter.save(update_fields=["voted_at", "checked_in_by", "updated_at"])
    return voter
