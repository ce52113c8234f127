"""The structure of an election: areas, contests, constituencies, polling units, candidates, roles.

Law 85/2015/QH13 (as amended by Law 83/2025/QH15): one polling area (khu vực bỏ phiếu) serves every
contest at once (Art. 11) and belongs to exactly one constituency (đơn vị bầu cử) per contest.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Art. 71(1): voting 07:00-19:00; the team may open earlier, not before 05:00, or close later, not after 21:00.
EARLIEST_OPENING = dt.time(5, 0)
LATEST_CLOSING = dt.time(21, 0)


class RuleSet(models.TextChoices):
    VN_2015 = "vn-2015", _("Viet Nam, Law 85/2015/QH13")
    PLURALITY = "plurality", _("Plurality (most votes win)")


class Level(models.TextChoices):
    NATIONAL_ASSEMBLY = "national_assembly", _("National Assembly")
    PROVINCIAL_COUNCIL = "provincial_council", _("Provincial People's Council")
    DISTRICT_COUNCIL = "district_council", _("District People's Council")
    COMMUNE_COUNCIL = "commune_council", _("Commune People's Council")


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class DatePrecision(models.TextChoices):
    """How much of a date of birth is known; the unknown part counts as the 1st (§3 of the spec)."""

    DAY = "day", _("day")
    MONTH = "month", _("month only")
    YEAR = "year", _("year only")


def default_report_times() -> list[str]:
    return ["09:00", "11:00", "14:00", "16:00"]


class Election(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    election_day = models.DateField(_("election day"))
    rules = models.CharField(_("rule set"), max_length=20, choices=RuleSet.choices, default=RuleSet.VN_2015)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Ho_Chi_Minh")
    voting_opens = models.TimeField(_("voting opens"), default=dt.time(7, 0))
    voting_closes = models.TimeField(_("voting closes"), default=dt.time(19, 0))
    # Arts. 79(3), 80(4), 81(2): a second round within 7 days of election day (Law 83/2025/QH15, in force
    # 1/7/2025; 15 days before). Empty: by the law in force on election day (results/rules/second_rounds.py).
    second_round_deadline_days = models.PositiveSmallIntegerField(
        _("days allowed for a second round"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Leave empty to follow the law in force on election day: 7 days from 1/7/2025, 15 before."),
    )
    # Every tally typed twice, blind, by two different users; submitted once both agree (CONTRACT §12).
    double_entry = models.BooleanField(
        _("double entry"),
        default=False,
        help_text=_("Every tally is typed twice by two different users and waits until both entries agree."),
    )
    # When polling units report turnout during the day; closing time is always a reporting time too.
    turnout_report_times = models.JSONField(_("turnout reporting times"), default=default_report_times)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-election_day", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_opens__gte=EARLIEST_OPENING)
                & Q(voting_closes__lte=LATEST_CLOSING)
                & Q(voting_opens__lt=models.F("voting_closes")),
                name="election_voting_hours_within_law",
                violation_error_message=_("Voting hours must lie within 05:00-21:00 (Art. 71)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def report_times(self) -> list[dt.time]:
        """The turnout reporting times of the day, closing time last."""
        times = sorted({dt.time.fromisoformat(t) for t in self.turnout_report_times} | {self.voting_closes})
        return [t for t in times if self.voting_opens < t <= self.voting_closes]

    def local_datetime(self, time: dt.time, day: dt.date | None = None) -> dt.datetime:
        return dt.datetime.combine(day or self.election_day, time, tzinfo=zoneinfo.ZoneInfo(self.time_zone))


class Area(models.Model):
    """An administrative area; areas form a tree (province > district > commune)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    # Materialised path of ids, "/12/40/41/": everything under an area is one indexed prefix match.
    path = models.CharField(max_length=500, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="area_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def ancestors_and_self_paths(self) -> list[str]:
        ids = [part for part in self.path.split("/") if part]
        return ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]


class Contest(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=32, choices=Level.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["election", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="contest_code_unique")]

    def __str__(self) -> str:
        return self.name


