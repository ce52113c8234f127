"""Official minutes: golden texts, the same data giving the same bytes, versions, currency, QR codes."""

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from elections.models import AuditEntry
from results.decisions import further_rounds
from results.minutes import data as md
from results.minutes import rendering as documents
from results.minutes import services as svc
from results.models import BodyMember, Minute
from results.permissions import tally_scope
from results.tallies.parsing import TallyPayload
from tests.results.decision_helpers import DECISION
from tests.results.minutes_fixtures import INPUTS
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).parent / "golden"
BASE_URL = "http://testserver/"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "m.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def check_golden(text: str, name: str) -> None:
    """The text equals the reviewed copy in golden/; KP_UPDATE_GOLDEN=1 writes it afresh (then review the diff)."""
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("KP_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name}: the document differs from {path}"


def counting(world, unit="U1", contest="QH"):
    return svc.counting_document(tally_scope(world.election.slug, unit, contest))


def issue(document, by, inputs=INPUTS):
    return svc.minutes_issue(document=document, inputs=inputs, by=by, base_url=BASE_URL, source="test")


# --- golden texts ------------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("language", ["vi", "en"])
def test_golden_counting_minutes(counted, tmp_path, language):
    minute = issue(counting(counted), counted.users["board_qh1"])
    text = pdf_text(svc.minute_pdf(minute, language), tmp_path)
    check_golden(text, f"counting_{language}")
    if language == "vi":
        for expected in (
            "Mẫu số 20/HĐBC-QH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "KẾT QUẢ KIỂM PHIẾU BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XV",
            "Hồi 20 giờ 15 phút, ngày 23 tháng 05 năm 2021",
            "Ông Hoàng Văn Lợi, Tổ trưởng",
            "Bằng chữ: Tám trăm.",
            "đạt tỷ lệ 87,50% so với tổng số cử tri",
            "được lập thành 03 bản",
            "HAI CỬ TRI CHỨNG KIẾN VIỆC KIỂM PHIẾU",
            "Nhất thiết không được tẩy xóa trên biên bản",
        ):
            assert expected in text, expected


@needs_poppler
@pytest.mark.parametrize("language", ["vi", "en"])
def test_golden_constituency_minutes(counted, tmp_path, language):
    minute = issue(svc.constituency_document(counted.constituencies["QH1"]), counted.users["board_qh1"])
    text = pdf_text(svc.minute_pdf(minute, language), tmp_path)
    check_golden(text, f"constituency_{language}")
    if language == "vi":
        # the total voters of U2 (1.005) in words, the winners from most votes down, seats, the annex
        assert "Tổng số cử tri của đơn vị bầu cử: 2.620 người" in text
        assert text.index("Nguyễn Thị Hương, số phiếu bầu: 1.800") < text.index("Trần Văn Dũng, số phiếu bầu: 1.650")
        assert "số đại biểu còn thiếu: 0" in text
        assert "PHỤ LỤC" in text and "Tổng cộng" in text


@needs_poppler
@pytest.mark.parametrize("language", ["vi", "en"])
def test_golden_summary_minutes(counted, tmp_path, language):
    document = svc.summary_document(counted.constituencies["XA1"].contest, counted.areas["P"])
    minute = issue(document, counted.users["committee_p"])
    text = pdf_text(svc.minute_pdf(minute, language), tmp_path)
    check_golden(text, f"summary_{language}")
    if language == "vi":
        assert "Mẫu số 27/HĐBC-HĐND" in text and "TỔNG KẾT CUỘC BẦU CỬ" in text
        assert "được lập thành 06 bản" in text


@needs_poppler
def test_golden_re_election_minutes(world, tmp_path):
    """A re-election gets its own minute, and round 1's stays available."""
    from tests.results.minutes_fixtures import fix_names

    fix_names(world)
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))
    cons = world.constituencies["XA1"]
    cons.refresh_from_db()
    first = issue(svc.constituency_document(cons), world.users["committee_c1"])
    text = pdf_text(svc.minute_pdf(first), tmp_path)
    # Art. 78(1): not recognised; Art. 80(1), (3) as in 2021: the Ban reports, the committee sets the day
    assert "kết quả bầu cử chưa được công nhận (khoản 1 Điều 78)" in " ".join(text.split())
    assert "Ban bầu cử báo cáo ngay Ủy ban bầu cử để quyết định ngày bầu cử lại (khoản 1, khoản 3 Điều 80)" in " ".join(
        text.split()
    )
    further_rounds.round_open(
        constituency=cons, kind="re_election", voting_day=dt.date(2021, 5, 30), decision=DECISION, by=None
    )
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 380, 370, 5), voted=400))
    cons.refresh_from_db()
    second = issue(svc.constituency_document(cons), world.users["committee_c1"])
    assert (first.key, second.key, second.version) == ("XA1/r1", "XA1/r2", 1)
    text = pdf_text(svc.minute_pdf(second), tmp_path)
    check_golden(text, "re_election_vi")
    assert "XÁC ĐỊNH KẾT QUẢ BẦU CỬ LẠI" in text
    assert "không tổ chức bầu cử lại lần thứ hai (khoản 4 Điều 80)" in " ".join(text.split())
    assert svc.currency(first).current  # round 1's minute is still the right one for round 1


