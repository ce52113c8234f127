"""One base for every refusal of the domain: a message in the reader's language and the problems, each with its path.

A service raises `DomainError` (or a subclass) with a message marked for translation where it is raised
(`gettext_lazy`, or `lazy_format` for a message with figures), so the words follow the language of whoever reads
them. `status` is the HTTP answer it stands for; the API's exception handler (api/errors.py) and the page helper
(core/http.py) both read it, so a refusal looks the same on a page and through the API.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise, lazy


@dataclass(frozen=True)
class Problem:
    """What is wrong and where: `path` names the field, row or JSON path ("" for the whole input)."""

    path: str
    message: Any  # str or a lazy translation

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else str(self.message)


def _format(message: Any, params: dict[str, Any]) -> str:
    return str(message) % params


_lazy_format = lazy(_format, str)


def lazy_format(message: Promise | str, **params: Any) -> Any:
    """A translated message with figures, worded when it is shown: lazy_format(_("At version %(n)s."), n=3)."""
    return _lazy_format(message, params)


class DomainError(Exception):
    """A refusal of the domain. `message` is translatable; `problems` name each field at fault."""

    status = 400
    code = "invalid"

    def __init__(self, message: Any, problems: Iterable[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        return str(self.message)

    def words(self, labels: Mapping[str, Any] | None = None) -> str:
        """The message and its problems as one line for a page, in the active language.

        A problem is named by its field's label when `labels` has one ("Lý do: là bắt buộc"), by the code after
        the last dot of its path otherwise ("votes.QH1-01" -> "QH1-01: ..."); a bare field name is never shown.
        """
        labels = labels or {}
        parts = [str(self.message)]
        for p in self.problems:
            if p.path in labels:
                parts.append(f"{labels[p.path]}: {p.message}")
            elif "." in p.path:
                parts.append(f"{p.path.rsplit('.', 1)[1]}: {p.message}")
            elif not p.path and str(p.message) != parts[0]:
                parts.append(str(p.message))
        return " ".join(parts)


class Invalid(DomainError):
    """The input breaks a rule (HTTP 400)."""


class Forbidden(DomainError):
    """Not this person's to do (HTTP 403)."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The state does not allow it now: stale version, already done, not yet possible (HTTP 409)."""

    status = 409
    code = "conflict"


class Unavailable(DomainError):
    """A part the answer needs (the shared cache, the broker) does not answer now; try again later (HTTP 503)."""

    status = 503
    code = "unavailable"
