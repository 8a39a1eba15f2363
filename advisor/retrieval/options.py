"""Named options a question offers for its answer (用 C2PA、XMP 还是 EXIF 哪一种格式): technical names in
Latin letters that no text of the corpus uses. When none of them is there, no text picks one of them."""

from __future__ import annotations

import re

from advisor.index.keyword import KeywordIndex

# two or more names in capitals (a format, a standard, a protocol: XMP, EXIF, C2PA, ISO27001), offered
# as alternatives: joined by 、, 或, 还是 or "or"
_NAME = r"[A-Z][A-Z0-9]{1,9}(?![A-Za-z])"
_OFFERED = re.compile(rf"(?<![A-Za-z]){_NAME}(?:\s*(?:、|，|,|/|或者|或是|或|还是|\bor\b)\s*{_NAME})+")
_CHOOSING = re.compile(r"还是|哪一?[种个类项]|\bwhich\b|\bor\b", re.I)


def options_absent(question: str, keyword: KeywordIndex) -> list[str]:
    """The named options the question offers when the corpus uses none of them ([] otherwise)."""
    if not _CHOOSING.search(question):
        return []
    for m in _OFFERED.finditer(question):
        names = re.findall(_NAME, m.group(0))
        if len(names) >= 2 and not any(keyword.occurs(n, gap=0) for n in names):
            return names
    return []
