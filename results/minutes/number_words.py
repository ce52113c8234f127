"""Whole numbers in words, as official minutes write them beside the figures ("Bằng chữ: ...").

English comes from num2words. Vietnamese is written here: num2words 0.5.14 (`lang="vi"`) drops the
"không trăm" of a group after the first, so it writes 2.021 as "hai nghìn lẻ hai mươi mốt" and 1.010
as "một nghìn lẻ mười", where official and accounting usage writes "hai nghìn không trăm hai mươi mốt"
and "một nghìn không trăm mười" (tests/results/test_number_words.py keeps the cases).

Vietnamese rules (groups of three digits, read from the highest):
- a group after the first is read in full, with "không trăm" when its hundreds digit is 0
  (1.005 -> "một nghìn không trăm linh năm"); a group that is all zeros is skipped
  (1.000.005 -> "một triệu không trăm linh năm");
- a zero tens digit before a non-zero unit reads "linh" (105 -> "một trăm linh năm");
- 10-19 are "mười ..." ; from 20 the tens read "... mươi";
- unit 1 after "mươi" is "mốt" (21 -> "hai mươi mốt"), but "một" after "mười" (11) or "linh" (101);
- unit 5 after "mười"/"mươi" is "lăm" (15, 25), but "năm" after "linh" (105);
- unit 4 is "bốn" throughout (the formal written form; "tư" is spoken usage).
"""

from num2words import num2words

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ")


def _below_hundred(n: int) -> list[str]:
    tens, unit = divmod(n, 10)
    if tens == 0:
        return [_DIGITS[unit]]
    words = ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if unit == 1 and tens > 1:
        words.append("mốt")
    elif unit == 5:
        words.append("lăm")
    elif unit:
        words.append(_DIGITS[unit])
    return words


def _group(n: int, *, full: bool) -> list[str]:
    """Words for 0 < n < 1000; `full`: a group after the first, read with its zero hundreds."""
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
        if rest == 0:
            return words
        if rest < 10:
            return [*words, "linh", _DIGITS[rest]]
    return words + _below_hundred(rest)


def vietnamese(n: int) -> str:
    """`n` in Vietnamese words: 21 -> "hai mươi mốt", 1.005 -> "một nghìn không trăm linh năm"."""
    if n < 0:
        return "âm " + vietnamese(-n)
    if n == 0:
        return _DIGITS[0]
    if n >= 1000 ** len(_SCALES):
        raise ValueError(f"{n} is too large to write in words")
    groups: list[int] = []
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        g = groups[index]
        if g == 0:
            continue
        scale = _SCALES[index]  # beyond tỷ (10^9) the scales repeat: 10^12 is "nghìn tỷ"
        words += _group(g, full=bool(words))
        if scale:
            words.append(scale)
    return " ".join(words)


def in_words(n: int, language: str = "vi") -> str:
    """`n` in words in `language` ("vi" or "en"), lower case."""
    if language.startswith("vi"):
        return vietnamese(n)
    return str(num2words(n, lang="en"))
