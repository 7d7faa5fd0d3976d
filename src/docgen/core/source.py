"""Reading user files: bytes → text → front matter → data with source lines.

A user's file is decoded as UTF-8 (a BOM and CRLF line endings are accepted silently);
anything else is a diagnostic naming the file and the first bad byte, with a hint when
the bytes read as GBK/GB18030.  YAML is parsed with PyYAML's C parser; values are built
here from the node tree so that every key's line is kept in a `SourceMap`, duplicate
keys are caught (PyYAML keeps the last silently) and impossible dates such as
2026-02-30 become diagnostics instead of tracebacks.

python-frontmatter splits front matter well but cannot say on which line the block
starts, and every line docgen reports must be the file's own, so the split is done here.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from docgen.core.control_chars import CONTROL, code_point, shown
from docgen.core.diagnostics import Diagnostic, FileProblem, Location
from docgen.core.i18n import N_, msg

Loc = tuple[str | int, ...]

#: Files larger than this are refused unread (a runaway paste, a binary renamed .md).
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
_MAX_DEPTH = 200
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(slots=True)
class SourceMap:
    """Where each value of a parsed YAML document stands in its file."""

    path: str
    lines: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    #: what parsing noticed but did not refuse (control characters in values)
    findings: list[Diagnostic] = field(default_factory=list)

    def locate(self, loc: Loc = ()) -> Location:
        """The location of the value at ``loc``, or of its nearest recorded parent."""
        for end in range(len(loc), -1, -1):
            pos = self.lines.get(tuple(loc[:end]))
            if pos is not None:
                return Location(self.path, pos[0], pos[1])
        return Location(self.path, 1, 1)


@dataclass(slots=True)
class SourceFile:
    """A markdown file split into front matter data and body, with a source map."""

    path: str
    data: dict[str, Any]
    body: str
    source_map: SourceMap
    body_line: int


def read_text(file: Path, rel: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read ``file`` as UTF-8 text with LF line endings, or raise a `FileProblem`."""
    return decode(read_bytes(file, rel, max_bytes=max_bytes), rel)


