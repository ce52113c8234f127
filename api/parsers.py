"""The API's JSON parser: bad bytes are refused with a 400 and a message before anything reads them.

DRF's own parser lets three kinds of body through to a 500: JSON nested a thousand levels deep (the
decoder's RecursionError), a lone surrogate such as "\\ud800" (valid JSON, but no UTF-8 can hold it, so
saving or printing it fails later), and a body of any size. Here, in this order and before parsing:
- the body may be at most `API_MAX_BODY_BYTES` (read no further than that);
- it must be valid UTF-8;
- brackets may nest at most `API_MAX_JSON_DEPTH` deep (a linear scan that skips strings);
then, after parsing, no string (key or value) may hold a surrogate: the answer names its JSON path.
"""

import codecs
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

CHUNK = 64 * 1024


def max_body_bytes() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", 1024 * 1024))


def max_depth() -> int:
    return int(getattr(settings, "API_MAX_JSON_DEPTH", 32))


def _read_limited(stream: Any, limit: int) -> bytes:
    parts, size = [], 0
    while True:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise ParseError(
                _("The request body is larger than %(n)s bytes.") % {"n": number_format(limit, force_grouping=True)}
            )


def nesting_depth(text: str) -> int:
    """How deep [ and { nest in `text`, outside strings; a linear scan, no recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _surrogate_path(value: Any, path: str = "$") -> str | None:
    """The JSON path of the first string holding a lone surrogate, or None."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return where
        elif isinstance(item, dict):
            for key, sub in item.items():
                try:
                    key.encode("utf-8")
                except UnicodeEncodeError:
                    return where
                stack.append((sub, f"{where}.{key}"))
        elif isinstance(item, list):
            stack.extend((sub, f"{where}[{i}]") for i, sub in enumerate(item))
    return None


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        if stream is None:
            return None
        raw = _read_limited(stream, max_body_bytes())
        try:
            text = codecs.decode(raw, "utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(_("The request body is not valid UTF-8 (byte %(at)s).") % {"at": exc.start}) from None
        limit = max_depth()
        if nesting_depth(text) > limit:
            raise ParseError(_("The JSON nests deeper than %(n)s levels.") % {"n": limit})
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ParseError(_("The request body is not valid JSON: %(error)s") % {"error": exc}) from None
        where = _surrogate_path(data)
        if where is not None:
            raise ParseError(
                _("%(path)s holds a character that is not valid Unicode (a lone surrogate).") % {"path": where}
            )
        return data
