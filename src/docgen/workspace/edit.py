"""Surgical edits of front matter: change values, keep every other byte.

ruamel.yaml locates each key and value; the edit rewrites only the value's text on its
line (or inserts one line for a new key), so comments, key order, quoting, indentation,
flow style, a BOM, CRLF line endings and the markdown body stay byte for byte.  Before
anything is written, the edited text is parsed again and must equal the old data with
exactly the intended changes; otherwise the edit is refused and the file left alone.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from docgen.core.diagnostics import DocgenError, FileProblem
from docgen.core.i18n import msg
from docgen.core.source import decode, parse_markdown, split_front_matter

_KEY_COLON = re.compile(r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#'"][^:#]*?)\s*:(?=\s|$)""")


def yaml_scalar(value: object) -> str:
    """A value as a one-line YAML scalar, quoted only where YAML needs it."""
    if value is None:
        return "null"
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    text = text.removesuffix("\n").removesuffix("\n...").strip()
    if "\n" in text or yaml.safe_load(text) != value:
        return json.dumps(value, ensure_ascii=False)  # JSON strings are valid YAML
    return text


@dataclass
class FrontMatterEdit:
    """Pending edits to one file's front matter."""

    path: Path
    rel: str
    raw: bytes
    lines: list[str] = field(default_factory=list)
    changes: list[tuple[tuple[str | int, ...], Any]] = field(default_factory=list)
    appended: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: top-level keys whose whole block was written anew (value None: the key went)
    replaced: list[tuple[str, Any]] = field(default_factory=list)
    #: the markdown body, when it is to change
    body: str | None = None
    #: the parsed front matter, while its lines are where it says (see `_moved`)
    _parsed: CommentedMap | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(cls, path: Path, rel: str, raw: bytes | None = None) -> FrontMatterEdit:
        """Read ``path`` for editing (a `DocgenError` if it does not parse).

        ``raw`` is the file's content when it is not on disk yet (or not as it will be).
        """
        raw = path.read_bytes() if raw is None else raw
        try:
            text = decode(raw, rel)
            split_front_matter(text, rel)
        except FileProblem as exc:
            raise DocgenError(msg("cannot edit %(rel)s", rel=rel), exc.diagnostics) from exc
        return cls(path, rel, raw, text.split("\n"))

    def _tree(self) -> CommentedMap:
        """The front matter with each key's line and column, parsed once while they hold.

        A value rewritten on its own line moves nothing, so a sheet's thousand changed
        cells cost one parse; lines added or removed, or a flow mapping's text spliced,
        parse it again (`_moved`).
        """
        if self._parsed is None:
            self._parsed = self._parse()
        return self._parsed

    def _moved(self) -> None:
        self._parsed = None

    def _parse(self) -> CommentedMap:
        yaml_text, _, _, _ = split_front_matter("\n".join(self.lines), self.rel)
        try:
            tree = YAML(typ="rt").load(yaml_text)
        except YAMLError as exc:
            raise DocgenError(msg("cannot edit %(rel)s: %(exc)s", rel=self.rel, exc=exc)) from exc
        if not isinstance(tree, CommentedMap):
            raise DocgenError(
                msg("cannot edit %(rel)s: front matter is not a mapping", rel=self.rel)
            )
        return tree

    def has(self, key: str) -> bool:
        """Whether the front matter has the top-level ``key``, as edited so far."""
        return key in self._tree()

    def set(
        self, keys: tuple[str | int, ...], value: Any, comment: tuple[str, str] | None = None
    ) -> None:
        """Set the scalar at ``keys`` (``("dates", "closed")``, ``("tasks", 2, "owner")``).

        ``comment`` is (old, new): a trailing comment that reads exactly ``old`` (the
        title the scaffold wrote beside an id) becomes ``new``, so it never goes stale;
        any other comment is the user's and stays.
        """
        tree = self._tree()
        parent: Any = tree
        for k in keys[:-1]:
            if isinstance(parent, CommentedSeq) and isinstance(k, int):
                parent = parent[k] if 0 <= k < len(parent) else None
            else:
                parent = parent.get(k) if isinstance(parent, dict) else None
            if not isinstance(parent, CommentedMap | CommentedSeq):
                break
        if not isinstance(parent, CommentedMap):
            raise DocgenError(
                msg(
                    "cannot edit %(rel)s: '%(keys)s' is not a mapping",
                    rel=self.rel,
                    keys=".".join(map(str, keys[:-1])),
                )
            )
        key, rendered = str(keys[-1]), _one_line(value)
        if key in parent:
            if isinstance(parent[key], dict | list):
                raise DocgenError(
                    msg(
                        "cannot edit %(rel)s: '%(keys)s' is not a plain value",
                        rel=self.rel,
                        keys=".".join(map(str, keys)),
                    )
                )
            self._replace_value(parent, key, rendered, comment)
        else:
            self._insert(parent, key, rendered)
        self.changes.append((keys, value))

    def append(self, key: str, item: dict[str, Any]) -> None:
        """Add ``item`` (a mapping of plain values) to the top-level list ``key``.

        The item is written in block style after the list's last item, indented as the
        list is; a missing key (or an empty ``[]``) becomes a new block list.
        """
        self.extend(key, [item])

    def extend(self, key: str, items: list[dict[str, Any]]) -> None:
        """Add ``items`` to the top-level list ``key`` at once, as `append` adds one."""
        if not items:
            return
        tree = self._tree()
        end = split_front_matter("\n".join(self.lines), self.rel)[3] - 2  # closing '---'
        current = tree.get(key)
        if current is None or (isinstance(current, list) and not current):
            if key in tree:  # "key: []" or "key:" with nothing: the key's line goes
                line_no, _ = tree.lc.key(key)
                del self.lines[line_no + 1]
                end -= 1
                where = line_no + 1
            else:
                where = end
            block = [f"{key}:", *(line for item in items for line in _item_lines(item, "  "))]
            self.lines[where:where] = block
            self._moved()
        elif isinstance(current, CommentedSeq) and not current.fa.flow_style():
            line_no, col = current.lc.item(len(current) - 1)
            index = line_no + 1
            dash = self.lines[index].index("-", 0) if "-" in self.lines[index] else col - 2
            prefix = " " * dash
            nxt = index + 1
            while (
                nxt < end
                and (not self.lines[nxt].strip() or _indent(self.lines[nxt]) > dash)
                and not self.lines[nxt].lstrip().startswith("- ")
            ):
                nxt += 1
            self.lines[nxt:nxt] = [line for item in items for line in _item_lines(item, prefix)]
            self._moved()
        else:
            raise DocgenError(
                msg(
                    (
                        "cannot add to '%(key)s' in %(rel)s: it is not a list in "
                        "block style; write it as '- ' lines first"
                    ),
                    key=key,
                    rel=self.rel,
                )
            )
        self.appended += [(key, item) for item in items]

    def replace_key(self, key: str, value: Any) -> None:
        """Write the top-level ``key`` anew, in block style (None: remove it).

        For changes a line-by-line edit cannot make (an item taken out of a list, a key
        removed from a mapping): comments inside that key's block go; the rest of the
        file stays byte for byte.
        """
        tree = self._tree()
        end = split_front_matter("\n".join(self.lines), self.rel)[3] - 2  # closing '---'
        if key in tree:
            start = tree.lc.key(key)[0] + 1
            keys = list(tree)
            after = keys.index(key) + 1
            stop = tree.lc.key(keys[after])[0] + 1 if after < len(keys) else end
            while stop - 1 > start and not self.lines[stop - 1].strip():
                stop -= 1  # blank lines before the next key stay
        else:
            start = stop = end
        block = [] if value is None else _block({key: value})
        self.lines[start:stop] = block
        self._moved()
        self.replaced.append((key, value))

    def add_mapping(self, key: str, mapping: dict[str, Any]) -> None:
        """Add the top-level key ``key`` holding ``mapping`` (plain values), at the end."""
        tree = self._tree()
        if key in tree:
            raise DocgenError(
                msg("cannot add '%(key)s' to %(rel)s: it is there already", key=key, rel=self.rel)
            )
        end = split_front_matter("\n".join(self.lines), self.rel)[3] - 2
        block = [f"{key}:", *(f"  {k}: {yaml_scalar(v)}" for k, v in mapping.items())]
        self.lines[end:end] = block
        self._moved()
        self.changes.append(((key,), mapping))

    def _replace_value(
        self,
        parent: CommentedMap,
        key: str,
        rendered: str,
        comment: tuple[str, str] | None = None,
    ) -> None:
        line_no, col = parent.lc.key(key)
        index = line_no + 1  # front matter starts on the file's second line
        if parent.fa.flow_style():
            value_line, value_col = parent.lc.value(key)
            start = self._offset(value_line + 1, value_col)
            self._splice(start, _flow_value_end(self._text(), start), _flow_safe(rendered))
            return
        line = self.lines[index]
        match = _KEY_COLON.match(line, col)
        if match is None:
            raise DocgenError(
                msg(
                    "cannot edit %(rel)s:%(value)s: key '%(key)s' not found",
                    rel=self.rel,
                    value=index + 1,
                    key=key,
                )
            )
        head, after = line[: match.end()], line[match.end() :]
        rest = _after_value(after)
        if comment is not None:
            spacing, hash_, text = rest.partition("#")
            if hash_ and text.strip() == comment[0]:
                rest = f"{spacing}# {comment[1]}"
        if rest and not rest[0].isspace():
            rest = " " + rest
        self.lines[index] = f"{head} {rendered}{rest}"

    def _insert(self, parent: CommentedMap, key: str, rendered: str) -> None:
        if parent.fa.flow_style() and parent:  # after the last value: ", key: value"
            value_line, value_col = parent.lc.value(list(parent)[-1])
            end = _flow_value_end(self._text(), self._offset(value_line + 1, value_col))
            self._splice(end, end, f", {key}: {_flow_safe(rendered)}")
            return
        if not parent:
            raise DocgenError(
                msg(
                    (
                        "cannot add '%(key)s' to %(rel)s: its mapping is empty or in "
                        "{flow} style; write it in block style first"
                    ),
                    key=key,
                    rel=self.rel,
                )
            )
        last = list(parent)[-1]
        line_no, indent = parent.lc.key(last)
        index = line_no + 1
        # the closing '---' is the line before the body's first line
        end = split_front_matter("\n".join(self.lines), self.rel)[3] - 2
        nxt = index + 1
        while nxt < end and (not self.lines[nxt].strip() or _indent(self.lines[nxt]) > indent):
            nxt += 1
        while nxt - 1 > index and not self.lines[nxt - 1].strip():
            nxt -= 1  # keep blank lines after the mapping where they were
        self.lines.insert(nxt, f"{' ' * indent}{key}: {rendered}")
        self._moved()

    def _text(self) -> str:
        return "\n".join(self.lines)

    def _offset(self, index: int, col: int) -> int:
        """The offset in `_text` of column ``col`` of line ``index`` (0-based)."""
        return sum(len(line) + 1 for line in self.lines[:index]) + col

    def _splice(self, start: int, end: int, new: str) -> None:
        text = self._text()
        self.lines = (text[:start] + new + text[end:]).split("\n")
        self._moved()

    def result(self) -> bytes:
        """The edited file's bytes, after checking the edit changed only what was asked."""
        text = "\n".join(self.lines)
        original = decode(self.raw, self.rel)
        try:
            before = parse_markdown(original, self.rel)
            after = parse_markdown(text, self.rel)
        except FileProblem as exc:
            raise DocgenError(
                msg("edit of %(rel)s refused: the result does not parse", rel=self.rel)
            ) from exc
        expected = copy.deepcopy(before.data)
        for keys, value in self.changes:
            node: Any = expected
            for k in keys[:-1]:
                node = node[k]
            node[keys[-1]] = value
        for key, item in self.appended:
            if not isinstance(expected.get(key), list):
                expected[key] = []
            expected[key].append(item)
        for key, value in self.replaced:
            if value is None:
                expected.pop(key, None)
            else:
                expected[key] = value
        if self.body is not None:
            text = text[: len(text) - len(after.body)] + self.body
            after = parse_markdown(text, self.rel)
        body = before.body if self.body is None else self.body
        if after.data != expected or after.body != body:
            raise DocgenError(
                msg("edit of %(rel)s refused: it would change more than intended", rel=self.rel)
            )
        crlf = b"\r\n" in self.raw
        out = text.replace("\n", "\r\n") if crlf else text
        bom = b"\xef\xbb\xbf" if self.raw.startswith(b"\xef\xbb\xbf") else b""
        return bom + out.encode("utf-8")


