"""Shared schema machinery: the strict base model and pydantic errors → diagnostics."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterator
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from docgen.core.diagnostics import Diagnostic
from docgen.core.i18n import N_, Message, msg
from docgen.core.source import SourceMap

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Base of every file schema: unknown keys are errors, never silently merged."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """A 'did you mean' hint for ``word`` among ``choices``, or a list of them."""
    pool = sorted(set(choices))
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if close:
        return msg("did you mean '%(word)s'?", word=close[0])
    if len(pool) <= 20:
        return msg("expected one of: %(choices)s", choices=pool)
    return ""


_CN_DATE = re.compile(r"^\s*(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?\s*$")


def iso_date(text: str) -> str | None:
    """``2026年3月16日`` or ``2026/3/16`` as ``2026-03-16`` (None if it is no date)."""
    match = _CN_DATE.match(text)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _unwrap(annotation: Any) -> Iterator[Any]:
    """Yield the concrete types inside Optional/Union/Annotated/list/dict annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _unwrap(arg)
    else:
        yield annotation


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that holds the key at ``loc`` (walks fields, lists and dicts)."""
    current: Any = model
    for part in loc:
        nxt = None
        for t in _unwrap(current):
            origin = typing.get_origin(t)
            if isinstance(t, type) and issubclass(t, BaseModel):
                fld = t.model_fields.get(str(part)) or next(
                    (f for f in t.model_fields.values() if f.alias == part), None
                )
                if fld is not None:
                    nxt = fld.annotation
            elif origin in (list, tuple) and isinstance(part, int):
                nxt = typing.get_args(t)[0]
            elif origin is dict:
                nxt = typing.get_args(t)[1]
            if nxt is not None:
                break
        if nxt is None:
            return None
        current = nxt
    for t in _unwrap(current):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def _real_loc(
    raw: tuple[str | int, ...], kind: str, source_map: SourceMap
) -> tuple[str | int, ...]:
    """Drop the union-member tags pydantic puts in a loc ('date', 'str', 'wecom' …).

    Every key present in a file is in the source map: a part that does not lead to one
    is such a tag, and is skipped; a 'missing' error keeps the missing key itself.
    """
    loc: tuple[str | int, ...] = ()
    for part in raw:
        if (*loc, part) in source_map.lines:
            loc = (*loc, part)
    if kind == "missing" and raw and (not loc or loc[-1] != raw[-1]):
        return (*loc, raw[-1])
    return loc


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


#: a hint for a value that is none of those allowed at a place: (location, value) → hint
ValueHint = typing.Callable[[tuple[str | int, ...], object], "str | None"]


def schema_diagnostics(
    exc: ValidationError,
    model: type[BaseModel],
    source_map: SourceMap,
    hint: ValueHint | None = None,
) -> list[Diagnostic]:
    """Translate a pydantic ValidationError into file:line diagnostics with hints."""
    out: list[Diagnostic] = []
    missing: dict[int, tuple[str | int, ...]] = {}
    suggested: set[tuple[str | int, ...]] = set()
    for err in exc.errors(include_url=False):
        loc = _real_loc(err["loc"], err["type"], source_map)
        where = source_map.locate(loc)
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        kind = err["type"]
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            allowed = _allowed_keys(parent) if parent else []
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            if close:
                suggested.add((*loc[:-1], close[0]))
            out.append(
                where.diagnostic(
                    "error",
                    "unknown-key",
                    msg("unknown key '%(dotted)s'", dotted=dotted),
                    did_you_mean(str(loc[-1]), allowed),
                )
            )
        elif kind == "missing":
            missing[len(out)] = loc
            out.append(
                where.diagnostic(
                    "error",
                    "missing-key",
                    msg("required key '%(dotted)s' is missing", dotted=dotted),
                )
            )
        elif kind == "union_tag_invalid":
            ctx = err.get("ctx", {})
            field = str(ctx.get("discriminator", "")).strip("'")
            tag = str(ctx.get("tag", ""))
            expected = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
            out.append(
                source_map.locate((*loc, field)).diagnostic(
                    "error",
                    "invalid-value",
                    msg(
                        "'%(dotted)s.%(field)s': unknown %(field)s '%(tag)s'",
                        dotted=dotted,
                        field=field,
                        tag=tag,
                    ),
                    did_you_mean(tag, expected),
                )
            )
        elif kind.startswith("date") or kind.startswith("datetime"):
            given = err.get("input")
            fixed = iso_date(given) if isinstance(given, str) else None
            out.append(
                where.diagnostic(
                    "error",
                    "invalid-date",
                    (
                        msg(
                            ("'%(dotted)s' must be a date written YYYY-MM-DD, not '%(given)s'"),
                            dotted=dotted,
                            given=given,
                        )
                        if isinstance(given, str)
                        else msg("'%(dotted)s' must be a date written YYYY-MM-DD", dotted=dotted)
                    ),
                    (
                        msg("write %(fixed)s", fixed=fixed)
                        if fixed
                        else msg("write dates as YYYY-MM-DD, e.g. 2026-03-16")
                    ),
                )
            )
        elif kind in ("literal_error", "enum"):
            given = err.get("input")
            out.append(
                where.diagnostic(
                    "error",
                    "invalid-value",
                    msg(
                        "'%(key)s' must be one of %(expected)s, not %(given)s",
                        key=dotted,
                        expected=_expected(err),
                        given=_given(given),
                    ),
                    (hint(loc, given) if hint else None) or "",
                )
            )
        elif kind.startswith(("greater_", "less_")):
            limit = next(iter(err.get("ctx", {}).values()), "")
            out.append(
                where.diagnostic(
                    "error",
                    "invalid-value",
                    msg(_BOUNDS.get(kind, "%(key)s: out of range"), key=dotted, limit=limit),
                )
            )
        elif kind in _SHAPES:
            ctx = err.get("ctx", {})
            out.append(
                where.diagnostic("error", "invalid-value", msg(_SHAPES[kind], key=dotted, **ctx))
            )
        elif kind == "value_error":
            reason = err.get("ctx", {}).get("error")
            said = reason.args[0] if reason is not None and reason.args else err["msg"]
            out.append(
                where.diagnostic(
                    "error", "invalid-type", msg("'%(key)s': %(reason)s", key=dotted, reason=said)
                )
            )
        else:
            typed = kind.endswith(("_type", "_parsing")) or kind == "int_from_float"
            wanted = _WANTED.get(kind.split("_")[0]) if typed else None
            given = _given(err.get("input"))
            out.append(
                where.diagnostic(
                    "error",
                    "invalid-type",
                    msg(
                        "'%(key)s' must be %(expected)s, not %(given)s",
                        key=dotted,
                        expected=wanted,
                        given=given,
                    )
                    if wanted
                    else msg(
                        "'%(key)s': %(reason)s (not %(given)s)",
                        key=dotted,
                        reason=err["msg"],
                        given=given,
                    ),
                )
            )
    # A misspelt required key shows up twice: unknown 'ownr' and missing 'owner'.
    # The unknown-key finding already says "did you mean 'owner'?"; drop the other.
    out = [d for i, d in enumerate(out) if i not in _shadowed(missing, suggested)]
    # pydantic reports each failed union member; keep one finding per place and code.
    seen: set[tuple[int, int, str]] = set()
    unique = []
    for d in out:
        if (d.line, d.col, d.code) not in seen:
            seen.add((d.line, d.col, d.code))
            unique.append(d)
    return unique


_BOUNDS = {
    "greater_than": N_("'%(key)s' must be more than %(limit)s"),
    "greater_than_equal": N_("'%(key)s' must be at least %(limit)s"),
    "less_than": N_("'%(key)s' must be less than %(limit)s"),
    "less_than_equal": N_("'%(key)s' must be at most %(limit)s"),
}

_SHAPES = {
    "string_pattern_mismatch": N_("'%(key)s' does not have the form %(pattern)s"),
    "string_too_short": N_("'%(key)s' must have at least %(min_length)s character(s)"),
    "string_too_long": N_("'%(key)s' must have at most %(max_length)s character(s)"),
    "too_short": N_("'%(key)s' must have at least %(min_length)s entries"),
    "too_long": N_("'%(key)s' must have at most %(max_length)s entries"),
}

#: what a value of a type must look like, by pydantic's error type (its first word)
_WANTED = {
    "string": msg("text"),
    "int": msg("a whole number"),
    "float": msg("a number"),
    "decimal": msg("a number"),
    "bool": msg("true or false"),
    "list": msg("a list (lines starting with '- ')"),
    "tuple": msg("a list (lines starting with '- ')"),
    "set": msg("a list (lines starting with '- ')"),
    "dict": msg("a mapping (key: value lines)"),
    "model": msg("a mapping (key: value lines)"),
}


def _expected(err: Any) -> list[str]:
    """The allowed values of a literal or enum error, each quoted."""
    text = str(err.get("ctx", {}).get("expected", ""))
    return [part.strip() for part in re.split(r",|\bor\b", text) if part.strip()]


def _given(value: object) -> Message:
    """What a wrong value was, in words: the text, the number, a list."""
    if value is None:
        return msg("an empty value")
    if isinstance(value, bool):
        return msg("%(value)s (true/false)", value=str(value).lower())
    if isinstance(value, int | float):
        return msg("the number %(value)s", value=value)
    if isinstance(value, str):
        return msg("'%(value)s'", value=value if len(value) <= 40 else value[:39] + "…")
    if isinstance(value, list):
        return msg("a list")
    if isinstance(value, dict):
        return msg("a mapping")
    return msg("a %(type)s", type=type(value).__name__)


def _shadowed(
    missing: dict[int, tuple[str | int, ...]], suggested: set[tuple[str | int, ...]]
) -> set[int]:
    """Indexes of missing-key findings whose key an unknown key was hinted to be."""
    return {i for i, loc in missing.items() if loc in suggested}


def validate_model(
    model: type[M], data: dict[str, Any], source_map: SourceMap, hint: ValueHint | None = None
) -> tuple[M | None, list[Diagnostic]]:
    """Validate ``data`` against ``model``; on failure return diagnostics instead.

    ``hint`` answers for a value none of those allowed (the titles it may be meant as).
    """
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, schema_diagnostics(exc, model, source_map, hint)
