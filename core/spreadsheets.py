"""CSV written for spreadsheets: cells that a spreadsheet would run as a formula are neutralised.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip
before reading such a sign) is a formula to Excel, LibreOffice and Google Sheets, and a crafted name in
an import could run one on an observer's machine (CSV injection, OWASP). Such text cells get a leading
apostrophe, which spreadsheets show as text; numbers are written as numbers. The full-width signs (`＝`, `＋`,
`－`, `＠`, which some spreadsheets read as their ASCII twins) and a sign behind spaces count too.

Bidirectional controls (right-to-left override and the like) are removed: they make a cell read differently
from what it holds ("Trojan source"), and no name, code or reason of an election needs them.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Left-to-right/right-to-left marks, embeddings, overrides and isolates (Unicode bidi controls).
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def neutralise(value: Any) -> Any:
    """A text cell safe to open in a spreadsheet: "=1+1" -> "'=1+1"; numbers and other text unchanged."""
    if not isinstance(value, str):
        return value
    value = value.translate(BIDI_CONTROLS)
    if value.lstrip(" \u00a0\u3000").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so spreadsheet programs read Vietnamese), every cell neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return out.getvalue().encode()
