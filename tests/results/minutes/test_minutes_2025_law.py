"""The minutes of an election held under Law 85/2015 as amended by Law 83/2025/QH15 (election day from 1 July 2025):
Art. 83 (the province's National Assembly minute) and Art. 85 (a council's summary) with their copies, recipients and
items; the 2026 form numbers; a commune Ban's masthead; a re-vote's counting minute. A 2021 election keeps the 2015
text and the 2021 forms."""

import datetime as dt

import pytest

from elections.models import Election
from results.minutes import data as md
from results.minutes import rendering as documents
from results.minutes import services as svc
from results.permissions import tally_scope
from tests.results.minutes.test_services import BASE_URL, check_golden, needs_poppler, pdf_text
from tests.results.minutes_fixtures import INPUTS

pytestmark = pytest.mark.django_db

ELECTION_DAY_2026 = dt.date(2026, 3, 15)
INPUTS_2026 = {
    **INPUTS,
    "meeting_at": "2026-03-21T09:00:00+07:00",
    "complaints_lower": "Tổ bầu cử số 2 giải quyết 1 khiếu nại về danh sách cử tri.",
    "complaints_forwarded": "Kiến nghị về địa điểm bỏ phiếu.",
}


@pytest.fixture
def counted_2026(counted):
    Election.objects.filter(pk=counted.election.pk).update(election_day=ELECTION_DAY_2026)
    counted.election.refresh_from_db()
    for cons in counted.constituencies.values():
        cons.election.refresh_from_db()
    return counted


def issue(document, by, inputs):
    return svc.minutes_issue(document=document, inputs=inputs, by=by, base_url=BASE_URL, source="test")


@needs_poppler
def test_the_provinces_na_minute_of_2026_has_art_83s_four_copies_recipients_and_items(counted_2026, tmp_path):
    document = svc.summary_document(counted_2026.constituencies["QH1"].contest, counted_2026.areas["P"])
    assert document.source["article"] == "83"
    minute = issue(document, counted_2026.users["committee_p"], INPUTS_2026)
    text = pdf_text(svc.minute_pdf(minute, "vi"), tmp_path)
    check_golden(text, "summary_na_2026_vi")
    flat = " ".join(text.split())
    assert "Mẫu số 20/HĐBC-QH" in flat  # the NEC's 2026 form
    assert "XÁC ĐỊNH KẾT QUẢ BẦU CỬ" in flat
    assert "được lập thành 04 bản" in flat  # Art. 83(3): four copies
    # Art. 83(3): the NEC, the NA Standing Committee, the central and provincial Fatherland Front; not the Government
    assert (
        "Hội đồng Bầu cử quốc gia, Ủy ban Thường vụ Quốc hội, Ủy ban trung ương Mặt trận Tổ quốc Việt Nam và "
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Thọ" in flat
    )
    assert "Chính phủ" not in flat
    # Art. 83(2)(i) and (m)
    assert "Những khiếu nại, tố cáo do Tổ bầu cử, Ban bầu cử đã giải quyết: Tổ bầu cử số 2 giải quyết" in flat
    assert "Những khiếu nại, tố cáo và kiến nghị chuyển đến Hội đồng Bầu cử quốc gia: Kiến nghị" in flat


@needs_poppler
def test_the_provinces_na_minute_of_2021_keeps_the_2015_text(counted, tmp_path):
    document = svc.summary_document(counted.constituencies["QH1"].contest, counted.areas["P"])
    minute = issue(document, counted.users["committee_p"], INPUTS)
    flat = " ".join(pdf_text(svc.minute_pdf(minute, "vi"), tmp_path).split())
    assert "Mẫu số 22/HĐBC-QH" in flat and "được lập thành 06 bản" in flat and "Chính phủ" in flat
    assert "chuyển đến Hội đồng Bầu cử quốc gia" not in flat


