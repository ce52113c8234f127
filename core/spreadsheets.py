"""CSV written for spreadsheets: cells that a spreadsheet would run as a formula are neutralised.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip
before reading such a sign) is a formula to Excel, LibreOffice and Google Sheets, and a crafted name in
an import could run one on an observer's machine (CSV injection, OWASP). Such text cells get a leading
apostrophe, which spreadsheets show as text; numbers are written as numbers.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell safe to open in a spreadsheet: "=1+1" -> "'=1+1"; numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
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
