"""The fixed wording of the official minutes, in Vietnamese (the official text) and English (for observers).

The Vietnamese follows the 2021 forms of the National Election Council (Resolution 41/NQ-HĐBCQG; forms 20, 21, 25,
26 and 27); the English is a translation of the same labels, so both documents print the same data.
The wording is kept here rather than in the .po catalogue: the official text must not change with a
translator's edit, and the golden tests read it back from the PDFs.
"""

from typing import Any

LEVEL_BODY = {
    "vi": {
        "national_assembly": "đại biểu Quốc hội",
        "provincial_council": "đại biểu Hội đồng nhân dân",
        "district_council": "đại biểu Hội đồng nhân dân",
        "commune_council": "đại biểu Hội đồng nhân dân",
    },
    "en": {
        "national_assembly": "National Assembly deputies",
        "provincial_council": "People's Council deputies",
        "district_council": "People's Council deputies",
        "commune_council": "People's Council deputies",
    },
}

POSITIONS = {
    "vi": {
        "team": {"head": "Tổ trưởng", "deputy": "Tổ phó", "secretary": "Thư ký", "member": "Ủy viên"},
        "board": {"head": "Trưởng ban", "deputy": "Phó Trưởng ban", "secretary": "Thư ký", "member": "Ủy viên"},
        "committee": {"head": "Chủ tịch", "deputy": "Phó Chủ tịch", "secretary": "Thư ký", "member": "Ủy viên"},
    },
    "en": {
        "team": {"head": "Head of the team", "deputy": "Deputy head", "secretary": "Secretary", "member": "Member"},
        "board": {"head": "Chair", "deputy": "Vice-Chair", "secretary": "Secretary", "member": "Member"},
        "committee": {"head": "Chair", "deputy": "Vice-Chair", "secretary": "Secretary", "member": "Member"},
    },
}

