"""Voter lists (Law 85/2015/QH13, Arts. 29-34): one list per polling unit, its voters, complaints, certificates.

National IDs are never stored in plain text: each is kept as a token, one AES block under a key the database
does not hold (voters/crypto.py). `VoterKey` indexes the tokens (see its docstring for why it is a table of its own).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from elections.models import DatePrecision, Election, Gender, PollingUnit


class Residence(models.TextChoices):
    """Where the voter lives, which decides the contests they vote in (voters/rules.py, Art. 30)."""

    PERMANENT = "permanent", _("permanent resident")
    TEMPORARY = "temporary", _("temporary resident, 12 months or more")
    TEMPORARY_SHORT = "temporary_short", _("temporary resident, under 12 months")


class VoterCategory(models.TextChoices):
    """Who the voter is, where the law lists some people apart (Art. 29(3) and (5) as amended by Law 83/2025).

    Soldiers in armed-forces units are listed at the polling area where their unit is stationed (Art. 29(3),
    Art. 31(2)); people in temporary detention (tạm giam, tạm giữ) or serving an administrative measure in a
    compulsory education or rehabilitation facility are listed where they are held (Art. 29(5)). Both vote for
    the National Assembly and the provincial council only (voters/rules.py `LEVELS_BY_CATEGORY`).
    """

    ORDINARY = "ordinary", _("ordinary voter")
    ARMED_FORCES = "armed_forces", _("soldier in an armed-forces unit (Art. 29(3))")
    DETENTION = "detention", _("in temporary detention (Art. 29(5))")
    COMPULSORY_FACILITY = "compulsory_facility", _("in a compulsory education or rehabilitation facility (Art. 29(5))")


class VoterStatus(models.TextChoices):
    LISTED = "listed", _("listed")
    ADDED_LATE = "added_late", _("added after posting")
    ADDED_BY_CERTIFICATE = "added_by_certificate", _("added on a certificate for voting elsewhere")
    REMOVED = "removed", _("removed")
    TRANSFERRED_OUT = "transferred_out", _("transferred out with a certificate")


# Statuses that put a person on a unit's list: counted, printed, looked up, may check in. A row that is also
# `held` (Voter.held, DoubleListing) is on its unit's list, counted and printed like any other, but is not the
# person's listing for Art. 29: the lookup and the check-in know only their first listing until a committee decides.
ACTIVE_STATUSES = (VoterStatus.LISTED, VoterStatus.ADDED_LATE, VoterStatus.ADDED_BY_CERTIFICATE)


class RemovalReason(models.TextChoices):
    """Art. 30 and 32: why a name leaves a list after posting."""

    MOVED = "moved", _("moved their residence")
    DECEASED = "deceased", _("deceased")
    DEPRIVED = "deprived", _("deprived of the right to vote by a court")
    SENTENCED = "sentenced", _("sentenced to death or serving a prison sentence")
    INCAPACITATED = "incapacitated", _("lost civil-act capacity")
    DETAINED = "detained", _("detained or sent to a compulsory facility (moved to its list)")
    COMPLAINT = "complaint", _("upheld complaint")
    LISTED_ELSEWHERE = "listed_elsewhere", _("on another list of this election (Art. 29: one list per person)")
    OTHER = "other", _("other reason")


class VoterList(models.Model):
    """The voter list of one polling unit: exists once voters are loaded; posted under Art. 32."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voter_lists")
    polling_unit = models.OneToOneField(PollingUnit, on_delete=models.CASCADE, related_name="voter_list")
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voter list")
        verbose_name_plural = _("voter lists")

    def __str__(self) -> str:
        return f"{self.polling_unit_id} ({self.posted_on or '-'})"


