"""Numbers in words as the minutes write them (pure, no database)."""

import pytest
from num2words import num2words

from results.minutes.number_words import in_words, vietnamese


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1000, "một nghìn"),
        # num2words 0.5.14 writes these four wrongly ("một nghìn lẻ năm", "một nghìn lẻ mười", ...)
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (2021, "hai nghìn không trăm hai mươi mốt"),
        (1000005, "một triệu không trăm linh năm"),
        (1001000, "một triệu không trăm linh một nghìn"),
        (1000000, "một triệu"),
        (10005, "mười nghìn không trăm linh năm"),
        (305000210, "ba trăm linh năm triệu hai trăm mười"),
        (69523133, "sáu mươi chín triệu năm trăm hai mươi ba nghìn một trăm ba mươi ba"),
        (1000000000, "một tỷ"),
    ],
)
def test_vietnamese(n, words):
    assert vietnamese(n) == words


def test_below_one_thousand_it_agrees_with_num2words_but_for_linh():
    """Up to 999 the library is right, except that official text writes "linh" where it writes "lẻ"."""
    for n in range(1000):
        assert vietnamese(n) == num2words(n, lang="vi").replace("lẻ", "linh"), n


def test_english_comes_from_num2words():
    assert in_words(1005, "en") == "one thousand and five"
    assert in_words(21, "vi") == "hai mươi mốt"


def test_out_of_range():
    with pytest.raises(ValueError, match="too large"):
        vietnamese(10**21)
    assert vietnamese(-5) == "âm năm"
