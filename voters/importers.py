"""Reading a voter file (CONTRACT §8) row by row: every refused row with its line number and reason.

Pure: no database. The file is streamed; the reader keeps only what the checks need (the IDs seen so far,
as integers, with their line) and hands each accepted row on as a tuple ready for bulk loading.
"""

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from elections.models import DatePrecision

from .crypto import IdCipher
from .models import Residence
from .rules import eighteenth_birthday_cutoff

HEADER = ("national_id", "full_name", "date_of_birth", "gender", "polling_unit", "residence")
# Optional columns after the six of the contract: the household (any code) and whether the row is its head.
OPTIONAL = ("household", "household_head")
NAME_MAX = 200
HOUSEHOLD_MAX = 40

_ID_RE = re.compile(r"\d{12}")
_DAY_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_YEAR_RE = re.compile(r"(\d{4})")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
GENDERS = {"female": "female", "male": "male", "nữ": "female", "nu": "female", "nam": "male", "": ""}
RESIDENCES = {"": Residence.PERMANENT.value, **{r.value: r.value for r in Residence}}
TRUE_WORDS = {"1", "true", "yes", "x", "có", "chủ hộ"}
FALSE_WORDS = {"", "0", "false", "no", "không"}
HEAD_WORDS = TRUE_WORDS | FALSE_WORDS


class Reason:
    """The refusal messages; each is shown after "line N: ". English source, translated for pages."""

    @staticmethod
    def id_format() -> str:
        return _("national ID must be 12 digits")

    @staticmethod
    def id_in_file(first_line: int) -> str:
        return _("national ID already in the file, on line %(line)d") % {"line": first_line}

    @staticmethod
    def id_on_list() -> str:
        return _("national ID already on a list of this election")

    @staticmethod
    def under_age(cutoff: dt.date) -> str:
        return _("under 18 on election day (voters must be born on or before %(date)s)") % {"date": cutoff.isoformat()}

    @staticmethod
    def unit_unknown(code: str) -> str:
        return _('unknown polling unit "%(code)s"') % {"code": code[:64]}

    @staticmethod
    def date_malformed() -> str:
        return _("date of birth is malformed (expected YYYY-MM-DD, YYYY-MM or YYYY)")

    @staticmethod
    def name_missing() -> str:
        return _("full name is empty")

    @staticmethod
    def name_invalid() -> str:
        return _("full name is longer than 200 characters or holds control characters")

    @staticmethod
    def gender_invalid() -> str:
        return _('gender must be "female", "male" or empty')

    @staticmethod
    def residence_invalid() -> str:
        return _('residence must be "permanent", "temporary", "temporary_short" or empty')

    @staticmethod
    def household_invalid() -> str:
        return _("household must be at most 40 characters and household_head one of 1/0, true/false or empty")

    @staticmethod
    def columns(found: int, wanted: int) -> str:
        return _("expected %(wanted)d columns, found %(found)d") % {"wanted": wanted, "found": found}

    @staticmethod
    def list_posted(code: str) -> str:
        return _('the list of polling unit "%(code)s" is posted: add voters one by one on its page') % {"code": code}


class FileRefused(Exception):
    """The file cannot be read at all (not UTF-8, wrong header): nothing in it is looked at further."""


@dataclass
class ReadStats:
    rows: int = 0
    refusals: list[tuple[int, str]] = field(default_factory=list)


# A row ready for loading: (line, unit id, ID digest, sealed ID, full name, name key, date of birth,
# precision, gender, residence, household, head of household).
StagedRow = tuple[int, int, bytes, bytes, str, str, dt.date, str, str, str, str, bool]


def _without_marks(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


# Every precomposed Latin letter (Vietnamese uses U+00C0-U+01B0 and U+1EA0-U+1EF9) to its base letter, and
# combining marks to nothing: one str.translate per name instead of a normalisation per character.
_UNMARK = {
    **{
        cp: _without_marks(chr(cp))
        for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
        if _without_marks(chr(cp)).isascii()
    },
    **{cp: None for cp in range(0x300, 0x370)},
    ord("đ"): "d",
    ord("Đ"): "d",
}


def name_key(full_name: str) -> str:
    """Lower case, without diacritics: "Nguyễn Thị Đào" -> "nguyen thi dao"."""
    return full_name.lower().translate(_UNMARK)


def parse_birth_date(value: str) -> tuple[dt.date, str] | None:
    """YYYY-MM-DD, or YYYY-MM / YYYY when day or month is unknown (the 1st counts, spec §3)."""
    try:
        if m := _DAY_RE.fullmatch(value):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), DatePrecision.DAY.value
        if m := _MONTH_RE.fullmatch(value):
            return dt.date(int(m[1]), int(m[2]), 1), DatePrecision.MONTH.value
        if m := _YEAR_RE.fullmatch(value):
            return dt.date(int(m[1]), 1, 1), DatePrecision.YEAR.value
    except ValueError:
        return None
    return None