VI: dict[str, Any] = {
    "form": "Mẫu số",
    "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "maxim": "Độc lập - Tự do - Hạnh phúc",
    "page": "Trang",
    "minutes": "Biên bản",
    "draft": "DỰ THẢO – CHƯA BAN HÀNH",
    "draft_note": "Bản dự thảo để kiểm tra trước khi ban hành; không có giá trị pháp lý, không dùng để ký.",
    "version": "Phiên bản",
    "verify": "Kiểm tra tính xác thực tại",
    "in_words": "Bằng chữ",
    "persons": "người",
    "ballots": "phiếu",
    "none": "Không có.",
    "blank": "……………………………………",
    "ong_ba": {"female": "Bà", "male": "Ông", "": "Ông/Bà"},
    "opening_at": "Hồi {h} giờ {m} phút, ngày {d} tháng {mo} năm {y}, {body} gồm có:",
    "opening_blank": "Hồi …… giờ …… phút, ngày …… tháng …… năm ……, {body} gồm có:",
    "met_at": "Đã họp tại {place} để {purpose}.",
    "place_blank": "……………………………………………",
    "team": "Tổ bầu cử",
    "board": "Ban bầu cử",
    "committee": "Ủy ban bầu cử",
    "team_of": "Tổ bầu cử {unit}",
    "footnote": "Ghi chú: Nhất thiết không được tẩy xóa trên biên bản.",
    "copies": "Biên bản này được lập thành {n} bản và được gửi đến {to}.",
    "sign_note": "(Ký, ghi rõ họ và tên)",
    "sign_seal_note": "(Ký, ghi rõ họ và tên, đóng dấu)",
    "based_on": "Căn cứ {what};",
    "based_on_round": "Căn cứ {reference} ngày {date} của {body} về việc {kind}",
    "with_consent": ", sau khi được sự đồng ý của {body} ({reference} ngày {date})",
    "round_kinds": {
        "additional": "bầu cử thêm",
        "re_election": "bầu cử lại",
        "annulment": "hủy bỏ kết quả bầu cử và bầu cử lại",
        "regular": "bầu cử",
    },
    "seats_resolution_blank": "Nghị quyết số …… ngày …… về việc ấn định số đơn vị bầu cử, danh sách các đơn vị bầu cử "
    "và số lượng đại biểu được bầu ở mỗi đơn vị bầu cử",
    "candidates_resolution_blank": "Nghị quyết số …… ngày …… về việc công bố danh sách chính thức những người ứng cử",
    # the figures, in the law's order
    "voters_on_list_unit": "Tổng số cử tri của khu vực bỏ phiếu",
    "voters_on_list_cons": "Tổng số cử tri của đơn vị bầu cử",
    "voters_on_list_area": "Tổng số cử tri",
    "voters_voted": "Số cử tri đã tham gia bỏ phiếu",
    "turnout_of": "đạt tỷ lệ {pct}% so với tổng số cử tri",
    "ballots_issued": "Số phiếu phát ra",
    "ballots_received": "Số phiếu thu vào",
    "valid_ballots": "Số phiếu hợp lệ",
    "invalid_ballots": "Số phiếu không hợp lệ",
    "of_received": "bằng {pct}% so với tổng số phiếu thu vào",
    "votes_each": "Số phiếu bầu cho mỗi người ứng cử",
    "votes_each_note": "(xếp theo thứ tự ghi trong danh sách người ứng cử)",
    "no": "STT",
    "full_name": "Họ và tên người ứng cử",
    "votes": "Số phiếu bầu",
    "pct_valid": "Tỷ lệ % so với tổng số phiếu hợp lệ",
    "complaints_received": "Những khiếu nại, tố cáo nhận được, đã giải quyết và kết quả giải quyết, những khiếu nại, "
    "tố cáo chuyển đến Ban bầu cử",
    # Art. 76
    "counting_title": "Kết quả kiểm phiếu bầu cử {contest}",
    "counting_title_2": {
        "re_election": "Kết quả kiểm phiếu bầu cử lại {contest}",
        "additional": "Kết quả kiểm phiếu bầu cử thêm {contest}",
        "annulled": "Kết quả kiểm phiếu bầu cử lại {contest} ở khu vực bỏ phiếu",
    },
    "counting_where": "Tại khu vực bỏ phiếu: {unit} ({code}), {cons}",
    "counting_purpose": "kiểm phiếu và lập biên bản kết quả kiểm phiếu",
    "witnesses": "Với sự chứng kiến của hai cử tri không phải là người ứng cử:",
    "result_follows": "Kết quả kiểm phiếu như sau:",
    "counting_to": "Ban bầu cử {level} ở {cons}, Ủy ban nhân dân và Ban thường trực Ủy ban Mặt trận Tổ quốc Việt "
    "Nam {commune}",
    "sign_witnesses": "HAI CỬ TRI CHỨNG KIẾN VIỆC KIỂM PHIẾU",
    "sign_secretary": "THƯ KÝ",
    "sign_for_team": "TM. TỔ BẦU CỬ",
    "sign_team_head": "TỔ TRƯỞNG",
    # Art. 77
    "cons_title": "Xác định kết quả bầu cử {contest} ở {cons}",
    "cons_title_2": {
        "re_election": "Xác định kết quả bầu cử lại {contest} ở {cons}",
        "additional": "Xác định kết quả bầu cử thêm {contest} ở {cons}",
    },
    "cons_includes": "Gồm: {places}",
    "cons_purpose": "xác định kết quả bầu cử ở đơn vị bầu cử",
    "seats_fixed": "Số đại biểu được bầu đã ấn định cho đơn vị bầu cử",
    "seats_round_additional": "Số đại biểu cần bầu thêm",
    "n_candidates": "Số người ứng cử",
    "n_candidates_additional": "Số người ứng cử trong danh sách bầu cử thêm",
    "conclusions": "Kết luận",
    "c_turnout": "Tỷ lệ cử tri đã tham gia bỏ phiếu so với tổng số cử tri của đơn vị bầu cử: {pct}%.",
    "c_re_election": "Số cử tri đã tham gia bỏ phiếu chưa đạt quá một nửa tổng số cử tri trong danh sách cử tri "
    "ở đơn vị bầu cử; kết quả bầu cử chưa được công nhận (khoản 1 Điều 78). Ban bầu cử báo cáo ngay Ủy ban bầu cử "
    "để quyết định ngày bầu cử lại sau khi được sự đồng ý của Hội đồng bầu cử quốc gia (khoản 1, khoản 3 Điều 80).",
    "c_re_election_2015": "Số cử tri đã tham gia bỏ phiếu chưa đạt quá một nửa tổng số cử tri trong danh sách cử "
    "tri ở đơn vị bầu cử; kết quả bầu cử chưa được công nhận (khoản 1 Điều 78). Ban bầu cử báo cáo ngay Ủy ban bầu "
    "cử để quyết định ngày bầu cử lại (khoản 1, khoản 3 Điều 80).",
    "c_re_election_na": "Số cử tri đã tham gia bỏ phiếu chưa đạt quá một nửa tổng số cử tri trong danh sách cử tri "
    "ở đơn vị bầu cử; kết quả bầu cử chưa được công nhận (khoản 1 Điều 78). Ban bầu cử báo cáo ngay Ủy ban bầu cử "
    "tỉnh để đề nghị Hội đồng bầu cử quốc gia xem xét, quyết định việc bầu cử lại (khoản 1, khoản 2 Điều 80).",
    "c_additional_void": "Số cử tri đã tham gia bỏ phiếu bầu cử thêm chưa đạt quá một nửa tổng số cử tri trong danh "
    "sách cử tri; kết quả bầu cử thêm không được công nhận (khoản 1 Điều 78) và không tổ chức bầu cử thêm lần thứ "
    "hai (khoản 3 Điều 79). Những người đã trúng cử ở lần bầu cử thứ nhất giữ nguyên kết quả.",
    "c_re_election_stands": "Số cử tri đi bỏ phiếu lần bầu cử lại vẫn chưa đạt quá một nửa tổng số cử tri; kết quả "
    "bầu cử lại được công nhận mà không tổ chức bầu cử lại lần thứ hai (khoản 4 Điều 80).",
    "c_winners": "Những người trúng cử (xếp theo thứ tự từ người có số phiếu bầu cao nhất đến người có số phiếu "
    "bầu thấp nhất):",
    "c_winners_earlier": "Những người đã trúng cử ở lần bầu cử thứ nhất:",
    "c_winner": "{title} {name}, số phiếu bầu: {votes}, đạt tỷ lệ {pct}% so với tổng số phiếu hợp lệ.",
    "c_no_winner": "Không có người trúng cử.",
    "no_one": "không có",
    "c_seats": "Số đại biểu được bầu theo quy định: {seats}; số người trúng cử: {filled}; "
    "số đại biểu còn thiếu: {missing}.",
    "c_additional": "Số người trúng cử chưa đủ hai phần ba số đại biểu được bầu đã ấn định; Ban bầu cử báo cáo ngay "
    "Ủy ban bầu cử để quyết định ngày bầu cử thêm (khoản 2 Điều 79).",
    "c_additional_na": "Số người trúng cử chưa đủ số đại biểu được bầu đã ấn định; Ban bầu cử báo cáo ngay Ủy ban "
    "bầu cử tỉnh để đề nghị Hội đồng bầu cử quốc gia xem xét, quyết định việc bầu cử thêm (khoản 1 Điều 79).",
    "c_vacant": "Số người trúng cử đã đạt ít nhất hai phần ba số đại biểu được bầu đã ấn định; không tổ chức bầu cử "
    "thêm (khoản 2 Điều 79).",
    "c_no_further": "Không tổ chức bầu cử thêm hoặc bầu cử lại lần nữa (khoản 3 Điều 79, khoản 4 Điều 80).",
    "c_tie": "{names} có số phiếu bầu ngang nhau cho {seats} ghế cuối cùng và không xác định được người nhiều tuổi "
    "hơn (khoản 4 Điều 78); Ban bầu cử đề nghị {decider} xem xét, quyết định.",
    "c_decision_tie": "{body} đã quyết định ({reference} ngày {date}): {winners} trúng cử.",
    "c_decision_vacant": "{body} đã quyết định ({reference} ngày {date}) không tổ chức bầu cử thêm; số ghế còn "
    "trống: {n}.",
    "c_tie_by_age": "{names} có số phiếu bầu ngang nhau; người nhiều tuổi hơn là người trúng cử "
    "(khoản 4 Điều 78): {winners}.",
    "c_events": "Tóm tắt những việc xảy ra và kết quả giải quyết",
    "c_complaints_team": "Những khiếu nại, tố cáo do các Tổ bầu cử đã giải quyết",
    "c_complaints_board": "Những khiếu nại, tố cáo do Ban bầu cử đã giải quyết",
    "c_complaints_forwarded": "Những khiếu nại, tố cáo chuyển đến {up}",
    "cons_to_na": "Hội đồng bầu cử quốc gia, Ủy ban bầu cử {province} và Ủy ban Mặt trận Tổ quốc Việt Nam {province}",
    "cons_to_council": "Ủy ban bầu cử, Thường trực Hội đồng nhân dân, Ủy ban nhân dân và Ban thường trực Ủy ban Mặt "
    "trận Tổ quốc Việt Nam {area}",
    "up_na": "Ủy ban bầu cử và Hội đồng bầu cử quốc gia",
    "up_council": "Ủy ban bầu cử",
    "sign_deputies_board": "CÁC PHÓ TRƯỞNG BAN",
    "sign_for_board": "TM. BAN BẦU CỬ",
    "sign_board_head": "TRƯỞNG BAN",
    "annex": "Phụ lục: Kết quả theo từng khu vực bỏ phiếu",
    "annex_of": "Kèm theo Biên bản xác định kết quả bầu cử ở {cons}",
    "unit": "Khu vực bỏ phiếu",
    "area": "Xã, phường",
    "t_voters": "Tổng số cử tri",
    "t_voted": "Cử tri đã bỏ phiếu",
    "t_issued": "Phiếu phát ra",
    "t_received": "Phiếu thu vào",
    "t_valid": "Phiếu hợp lệ",
    "t_invalid": "Phiếu không hợp lệ",
    "t_total": "Tổng cộng",
    "t_votes_of": "Số phiếu bầu của từng người ứng cử",
    # Art. 83 (the province's National Assembly minute) and Art. 85 (a council's summary)
    "sum_title": {"85": "Tổng kết cuộc bầu cử {contest}", "83": "Xác định kết quả bầu cử {contest}"},
    "sum_where": "Ở {area}",
    "sum_purpose": "lập biên bản tổng kết cuộc bầu cử",
    "sum_purpose_83": "xác định kết quả bầu cử",
    "sum_seats": "Tổng số đại biểu được bầu",
    "sum_constituencies": "Tổng số đơn vị bầu cử",
    "sum_candidates": "Tổng số người ứng cử",
    "sum_table": "Kết quả bầu cử ở các đơn vị bầu cử",
    "t_constituency": "Đơn vị bầu cử",
    "t_seats": "Số đại biểu được bầu",
    "t_turnout": "Tỷ lệ %",
    "t_pct": "%",
    "t_number": "Số lượng",
    "t_result": "Kết quả",
    "sum_re": "Những đơn vị bầu cử phải tổ chức bầu cử lại và kết quả bầu cử lại",
    "sum_re_row": "{cons}: số cử tri đã tham gia bỏ phiếu lần thứ nhất đạt {pct}%, chưa quá một nửa; "
    "bầu cử lại: {voted}/{listed} cử tri ({pct2}%).",
    "sum_re_pending": "{cons}: phải tổ chức bầu cử lại; chưa có kết quả.",
    "sum_votes": "Số phiếu bầu cho mỗi người ứng cử (xếp theo số phiếu bầu từ cao xuống thấp)",
    "sum_winners": "Danh sách những người trúng cử (xếp theo thứ tự từ người có số phiếu bầu cao nhất đến người "
    "có số phiếu bầu thấp nhất)",
    "sum_add": "Những đơn vị bầu cử phải tổ chức bầu cử thêm và kết quả bầu cử thêm",
    "sum_add_row": "{cons}: {filled}/{seats} đại biểu trúng cử ở lần thứ nhất; bầu cử thêm {n} đại biểu, số cử tri "
    "đã tham gia bỏ phiếu {voted}/{listed} ({pct2}%); người trúng cử: {winners}.",
    "sum_add_closed": "Kết quả bầu cử thêm không được công nhận vì số cử tri đi bỏ phiếu chưa quá một nửa (khoản 1 "
    "Điều 78); theo khoản 3 Điều 79, không tổ chức bầu cử thêm lần thứ hai: {body} đã quyết định ({reference} ngày "
    "{date}) để trống số đại biểu còn thiếu.",
    "sum_re_annulled": "{cons}: {body} đã hủy bỏ kết quả bầu cử ({reference} ngày {date}; Điều 81); bầu cử lại: "
    "{voted}/{listed} cử tri ({pct2}%).",
    "revote_unit": "{unit} ({code}) đã bầu cử lại sau khi Hội đồng bầu cử quốc gia hủy bỏ kết quả "
    "bầu cử (Điều 81): {voted}/{listed} cử tri tham gia bỏ phiếu; kết quả bầu cử lại được tính vào biên bản này.",
    "revote_reason": "Lý do hủy bỏ: {reason}.",
    "sum_add_pending": "{cons}: {filled}/{seats} đại biểu trúng cử; phải tổ chức bầu cử thêm, chưa có kết quả.",
    "sum_add_vacant": "{cons}: {filled}/{seats} đại biểu trúng cử; {body} đã quyết định ({reference} ngày {date}) "
    "không tổ chức bầu cử thêm; số ghế còn trống: {vacant}.",
    "sum_events": "Những việc quan trọng đã xảy ra và kết quả giải quyết",
    "sum_decided_tie_settled": "{cons}: những người ứng cử có số phiếu bầu bằng nhau; {body} đã quyết định người "
    "trúng cử ({reference} ngày {date}; khoản 4 Điều 78).",
    "sum_decided_annulment": "{cons}: {body} đã hủy bỏ kết quả bầu cử ({reference} ngày {date}) và quyết định bầu cử "
    "lại (Điều 81).",
    "sum_complaints": "Những khiếu nại, tố cáo do Ủy ban bầu cử đã giải quyết",
    "sum_to": "Thường trực Hội đồng nhân dân, Ủy ban nhân dân, Ban thường trực Ủy ban Mặt trận Tổ quốc Việt Nam "
    "cùng cấp và cấp trên trực tiếp",
    "sum_to_83": "Hội đồng bầu cử quốc gia, Ủy ban thường vụ Quốc hội, Chính phủ và Ban thường trực Ủy ban trung "
    "ương Mặt trận Tổ quốc Việt Nam",
    # as amended by Law 83/2025/QH15 (elections from 1 July 2025)
    "sum_to_83_2025": "Hội đồng Bầu cử quốc gia, Ủy ban Thường vụ Quốc hội, Ủy ban trung ương Mặt trận Tổ quốc "
    "Việt Nam và Ủy ban Mặt trận Tổ quốc Việt Nam {province}",
    "sum_to_85_province_2025": "Hội đồng nhân dân, Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc Việt Nam {area}, Ủy ban "
    "Thường vụ Quốc hội, Chính phủ và Ủy ban trung ương Mặt trận Tổ quốc Việt Nam",
    "sum_to_85_commune_2025": "Hội đồng nhân dân, Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc Việt Nam {area} và "
    "Hội đồng nhân dân, Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc Việt Nam {province}",
    "sum_complaints_lower": "Những khiếu nại, tố cáo do Tổ bầu cử, Ban bầu cử đã giải quyết",
    "sum_forwarded_nec": "Những khiếu nại, tố cáo và kiến nghị chuyển đến Hội đồng Bầu cử quốc gia",
    "revote": "Bỏ phiếu lại tại khu vực bỏ phiếu (lần {n}) sau khi kết quả lần trước bị hủy bỏ (Điều 81).",
    "round": "lần {n}",
    "elected": "trúng cử",
    "sign_deputies_committee": "CÁC PHÓ CHỦ TỊCH",
    "sign_for_committee": "TM. ỦY BAN BẦU CỬ",
    "sign_committee_head": "CHỦ TỊCH",
    "translation_note": "",
}