@needs_poppler
def test_a_commune_councils_summary_of_2026_goes_to_the_commune_and_the_province_art_85(counted_2026, tmp_path):
    document = svc.summary_document(counted_2026.constituencies["XA1"].contest, counted_2026.areas["C1"])
    assert document.source["article"] == "85"
    minute = issue(document, counted_2026.users["committee_c1"], INPUTS_2026)
    text = pdf_text(svc.minute_pdf(minute, "vi"), tmp_path)
    check_golden(text, "summary_commune_2026_vi")
    flat = " ".join(text.split())
    assert "TỔNG KẾT CUỘC BẦU CỬ" in flat and "được lập thành 06 bản" in flat  # Art. 85(3): six copies
    assert (
        "Hội đồng nhân dân, Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc Việt Nam xã Bảo Yên và Hội đồng nhân dân, "
        "Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Thọ" in flat
    )
    # the council summary has no item (i)/(m) of Art. 83
    assert "chuyển đến Hội đồng Bầu cử quốc gia" not in flat


def _summary(level, day, area="Tỉnh P"):
    return {
        "kind": "summary",
        "contest": {"level": level},
        "election": {"election_day": day},
        "area": {"name": area},
        "areas": [{"name": "Tỉnh P"}, {"name": area}] if area != "Tỉnh P" else [{"name": "Tỉnh P"}],
    }