def open_rows(text: Iterable[str]) -> tuple[Any, int]:
    """Check the header; return the csv reader (it knows line numbers) and the number of columns."""
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        message = _("the file is empty: expected the header %(header)s") % {"header": ",".join(HEADER)}
        raise FileRefused(message) from None
    except UnicodeDecodeError as exc:
        raise FileRefused(_("the file is not UTF-8 (%(error)s)") % {"error": exc.reason}) from None
    except csv.Error as exc:
        raise FileRefused(_("the header is not valid CSV (%(error)s)") % {"error": exc}) from None
    names = tuple(h.strip().lower() for h in header)
    if names[: len(HEADER)] != HEADER or any(n not in OPTIONAL for n in names[len(HEADER) :]):
        raise FileRefused(
            _("line 1: the header must be %(header)s (optionally followed by %(optional)s), not %(found)s")
            % {"header": ",".join(HEADER), "optional": ",".join(OPTIONAL), "found": ",".join(header)[:200]}
        )
    return reader, len(names)


def read_voters(
    text: Iterable[str],
    *,
    units: Mapping[str, int],
    election_day: dt.date,
    cipher: IdCipher,
    stats: ReadStats,
) -> Iterator[StagedRow]:
    """Yield every acceptable row of a voter file; append every refused one to `stats.refusals`.

    `units` maps the polling-unit codes the caller may load to their ids. `text` yields lines (a text file
    opened with newline=""). Raises FileRefused for a file that cannot be read at all.
    """
    reader, width = open_rows(text)
    cutoff = eighteenth_birthday_cutoff(election_day)
    seen: dict[int, int] = {}
    refuse = stats.refusals.append
    digest, seal = cipher.digest, cipher.seal
    id_match, control, is_nfc = _ID_RE.fullmatch, _CONTROL_RE.search, unicodedata.is_normalized
    dates: dict[str, tuple[dt.date, str] | None] = {}  # dates repeat a lot: parse each once
    try:
        for row in reader:
            line = reader.line_num
            stats.rows += 1
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    stats.rows -= 1  # a blank line is no row
                    continue
                refuse((line, Reason.columns(len(row), width)))
                continue
            national_id, full_name, born, gender, unit_code, residence = (cell.strip() for cell in row[:6])
            if not id_match(national_id):
                refuse((line, Reason.id_format()))
                continue
            number = int(national_id)
            first = seen.get(number)
            if first is not None:
                refuse((line, Reason.id_in_file(first)))
                continue
            seen[number] = line
            if (birth := dates.get(born, False)) is False:
                birth = dates[born] = parse_birth_date(born)
            if birth is None:
                refuse((line, Reason.date_malformed()))
                continue
            if birth[0] > cutoff:
                refuse((line, Reason.under_age(cutoff)))
                continue
            unit_id = units.get(unit_code)
            if unit_id is None:
                refuse((line, Reason.unit_unknown(unit_code)))
                continue
            if not full_name:
                refuse((line, Reason.name_missing()))
                continue
            if len(full_name) > NAME_MAX or control(full_name):
                refuse((line, Reason.name_invalid()))
                continue
            gender_value = GENDERS.get(gender.lower())
            if gender_value is None:
                refuse((line, Reason.gender_invalid()))
                continue
            residence_value = RESIDENCES.get(residence.lower())
            if residence_value is None:
                refuse((line, Reason.residence_invalid()))
                continue
            household, head = "", False
            if width > 6:
                extra = dict(zip(OPTIONAL, (c.strip() for c in row[6:]), strict=False))
                household = extra.get("household", "")
                head_word = extra.get("household_head", "").lower()
                if len(household) > HOUSEHOLD_MAX or control(household) or head_word not in HEAD_WORDS:
                    refuse((line, Reason.household_invalid()))
                    continue
                head = head_word in TRUE_WORDS
            if "  " in full_name or not is_nfc("NFC", full_name):
                full_name = unicodedata.normalize("NFC", " ".join(full_name.split()))
            hashed = digest(national_id)
            yield (
                line,
                unit_id,
                hashed,
                seal(national_id, hashed),
                full_name,
                name_key(full_name),
                birth[0],
                birth[1],
                gender_value,
                residence_value,
                household,
                head,
            )
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("line %(line)d: the file is not UTF-8 (%(error)s)") % {"line": reader.line_num + 1, "error": exc.reason}
        ) from None
    except csv.Error as exc:
        raise FileRefused(
            _("line %(line)d: not valid CSV (%(error)s)") % {"line": reader.line_num, "error": exc}
        ) from None


def refused_rows(text: Iterable[str], refusals: Iterable[tuple[int, str]]) -> Iterator[list[str]]:
    """The header and the refused rows of a file, each with its reason in a last column (for FILE.rejected.csv)."""
    reasons = dict(refusals)
    reader = csv.reader(text)
    header = next(reader, [])
    yield [*header, "reason"]
    remaining = len(reasons)
    for row in reader:
        if remaining == 0:
            break
        reason = reasons.get(reader.line_num)
        if reason is not None:
            remaining -= 1
            yield [*row, f"line {reader.line_num}: {reason}"]
