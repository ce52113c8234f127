"""One error base: every refusal of the domain is a DomainError with a translatable message and its problems."""

import importlib
import inspect
import pkgutil

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, Invalid, Problem, lazy_format

APPS = ("core", "elections", "voters", "results", "public", "office", "api", "demo")


def _modules():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name or info.name.endswith(".worker"):
                continue
            yield importlib.import_module(info.name)


def test_every_exception_of_the_product_derives_from_the_one_base():
    found = {
        f"{module.__name__}.{name}"
        for module in _modules()
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Exception) and cls.__module__ == module.__name__ and not issubclass(cls, DomainError)
    }
    assert found == set()


def test_a_message_is_worded_when_shown_in_the_readers_language():
    error = Conflict(
        lazy_format(_("The tally changed meanwhile: it is at version %(current)s, not %(given)s."), current=3, given=2)
    )
    with translation.override("vi"):
        assert str(error) == "Biên bản vừa thay đổi: nay là phiên bản 3, không phải 2."
    with translation.override("en"):
        assert str(error) == "The tally changed meanwhile: it is at version 3, not 2."
    assert error.status == 409


@pytest.mark.parametrize(
    ("problems", "labels", "words"),
    [
        ([Problem("reason", "is required")], {"reason": "Reason"}, "A reason is required. Reason: is required"),
        ([Problem("reason", "is required")], {}, "A reason is required."),  # never a bare field name
        ([Problem("votes.QH1-01", "too many")], {}, "A reason is required. QH1-01: too many"),
        ([Problem("", "the whole input")], {}, "A reason is required. the whole input"),
    ],
)
def test_words_name_problems_by_their_labels(problems, labels, words):
    with translation.override("en"):
        assert Invalid(_("A reason is required."), problems).words(labels) == words