class VoterImport(models.Model):
    """One import of a voter file: what it loaded and every row it refused (line and reason only)."""

    class Outcome(models.TextChoices):
        LOADED = "loaded", _("loaded")
        REFUSED = "refused", _("refused, nothing written")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voter_imports")
    # The committee's area for an upload; empty for the command, which covers the whole election.
    area = models.ForeignKey("elections.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    skip_invalid = models.BooleanField(_("refused rows skipped"), default=False)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    loaded = models.PositiveIntegerField(_("rows loaded"), default=0)
    unchanged = models.PositiveIntegerField(_("rows already on the lists"), default=0)
    refused = models.PositiveIntegerField(_("rows refused"), default=0)
    # [[line, message], ...] in line order; capped (REFUSALS_KEPT) but `refused` is exact.
    refusals = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voter import")
        verbose_name_plural = _("voter imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.outcome})"


# A voter's id is its place on the lists: polling unit id x UNIT_SPAN + number on the unit's list (a check
# constraint holds it so). The primary key's one index is then also the unit's list in order and the
# uniqueness of list numbers: a bulk load maintains one index on the table, not two, and a unit's voters
# are a range of ids (`VoterQuerySet.of_unit`).
UNIT_SPAN = 1 << 20  # list numbers below 1,048,576: a polling unit has at most 4,000 voters (Art. 11)


def voter_pk(polling_unit_id: int, list_number: int) -> int:
    return polling_unit_id * UNIT_SPAN + list_number


class VoterQuerySet(models.QuerySet["Voter"]):
    def of_unit(self, unit: PollingUnit | int) -> "VoterQuerySet":
        """The voters of one unit, found through the primary key's range."""
        unit_id = unit if isinstance(unit, int) else unit.pk
        return self.filter(pk__gte=voter_pk(unit_id, 0), pk__lt=voter_pk(unit_id + 1, 0), polling_unit_id=unit_id)


class Voter(models.Model):
    id = models.BigIntegerField(primary_key=True, editable=False)
    # No database-level foreign keys on the columns a bulk load fills: PostgreSQL checks such a key row by row
    # (about 10 µs a row), while the import has already checked every unit; the ORM still refuses to delete a
    # polling unit that has voters (PROTECT).
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="voters", db_index=False, db_constraint=False
    )
    polling_unit = models.ForeignKey(
        PollingUnit, on_delete=models.PROTECT, related_name="voters", db_index=False, db_constraint=False
    )
    # The row on the unit's list, in the law's order (households, head first); also the voter-card number.
    list_number = models.PositiveIntegerField(_("number on the list"))
    # voters/crypto.py; found through VoterKey, which indexes it.
    national_id_token = models.BinaryField(max_length=16, editable=False)
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    date_of_birth_precision = models.CharField(
        _("precision of the date of birth"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    residence = models.CharField(_("residence"), max_length=20, choices=Residence.choices, default=Residence.PERMANENT)
    category = models.CharField(
        _("voter category"),
        max_length=20,
        choices=VoterCategory.choices,
        default=VoterCategory.ORDINARY,
        db_default=VoterCategory.ORDINARY,
    )
    household = models.CharField(_("household"), max_length=40, blank=True)
    household_head = models.BooleanField(_("head of household"), default=False)
    status = models.CharField(_("status"), max_length=24, choices=VoterStatus.choices, default=VoterStatus.LISTED)
    # Database defaults below let the bulk load leave these columns out of its COPY.
    removal_reason = models.CharField(
        _("reason for removal"), max_length=20, choices=RemovalReason.choices, blank=True, db_default=""
    )
    status_note = models.CharField(_("note"), max_length=300, blank=True, db_default="")
    voted_at = models.DateTimeField(_("voted at"), null=True, blank=True)
    # No database-level key either: even a null key costs PostgreSQL a queued trigger per loaded row.
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    version = models.PositiveIntegerField(default=1, db_default=1)
    # On the list, but the person is also on another list of the election, outside the area of whoever put them
    # here: a DoubleListing awaits the decision of a committee that covers both (Art. 29). Shown as listed to
    # everyone else; its key is struck (its own id), so the first listing stays the person's one listing.
    held = models.BooleanField(_("held for the check of Art. 29"), default=False, db_default=False)
    batch = models.ForeignKey(
        VoterImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = VoterQuerySet.as_manager()

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["id"]  # the unit, then the number on its list
        constraints = [
            models.CheckConstraint(
                condition=Q(id=F("polling_unit_id") * UNIT_SPAN + F("list_number"))
                & Q(list_number__gte=1)
                & Q(list_number__lt=UNIT_SPAN),
                name="voter_id_is_unit_and_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.polling_unit_id}#{self.list_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is None:
            self.pk = voter_pk(self.polling_unit_id, self.list_number)
        super().save(*args, **kwargs)

    @property
    def is_listed(self) -> bool:
        """On the unit's list (counted and printed), held or not: what the unit's committee sees."""
        return self.status in ACTIVE_STATUSES

    @property
    def is_active(self) -> bool:
        """The person's one listing for Art. 29 (its key is not struck): looked up, may check in."""
        return self.status in ACTIVE_STATUSES and not self.held

    @property
    def date_of_birth_display(self) -> str:
        iso = self.date_of_birth.isoformat()
        return {DatePrecision.DAY: iso, DatePrecision.MONTH: iso[:7], DatePrecision.YEAR: iso[:4]}[
            DatePrecision(self.date_of_birth_precision)
        ]


class VoterKey(models.Model):
    """The index of national ID tokens: one row per voter row, naming it by unit and list number.

    Why a table of its own: an index whose keys arrive in random order costs PostgreSQL a random page visit
    per row (measured: 4 µs a row, three times the cost of the row itself), and a voter file arrives in list
    order, while tokens are random. Kept apart, each table is loaded in its own index's order: voters by unit
    and list number, keys sorted by token, so both indexes grow almost sequentially.

    The table has one index, its primary key (election, token, struck), and it does every job: it finds a
    person's rows by the (election, token) prefix, and it is Art. 29 in the database (one list per person):
    `struck` is 0 while the voter is on the list (ACTIVE_STATUSES, not held) and the voter row's id once struck
    off or while held (DoubleListing), so a person has at most one row with 0. The services that change a
    voter's status change `struck` in the same transaction.

    On PostgreSQL the table is partitioned by election (migration 0004): an election's first load fills a
    partition of its own and builds its index in one pass (`staging.new_key_partition`); rows written before
    an election has one go to the default partition.
    """

    pk = models.CompositePrimaryKey("election", "token", "struck")
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    token = models.BinaryField(max_length=16, editable=False)
    struck = models.PositiveBigIntegerField(default=0)
    polling_unit = models.ForeignKey(
        PollingUnit, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    list_number = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("national ID index entry")
        verbose_name_plural = _("national ID index")

    def __str__(self) -> str:
        return f"{self.polling_unit_id}#{self.list_number}"

    @property
    def active(self) -> bool:
        return self.struck == 0


class DoubleListing(models.Model):
    """A person put on a second list of the election while on another (Art. 29(2): one list per person).

    Made when a committee's upload or hand addition meets the person's listing in a unit outside its area: the
    new row is taken onto its list but `held` (Voter.held, its key struck), and awaits the decision of a committee
    whose area covers both units (or an administrator): keep the first listing (the held row is removed) or move
    the person (the first listing is struck; Art. 30(3)). To the committee that added them, and to anyone who
    cannot see both lists, the held row reads like any listed one, so an upload learns nothing about lists
    outside its area. `first` is the listing met when the row was held; it may have changed since.
    """

    class Outcome(models.TextChoices):
        OPEN = "open", _("awaiting a decision")
        KEPT_FIRST = "kept_first", _("first listing kept, the new one removed")
        MOVED = "moved", _("moved to the new list, the first listing struck")
        WITHDRAWN = "withdrawn", _("the new listing left its list meanwhile")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    held = models.OneToOneField(Voter, on_delete=models.PROTECT, related_name="double_listing")
    first = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(VoterImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("person listed twice")
        verbose_name_plural = _("people listed twice")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.held_id} / {self.first_id} ({self.outcome})"


class Certificate(models.Model):
    """Giấy chứng nhận đi bỏ phiếu ở nơi khác (Art. 34): struck from one list, added to another on showing it."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        USED = "used", _("used: added to another list")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voter_certificates")
    number = models.CharField(_("certificate number"), max_length=20)
    voter = models.OneToOneField(Voter, on_delete=models.PROTECT, related_name="certificate_out")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_voter = models.OneToOneField(
        Voter, on_delete=models.PROTECT, null=True, blank=True, related_name="certificate_in"
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate for voting elsewhere")
        verbose_name_plural = _("certificates for voting elsewhere")
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="certificate_number_unique")]

    def __str__(self) -> str:
        return self.number


class Complaint(models.Model):
    """A complaint about a posted list (Art. 33): within 30 days of posting, answered within 5 days."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("upheld")
        REJECTED = "rejected", _("rejected")

    class Kind(models.TextChoices):
        OMITTED = "omitted", _("a person is missing from the list")
        WRONGLY_LISTED = "wrongly_listed", _("a person should not be on the list")
        WRONG_DETAILS = "wrong_details", _("details on the list are wrong")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voter_complaints")
    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.CASCADE, related_name="voter_complaints")
    # The row complained about, when there is one (an omitted person has none).
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    complainant = models.CharField(_("complainant"), max_length=200)
    text = models.TextField(_("complaint"))
    received_on = models.DateField(_("received on"))
    answer_due = models.DateField(_("answer due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("complaint about a voter list")
        verbose_name_plural = _("complaints about voter lists")
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.polling_unit_id}: {self.kind} ({self.status})"


def _rendering_path(instance: "VoterListRendering", filename: str) -> str:
    # Ids and the fingerprint only: no name of a person, and nothing to guess a person from.
    return f"voter-lists/{instance.polling_unit_id}/{filename}"


class VoterListRendering(models.Model):
    """The printable list of a unit (voters/printing.py) as one PDF, rendered in the background and kept while
    the list stays as it was: `fingerprint` names the list's content when rendering began (printing.py
    `voter_list_fingerprint`); a changed list has another fingerprint, so it gets a new rendering and the
    old ones are deleted when the new one is done. The row is the job's state; the page polls it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.CASCADE, related_name="voter_list_renderings")
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Progress: WeasyPrint's step (1-4 prepare the document, 5 lays out the pages, 6-7 write the file), and the
    # pages laid out, of an estimate while the layout runs (the exact count once it is done).
    step = models.PositiveSmallIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    pages_total = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)  # rows of the list, struck ones included
    file = models.FileField(upload_to=_rendering_path, max_length=200, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # the heartbeat of a running rendering

    class Meta:
        verbose_name = _("printable voter list")
        verbose_name_plural = _("printable voter lists")
        constraints = [
            models.UniqueConstraint(fields=["polling_unit", "fingerprint"], name="voter_list_rendering_once"),
        ]

    def __str__(self) -> str:
        return f"{self.polling_unit_id} {self.fingerprint[:12]} ({self.status} {self.pages_done}/{self.pages_total})"
