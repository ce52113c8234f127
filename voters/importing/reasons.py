"""Why a row of a voter file is refused: a code and its argument, worded in the reader's language (interfaces §8)."""

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _

from voters.models import VoterCategory


class Code:
    """Why a row is refused, in the order the checks apply (the first that fails is the one reported)."""

    COLUMNS = 1
    ID_FORMAT = 2
    ID_IN_FILE = 3
    DATE = 4
    UNDER_AGE = 5
    UNIT = 6
    NAME_EMPTY = 7
    NAME_INVALID = 8
    GENDER = 9
    RESIDENCE = 10
    HOUSEHOLD = 11
    # found against the database, after the file is read
    ON_A_LIST = 12  # on a list the importer may see; arg "unit code#number" (elsewhere: held, never refused)
    LIST_POSTED = 13
    CATEGORY = 14  # checked after HOUSEHOLD (a code of its own, added later: codes are kept stable)


_NAMES = {value: name.lower() for name, value in vars(Code).items() if name.isupper()}


def code_name(code: int) -> str:
    """A reason code's name ("id_format"), as the audit log records a refusal: never the message, which may quote
    the file's cells (and so a name or an ID in the wrong column)."""
    return _NAMES.get(code, str(code))


class Reason:
    """The refusal messages; each is shown after "line N: ". English source, translated for pages."""

    @staticmethod
    def id_format() -> str:
        return _("national ID must be 12 digits")

    @staticmethod
    def id_in_file(first_line: int) -> str:
        return _("national ID already in the file, on line %(line)d") % {"line": first_line}

    @staticmethod
    def id_listed_at(code: str, number: int) -> str:
        """Only for a listing the importer may see (voters/importing/doubles.py): one elsewhere is never named."""
        return _('national ID already on the list of polling unit "%(code)s", number %(number)d') % {
            "code": code,
            "number": number,
        }

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
    def category_invalid() -> str:
        """Names the column and every accepted value with its meaning, in the reader's language (Art. 29)."""
        accepted = "; ".join(f'"{value}" = {label}' for value, label in VoterCategory.choices)
        return _('column "category": not a voter category; accepted: %(accepted)s, or empty for "ordinary"') % {
            "accepted": accepted
        }

    @staticmethod
    def household_invalid() -> str:
        return _("household must be at most 40 characters and household_head one of 1/0, true/false or empty")

    @staticmethod
    def columns(found: int, wanted: int) -> str:
        return _("expected %(wanted)d columns, found %(found)d") % {"wanted": wanted, "found": found}

    @staticmethod
    def list_posted(code: str) -> str:
        return _('the list of polling unit "%(code)s" is posted: add voters one by one on its page') % {"code": code}


def message(code: int, arg: str | None, *, width: int, cutoff: dt.date) -> str:
    """The refusal message of a reason code and its argument (a number or a polling-unit code)."""
    match code:
        case Code.COLUMNS:
            return Reason.columns(int(arg or 0), width)
        case Code.ID_IN_FILE:
            return Reason.id_in_file(int(arg or 0))
        case Code.UNDER_AGE:
            return Reason.under_age(cutoff)
        case Code.UNIT:
            return Reason.unit_unknown(arg or "")
        case Code.LIST_POSTED:
            return Reason.list_posted(arg or "")
        case Code.ON_A_LIST:  # "unit code#number"
            code, _sep, number = (arg or "#0").rpartition("#")
            return Reason.id_listed_at(code, int(number or 0))
    fixed: dict[int, Callable[[], str]] = {
        Code.ID_FORMAT: Reason.id_format,
        Code.DATE: Reason.date_malformed,
        Code.NAME_EMPTY: Reason.name_missing,
        Code.NAME_INVALID: Reason.name_invalid,
        Code.GENDER: Reason.gender_invalid,
        Code.RESIDENCE: Reason.residence_invalid,
        Code.HOUSEHOLD: Reason.household_invalid,
        Code.CATEGORY: Reason.category_invalid,
    }
    return fixed[code]()
