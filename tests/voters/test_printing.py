"""The posted list (Mẫu số 31/HĐBC) as PDF: Vietnamese text, the law's order, no national IDs."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.voters.conftest import WORLD_ROWS, load
from voters import services
from voters.models import Voter, VoterListRendering, voter_pk
from voters.printing import (
    _ProgressWriter,
    voter_list_file,
    voter_list_fingerprint,
    voter_list_pdf,
    voter_list_render,
    voter_list_rendering,
)

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@needs_pdftotext
def test_posted_list_pdf(listed, tmp_path):
    pdf = voter_list_pdf(listed.units["U1"])
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Mẫu số 31/HĐBC" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "DANH SÁCH CỬ TRI" in text
    assert text.index("Nguyễn Văn An") < text.index("Trần Thị Bình") < text.index("Lê Văn Cường")
    assert "Không bầu" in text  # the temporary resident of under 12 months
    assert "Trang 1/1" in text
    for row in WORLD_ROWS:
        assert row.split(",")[0] not in text  # no national ID is printed


def test_empty_list_still_renders(world):
    assert voter_list_pdf(world.units["U9"]).startswith(b"%PDF")


# --- the kept rendering (issue 17, point 5) -----------------------------------------------------------------


class Boom:
    """WeasyPrint's HTML that fails, or counts: a task that renders when it should not is caught by its count."""

    made = 0

    def __init__(self, string: str = "", **kwargs: object) -> None:
        Boom.made += 1

    def write_pdf(self, *args: object, **kwargs: object) -> bytes:
        raise RuntimeError("layout failed")


@pytest.fixture
def boom(monkeypatch):
    Boom.made = 0
    monkeypatch.setattr("voters.printing.HTML", Boom)
    return Boom


def test_fingerprint_follows_what_the_form_prints_and_not_check_ins(open_world):
    unit = open_world.units["U1"]
    by = open_world.users["committee_c1"]
    seen = {voter_list_fingerprint(unit)}
    # a check-in is not printed: same list
    services.voter_check_in(unit=unit, voter_id=voter_pk(unit.pk, 1), by=open_world.users["clerk_u1"])
    assert voter_list_fingerprint(unit) in seen
    # posting dates the form; a removal strikes a row; an addition adds one: each is another list
    services.voter_list_post(unit=unit, posted_on=timezone.localdate(), by=by)
    assert voter_list_fingerprint(unit) not in seen
    seen.add(voter_list_fingerprint(unit))
    services.voter_remove(voter=Voter.objects.get(pk=voter_pk(unit.pk, 2)), reason="moved", note="", by=by)
    assert voter_list_fingerprint(unit) not in seen
    seen.add(voter_list_fingerprint(unit))
    person = services.NewVoter(
        national_id="079090000099", full_name="Người Mới", date_of_birth=dt.date(1980, 1, 1), gender="female"
    )
    services.voter_add(unit=unit, person=person, note="", by=by)
    assert voter_list_fingerprint(unit) not in seen
    # another unit's list is another fingerprint
    assert voter_list_fingerprint(open_world.units["U2"]) != voter_list_fingerprint(unit)


def test_asking_for_the_rendering_writes_nothing_and_sends_the_task(listed, django_capture_on_commit_callbacks):
    unit = listed.units["U1"]
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as sent:
        rendering = voter_list_rendering(unit)
    assert rendering.pk is None and rendering.status == VoterListRendering.Status.QUEUED
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(sent) == 1 and not VoterListRendering.objects.exists()


def test_the_task_renders_the_list_once_and_keeps_the_pdf(listed, boom, monkeypatch):
    unit = listed.units["U1"]
    monkeypatch.undo()  # the real WeasyPrint for the first run
    voter_list_render(unit.pk)
    rendering = VoterListRendering.objects.get()
    assert rendering.status == VoterListRendering.Status.DONE and rendering.rows == 3
    assert (rendering.pages_done, rendering.pages_total) == (1, 1)
    assert rendering.file.name == f"voter-lists/{unit.pk}/{rendering.fingerprint[:24]}.pdf"
    assert rendering.file.storage.open(rendering.file.name).read().startswith(b"%PDF")
    # sent again (twice, as a page and its poll may): nothing is rendered, the kept one is the answer
    monkeypatch.setattr("voters.printing.HTML", Boom)
    voter_list_render(unit.pk)
    voter_list_render(unit.pk, retry=True)
    assert Boom.made == 0
    assert voter_list_rendering(unit) == rendering
    assert voter_list_file(rendering).read().startswith(b"%PDF")


def test_a_changed_list_is_rendered_again_and_the_old_rendering_deleted(open_world):
    unit = open_world.units["U1"]
    voter_list_render(unit.pk)
    old = VoterListRendering.objects.get()
    services.voter_remove(
        voter=Voter.objects.get(pk=voter_pk(unit.pk, 1)), reason="moved", note="", by=open_world.users["committee_c1"]
    )
    assert voter_list_rendering(unit).pk is None  # the kept PDF is of the list before
    voter_list_render(unit.pk)
    new = VoterListRendering.objects.get()
    assert new.pk != old.pk and new.status == VoterListRendering.Status.DONE
    assert not old.file.storage.exists(old.file.name) and new.file.storage.exists(new.file.name)


def test_a_failed_rendering_stays_failed_until_asked_again(listed, boom, monkeypatch, caplog):
    unit = listed.units["U1"]
    voter_list_render(unit.pk)
    failed = VoterListRendering.objects.get()
    assert failed.status == VoterListRendering.Status.FAILED and failed.error == "RuntimeError"
    assert not failed.file and "polling unit" in caplog.text
    voter_list_render(unit.pk)  # a poll does not retry it
    assert Boom.made == 1
    monkeypatch.undo()
    voter_list_render(unit.pk, retry=True)
    assert VoterListRendering.objects.get().status == VoterListRendering.Status.DONE


def test_a_running_rendering_is_left_alone_unless_its_heartbeat_stopped(listed, boom, monkeypatch):
    unit = listed.units["U1"]
    running = VoterListRendering.objects.create(
        polling_unit=unit, fingerprint=voter_list_fingerprint(unit), status=VoterListRendering.Status.RUNNING
    )
    voter_list_render(unit.pk)
    assert Boom.made == 0  # another run has it
    monkeypatch.undo()
    VoterListRendering.objects.filter(pk=running.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=3))
    voter_list_render(unit.pk)  # its runner died: taken over
    assert VoterListRendering.objects.get().status == VoterListRendering.Status.DONE


def test_progress_follows_the_steps_and_the_pages_laid_out(listed, monkeypatch):
    unit = listed.units["U1"]
    load(listed.election, *(f"0790910{n:05d},Nguyễn Văn Số {n},1970-01-01,male,U1," for n in range(90)))
    monkeypatch.setattr("voters.printing.PROGRESS_EVERY", 0)
    written = []
    write = _ProgressWriter._write

    def write_and_note(self):
        written.append((self.step, self.done, self.total))
        write(self)

    monkeypatch.setattr(_ProgressWriter, "_write", write_and_note)
    voter_list_render(unit.pk)
    rendering = VoterListRendering.objects.get()
    assert rendering.status == VoterListRendering.Status.DONE and rendering.rows == 93
    assert rendering.pages_done == rendering.pages_total == 3, written
    assert written == sorted(written)  # never backwards
    assert {step for step, _done, _total in written} == {1, 2, 3, 4, 5, 6, 7}
    assert {(5, 1, 3), (5, 2, 3), (6, 3, 3)} <= set(written)  # page by page, of the estimate; then the file