def read_bytes(file: Path, rel: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read ``file``'s bytes, refusing files over ``max_bytes``, or raise a `FileProblem`."""
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise FileProblem(
                Location(rel).diagnostic(
                    "error",
                    "file-too-large",
                    msg(
                        "file is %(size)s MB; docgen reads files up to %(limit)s MB",
                        size=format(size / 1048576, ".1f"),
                        limit=format(max_bytes / 1048576, ".1f"),
                    ),
                    msg("move large material to an attachment and link it as evidence"),
                )
            )
        return file.read_bytes()
    except OSError as exc:
        raise FileProblem(
            Location(rel).diagnostic(
                "error", "workspace", msg("cannot read file: %(strerror)s", strerror=exc.strerror)
            )
        ) from exc


def decode(raw: bytes, rel: str) -> str:
    """Decode bytes as UTF-8 (BOM allowed), normalising CRLF and CR to LF."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            Location(rel).diagnostic(
                "error",
                "encoding",
                msg("file is UTF-16, not UTF-8"),
                msg("re-save the file as UTF-8"),
            )
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = msg("re-save the file as UTF-8")
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            message = msg(
                "file is not UTF-8 (byte 0x%(byte)s cannot be decoded)",
                byte=format(raw[exc.start], "02x"),
            )
        else:
            message = msg("file is not UTF-8; it reads as GBK/GB18030")
            hint = msg("convert it, e.g. iconv -f GB18030 -t UTF-8 '%(file)s'", file=rel)
        raise FileProblem(
            Location(rel, line, col).diagnostic("error", "encoding", message, hint)
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileProblem(
            Location(rel, line).diagnostic(
                "error", "encoding", msg("file holds NUL bytes; not text")
            )
        )
    return text


def split_front_matter(text: str, rel: str) -> tuple[str, int, str, int]:
    """Split text into (yaml, first yaml line, body, first body line); 1-based lines."""
    if not text.startswith("---") or _FENCE.match(text) is None:
        raise FileProblem(
            Location(rel).diagnostic(
                "error",
                "front-matter-missing",
                msg("file has no YAML front matter"),
                msg("start the file with a line '---', the YAML keys, then a line '---'"),
            )
        )
    first_nl = text.find("\n")
    if first_nl < 0:
        raise _unclosed(rel)
    closing = _FENCE.search(text, first_nl + 1)
    if closing is None:
        raise _unclosed(rel)
    yaml_text = text[first_nl + 1 : closing.start()]
    body_start = text.find("\n", closing.end())
    body = "" if body_start < 0 else text[body_start + 1 :]
    body_line = text.count("\n", 0, closing.end()) + 2
    return yaml_text, 2, body, body_line


def _unclosed(rel: str) -> FileProblem:
    return FileProblem(
        Location(rel).diagnostic(
            "error",
            "front-matter-unclosed",
            msg("front matter is opened with '---' but never closed"),
            msg("add a line '---' after the last YAML key"),
        )
    )


_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_DATE_ONLY = re.compile(r"^\d{4}-\d\d-\d\d$")
#: Implicit tag resolution is a pure function of the scalar's text; front matter repeats
#: the same names and dates across thousands of files, so resolving once pays.
_RESOLVED: dict[tuple[str, Any], str] = {}


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """The C parser and composer; values are built by `_Builder`."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            key = (value, implicit)
            tag = _RESOLVED.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < 200_000:
                    _RESOLVED[key] = tag
            return tag
        return super().resolve(kind, value, implicit)


class _Builder:
    """Turns a composed YAML node tree into Python values, recording each key's line."""

    def __init__(self, loader: Any, source_map: SourceMap, first_line: int) -> None:
        self.loader = loader
        self.map = source_map
        self.offset = first_line
        self.memo: dict[int, Any] = {}

    def where(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.map.path, mark.line + self.offset, mark.column + 1)

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if len(loc) > _MAX_DEPTH:
            raise FileProblem(
                self.where(node).diagnostic(
                    "error",
                    "yaml-too-deep",
                    msg("YAML nests deeper than %(depth)s levels", depth=_MAX_DEPTH),
                )
            )
        known = self.memo.get(id(node))
        if known is not None:  # an alias: share the value, do not expand it again
            return known
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            raise FileProblem(
                self.where(node).diagnostic(
                    "error",
                    "yaml-syntax",
                    msg("YAML tag '%(tag)s' is not allowed", tag=node.tag),
                    msg("docgen files hold plain mappings, lists and values"),
                )
            )
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self.memo[id(node)] = items
            lines, offset = self.map.lines, self.offset
            for i, child in enumerate(node.value):
                child_loc = (*loc, i)
                mark = child.start_mark
                lines[child_loc] = (mark.line + offset, mark.column + 1)
                items.append(self.build(child, child_loc))
            return items
        return self.scalar(node, loc)

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        if any(k.tag == _MERGE for k, _ in node.value):
            try:
                self.loader.flatten_mapping(node)
            except yaml.MarkedYAMLError as exc:
                raise _yaml_problem(exc, self.map.path, self.offset) from exc
        out: dict[str, Any] = {}
        self.memo[id(node)] = out
        lines, offset = self.map.lines, self.offset
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise FileProblem(
                    self.where(key_node).diagnostic(
                        "error", "yaml-key-type", msg("a mapping key must be a plain value")
                    )
                )
            key = key_node.value if key_node.tag == _STR else _key_text(self.scalar(key_node))
            if key in out:
                first = self.map.lines.get((*loc, key), (0, 0))[0]
                raise FileProblem(
                    self.where(key_node).diagnostic(
                        "error",
                        "yaml-duplicate-key",
                        msg("key '%(key)s' appears twice in the same mapping", key=key),
                        msg("first at line %(first)s; remove one of them", first=first),
                    )
                )
            key_loc = (*loc, key)
            mark = key_node.start_mark
            lines[key_loc] = (mark.line + offset, mark.column + 1)
            if value_node.__class__ is yaml.ScalarNode and value_node.tag == _STR:
                out[key] = value_node.value
                if CONTROL.search(value_node.value):
                    self.control(value_node, key_loc)
            else:
                out[key] = self.build(value_node, key_loc)
        return out

    def control(self, node: yaml.Node, loc: Loc) -> None:
        """Note each distinct control character in a text value (a warning, not a refusal)."""
        dotted = ".".join(str(p) for p in loc)
        for char in dict.fromkeys(CONTROL.findall(node.value)):
            self.map.findings.append(
                self.where(node).diagnostic(
                    "warning",
                    "control-character",
                    msg(
                        (
                            "'%(dotted)s' holds the control character %(code_point)s; "
                            "documents and the site show it as %(shown)s"
                        ),
                        dotted=dotted,
                        code_point=code_point(char),
                        shown=shown(char),
                    ),
                    msg("delete it: such characters come from pasting, never from typing"),
                )
            )

    def scalar(self, node: yaml.Node, loc: Loc = ()) -> Any:
        tag = node.tag
        if tag == _STR:
            if CONTROL.search(node.value):
                self.control(node, loc)
            return node.value
        try:
            if tag == _TIMESTAMP and _DATE_ONLY.match(node.value):
                return date.fromisoformat(node.value)
            return self.loader.construct_object(node, deep=True)
        except ValueError as exc:
            raise FileProblem(self._bad_scalar(node, exc)) from exc
        except yaml.MarkedYAMLError as exc:
            raise _yaml_problem(exc, self.map.path, self.offset) from exc

    def _bad_scalar(self, node: yaml.Node, exc: ValueError) -> Any:
        text = str(node.value)
        m = re.match(r"^(\d{4})-(\d\d?)-(\d\d?)", text)
        if m:
            y, mo, _d = (int(g) for g in m.groups())
            if 1 <= mo <= 12:
                days = calendar.monthrange(y, mo)[1]
                detail = msg("%(month)s has %(days)s days", month=f"{y}-{mo:02d}", days=days)
            else:
                detail = msg("months run from 01 to 12")
            return self.where(node).diagnostic(
                "error", "invalid-date", msg("'%(text)s' is not a calendar date", text=text), detail
            )
        return self.where(node).diagnostic(
            "error",
            "invalid-type",
            msg("cannot read value '%(text)s': %(exc)s", text=text[:60], exc=exc),
        )


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, date | datetime):
        return key.isoformat()
    if isinstance(key, Hashable):
        return str(key)
    return repr(key)  # pragma: no cover - scalars are hashable


