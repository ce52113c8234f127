"""A flag's kind, words and reference are worded again in the reader's language from its code and figures."""

from django.utils import translation

from results.flags import wording
from results.flags.wording import kind
from results.models import Flag


def flag(code, params, message="stored words", source=""):
    return Flag(code=code, params=params, message=message, source=source, severity="warning")


def test_a_check_flag_is_worded_in_the_readers_language_with_grouped_numbers():
    f = flag("issued_differs_from_voted", {"issued": 1064, "voted": 1062}, source="check: Art. 76(2)")
    with translation.override("vi"):
        assert wording.text(f) == "Số phiếu phát ra (1.064) khác với số cử tri đã tham gia bỏ phiếu (1.062)."
        assert wording.reference(f) == "kiểm tra: Điều 76(2)"
        assert wording.kind(f.code) == "số phiếu phát ra khác với số cử tri tham gia"
    with translation.override("en"):
        assert wording.text(f) == "Ballots issued (1,064) differ from voters who took part (1,062)."
        assert wording.reference(f) == "check: Art. 76(2)"


def test_annulment_and_screening_flags_are_worded_too():
    annulled = flag("unit_annulled", {"reason": "hòm phiếu bị mở"}, source="committee: Art. 81")
    outlier = flag(
        "turnout_outlier",
        {"turnout_pct": "99.10", "median_pct": "81.25", "z": 4.27, "units": 40},
        source="screening: robust z-score, median absolute deviation (Iglewicz and Hoaglin 1993)",
    )
    digits = flag(
        "last_digit", {"counts": 120, "chi_square": 40.5, "p": 6.1e-06, "digits": [1, 2, 30, 4, 5, 6, 7, 8, 9, 0]}
    )
    with translation.override("vi"):
        assert wording.text(annulled) == "Kết quả bị hủy bỏ, phải bỏ phiếu lại: hòm phiếu bị mở"
        assert wording.reference(annulled).endswith(": Điều 81")
        assert wording.text(outlier).startswith("Tỷ lệ đi bầu 99,10 % khác xa địa bàn (trung vị 81,25 %")
        assert "z bền vững +4,3" in wording.text(outlier)
        assert wording.reference(outlier).startswith("sàng lọc thống kê: robust z-score")
        assert wording.text(digits).endswith("chữ số gặp nhiều nhất: 2.")
    with translation.override("en"):
        assert "robust z +4.3" in wording.text(outlier) and "p = 6.1e-06" in wording.text(digits)


def test_a_flag_whose_figures_do_not_fit_keeps_its_stored_words():
    assert wording.text(flag("turnout_outlier", {"z": 4})) == "stored words"  # an older flag without every figure
    assert wording.text(flag("something_new", {"x": 1})) == "stored words"
    assert wording.kind(flag("something_new", {}).code) == "something new"
    assert wording.reference(flag("x", {}, source="import_tallies file.json")) == "import_tallies file.json"


def test_every_kind_has_a_vietnamese_name():
    with translation.override("vi"):
        for code, label in wording.KINDS.items():
            assert str(label) != code.replace("_", " ") or code == "", code
            assert kind(code) == str(label)