class Constituency(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="constituencies")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="constituencies")
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("seats"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="constituencies", verbose_name=_("area"))
    # The round the constituency is counting: 1 is the regular election; a re-election or an additional
    # election (Art. 79-80) opens round 2, of the kind recorded here.
    current_round = models.PositiveSmallIntegerField(_("current round"), default=1)
    current_round_kind = models.CharField(_("kind of the current round"), max_length=20, default="regular")

    class Meta:
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        ordering = ["contest__position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="constituency_code_unique"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="constituency_seats_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PollingUnit(models.Model):
    """A polling area (khu vực bỏ phiếu) with its election team (Tổ bầu cử)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="polling_units")
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="polling_units", verbose_name=_("area"))
    # The voter count used while no voter list is loaded (interfaces §1).
    registered_voters = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    constituencies = models.ManyToManyField(
        Constituency, through="PollingUnitConstituency", related_name="polling_units", verbose_name=_("constituencies")
    )

    class Meta:
        verbose_name = _("polling unit")
        verbose_name_plural = _("polling units")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="polling_unit_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PollingUnitConstituency(models.Model):
    """The constituency a unit votes in for one contest: at most one per contest (interfaces §1)."""

    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.CASCADE, related_name="memberships")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="memberships")
    # Copied from constituency.contest so the database itself can refuse two constituencies of a contest.
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("constituency of a polling unit")
        verbose_name_plural = _("constituencies of polling units")
        constraints = [
            models.UniqueConstraint(
                fields=["polling_unit", "contest"], name="polling_unit_one_constituency_per_contest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.polling_unit_id} -> {self.constituency_id}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.contest_id = self.constituency.contest_id
        super().save(*args, **kwargs)


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="candidates")
    code = models.CharField(_("code"), max_length=64)
    ballot_order = models.PositiveSmallIntegerField(_("ballot order"))
    full_name = models.CharField(_("full name"), max_length=200)
    # With an incomplete date the unknown day/month are stored as 1 (Art. 2 and the NEC's guidance).
    date_of_birth = models.DateField(_("date of birth"))
    date_of_birth_precision = models.CharField(
        _("precision of the date of birth"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["constituency", "ballot_order"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="candidate_code_unique"),
            models.UniqueConstraint(fields=["constituency", "ballot_order"], name="candidate_ballot_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    @property
    def date_of_birth_display(self) -> str:
        """The date as the file gave it: 1968-03-14, 1968-03 or 1968."""
        iso = self.date_of_birth.isoformat()
        return {DatePrecision.DAY: iso, DatePrecision.MONTH: iso[:7], DatePrecision.YEAR: iso[:4]}[
            DatePrecision(self.date_of_birth_precision)
        ]


class Role(models.TextChoices):
    CLERK = "clerk", _("clerk of a polling unit")
    BOARD = "board", _("election board of a constituency")
    COMMITTEE = "committee", _("election committee of an area")
    AUDITOR = "auditor", _("auditor (read-only)")


class RoleAssignment(models.Model):
    """A person's role in one election, with its scope (interfaces §6)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="election_roles")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["election", "role", "user"]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role="clerk", polling_unit__isnull=False, constituency__isnull=True, area__isnull=True)
                    | Q(role="board", polling_unit__isnull=True, constituency__isnull=False, area__isnull=True)
                    | Q(role="committee", polling_unit__isnull=True, constituency__isnull=True, area__isnull=False)
                    | Q(role="auditor", polling_unit__isnull=True, constituency__isnull=True, area__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "election", "role", "polling_unit"], condition=Q(role="clerk"), name="role_clerk_once"
            ),
            models.UniqueConstraint(
                fields=["user", "election", "role", "constituency"], condition=Q(role="board"), name="role_board_once"
            ),
            models.UniqueConstraint(
                fields=["user", "election", "role", "area"], condition=Q(role="committee"), name="role_committee_once"
            ),
            models.UniqueConstraint(
                fields=["user", "election", "role"], condition=Q(role="auditor"), name="role_auditor_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self) -> object:
        return self.polling_unit or self.constituency or self.area or self.election


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit log (elections/audit.py, docs/audit.md).

    `mac` is an HMAC-SHA256, under a key kept outside the database, of the whole entry and the previous
    entry's hash; `hash` is a SHA-256 of the previous hash, the entry's public fields and `mac`. Editing,
    deleting, inserting or reordering a line breaks the chain, and a line written without the key has a
    wrong `mac` (checked by `verify_audit`). Personal data never goes in here.
    """

    seq = models.BigAutoField(_("number"), primary_key=True)
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (login)"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=80, db_index=True)
    # A plain slug, not a foreign key: deleting an election must not rewrite its audit history.
    election_slug = models.CharField(_("election"), max_length=80, blank=True, db_index=True)
    object_type = models.CharField(_("kind of record"), max_length=60, blank=True)
    object_key = models.CharField(_("record"), max_length=200, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_key}"


class AuditHead(models.Model):
    """The newest entry of the chain: a deleted last entry shows as a head that points nowhere.

    Writers lock this one row, which also keeps the chain a single line under concurrency.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit log head")

    def __str__(self) -> str:
        return f"head #{self.seq}"


class AuditCheckpoint(models.Model):
    """The head of the audit log at a moment, signed with the Ed25519 key kept outside the database.

    Signed at every publication and on a schedule (`audit_checkpoint`), and published with the public key
    on the public site, so a log cut short or rewritten no longer matches what anyone could download.
    Checkpoints form a chain of their own: `prev` is the SHA-256 of the previous checkpoint's signed message.
    """

    class Reason(models.TextChoices):
        PUBLICATION = "publication", _("at a publication")
        SCHEDULE = "schedule", _("on schedule")
        UPGRADE = "upgrade", _("when the log was sealed at an upgrade")
        MANUAL = "manual", _("by hand")

    number = models.PositiveBigIntegerField(unique=True)
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    prev = models.CharField(max_length=64)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    key_id = models.CharField(max_length=64)
    signature = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("audit log checkpoint")
        verbose_name_plural = _("audit log checkpoints")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"checkpoint #{self.number} (entry #{self.seq})"
