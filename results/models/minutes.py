"""Official minutes (biên bản) as issued PDFs, the members who sign them, and background ZIP jobs.

- Biên bản kết quả kiểm phiếu (Art. 76): one per approved tally (polling unit x contest x round).
- Biên bản xác định kết quả bầu cử ở đơn vị bầu cử (Art. 77): one per constituency and round.
- Biên bản tổng kết cuộc bầu cử (Art. 85; Art. 83 for the National Assembly in a province): one per contest and area.

Every issue of a minute is a new numbered `Minute` row that keeps its PDF, the SHA-256 of the PDF
and of the canonical data it was made from; rows are never changed or deleted, so a correction of
the data gives a new version and the old one stays verifiable.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elections.models import Area, Constituency, Contest, Election, PollingUnit

# 2021 form numbers (Resolution 41/NQ-HĐBCQG), the defaults of every election's settings (Resolution 41/NQ-HĐBCQG).
DEFAULT_FORMS = {
    "counting_na": "20/HĐBC-QH",
    "counting_council": "25/HĐBC-HĐND",
    "constituency_na": "21/HĐBC-QH",
    "constituency_council": "26/HĐBC-HĐND",
    # Art. 83, the provincial committee's National Assembly minute: probably 22/HĐBC-QH (uncertain).
    "summary_na": "22/HĐBC-QH",
    "summary_council": "27/HĐBC-HĐND",
}

# The forms of elections held under the 2025 text (election day from 1 July 2025). Only 20/HĐBC-QH, the province's
# National Assembly minute (Art. 83), is confirmed (the NEC's 2026 Q&A); 18, 19, 23 and 24 are the numbers unofficial
# 2026 tools print, and the council summary's number is unknown: a blank to fill in, editable per election.
FORMS_2025 = {
    "counting_na": "18/HĐBC-QH",
    "counting_council": "23/HĐBC-HĐND",
    "constituency_na": "19/HĐBC-QH",
    "constituency_council": "24/HĐBC-HĐND",
    "summary_na": "20/HĐBC-QH",
    "summary_council": "……/HĐBC-HĐND",
}


class MinutesSettings(models.Model):
    """Per-election wording of the official forms: form numbers, copies, the resolutions cited.

    Created with the 2021 values the first time an election's minutes are made; edited in the admin.
    """

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="minutes_settings")
    form_counting_na = models.CharField(
        _("form: counting minutes, National Assembly"), max_length=40, default=DEFAULT_FORMS["counting_na"]
    )
    form_counting_council = models.CharField(
        _("form: counting minutes, People's Council"), max_length=40, default=DEFAULT_FORMS["counting_council"]
    )
    form_constituency_na = models.CharField(
        _("form: constituency minutes, National Assembly"), max_length=40, default=DEFAULT_FORMS["constituency_na"]
    )
    form_constituency_council = models.CharField(
        _("form: constituency minutes, People's Council"),
        max_length=40,
        default=DEFAULT_FORMS["constituency_council"],
    )
    form_summary_na = models.CharField(
        _("form: provincial minutes, National Assembly"), max_length=40, default=DEFAULT_FORMS["summary_na"]
    )
    form_summary_council = models.CharField(
        _("form: summary minutes, People's Council"), max_length=40, default=DEFAULT_FORMS["summary_council"]
    )
    # Art. 76(3): 3 copies; Art. 77: 3 for the National Assembly, probably 4 for a council; Art. 83: 6.
    copies_counting = models.PositiveSmallIntegerField(_("copies of counting minutes"), default=3)
    copies_constituency_na = models.PositiveSmallIntegerField(
        _("copies of constituency minutes, National Assembly"), default=3
    )
    copies_constituency_council = models.PositiveSmallIntegerField(
        _("copies of constituency minutes, People's Council"), default=4
    )
    copies_summary = models.PositiveSmallIntegerField(_("copies of summary minutes"), default=6)
    seats_resolution = models.CharField(
        _("resolution fixing constituencies and seats"),
        max_length=300,
        blank=True,
        help_text=_("For example: Nghị quyết số 64/NQ-HĐBCQG ngày 03/3/2021 của Hội đồng bầu cử quốc gia"),
    )
    candidates_resolution = models.CharField(
        _("resolution publishing the official candidate list"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("minutes settings")
        verbose_name_plural = _("minutes settings")

    def __str__(self) -> str:
        return f"minutes settings of {self.election_id}"


class BodyMember(models.Model):
    """A member of an election team (Tổ bầu cử, of a polling unit), board (Ban bầu cử, of a constituency)
    or committee (Ủy ban bầu cử, of an area), as printed in the opening line and signature blocks."""

    class Position(models.TextChoices):
        HEAD = "head", _("head")  # Tổ trưởng / Trưởng ban / Chủ tịch
        DEPUTY = "deputy", _("deputy head")  # Tổ phó / Phó Trưởng ban / Phó Chủ tịch
        SECRETARY = "secretary", _("secretary")  # Thư ký
        MEMBER = "member", _("member")  # Ủy viên

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="body_members")
    polling_unit = models.ForeignKey(PollingUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    full_name = models.CharField(_("full name"), max_length=200)
    gender = models.CharField(_("gender"), max_length=10, blank=True)  # "female", "male" or "": Bà / Ông / Ông/Bà
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("member of an election body")
        verbose_name_plural = _("members of election bodies")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="body_member_one_body",
                condition=(
                    Q(polling_unit__isnull=False, constituency__isnull=True, area__isnull=True)
                    | Q(polling_unit__isnull=True, constituency__isnull=False, area__isnull=True)
                    | Q(polling_unit__isnull=True, constituency__isnull=True, area__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.position})"


def _minute_path(instance: "Minute", filename: str) -> str:
    # Content-addressed: a file is never overwritten, and the same content is stored once.
    return f"minutes/{instance.election_id}/{instance.kind}/{instance.pdf_sha256}.pdf"


class Minute(models.Model):
    """One issued version of one official minute; never changed once written."""

    class Kind(models.TextChoices):
        COUNTING = "counting", _("counting minutes (Art. 76)")
        CONSTITUENCY = "constituency", _("constituency result minutes (Art. 77)")
        SUMMARY = "summary", _("summary minutes (Arts. 83, 85)")

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="minutes")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    # The document's identity across versions: "BY-01/QH/r1.1", "QH-PT-2/r1", "XA@PT-TT-BY".
    key = models.CharField(max_length=200)
    version = models.PositiveIntegerField(_("version"))
    tally = models.ForeignKey("results.Tally", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    round = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Everything the document prints: {"source": data from the count, "inputs": entered when issuing, ...}.
    data = models.JSONField()
    data_sha256 = models.CharField(max_length=64)  # of data["source"], canonical JSON: "is this still current?"
    pdf = models.FileField(upload_to=_minute_path, max_length=300)
    pdf_sha256 = models.CharField(max_length=64)
    pdf_size = models.PositiveIntegerField(default=0)
    token = models.CharField(max_length=40, unique=True)  # in the QR code's address; unguessable
    verify_url = models.CharField(max_length=500)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("issued minute")
        verbose_name_plural = _("issued minutes")
        ordering = ["election", "kind", "key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["election", "kind", "key", "version"], name="minute_version_unique")
        ]
        indexes = [models.Index(fields=["election", "kind", "key"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} v{self.version}"


def _job_path(instance: "MinutesJob", filename: str) -> str:
    return f"minutes/{instance.election_id}/zip/{filename}"


class MinutesJob(models.Model):
    """A ZIP of every minute of an area, built in the background; the page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="minutes_jobs")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8, default="vi")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # Minutes of the area that cannot be made yet (not counted): a line in manifest.csv each, no PDF.
    not_counted = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    base_url = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to=_job_path, max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)  # host:pid of the process running it

    class Meta:
        verbose_name = _("minutes ZIP job")
        verbose_name_plural = _("minutes ZIP jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"minutes zip {self.pk} ({self.status} {self.done}/{self.total})"

    @property
    def files(self) -> int:
        """PDF files in the finished ZIP (the minutes not counted yet are manifest lines only)."""
        return max(0, self.total - self.not_counted)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else (100 * self.done // self.total if self.total else 0)


class MinutesJobPart(models.Model):
    """One minute of a ZIP job that workers render apart (with a broker: results/minutes/jobs.py), kept until
    the ZIP is assembled. A worker claims the row with one atomic update, so a repeated message renders nothing
    twice; `rendered_by` names the worker that did."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    job = models.ForeignKey(MinutesJob, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveIntegerField()  # the minute's place in the ZIP (the area's order)
    kind = models.CharField(max_length=20)
    a = models.PositiveBigIntegerField()  # tally id / constituency id / contest id
    b = models.PositiveBigIntegerField(default=0)  # - / round / area id
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    rendered_by = models.CharField(max_length=100, blank=True)  # host:pid
    name = models.CharField(max_length=300, blank=True)  # file name in the ZIP; empty: not counted yet
    manifest = models.TextField(blank=True)  # this minute's line of manifest.csv (without the file name)
    content = models.BinaryField(null=True, blank=True)  # the PDF, dropped once the ZIP is written

    class Meta:
        verbose_name = _("minutes ZIP part")
        verbose_name_plural = _("minutes ZIP parts")
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="minutes_job_part_once")]

    def __str__(self) -> str:
        return f"minutes zip {self.job_id} part {self.position} ({self.status})"