#: ``owner：张伟``: a key followed by a full-width colon, which YAML does not read as one.
_FULLWIDTH_KEY = re.compile(r"^(\s*)([^\s#:'\"\[{\-][^:#]*?)\s*：")


def _fullwidth_colon(text: str, rel: str, first_line: int, upto: int) -> FileProblem | None:
    """A line just before the error (0-based ``upto``) whose key ends in '：', as the problem.

    YAML reports such a line at the line after it, as a missing ':'; only the lines
    next to the error are looked at, so a '：' in a text value elsewhere is left alone.
    """
    lines = text.split("\n")
    for number in range(max(0, upto - 2), min(upto, len(lines) - 1) + 1):
        line = lines[number]
        match = _FULLWIDTH_KEY.match(line)
        if match and ":" not in line[: match.end()]:
            key = match.group(2)
            return FileProblem(
                Location(rel, number + first_line, match.end()).diagnostic(
                    "error",
                    "yaml-syntax",
                    msg(
                        (
                            "'%(key)s' is followed by a full-width colon '：', which YAML "
                            "does not read"
                        ),
                        key=key,
                    ),
                    msg("write an ASCII colon and a space: %(key)s: …", key=key),
                )
            )
    return None


def _yaml_problem(
    exc: yaml.MarkedYAMLError, rel: str, first_line: int, text: str = ""
) -> FileProblem:
    mark = exc.problem_mark or exc.context_mark
    if text and "：" in text:
        found = _fullwidth_colon(text, rel, first_line, mark.line if mark else text.count("\n"))
        if found is not None:
            return found
    line = (mark.line + first_line) if mark else first_line
    col = (mark.column + 1) if mark else 1
    problem = exc.problem or exc.context or "invalid YAML"
    hint: str = ""
    bad_line = text.split("\n")[mark.line] if mark and text.count("\n") >= mark.line else ""
    if "\t" in bad_line[: (mark.column + 1) if mark else 0] or "tab" in problem:
        hint = msg("YAML indentation must use spaces, not tabs")
    elif exc.context and exc.context_mark and exc.problem_mark:
        hint = msg(
            "%(context)s at line %(line)s",
            context=msg(exc.context),
            line=exc.context_mark.line + first_line,
        )
    elif "could not determine a constructor" in problem:
        hint = msg("YAML tags (!...) are not allowed in docgen files")
    said = msg(problem)  # PyYAML's words: the common ones are in YAML_PROBLEMS
    return FileProblem(Location(rel, line, col).diagnostic("error", "yaml-syntax", said, hint))