EN: dict[str, Any] = {
    "form": "Form No.",
    "nation": "SOCIALIST REPUBLIC OF VIET NAM",
    "maxim": "Independence - Freedom - Happiness",
    "page": "Page",
    "minutes": "Minutes",
    "draft": "DRAFT – NOT ISSUED",
    "draft_note": "A draft to check before issuing; it has no legal force and is not for signature.",
    "version": "Version",
    "verify": "Verify at",
    "in_words": "In words",
    "persons": "",
    "ballots": "",
    "none": "None.",
    "blank": "……………………………………",
    "ong_ba": {"female": "Ms", "male": "Mr", "": ""},
    "opening_at": "At {h}:{m} on {d}/{mo}/{y}, the {body}, consisting of:",
    "opening_blank": "At …… : …… on …… / …… / ……, the {body}, consisting of:",
    "met_at": "Met at {place} to {purpose}.",
    "place_blank": "……………………………………………",
    "team": "election team",
    "board": "election board",
    "committee": "election committee",
    "team_of": "election team of {unit}",
    "footnote": "Note: No erasures are allowed on the minutes.",
    "copies": "These minutes are made in {n} copies and sent to {to}.",
    "sign_note": "(Signature and full name)",
    "sign_seal_note": "(Signature, full name and seal)",
    "based_on": "Having regard to {what};",
    "based_on_round": "Having regard to {reference} of {date} of {body} on the {kind}",
    "with_consent": ", with the consent of {body} ({reference} of {date})",
    "round_kinds": {
        "additional": "additional election",
        "re_election": "re-election",
        "annulment": "annulment of the result and the re-election",
        "regular": "election",
    },
    "seats_resolution_blank": "Resolution No. …… of …… fixing the constituencies and the number of deputies "
    "to be elected in each",
    "candidates_resolution_blank": "Resolution No. …… of …… publishing the official list of candidates",
    "voters_on_list_unit": "Total voters of the polling unit",
    "voters_on_list_cons": "Total voters of the constituency",
    "voters_on_list_area": "Total voters",
    "voters_voted": "Voters who took part",
    "turnout_of": "{pct}% of all voters",
    "ballots_issued": "Ballots issued",
    "ballots_received": "Ballots received",
    "valid_ballots": "Valid ballots",
    "invalid_ballots": "Invalid ballots",
    "of_received": "{pct}% of ballots received",
    "votes_each": "Votes for each candidate",
    "votes_each_note": "(in the order of the candidate list)",
    "no": "No.",
    "full_name": "Candidate",
    "votes": "Votes",
    "pct_valid": "% of valid ballots",
    "complaints_received": "Complaints and denunciations received, resolved (with the outcome) and forwarded to "
    "the election board",
    "counting_title": "Result of the vote count, election of {contest}",
    "counting_title_2": {
        "re_election": "Result of the vote count, re-election of {contest}",
        "additional": "Result of the vote count, additional election of {contest}",
        "annulled": "Result of the vote count, re-election of {contest} at the polling unit",
    },
    "counting_where": "At polling unit: {unit} ({code}), {cons}",
    "counting_purpose": "count the votes and record the result",
    "witnesses": "In the presence of two voters who are not candidates:",
    "result_follows": "The result of the count is as follows:",
    "counting_to": "the election board of {cons} ({level}), and the People's Committee and the standing board of the "
    "Fatherland Front of {commune}",
    "sign_witnesses": "THE TWO VOTERS WHO WITNESSED THE COUNT",
    "sign_secretary": "SECRETARY",
    "sign_for_team": "FOR THE ELECTION TEAM",
    "sign_team_head": "HEAD OF THE TEAM",
    "cons_title": "Result of the election of {contest} in {cons}",
    "cons_title_2": {
        "re_election": "Result of the re-election of {contest} in {cons}",
        "additional": "Result of the additional election of {contest} in {cons}",
    },
    "cons_includes": "Covering: {places}",
    "cons_purpose": "determine the result of the election in the constituency",
    "seats_fixed": "Deputies to be elected in the constituency",
    "seats_round_additional": "Deputies still to be elected",
    "n_candidates": "Candidates",
    "n_candidates_additional": "Candidates on the additional election's ballot",
    "conclusions": "Conclusions",
    "c_turnout": "Voters who took part, as a share of all voters of the constituency: {pct}%.",
    "c_re_election": "Voters who took part are not more than half of the voters on the list of the constituency; "
    "the result is not recognised (Art. 78(1)). The election board reports at once to the election committee, "
    "which sets a re-election day once the National Election Council agrees (Art. 80(1), (3)).",
    "c_re_election_2015": "Voters who took part are not more than half of the voters on the list of the "
    "constituency; the result is not recognised (Art. 78(1)). The election board reports at once to the election "
    "committee, which sets a re-election day (Art. 80(1), (3)).",
    "c_re_election_na": "Voters who took part are not more than half of the voters on the list of the "
    "constituency; the result is not recognised (Art. 78(1)). The election board reports at once to the "
    "provincial election committee, which asks the National Election Council to decide on a re-election "
    "(Art. 80(1), (2)).",
    "c_additional_void": "Voters who took part in the additional election are not more than half of the voters on "
    "the list; its result is not recognised (Art. 78(1)) and no second additional election is held (Art. 79(3)). "
    "Those elected in the first election remain elected.",
    "c_re_election_stands": "Turnout at the re-election is again not more than half; the re-election's result is "
    "recognised and no second re-election is held (Art. 80(4)).",
    "c_winners": "Elected (from the most votes to the fewest):",
    "c_winners_earlier": "Elected in the first election:",
    "c_winner": "{title} {name}, {votes} votes, {pct}% of valid ballots.",
    "c_no_winner": "No one is elected.",
    "no_one": "none",
    "c_seats": "Deputies to be elected: {seats}; elected: {filled}; seats still unfilled: {missing}.",
    "c_additional": "Fewer than two-thirds of the deputies to be elected are elected; the election board reports "
    "at once to the election committee, which sets the day of an additional election (Art. 79(2)).",
    "c_additional_na": "Fewer are elected than the deputies to be elected; the election board reports at once to "
    "the provincial election committee, which asks the National Election Council to decide on an additional "
    "election (Art. 79(1)).",
    "c_vacant": "At least two-thirds of the seats are filled; no additional election is held (Art. 79(2)).",
    "c_no_further": "No further additional election or re-election is held (Art. 79(3), Art. 80(4)).",
    "c_tie": "{names} have equal votes for the last {seats} seat(s) and which of them is older cannot be "
    "established (Art. 78(4)); the election board asks the {decider} to decide.",
    "c_decision_tie": "{body} decided ({reference} of {date}): {winners} elected.",
    "c_decision_vacant": "{body} decided ({reference} of {date}) to hold no further election; seats left vacant: {n}.",
    "c_tie_by_age": "{names} have equal votes; the older is elected (Art. 78(4)): {winners}.",
    "c_events": "Summary of events and how they were resolved",
    "c_complaints_team": "Complaints and denunciations resolved by the election teams",
    "c_complaints_board": "Complaints and denunciations resolved by the election board",
    "c_complaints_forwarded": "Complaints and denunciations forwarded to the {up}",
    "cons_to_na": "the National Election Council, the election committee of {province} and the Fatherland Front "
    "committee of {province}",
    "cons_to_council": "the election committee, the standing body of the People's Council, the People's Committee and "
    "the standing board of the Fatherland Front of {area}",
    "up_na": "election committee and the National Election Council",
    "up_council": "election committee",
    "sign_deputies_board": "THE VICE-CHAIRS",
    "sign_for_board": "FOR THE ELECTION BOARD",
    "sign_board_head": "CHAIR",
    "annex": "Annex: result by polling unit",
    "annex_of": "Attached to the minutes of the result of the election in {cons}",
    "unit": "Polling unit",
    "area": "Commune",
    "t_voters": "Voters",
    "t_voted": "Voted",
    "t_issued": "Issued",
    "t_received": "Received",
    "t_valid": "Valid",
    "t_invalid": "Invalid",
    "t_total": "Total",
    "t_votes_of": "Votes for each candidate",
    "sum_title": {"85": "Summary of the election of {contest}", "83": "Result of the election of {contest}"},
    "sum_where": "In {area}",
    "sum_purpose": "record the summary of the election",
    "sum_purpose_83": "determine the result of the election",
    "sum_seats": "Deputies to be elected",
    "sum_constituencies": "Constituencies",
    "sum_candidates": "Candidates",
    "sum_table": "Result in each constituency",
    "t_constituency": "Constituency",
    "t_seats": "Seats",
    "t_turnout": "%",
    "t_pct": "%",
    "t_number": "Number",
    "t_result": "Result",
    "sum_re": "Constituencies that had to hold a re-election, and its result",
    "sum_re_row": "{cons}: turnout at the first election {pct}%, not over half; re-election: {voted} of {listed} "
    "voters ({pct2}%).",
    "sum_re_pending": "{cons}: a re-election is required; no result yet.",
    "sum_votes": "Votes for each candidate (from the most votes to the fewest)",
    "sum_winners": "Elected deputies (from the most votes to the fewest)",
    "sum_add": "Constituencies that had to hold an additional election, and its result",
    "sum_add_row": "{cons}: {filled} of {seats} deputies elected at the first election; additional election for "
    "{n}, turnout {voted} of {listed} ({pct2}%); elected: {winners}.",
    "sum_add_closed": "The additional election's result is not recognised, its turnout not being over half (Art. "
    "78(1)); no second additional election is held (Art. 79(3)): {body} decided ({reference} of {date}) to leave "
    "the remaining seats vacant.",
    "sum_re_annulled": "{cons}: {body} annulled the result ({reference} of {date}; Art. 81); re-election: {voted} of "
    "{listed} voters ({pct2}%).",
    "revote_unit": "{unit} ({code}) voted again after the National Election Council annulled its "
    "result (Art. 81): {voted} of {listed} voters took part; the re-vote's result is counted in these minutes.",
    "revote_reason": "Reason for the annulment: {reason}.",
    "sum_add_pending": "{cons}: {filled} of {seats} deputies elected; an additional election is required, no result "
    "yet.",
    "sum_add_vacant": "{cons}: {filled} of {seats} deputies elected; {body} decided ({reference} of {date}) to hold "
    "no additional election; seats left vacant: {vacant}.",
    "sum_events": "Important events and how they were resolved",
    "sum_decided_tie_settled": "{cons}: candidates tied; {body} decided who is elected ({reference} of {date}; "
    "Art. 78(4)).",
    "sum_decided_annulment": "{cons}: {body} annulled the result ({reference} of {date}) and set a re-election "
    "(Art. 81).",
    "sum_complaints": "Complaints and denunciations resolved by the election committee",
    "sum_to": "the standing bodies of the People's Council, the People's Committee and the Fatherland Front of the "
    "same level and the level directly above",
    "sum_to_83": "the National Election Council, the Standing Committee of the National Assembly, the Government "
    "and the central Fatherland Front",
    "sum_to_83_2025": "the National Election Council, the Standing Committee of the National Assembly, the central "
    "Fatherland Front and the Fatherland Front of {province}",
    "sum_to_85_province_2025": "the People's Council, the People's Committee and the Fatherland Front of {area}, the "
    "Standing Committee of the National Assembly, the Government and the central Fatherland Front",
    "sum_to_85_commune_2025": "the People's Council, the People's Committee and the Fatherland Front of {area} and "
    "those of {province}",
    "sum_complaints_lower": "Complaints and denunciations resolved by the election teams and boards",
    "sum_forwarded_nec": "Complaints, denunciations and recommendations forwarded to the National Election Council",
    "revote": "A re-vote at the polling unit (attempt {n}) after the earlier result was annulled (Art. 81).",
    "round": "round {n}",
    "elected": "elected",
    "sign_deputies_committee": "THE VICE-CHAIRS",
    "sign_for_committee": "FOR THE ELECTION COMMITTEE",
    "sign_committee_head": "CHAIR",
    "translation_note": "Unofficial English translation for observers. Only the Vietnamese minutes are official.",
}

TEXTS = {"vi": VI, "en": EN}
LANGUAGES = tuple(TEXTS)
