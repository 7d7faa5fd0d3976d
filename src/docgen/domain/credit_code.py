"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015) checks on python-stdnum.

stdnum requires the first eight characters to be digits.  The standard also allows
letters in the first position (registration authority: A 中央军委改革和编制办公室,
N 农业农村部门, Y 其他) and some issuers use them, so a code that stdnum rejects only for
its form but whose check digit is right is plausibly legal: a warning, not an error.
Pre-2015 15-digit business registration numbers (工商注册号) are also warned about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

from docgen.core.i18n import msg

_AUTHORITY = set("123456789ANY")
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True, slots=True)
class CreditCodeFinding:
    """The verdict on one code: severity, code and message with a hint."""

    severity: Literal["error", "warning"]
    code: str
    message: str
    hint: str = ""


def _check_digit(number: str) -> str:
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(_ALPHABET.index(c) * w for c, w in zip(number, weights, strict=False))
    return _ALPHABET[(31 - total) % 31]


def check_credit_code(raw: str) -> CreditCodeFinding | None:
    """Check a 统一社会信用代码; None when it is valid."""
    number = uscc.compact(raw)
    try:
        uscc.validate(number)
        return None
    except InvalidChecksum:
        return _wrong_check_digit(raw, uscc.calc_check_digit(number))
    except ValidationError:
        pass
    if len(number) == 15 and number.isdigit():
        return CreditCodeFinding(
            "warning",
            "credit-code-legacy",
            msg(
                ("'%(raw)s' looks like a pre-2015 15-digit registration number (工商注册号)"),
                raw=raw,
            ),
            msg("ask the partner for its 18-character 统一社会信用代码"),
        )
    plausible = (
        len(number) == 18 and number[0] in _AUTHORITY and all(c in _ALPHABET for c in number)
    )
    if plausible:
        if _check_digit(number) == number[-1]:
            return CreditCodeFinding(
                "warning",
                "credit-code-legacy",
                msg(
                    (
                        "统一社会信用代码 '%(raw)s' has an uncommon form (registration "
                        "authority '%(authority)s') that python-stdnum does not accept"
                    ),
                    raw=raw,
                    authority=number[0],
                ),
                msg("its check digit is right; confirm it against the business licence"),
            )
        return _wrong_check_digit(raw, _check_digit(number))
    length = (
        msg("%(count)s characters", count=len(number))
        if len(number) != 18
        else msg("characters outside the code's alphabet")
    )
    return CreditCodeFinding(
        "error",
        "credit-code",
        msg(
            (
                "'%(raw)s' is not a 统一社会信用代码 (%(length)s; 18 digits or "
                "letters expected, no I, O, Z, S, V)"
            ),
            raw=raw,
            length=length,
        ),
        msg("copy it again from the business licence, 营业执照"),
    )


def _wrong_check_digit(raw: str, expected: str) -> CreditCodeFinding:
    """The finding for a code whose last character is not its check digit."""
    return CreditCodeFinding(
        "error",
        "credit-code",
        msg(
            "统一社会信用代码 '%(raw)s' has a wrong check digit (expected '%(digit)s' at the end)",
            raw=raw,
            digit=expected,
        ),
        msg("copy it again from the business licence, 营业执照"),
    )
