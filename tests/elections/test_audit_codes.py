"""Audit action codes are declared once (elections/audit_codes.py), each with words in both languages."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from elections.audit_codes import AuditAction, label

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ("core", "elections", "voters", "results", "public", "office", "api", "demo")


def test_codes_follow_app_entity_verb_past():
    for action in AuditAction:
        assert re.fullmatch(r"(elections|voters|results)\.[a-z_]+\.[a-z_]+", action.value), action


@pytest.mark.parametrize("action", list(AuditAction))
def test_every_code_has_vietnamese_words(action):
    with translation.override("vi"):
        vi = label(action.value)
    with translation.override("en"):
        en, words = label(action.value), str(action.label)
    assert en == words and vi != en, action


def test_an_unknown_code_is_shown_as_stored():
    assert label("results.something.done") == "results.something.done"


def test_no_code_is_written_as_a_literal_outside_the_enumeration():
    # given every module of the product but the enumeration itself
    codes = {action.value for action in AuditAction}
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "audit_codes.py":
                continue
            text = path.read_text()
            found += [f"{path.relative_to(ROOT)}: {code}" for code in codes if f'"{code}"' in text]
    # then services name their actions through AuditAction only
    assert found == []