# --- the same data gives the same bytes ----------------------------------------------------------------------


@needs_poppler
def test_numbers_in_words_on_the_minutes(counted, tmp_path):
    minute = issue(counting(counted, unit="U2"), counted.users["board_qh1"])
    text = pdf_text(svc.minute_pdf(minute), tmp_path)
    assert "Tổng số cử tri của khu vực bỏ phiếu: 1.005 người." in text
    assert "Bằng chữ: Một nghìn không trăm linh năm." in text  # num2words would write "một nghìn lẻ năm"
    assert "Chín trăm hai mươi mốt" in text  # 921 voters


def test_the_same_data_gives_the_same_pdf(counted):
    document = counting(counted)
    data = {"source": document.source, "inputs": INPUTS, "meta": {"key": document.key, "version": 1,
            "issued_at": "2021-05-24T08:00:00+07:00", "verify_url": "http://x/verify/abc/"}}  # fmt: skip
    settings = md.settings_for(counted.election.pk)
    first = documents.render_pdf(data, "vi", settings=settings)
    second = documents.render_pdf(data, "vi", settings=settings)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    # and a different figure gives a different document
    data["source"] = {**document.source, "figures": {**document.source["figures"], "voters_on_list": 801}}
    assert documents.render_pdf(data, "vi", settings=settings) != first


def test_an_issued_version_renders_again_to_its_stored_hash(counted):
    minute = issue(svc.constituency_document(counted.constituencies["QH1"]), counted.users["board_qh1"])
    again = documents.render_pdf(minute.data, "vi", settings=md.settings_for(counted.election.pk))
    assert hashlib.sha256(again).hexdigest() == minute.pdf_sha256
    assert minute.pdf_sha256 == hashlib.sha256(svc.minute_pdf(minute)).hexdigest()


def test_a_lost_file_is_served_from_a_byte_identical_rendering(counted):
    minute = issue(counting(counted), counted.users["board_qh1"])
    minute.pdf.storage.delete(minute.pdf.name)
    assert hashlib.sha256(svc.minute_pdf(minute)).hexdigest() == minute.pdf_sha256


# --- versions, currency, audit -------------------------------------------------------------------------------


def test_issuing_keeps_data_hashes_and_logs(counted):
    by = counted.users["board_qh1"]
    minute = issue(counting(counted), by)
    assert (minute.kind, minute.key, minute.version, minute.issued_by) == ("counting", "U1/QH/r1.1", 1, by)
    assert minute.data_sha256 == md.sha256_of(minute.data["source"])
    assert minute.pdf_size > 1000 and len(minute.pdf_sha256) == 64
    assert minute.verify_url == f"http://testserver/verify/{minute.token}/"
    entry = AuditEntry.objects.get(action="results.minutes.issued")
    assert entry.object_key == "counting:U1/QH/r1.1" and entry.after["pdf_sha256"] == minute.pdf_sha256
    assert "Hoàng Văn Lợi" not in str(entry.data)  # names stay in the minute, not in the log
    # the members are kept for the next minute of the same team
    assert list(BodyMember.objects.filter(polling_unit=counted.units["U1"]).values_list("full_name", flat=True))[0] == (
        "Hoàng Văn Lợi"
    )
    assert svc.default_inputs(counting(counted))["members"][0]["name"] == "Hoàng Văn Lợi"


def test_a_correction_makes_the_minute_outdated_and_a_new_version_is_kept_beside_it(counted):
    board, committee, other = counted.users["board_qh1"], counted.users["committee_p"], counted.users["committee_d1"]
    first = issue(counting(counted), board)
    assert svc.currency(first).current
    scope = tally_scope(counted.election.slug, "U1", "QH")
    body = minutes("U1", "QH", qh_votes(601, 550, 500, 300, 99))
    figures = {k: body[k] for k in ("voters_on_list", "voters_voted", "ballots_issued", "ballots_received",
                                    "valid_ballots", "invalid_ballots")}  # fmt: skip
    from results.tallies import corrections

    correction = corrections.correction_propose(
        scope=scope, payload=TallyPayload(figures, body["votes"], ""), reason="typo", by=committee
    )
    corrections.correction_decide(scope=scope, correction_id=correction.pk, approve=True, by=other)
    state = svc.currency(first)
    assert not state.current and state.newest and not state.data_matches
    second = issue(counting(counted), board)
    assert second.version == 2 and second.data_sha256 != first.data_sha256
    assert svc.currency(second).current
    state = svc.currency(first)
    assert not state.current and state.newer == second
    assert Minute.objects.filter(key="U1/QH/r1.1").count() == 2  # the old version is kept
    assert first.pdf.storage.exists(first.pdf.name)


