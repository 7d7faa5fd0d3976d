"""Control characters in user text: found by validation, shown the same everywhere.

C0 and C1 controls (but tab and line feed), DEL, the XML non-characters U+FFFE/U+FFFF and
the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, used
to make text read other than it is stored) never come from typing.  Word cannot hold most
of them and a browser hides them, so the same text would differ between the contract and
the site; both show each one as ``［U+XXXX］`` instead, and ``validate`` warns where it is.
"""

from __future__ import annotations

import re

_NAMES = {
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1B: "escape",
    0x7F: "delete",
    0x202A: "left-to-right embedding",
    0x202B: "right-to-left embedding",
    0x202C: "pop directional formatting",
    0x202D: "left-to-right override",
    0x202E: "right-to-left override",
    0x2066: "left-to-right isolate",
    0x2067: "right-to-left isolate",
    0x2068: "first strong isolate",
    0x2069: "pop directional isolate",
}


def code_point(char: str) -> str:
    """``U+000B (vertical tab)``: a control character as a person can read it."""
    name = _NAMES.get(ord(char), "control character")
    return f"U+{ord(char):04X} ({name})"


def shown(char: str) -> str:
    """How documents and the site print a control character."""
    return f"［U+{ord(char):04X}］"


#: A ``str.translate`` table: each control character to its shown form.
VISIBLE: dict[int, str] = {
    c: shown(chr(c))
    for c in [
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0xFFFE,
        0xFFFF,
    ]
}


#: Any one of them (made from the same code points as `VISIBLE`).
CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in VISIBLE) + "]")


def show_controls(text: str) -> str:
    """``text`` with every control character replaced by its shown form."""
    return text.translate(VISIBLE) if CONTROL.search(text) else text


#: The same for a line of output: line breaks and tabs too, so that a file named with
#: one can never split a finding into two lines (or start a forged one).
ONE_LINE: dict[int, str] = {**VISIBLE, 0x09: shown("\t"), 0x0A: shown("\n")}