#: PyYAML's problems and contexts people meet most, marked for translation
YAML_PROBLEMS = (
    N_("mapping values are not allowed here"),
    N_("could not find expected ':'"),
    N_("did not find expected key"),
    N_("did not find expected '-' indicator"),
    N_("found character that cannot start any token"),
    N_("found unexpected end of stream"),
    N_("found undefined alias"),
    N_("expected <block end>, but found '<block mapping start>'"),
    N_("expected <block end>, but found '<block sequence start>'"),
    N_("expected <block end>, but found '<scalar>'"),
    N_("expected ',' or ']', but got '<stream end>'"),
    N_("expected ',' or '}', but got '<stream end>'"),
    N_("while scanning a simple key"),
    N_("while scanning a quoted scalar"),
    N_("while parsing a block mapping"),
    N_("while parsing a block collection"),
    N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"),
    N_("invalid YAML"),
)


def parse_yaml(text: str, rel: str, first_line: int = 1) -> tuple[Any, SourceMap]:
    """Parse one YAML document; lines in the map and in diagnostics are the file's own."""
    source_map = SourceMap(rel)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, source_map
        source_map.lines[()] = (node.start_mark.line + first_line, node.start_mark.column + 1)
        return _Builder(loader, source_map, first_line).build(node, ()), source_map
    except yaml.MarkedYAMLError as exc:
        raise _yaml_problem(exc, rel, first_line, text) from exc
    except yaml.YAMLError as exc:
        raise FileProblem(
            Location(rel, first_line).diagnostic("error", "yaml-syntax", str(exc))
        ) from exc
    except RecursionError as exc:
        raise FileProblem(
            Location(rel, first_line).diagnostic(
                "error", "yaml-too-deep", msg("YAML nests too deeply to read")
            )
        ) from exc
    finally:
        loader.dispose()


def parse_markdown(text: str, rel: str) -> SourceFile:
    """Split a markdown file and parse its front matter into a mapping."""
    yaml_text, first_line, body, body_line = split_front_matter(text, rel)
    data, source_map = parse_yaml(yaml_text, rel, first_line)
    if data is None:
        raise FileProblem(
            Location(rel).diagnostic(
                "error",
                "front-matter-empty",
                msg("front matter is empty"),
                msg("add the file's keys"),
            )
        )
    if not isinstance(data, dict):
        kind = (
            msg("a list") if isinstance(data, list) else msg("a %(type)s", type=type(data).__name__)
        )
        raise FileProblem(
            source_map.locate().diagnostic(
                "error",
                "front-matter-type",
                msg("front matter must be a mapping of keys, not %(kind)s", kind=kind),
                msg("write 'key: value' lines, not '- item' lines"),
            )
        )
    return SourceFile(rel, data, body, source_map, body_line)


def read_yaml(file: Path, rel: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Any, SourceMap]:
    """Read and parse a plain YAML file (the process definition)."""
    return parse_yaml(read_text(file, rel, max_bytes=max_bytes), rel, 1)
