"""Text as Word can hold it."""

from __future__ import annotations

import re

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text Word can hold: XML-illegal control characters removed."""
    return _XML_ILLEGAL.sub("", text)
