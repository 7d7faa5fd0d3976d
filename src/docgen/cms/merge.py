"""What the web editor saved, written into the file as the smallest edit.

Decap CMS saves a whole file: it writes the front matter anew in block style, in its
form's field order, and drops comments and ``{flow}`` mappings.  Written as it is, one
changed owner rewrote 249 lines of 恒通's index.md.  docgen's local backend instead
compares what the editor sent with the file on disk, value by value, and makes only the
changes through `FrontMatterEdit`: a changed value is rewritten on its own line, a new
key or checklist item is one new line, and only where a list or a mapping lost entries
is that one top-level key written anew.  Comments, key order, quoting and flow style
stay everywhere else.  ``""``, ``null``, ``[]`` and ``{}`` that the form adds for a field
the file did not have are no change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from docgen.core.diagnostics import DocgenError, FileProblem
from docgen.core.i18n import msg
from docgen.core.source import SourceFile, parse_markdown
from docgen.workspace.edit import FrontMatterEdit

_EMPTY: tuple[Any, ...] = ("", None, [], {})


#: the hidden field that carries which version of which file the editor loaded
BASE_KEY = "docgen_base"
#: the stage form's "done today" choice: checklist items ticked off in one step, written
#: as each item's ``done`` (today) and ``by`` (its owner); never a key of the file
DONE_TODAY_KEY = "docgen_done_today"


def merged(
    path: Path,
    rel: str,
    saved: str,
    *,
    additions_only: bool = False,
    base: bytes | None = None,
) -> bytes:
    """The bytes of ``path`` with the values ``saved`` (the editor's whole file) changed.

    ``additions_only``: what the form left empty keeps the file's value (a new
    engagement's scaffold keeps its placeholders, comments and body).  ``base`` is the
    file's content when it is not on disk yet.
    """
    new = _read(saved, rel)
    edit = FrontMatterEdit.open(path, rel, base)
    old = parse_markdown(edit.raw.decode("utf-8-sig").replace("\r\n", "\n"), rel)
    for key in _changed_keys(old, new):
        before, after = old.data.get(key), _pruned(new.data.get(key))
        if additions_only and after in _EMPTY:
            continue
        if not _apply(edit, (key,), before, after):
            edit.replace_key(key, after)
    if _text(new.body) != _text(old.body) and not (additions_only and not _text(new.body)):
        edit.body = new.body
    return edit.result()


def fresh(saved: str, rel: str) -> tuple[dict[str, Any], str]:
    """A new file the editor sent: its values (the form's empty ones left out) and its text.

    The front matter is written in block style, in the form's order; the body follows.
    """
    new = _read(saved, rel)
    data = _pruned(new.data)
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
    return data, f"---\n{front}---\n{new.body.lstrip(chr(10))}"


def _read(saved: str, rel: str) -> SourceFile:
    """What the editor sent, read as docgen reads a file."""
    try:
        source = parse_markdown(saved.replace("\r\n", "\n"), rel)
    except FileProblem as exc:
        raise DocgenError(
            msg("the editor sent %(rel)s in a form docgen cannot read", rel=rel), exc.diagnostics
        ) from exc
    source.data.pop(BASE_KEY, None)  # the editor's bookkeeping, never the file's
    return source


def with_done_today(saved: str, rel: str, today: date) -> str:
    """``saved`` with the items chosen under "done today" marked done today, by their owner."""
    source = _read(saved, rel)
    if DONE_TODAY_KEY not in source.data:
        return saved
    chosen = source.data.pop(DONE_TODAY_KEY) or []  # left empty: the key goes all the same
    checklist = source.data.setdefault("checklist", {}) or {}
    source.data["checklist"] = checklist
    for item_id in [chosen] if isinstance(chosen, str) else list(chosen):
        state = checklist.get(item_id) or {}
        if not state.get("done"):
            state = {**state, "done": today.isoformat()}
            if state.get("owner") and not state.get("by"):
                state["by"] = state["owner"]
        checklist[item_id] = state
    base = saved_base(saved, rel)
    data = {BASE_KEY: base, **source.data} if base is not None else source.data
    head = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n{source.body}"


def saved_base(saved: str, rel: str) -> str | None:
    """The ``docgen_base`` token the editor sent back with a file, if any."""
    try:
        value = parse_markdown(saved.replace("\r\n", "\n"), rel).data.get(BASE_KEY)
    except FileProblem:
        return None
    return str(value) if value else None


def with_base(raw: bytes, token: str) -> str:
    """The file's text as the editor gets it: ``docgen_base: <token>`` first in its front matter."""
    text = raw.decode("utf-8", errors="replace")
    first, newline, rest = text.partition("\n")
    if first.lstrip("\ufeff").rstrip("\r") != "---" or not newline:
        return text
    ending = "\r\n" if first.endswith("\r") else "\n"
    return f"{first}\n{BASE_KEY}: {token}{ending}{rest}"


def _changed_keys(old: SourceFile, new: SourceFile) -> list[str]:
    keys = list(old.data) + [k for k in new.data if k not in old.data]
    return [k for k in keys if not _same(old.data.get(k), _pruned(new.data.get(k)))]


def _apply(edit: FrontMatterEdit, path: tuple[str | int, ...], before: Any, after: Any) -> bool:
    """Make the change at ``path`` line by line; False when only a rewrite can."""
    if _same(before, after):
        return True
    if isinstance(before, dict) and isinstance(after, dict):
        if any(k not in after for k in before if before[k] not in _EMPTY):
            return False  # a key went: the block is written anew
        return all(_apply(edit, (*path, k), before.get(k), v) for k, v in after.items())
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return False
        return all(
            _apply(edit, (*path, i), b, a)
            for i, (b, a) in enumerate(zip(before, after, strict=True))
        )
    if after is None:
        return False  # a value cleared: the key goes
    if isinstance(after, list) or (isinstance(after, dict) and not _flat(after)):
        return False
    try:
        edit.set(path, after)
    except DocgenError:
        return False
    return True


def _pruned(value: Any) -> Any:
    """``value`` without the empty entries a form adds for fields left blank."""
    if isinstance(value, dict):
        kept = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in _EMPTY}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _same(before: Any, after: Any) -> bool:
    if before in _EMPTY and after in _EMPTY:
        return True
    if isinstance(before, dict) and isinstance(after, dict):
        keys = set(before) | set(after)
        return all(_same(before.get(k), after.get(k)) for k in keys)
    return bool(before == after)


def _flat(value: dict[str, Any]) -> bool:
    return all(not isinstance(v, dict | list) for v in value.values())


def _text(body: str) -> str:
    """A body as compared: the editor trims the trailing newlines a file ends with."""
    return body.strip("\n")