def _one_line(value: Any) -> str:
    """A scalar, or a mapping of scalars in flow style (``{done: 2026-11-26, by: 张伟}``)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow_safe(yaml_scalar(v))}" for k, v in value.items()) + "}"
    return yaml_scalar(value)


def _block(value: dict[str, Any]) -> list[str]:
    """A mapping as block-style YAML lines, keys in their order, Chinese as it is."""
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=10**6)
    return text.rstrip("\n").split("\n")


def _item_lines(item: dict[str, Any], prefix: str) -> list[str]:
    """A mapping as the lines of one block-style list item: ``- a: 1`` then ``  b: 2``."""
    lines = []
    for i, (k, v) in enumerate(item.items()):
        lead = f"{prefix}- " if i == 0 else f"{prefix}  "
        lines.append(f"{lead}{k}: {yaml_scalar(v)}")
    return lines


def _after_value(after: str) -> str:
    """What follows the value in the text after ``key:`` (spacing and a comment), if any."""
    stripped = after.lstrip()
    if stripped.startswith('"'):
        i = 1
        while i < len(stripped) and stripped[i] != '"':
            i += 2 if stripped[i] == "\\" else 1
        return stripped[i + 1 :]
    if stripped.startswith("'"):
        i = 1
        while i < len(stripped) and not (stripped[i] == "'" and stripped[i + 1 : i + 2] != "'"):
            i += 2 if stripped[i] == "'" else 1
        return stripped[i + 1 :]
    comment = re.search(r"(?:^|\s)#", after)
    if comment is None:
        return ""
    return after[len(after[: comment.start()].rstrip()) :]


def _flow_value_end(text: str, start: int) -> int:
    """Where the flow-style value starting at ``start`` ends (before ``,``, ``}`` or ``]``).

    Quoted strings and nested ``[…]``/``{…}`` are stepped over whole; a plain scalar in
    flow style holds none of ``,[]{}``, so the first one at depth 0 ends it.
    """
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char in "\"'":
            i = _quoted_end(text, i)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}" and depth:
            depth -= 1
        elif char in ",]}" and not depth:
            break
        i += 1
    while i > start and text[i - 1] in " \t\n":
        i -= 1
    return i


def _quoted_end(text: str, i: int) -> int:
    """The offset after the quoted string opening at ``i``."""
    quote, i = text[i], i + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return i


def _flow_safe(rendered: str) -> str:
    """``rendered`` as a value inside ``{…}``: quoted when it holds a flow indicator."""
    if rendered[:1] in "\"'" or not any(c in rendered for c in ",[]{}#"):
        return rendered
    return json.dumps(yaml.safe_load(rendered), ensure_ascii=False, default=str)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