@pytest.mark.parametrize(
    ("level", "day", "area", "has", "lacks"),
    [
        # Art. 85(3) as amended: a provincial council's summary also goes to the NA Standing Committee, the
        # Government and the central Fatherland Front
        (
            "provincial_council",
            "2026-03-15",
            "Tỉnh P",
            "Ủy ban Thường vụ Quốc hội, Chính phủ và Ủy ban trung ương Mặt trận Tổ quốc Việt Nam",
            "cấp trên trực tiếp",
        ),
        # in running text "xã C", "tỉnh P" (Decree 30/2020/NĐ-CP, Appendix II)
        ("commune_council", "2026-03-15", "Xã C", "Mặt trận Tổ quốc Việt Nam xã C và", "Chính phủ"),
        ("national_assembly", "2026-03-15", "Tỉnh P", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh P", "Chính phủ"),
        # the day before Law 83/2025 came into force: the 2015 text
        ("national_assembly", "2025-06-30", "Tỉnh P", "Chính phủ", "tỉnh P"),
        ("commune_council", "2021-05-23", "Xã C", "cấp trên trực tiếp", "xã C"),
    ],
)
def test_the_recipients_of_a_summary_follow_the_law_on_election_day(level, day, area, has, lacks):
    source = _summary(level, day, area)
    to = documents._summary_to(documents.TEXTS["vi"], source, documents.summary_article(source), "vi")
    assert has in to
    assert lacks not in to


@pytest.mark.parametrize(("day", "copies"), [("2025-06-30", 6), ("2025-07-01", 4)])
def test_the_na_minutes_copies_art_83_3_from_1_july_2025(counted, day, copies):
    source = {**_summary("national_assembly", day), "kind": "summary"}
    assert documents.copies_of(source, md.settings_for(counted.election.pk)) == copies


def test_the_forms_of_an_election_under_the_2025_text_are_the_2026_set(counted_2026, counted):
    s = md.settings_for(counted_2026.election.pk)
    assert s.form_summary_na == "20/HĐBC-QH"  # NEC 2026 Q&A: the province's NA minute
    assert s.form_counting_na != "20/HĐBC-QH"  # no longer the counting minute's number


def test_a_2021_election_keeps_the_2021_forms(counted):
    s = md.settings_for(counted.election.pk)
    assert (s.form_counting_na, s.form_summary_council) == ("20/HĐBC-QH", "27/HĐBC-HĐND")


def test_a_commune_bans_masthead_names_the_commune(counted):
    document = svc.constituency_document(counted.constituencies["XA1"])
    html = documents.render_html({"source": document.source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    issuer = html.split('class="issuer">')[1].split("<div")[0]
    assert "Xã Bảo Yên" in issuer and "Tỉnh Phú Thọ" not in issuer


def test_a_revotes_counting_minute_says_it_is_a_revote_art_81(counted):
    document = svc.counting_document(tally_scope(counted.election.slug, "U1", "QH"))
    settings = md.settings_for(counted.election.pk)
    first = documents.render_html({"source": document.source, "inputs": INPUTS}, "vi", settings=settings)
    again = {**document.source, "attempt": 2}
    revote = documents.render_html({"source": again, "inputs": INPUTS}, "vi", settings=settings)
    assert "Bỏ phiếu lại" not in first
    assert "Bỏ phiếu lại tại khu vực bỏ phiếu (lần 2)" in revote and "Điều 81" in revote
    # titled as the law calls it: "bầu cử lại ở khu vực bỏ phiếu" (Art. 81(1))
    assert "bầu cử lại" not in first.lower() and "bầu cử lại" in revote.split("Bỏ phiếu lại")[0].lower()


def test_the_na_minute_names_the_necs_decision_to_hold_no_additional_election(world):
    from results.decisions import closing
    from tests.results.decision_helpers import decision
    from tests.results.minutes_fixtures import fix_names
    from tests.results.result_helpers import load, minutes, qh_votes

    fix_names(world)
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    nec = decision(body="Hội đồng Bầu cử quốc gia", reference="Nghị quyết số 40/NQ-HĐBCQG", date=dt.date(2021, 5, 28))
    closing.decision_record(constituency=world.constituencies["QH1"], kind="seats_left_vacant", decision=nec, by=None)
    document = svc.summary_document(world.constituencies["QH1"].contest, world.areas["P"])
    html = documents.render_html({"source": document.source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    assert (
        "1/3 đại biểu trúng cử; Hội đồng Bầu cử quốc gia đã quyết định (Nghị quyết số 40/NQ-HĐBCQG ngày "
        "28/05/2021) không tổ chức bầu cử thêm; số ghế còn trống: 2." in html
    )
    cons = svc.constituency_document(world.constituencies["QH1"])
    html = documents.render_html({"source": cons.source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    assert "không tổ chức bầu cử thêm; số ghế còn trống: 2." in html


def test_a_settled_tie_is_told_on_the_constituency_minute(world):
    from results.decisions import closing
    from tests.results.decision_helpers import decision
    from tests.results.minutes_fixtures import fix_names
    from tests.results.result_helpers import load, minutes, xa_votes

    fix_names(world)
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 500)))
    committee = decision(
        body="Ủy ban bầu cử xã Bảo Yên", reference="Nghị quyết số 3/NQ-UBBC", date=dt.date(2021, 5, 27)
    )
    closing.decision_record(
        constituency=world.constituencies["XA1"], kind="tie_settled", decision=committee, elected=["XA1-03"], by=None
    )
    cons = svc.constituency_document(world.constituencies["XA1"])
    html = documents.render_html({"source": cons.source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    assert "không xác định được người nhiều tuổi hơn (khoản 4 Điều 78)" in html
    assert "Ủy ban bầu cử xã Bảo Yên đã quyết định (Nghị quyết số 3/NQ-UBBC ngày 27/05/2021):" in html
    # and on the committee's summary, among the important events (Art. 85(2)(i)), beside what the committee typed
    summary = svc.summary_document(world.constituencies["XA1"].contest, world.constituencies["XA1"].area)
    typed = {**INPUTS, "events": "Mưa lớn tại khu vực bỏ phiếu số 1."}
    html = documents.render_html({"source": summary.source, "inputs": typed}, "vi", settings=md.settings_for(0))
    events = html.split("Những việc quan trọng đã xảy ra và kết quả giải quyết")[1].split('class="section"')[0]
    assert (
        "những người ứng cử có số phiếu bầu bằng nhau; Ủy ban bầu cử xã Bảo Yên đã quyết định người trúng cử "
        "(Nghị quyết số 3/NQ-UBBC ngày 27/05/2021; khoản 4 Điều 78)." in events
    )
    assert "Mưa lớn tại khu vực bỏ phiếu số 1." in events and "Không có." not in events


@needs_poppler
def test_golden_counting_and_constituency_minutes_of_2026(counted_2026, tmp_path):
    """Art. 76 and Art. 77 documents of an election under the 2025 text: the 2026 form numbers, the commune Ban's
    masthead naming the commune."""
    counting = svc.counting_document(tally_scope(counted_2026.election.slug, "U1", "XA"))
    text = pdf_text(svc.minute_pdf(issue(counting, counted_2026.users["board_xa1"], INPUTS_2026), "vi"), tmp_path)
    check_golden(text, "counting_commune_2026_vi")
    assert "Mẫu số 23/HĐBC-HĐND" in text and "được lập thành 03 bản" in " ".join(text.split())
    board = svc.constituency_document(counted_2026.constituencies["XA1"])
    text = pdf_text(svc.minute_pdf(issue(board, counted_2026.users["board_xa1"], INPUTS_2026), "vi"), tmp_path)
    check_golden(text, "constituency_commune_2026_vi")
    assert "Mẫu số 24/HĐBC-HĐND" in text and "XÃ BẢO YÊN" in text


def test_a_units_re_vote_after_the_necs_annulment_is_on_the_ban_minute_and_the_summary_art_81(world):
    from results.tallies import services
    from tests.results.minutes_fixtures import fix_names
    from tests.results.result_helpers import load, minutes, qh_votes

    # given: QH counted; the NEC annuls U2's result; U2 votes again and its re-vote is approved
    fix_names(world)
    load(world.election, *(minutes(u, "QH", qh_votes(600, 550, 500, 300, 100)) for u in ("U1", "U2", "U3")))
    services.tally_annul(scope=tally_scope(world.election.slug, "U2", "QH"), reason="Gạch xóa phiếu bầu.", by=None)
    load(world.election, minutes("U2", "QH", qh_votes(620, 560, 480, 300, 100), voted=720))
    # when: the Ban's minute and the committee's summary are drafted
    cons = svc.constituency_document(world.constituencies["QH1"])
    html = documents.render_html({"source": cons.source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    # then: item d) of the Ban's minute (Art. 77) tells the re-vote, its turnout and why the result was annulled
    item_d = html.split("d) Tóm tắt những việc xảy ra và kết quả giải quyết")[1].split("đ)")[0]
    assert "(U2) đã bầu cử lại sau khi Hội đồng bầu cử quốc gia hủy bỏ kết quả bầu cử (Điều 81): 720/800 cử tri" in (
        item_d
    )
    assert "Lý do hủy bỏ: Gạch xóa phiếu bầu." in item_d and "Không có" not in item_d
    # and item 2 of the summary (Art. 83), the re-elections, names the unit under its constituency
    summary = svc.summary_document(world.constituencies["QH1"].contest, world.areas["P"])
    html = documents.render_html({"source": summary.source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    item_2 = html.split("Những đơn vị bầu cử phải tổ chức bầu cử lại và kết quả bầu cử lại")[1].split(
        'class="section"'
    )[0]
    assert "(U2) đã bầu cử lại" in item_2 and "720/800" in item_2


def test_an_additional_elections_turnout_and_its_closing_are_on_the_summary_art_79_3(world):
    from results.decisions import closing, further_rounds
    from tests.results.decision_helpers import decision
    from tests.results.minutes_fixtures import fix_names
    from tests.results.result_helpers import load, minutes, qh_votes

    # given: QH1 fills 1 of 3 seats; its additional election's turnout is not over half; the NEC leaves the seats
    fix_names(world)
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    nec = decision(body="Hội đồng Bầu cử quốc gia", reference="Nghị quyết số 40/NQ-HĐBCQG", date=dt.date(2021, 5, 28))
    cons = world.constituencies["QH1"]
    further_rounds.round_open(
        constituency=cons, kind="additional", voting_day=dt.date(2021, 5, 30), decision=nec, by=None
    )
    load(world.election, *(minutes(u, "QH", qh_votes(None, 150, 140, 10, 5), voted=350) for u in ("U1", "U2", "U3")))
    closing.decision_record(constituency=cons, kind="seats_left_vacant", decision=nec, by=None)
    # when
    summary = svc.summary_document(cons.contest, world.areas["P"])
    assert summary.final  # the dead end is closed: the summary can be issued
    html = documents.render_html({"source": summary.source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    # then: item 5 gives the additional election's turnout, and that the seats stay vacant by the NEC's decision
    item_5 = html.split("Những đơn vị bầu cử phải tổ chức bầu cử thêm và kết quả bầu cử thêm")[1].split(
        'class="section"'
    )[0]
    assert "bầu cử thêm 2 đại biểu, số cử tri đã tham gia bỏ phiếu 1.050/2.400 (43,75%)" in item_5
    assert "Kết quả bầu cử thêm không được công nhận vì số cử tri đi bỏ phiếu chưa quá một nửa (khoản 1 Điều 78)" in (
        item_5
    )
    assert "theo khoản 3 Điều 79, không tổ chức bầu cử thêm lần thứ hai: Hội đồng Bầu cử quốc gia đã quyết định" in (
        item_5
    )
    # the Ban's minute of that round (Art. 77) says the same, and keeps round 1's winner
    cons.refresh_from_db()
    cons_doc = svc.constituency_document(cons)
    assert cons_doc.source["round"] == 2
    html = documents.render_html({"source": cons_doc.source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    assert "kết quả bầu cử thêm không được công nhận (khoản 1 Điều 78) và không tổ chức bầu cử thêm lần thứ hai" in html
    assert "đề nghị tổ chức bầu cử lại" not in html
    # and cites the decision that set the additional election
    assert "Căn cứ Nghị quyết số 40/NQ-HĐBCQG ngày 28/05/2021 của Hội đồng Bầu cử quốc gia về việc bầu cử thêm;" in html


def test_a_whole_constituencys_annulment_is_told_as_such_on_the_summary_not_as_low_turnout_art_81(world):
    from results.decisions import further_rounds
    from tests.results.decision_helpers import decision
    from tests.results.minutes_fixtures import fix_names
    from tests.results.result_helpers import load, minutes, xa_votes

    fix_names(world)
    load(world.election, minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)))
    cons = world.constituencies["XA2"]
    nec = decision(body="Hội đồng Bầu cử quốc gia", reference="Nghị quyết số 41/NQ-HĐBCQG", date=dt.date(2021, 5, 28))
    further_rounds.round_open(
        constituency=cons, kind="re_election", annulment=True, voting_day=dt.date(2021, 5, 30), decision=nec, by=None
    )
    load(world.election, minutes("U2", "XA", xa_votes("XA2", 610, 540, 190), voted=650))
    summary = svc.summary_document(cons.contest, cons.area)
    html = documents.render_html({"source": summary.source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    item_2 = html.split("Những đơn vị bầu cử phải tổ chức bầu cử lại và kết quả bầu cử lại")[1].split(
        'class="section"'
    )[0]
    assert (
        "Hội đồng Bầu cử quốc gia đã hủy bỏ kết quả bầu cử (Nghị quyết số 41/NQ-HĐBCQG ngày 28/05/2021; Điều 81)"
        in (item_2)
    )
    assert "650/800" in item_2 and "chưa quá một nửa" not in item_2


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Xã Tân An", "xã Tân An"),
        ("Tỉnh Phú Thọ", "tỉnh Phú Thọ"),
        ("Thành phố Cần Thơ", "thành phố Cần Thơ"),
        ("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),  # written with capitals as a special case
        ("Đặc khu Phú Quốc", "đặc khu Phú Quốc"),
        ("Xãi Lẻ", "Xãi Lẻ"),  # not the word "Xã"
    ],
)
def test_an_areas_name_in_running_text_lower_cases_its_common_noun_decree_30_2020(name, written):
    assert documents.in_sentence(name, "vi") == written
    assert documents.in_sentence(name, "en") == name
