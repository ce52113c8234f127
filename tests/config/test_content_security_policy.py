"""The Content-Security-Policy (issue 14): strict on every page, and nothing in the templates that it would refuse.

The browser tests check the other half: no page they open logs a refusal (tests/browser/conftest.py).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# PDFs are drawn by WeasyPrint, never served as pages: their templates may style inline.
PAGE_TEMPLATES = sorted(p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.relative_to(TEMPLATES).parts)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/public/", "/accounts/login/", "/admin/login/", "/api/docs/", "/no-such-page/"])
def test_every_page_answers_with_a_strict_policy(path):
    directives = policy(Client().get(path))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


def test_the_api_docs_start_swagger_from_a_script_file():
    html = Client().get("/api/docs/").content.decode()
    assert re.search(r'<script src="[^"]*\?script"', html) or re.search(r'<script src="[^"]*script', html)
    assert "<style" not in html


def inline_problems(text: str) -> list[str]:
    found = []
    for match in re.finditer(r"<script\b([^>]*)>", text):
        attrs = match.group(1)
        if "src=" not in attrs and "application/json" not in attrs:
            found.append("inline <script>")
    found += ["style attribute" for _ in re.finditer(r"\sstyle=\"", text)]
    found += ["<style> element" for _ in re.finditer(r"<style\b", text)]
    found += [f"event handler {m.group(1)}" for m in re.finditer(r"\s(on[a-z]+)=\"", text)]
    found += ["javascript: address" for _ in re.finditer(r"javascript:", text)]
    return found


def test_the_inline_finder_finds_each_kind():
    sample = '<script>x()</script><p style="color:red" onclick="y()"><style>p{}</style><a href="javascript:z()">'
    assert inline_problems(sample) == [
        "inline <script>",
        "style attribute",
        "<style> element",
        "event handler onclick",
        "javascript: address",
    ]
    assert (
        inline_problems('<script src="/static/js/a.js" defer></script><script type="application/json">{}</script>')
        == []
    )


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_page_template_has_inline_script_or_style(template):
    assert inline_problems(template.read_text()) == []
