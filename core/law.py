"""References to the law in the reader's language: "Art. 78(1), Art. 80(1)" -> "Điều 78(1), Điều 80(1)"."""

import re

from django.utils.translation import gettext

_ARTICLE = re.compile(r"Arts?\. (\d+(?:\(\d+\))?(?:\s*[-–]\s*\d+(?:\(\d+\))?)?)")
_SPEC = re.compile(r"spec (§\d+(?:\.\d+)?)")


def reference_words(piece: str) -> str | None:
    """One reference worded, or None when it is not a reference this module knows."""
    piece = piece.strip()
    if m := _ARTICLE.fullmatch(piece):
        return gettext("Art. %(article)s") % {"article": m.group(1)}
    if m := _SPEC.fullmatch(piece):
        return gettext("specification %(section)s") % {"section": m.group(1)}
    return None


def article_words(text: str) -> str:
    """Comma- or semicolon-separated references in the active language; anything else as it is."""
    out = []
    for sep_part in re.split(r"(\s*[,;]\s*)", text):
        if re.fullmatch(r"\s*[,;]\s*", sep_part):
            out.append(sep_part)
        else:
            out.append(reference_words(sep_part) or sep_part)
    return "".join(out)