def test_an_annulled_tally_leaves_its_minute_outdated(counted):
    minute = issue(counting(counted), counted.users["board_qh1"])
    from results.tallies import services

    services.tally_annul(
        scope=tally_scope(counted.election.slug, "U1", "QH"), reason="x", by=counted.users["committee_p"]
    )
    state = svc.currency(minute)
    assert not state.current and "bị hủy bỏ" in state.reason  # "annulled", in the default language


@translation.override("en")  # the reasons are read in English here
def test_minutes_are_made_only_from_approved_and_complete_data(world):
    load(world.election, minutes("U1", "QH", qh_votes(600, 550, 500, 300, 100)), approve=False)
    with pytest.raises(md.MinutesUnavailable, match="approved"):
        counting(world)
    with pytest.raises(md.MinutesUnavailable, match="not counted"):
        svc.constituency_document(world.constituencies["QH1"])
    with pytest.raises(md.MinutesUnavailable, match="is counted yet: QH1"):
        svc.summary_document(world.constituencies["QH1"].contest, world.areas["P"])


def test_the_summary_waits_for_second_rounds(world):
    load(world.election, *(minutes(u, "XA", xa_votes(f"XA{i}", 600, 550, 200)) for i, u in ((1, "U1"), (2, "U2"))))
    load(world.election, minutes("U3", "XA", xa_votes("XA3", 390, 380, 5), voted=400))
    document = svc.summary_document(world.constituencies["XA1"].contest, world.areas["P"])  # a draft is possible
    assert not document.final and document.waiting == ["XA3"]
    with pytest.raises(svc.MinutesConflict, match="XA3"):
        issue(document, world.users["committee_p"])


def test_form_numbers_and_copies_are_election_settings(counted, tmp_path):
    from results.models import MinutesSettings

    MinutesSettings.objects.create(election=counted.election, form_counting_na="18/HĐBC-QH", copies_counting=4)
    minute = issue(counting(counted), counted.users["board_qh1"])
    text = pdf_text(svc.minute_pdf(minute), tmp_path)
    assert "Mẫu số 18/HĐBC-QH" in text and "được lập thành 04 bản" in text


def test_a_minute_without_members_prints_lines_to_fill_in(counted, tmp_path):
    minute = issue(counting(counted), counted.users["board_qh1"], inputs={})
    text = pdf_text(svc.minute_pdf(minute), tmp_path)
    assert "Hồi …… giờ …… phút" in text and "1. ……" in text
    assert "Hoàng Văn Lợi" not in text  # nobody is invented


# --- the QR code -----------------------------------------------------------------------------------------------


@needs_poppler
def test_the_qr_code_on_every_page_opens_the_verification_page(counted, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    minute = issue(svc.constituency_document(counted.constituencies["QH1"]), counted.users["board_qh1"])
    (tmp_path / "m.pdf").write_bytes(svc.minute_pdf(minute))
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(tmp_path / "m.pdf"), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 2
    for page in pages:
        found = [r.text for r in zxingcpp.read_barcodes(Image.open(page))]
        assert found == [minute.verify_url], page.name


@needs_poppler
def test_the_data_of_a_minute_names_candidates_by_code_not_by_row_id(world, tmp_path):
    """Regression: reasons carried candidate row ids, so the same data hashed differently on PostgreSQL
    (whose sequences do not roll back) and SQLite. Here a tie the rules cannot settle (same birth date)."""
    from tests.results.minutes_fixtures import fix_names

    fix_names(world)
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 420, 420)))
    document = svc.constituency_document(world.constituencies["XA1"])
    tie = next(r for r in document.source["reasons"] if r["code"] == "tie_unresolved")
    assert tie["params"]["candidates"] == ["XA1-02", "XA1-03"]
    minute = issue(document, world.users["committee_c1"])
    text = " ".join(pdf_text(svc.minute_pdf(minute), tmp_path).split())
    said = "Ông/Bà Nguyễn Thị Thu Hà và ông/bà Phan Văn Khải có số phiếu bầu ngang nhau cho 1 ghế cuối cùng"
    assert said + " và không xác định được người nhiều tuổi hơn" in text
    assert "đề nghị Ủy ban bầu cử xem xét, quyết định" in text
