"""Tracked changes between two bodies made by our writer: native ``w:ins`` / ``w:del``.

Both versions are written by `docgen.word.writer` from their markdown, so their bodies
share one structure.  `merge_bodies` lines up the blocks (paragraphs and tables) of the
old and new body, keeps what is equal, and marks what changed:

- a block only in the new body is inserted, its paragraph marks and table rows too;
- a block only in the old body is deleted (``w:delText``), its marks and rows too;
- a changed paragraph is compared token by token: each CJK character is a token (Chinese
  has no spaces), a Latin word or a number is one, so ``60,000,000`` → ``50,000,000`` is
  one replacement, not one digit.  A formatting change is a ``w:rPrChange``, a style
  change a ``w:pPrChange``;
- a changed table keeps its grid: rows are lined up, and changed cells compared the same
  way, recursively.

Accepting every revision gives the new text, rejecting every one the old text.  Every
revision carries the author and date given (a block inserted or deleted whole, two
minutes after it: see `merge_bodies`).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from docgen.word.writer import append_numbering, numbering_instances

#: A token of a changed paragraph: a Latin word, a number (60,000,000 or 1.0), a run of
#: spaces, or any other single character (each CJK character is one).
_TOKEN = re.compile(r"[A-Za-z_]+|\d+(?:[.,]\d+)*|\s+|.", re.S)
_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_PPR, _RPR, _T = qn("w:pPr"), qn("w:rPr"), qn("w:t")
_SECTPR = qn("w:sectPr")
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NOTE = "\0note:"
_NUM_ID = f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}"
_LIST_INSTANCE = re.compile(rb'(<w:numId\b[^>]*?) w:val="\d+"')
#: Paragraphs less alike than this are a deletion and an insertion, not a change.
_ALIKE = 0.5
#: Blocks lined up pairwise at most (rows × columns of the alignment table).
_ALIGN_CELLS = 4000


@dataclass
class _Revisions:
    """The attribution every revision carries, and the next revision id."""

    author: str
    date: str
    ids: Iterator[int]

    def mark(self, tag: str) -> etree._Element:
        element = etree.Element(qn(f"w:{tag}"))
        element.set(qn("w:id"), str(next(self.ids)))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        return element


@dataclass
class _Sides:
    """What the comparison needs of each document besides its body."""

    old: Document
    new: Document
    revisions: _Revisions
    #: the revisions of blocks inserted or deleted whole (see `merge_bodies`)
    whole: _Revisions
    related: dict[str, str] = field(default_factory=dict)  # old → new relationship id
    #: old list numbering instance → the new one the same list uses
    lists: dict[str, str] = field(default_factory=dict)
    #: what came over from the old body (deleted blocks, former paragraph properties)
    from_old: list[etree._Element] = field(default_factory=list)


def merge_bodies(old: Document, new: Document, *, author: str, when: datetime) -> int:
    """Make ``new``'s body the tracked-change merge of ``old`` → ``new``; count revisions.

    Both documents come from the same reference.  ``new`` keeps its own section
    properties; images in deleted text are carried over from ``old``.
    """
    revisions = _Revisions(author, when.strftime("%Y-%m-%dT%H:%M:%SZ"), itertools.count(1))
    # LibreOffice joins adjacent revisions of one author dated within a minute of each
    # other into one: a 。 added at a paragraph's end and the paragraph inserted after it
    # become one insertion, and rejecting it also removes the first paragraph's break.
    # Whole blocks are dated two minutes later, so that no such pair is ever one revision.
    whole = _Revisions(author, (when + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       revisions.ids)  # fmt: skip
    sides = _Sides(old, new, revisions, whole)
    body = new.element.body
    old_blocks = [c for c in old.element.body if c.tag != _SECTPR]
    new_blocks = [c for c in body if c.tag != _SECTPR]
    merged = _merge_blocks(old_blocks, new_blocks, sides)
    section = body.find(_SECTPR)
    for child in new_blocks:
        body.remove(child)
    for block in merged:
        if section is not None:
            section.addprevious(block)
        else:
            body.append(block)
    _carry_lists(sides)
    return next(revisions.ids) - 1


def _carry_lists(sides: _Sides) -> None:
    """Point what came over from the old body at the new body's lists.

    Each list has a numbering instance of its own, numbered from the top, so the same
    list may have another number in each body.  A deleted list paragraph joins the new
    list its old list became (known from the paragraphs that stayed); a list deleted
    whole keeps its own, copied over under a free number.
    """
    theirs, ours = numbering_instances(sides.old), numbering_instances(sides.new)
    free = max((int(i) for i in ours if i.isdigit()), default=0) + 1
    added = []
    for element in sides.from_old:
        for num_id in element.iter(qn("w:numId")):
            old_id = str(num_id.get(qn("w:val")))
            if old_id not in sides.lists and old_id in theirs and old_id not in ours:
                instance = copy.deepcopy(theirs[old_id])
                instance.set(qn("w:numId"), str(free))
                added.append(instance)
                sides.lists[old_id] = str(free)
                free += 1
            num_id.set(qn("w:val"), sides.lists.get(old_id, old_id))
    if added:
        append_numbering(sides.new, added)


def _same_list(old: etree._Element, new: etree._Element, sides: _Sides) -> None:
    """Note that the list ``old`` is in is, in the new body, the one ``new`` is in."""
    a, b = old.find(_NUM_ID), new.find(_NUM_ID)
    if a is not None and b is not None:
        sides.lists.setdefault(str(a.get(qn("w:val"))), str(b.get(qn("w:val"))))


# --- blocks -------------------------------------------------------------------------


def _key(block: etree._Element) -> bytes:
    return _LIST_INSTANCE.sub(rb"\1", bytes(etree.tostring(block)))


def _canonical(element: etree._Element) -> bytes:
    """The element's XML whatever namespaces its ancestors declare.

    Which numbering instance a list paragraph uses is left out: each list has its own,
    counted from the top, so a list added above renumbers every list below.
    """
    return _LIST_INSTANCE.sub(rb"\1", bytes(etree.tostring(element, method="c14n", exclusive=True)))


def _merge_blocks(
    old: Sequence[etree._Element], new: Sequence[etree._Element], sides: _Sides
) -> list[etree._Element]:
    out: list[etree._Element] = []
    matcher = SequenceMatcher(None, [_key(b) for b in old], [_key(b) for b in new], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                _same_list(a, b, sides)
            out.extend(new[j1:j2])
            continue
        for a, b in _align(old[i1:i2], new[j1:j2]):
            if a is None:
                assert b is not None
                out.append(_whole(b, "ins", sides))
            elif b is None:
                out.append(_whole(a, "del", sides))
            elif a.tag == _P:
                _same_list(a, b, sides)
                out.append(_changed_paragraph(a, b, sides))
            else:
                out.extend(_changed_table(a, b, sides))
    _marks_before_tables(out)
    return out


def _mark_of(block: etree._Element) -> etree._Element | None:
    """The ``w:ins``/``w:del`` on a paragraph's mark, if the paragraph has one."""
    if block.tag != _P:
        return None
    for tag in ("ins", "del"):
        found = block.find(f"{_PPR}/{_RPR}/{qn(f'w:{tag}')}")
        if found is not None:
            return found
    return None


def _marks_before_tables(blocks: list[etree._Element]) -> None:
    """Move the marks of paragraphs added (or removed) just before a table one paragraph up.

    Rejecting an added paragraph joins it to what follows; before a table there is
    nothing to join, and LibreOffice leaves an empty paragraph (an empty 第X条).  Marking
    the paragraph break before the added paragraphs instead, and not the one before the
    table, removes the same text and leaves no empty paragraph.
    """
    for i, table in enumerate(blocks):
        if table.tag != _TBL or i < 2:
            continue
        last = _mark_of(blocks[i - 1])
        if last is None:
            continue
        how = last.tag
        first = i - 1
        while first > 0 and (m := _mark_of(blocks[first - 1])) is not None and m.tag == how:
            first -= 1
        before = blocks[first - 1] if first > 0 else None
        if before is None or before.tag != _P or _mark_of(before) is not None:
            continue
        last.getparent().remove(last)
        _mark_properties(before).insert(0, last)


def _text(block: etree._Element) -> str:
    return "".join(t.text or "" for t in block.iter(_T))


def _similarity(a: etree._Element, b: etree._Element) -> float:
    if a.tag != b.tag:
        return 0.0
    if a.tag == _TBL and _columns(a) != _columns(b):
        return 0.0
    matcher = SequenceMatcher(None, _text(a), _text(b), False)
    if matcher.real_quick_ratio() < _ALIKE or matcher.quick_ratio() < _ALIKE:
        return 0.0
    return matcher.ratio()


def _align(
    old: Sequence[etree._Element], new: Sequence[etree._Element]
) -> list[tuple[etree._Element | None, etree._Element | None]]:
    """Pair the blocks of a changed stretch in order, the most alike first.

    An alignment (as in sequence alignment) maximising the summed similarity of the
    pairs; unpaired blocks are deletions and insertions.  Very long stretches are not
    paired: all of the old is deleted and all of the new inserted.
    """
    n, m = len(old), len(new)
    if n == m == 1 and old[0].tag == new[0].tag == _P:
        return [(old[0], new[0])]  # one paragraph became another: mark it word by word
    if n * m > _ALIGN_CELLS:
        return [(a, None) for a in old] + [(None, b) for b in new]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    alike = [[0.0] * m for _ in range(n)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            alike[i][j] = s = _similarity(old[i], new[j])
            paired = score[i + 1][j + 1] + s if s >= _ALIKE else -1.0
            score[i][j] = max(paired, score[i + 1][j], score[i][j + 1])
    pairs: list[tuple[etree._Element | None, etree._Element | None]] = []
    i = j = 0
    while i < n and j < m:
        s = alike[i][j]
        if s >= _ALIKE and score[i][j] == score[i + 1][j + 1] + s:
            pairs.append((old[i], new[j]))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((old[i], None))
            i += 1
        else:
            pairs.append((None, new[j]))
            j += 1
    pairs += [(a, None) for a in old[i:]] + [(None, b) for b in new[j:]]
    # deletions before insertions within a run of unpaired blocks reads best
    return _deletions_first(pairs)


def _deletions_first(
    pairs: list[tuple[etree._Element | None, etree._Element | None]],
) -> list[tuple[etree._Element | None, etree._Element | None]]:
    out: list[tuple[etree._Element | None, etree._Element | None]] = []
    run: list[tuple[etree._Element | None, etree._Element | None]] = []
    for pair in [*pairs, (None, None)]:
        if (pair[0] is None) != (pair[1] is None):
            run.append(pair)
            continue
        deleted = [p for p in run if p[1] is None]
        inserted = [p for p in run if p[0] is None]
        # added text that reaches a table goes first: its paragraph marks can then lean
        # on the unchanged paragraph before it (see `_marks_before_tables`)
        if any(b is not None and b.tag == _TBL for _, b in inserted):
            out += inserted + deleted
        else:
            out += deleted + inserted
        run = []
        if pair != (None, None):
            out.append(pair)
    return out


def _whole(block: etree._Element, how: str, sides: _Sides) -> etree._Element:
    """A copy of ``block`` wholly inserted or deleted: text, paragraph marks, rows."""
    block = copy.deepcopy(block)
    if how == "del":
        _carry_over(block, sides)
        sides.from_old.append(block)
    for row in block.iter(_TR):
        _mark_row(row, how, sides.whole)
    for paragraph in list(block.iter(_P)):
        _mark_paragraph(paragraph, how, sides.whole)
    return block


def _mark_paragraph(paragraph: etree._Element, how: str, revisions: _Revisions) -> None:
    runs: list[etree._Element] = []
    for child in list(paragraph):
        if child.tag == _R:
            runs.append(child)
        elif runs:
            _wrap(runs, how, revisions)
            runs = []
    if runs:
        _wrap(runs, how, revisions)
    _mark_paragraph_mark(paragraph, how, revisions)


def _wrap(runs: list[etree._Element], how: str, revisions: _Revisions) -> None:
    wrapper = revisions.mark(how)
    runs[0].addprevious(wrapper)
    for run in runs:
        if how == "del":
            _as_deleted(run)
        wrapper.append(run)


def _as_deleted(run: etree._Element) -> None:
    for child in run:
        if child.tag == _T:
            child.tag = qn("w:delText")
        elif child.tag == qn("w:instrText"):
            child.tag = qn("w:delInstrText")


def _mark_paragraph_mark(paragraph: etree._Element, how: str, revisions: _Revisions) -> None:
    _mark_properties(paragraph).insert(0, revisions.mark(how))


def _mark_properties(paragraph: etree._Element) -> etree._Element:
    """The paragraph mark's ``w:rPr`` (made, in its schema place, when missing)."""
    ppr = paragraph.find(_PPR)
    if ppr is None:
        ppr = etree.Element(_PPR)
        paragraph.insert(0, ppr)
    rpr = ppr.find(_RPR)
    if rpr is None:
        rpr = etree.SubElement(ppr, _RPR)
        for later in (qn("w:sectPr"), qn("w:pPrChange")):
            found = ppr.find(later)
            if found is not None:
                found.addprevious(rpr)
                break
    return rpr


def _mark_row(row: etree._Element, how: str, revisions: _Revisions) -> None:
    trpr = row.find(qn("w:trPr"))
    if trpr is None:
        trpr = etree.Element(qn("w:trPr"))
        before = row.find(qn("w:tblPrEx"))
        if before is not None:
            before.addnext(trpr)
        else:
            row.insert(0, trpr)
    trpr.append(revisions.mark(how))


def _carry_over(block: etree._Element, sides: _Sides) -> None:
    """Make deleted old content stand in the new document: images and footnotes."""
    for element in block.iter():
        for name, value in element.attrib.items():
            if name.startswith(_REL):
                element.set(name, _related(value, sides))
    for reference in list(block.iter(qn("w:footnoteReference"))):
        run = reference.getparent()
        note = _footnote_text(sides.old, reference.get(qn("w:id")) or "")
        text = etree.Element(_T)
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        text.text = f"（注：{note}）"
        run.replace(reference, text)


def _related(old_id: str, sides: _Sides) -> str:
    if old_id not in sides.related:
        part = sides.old.part.related_parts[old_id]
        reltype = sides.old.part.rels[old_id].reltype
        sides.related[old_id] = sides.new.part.relate_to(part, reltype or RT.IMAGE)
    return sides.related[old_id]


def _footnote_text(document: Document, note_id: str) -> str:
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            root = etree.fromstring(rel.target_part.blob)
            for note in root.iter(qn("w:footnote")):
                if note.get(qn("w:id")) == note_id:
                    return _text(note).strip()
    return ""


# --- a changed paragraph ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    key: str  # what is compared: the text, or the XML of a break, image, footnote mark
    rpr: bytes  # the run's formatting
    element: etree._Element | None  # a non-text run child; None for text


def _tokens(paragraph: etree._Element, document: Document) -> list[_Token]:
    tokens: list[_Token] = []
    for run in paragraph.iter(_R):
        rpr_element = run.find(_RPR)
        rpr = _canonical(rpr_element) if rpr_element is not None else b""
        for child in run:
            if child.tag == _RPR:
                continue
            if child.tag == _T:
                tokens += [_Token(t, rpr, None) for t in _TOKEN.findall(child.text or "")]
            else:
                tokens.append(_Token(_child_key(child, document), rpr, child))
    return tokens


def _child_key(child: etree._Element, document: Document) -> str:
    """What a break, image or footnote mark is, whichever document it is in."""
    if child.tag == qn("w:footnoteReference"):
        return _NOTE + _footnote_text(document, str(child.get(qn("w:id")) or ""))
    key = str(etree.tostring(child, encoding="unicode"))
    for element in child.iter():
        for name, value in element.attrib.items():
            if name.startswith(_REL):
                blob = document.part.related_parts[value].blob
                key = key.replace(f'"{value}"', hashlib.sha1(blob).hexdigest())
    return "\0" + key


def _changed_paragraph(old: etree._Element, new: etree._Element, sides: _Sides) -> etree._Element:
    a = _tokens(old, sides.old)
    b = _tokens(new, sides.new)
    out = etree.Element(_P)
    new_ppr = new.find(_PPR)
    if new_ppr is not None:
        ppr = copy.deepcopy(new_ppr)
        out.append(ppr)
        _note_style_change(old.find(_PPR), new_ppr, ppr, sides)
    revisions = sides.revisions
    for tag, i1, i2, j1, j2 in _opcodes([t.key for t in a], [t.key for t in b]):
        if tag == "equal":
            for old_rpr, group in itertools.groupby(
                zip(a[i1:i2], b[j1:j2], strict=True), key=lambda p: (p[0].rpr, p[1].rpr)
            ):
                runs = _runs([p[1] for p in group], None)
                if old_rpr[0] != old_rpr[1]:
                    for run in runs:
                        _note_format_change(run, old_rpr[0], revisions)
                out.extend(runs)
            continue
        if i2 > i1:
            wrapper = revisions.mark("del")
            wrapper.extend(_runs(a[i1:i2], sides))
            out.append(wrapper)
        if j2 > j1:
            wrapper = revisions.mark("ins")
            wrapper.extend(_runs(b[j1:j2], None))
            out.append(wrapper)
    return out


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Token opcodes, with short equal islands inside a change folded into it.

    Chinese text shares many single characters (的, 和, 方), so a plain diff of two
    rewritten sentences keeps scattered common characters and reads as confetti.  An
    equal stretch of at most two tokens between two changes becomes part of the change.
    """
    codes = SequenceMatcher(None, a, b, False).get_opcodes()
    folded: list[tuple[str, int, int, int, int]] = []
    for code in codes:
        folded.append(code)
        # fold "change, short equal, change" into one change, as far back as it goes
        while len(folded) >= 3 and folded[-1][0] != "equal" != folded[-3][0]:
            tag, i1, i2, _, _ = folded[-2]
            if tag != "equal" or i2 - i1 > 2:
                break
            first, last = folded[-3], folded[-1]
            folded[-3:] = [("replace", first[1], last[2], first[3], last[4])]
    return folded


def _runs(tokens: Sequence[_Token], deleted: _Sides | None) -> list[etree._Element]:
    """Runs holding ``tokens``, one per stretch of one formatting; ``deleted`` from old."""
    runs: list[etree._Element] = []
    for rpr, group in itertools.groupby(tokens, key=lambda t: t.rpr):
        run = etree.Element(_R)
        if rpr:
            run.append(etree.fromstring(rpr))
        text: list[str] = []
        for token in group:
            if token.element is None:
                text.append(token.key)
                continue
            if deleted is not None and token.key.startswith(_NOTE):
                text.append(f"（注：{token.key[len(_NOTE) :]}）")
                continue
            _flush(run, text, deleted is not None)
            text = []
            child = copy.deepcopy(token.element)
            if deleted is not None:
                _carry_over(child, deleted)
            run.append(child)
        _flush(run, text, deleted is not None)
        runs.append(run)
    return runs


def _flush(run: etree._Element, text: list[str], deleted: bool) -> None:
    if text:
        element = etree.SubElement(run, qn("w:delText") if deleted else _T)
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        element.text = "".join(text)


def _note_format_change(run: etree._Element, old_rpr: bytes, revisions: _Revisions) -> None:
    rpr = run.find(_RPR)
    if rpr is None:
        rpr = etree.Element(_RPR)
        run.insert(0, rpr)
    change = revisions.mark("rPrChange")
    change.append(etree.fromstring(old_rpr) if old_rpr else etree.Element(_RPR))
    rpr.append(change)


def _note_style_change(
    old_ppr: etree._Element | None,
    new_ppr: etree._Element,
    ppr: etree._Element,
    sides: _Sides,
) -> None:
    """Record in ``ppr`` (a copy of ``new_ppr``) what the paragraph's properties were."""

    def properties(p: etree._Element | None) -> list[etree._Element]:
        skip = (_RPR, _SECTPR, qn("w:pPrChange"))
        return [c for c in (p if p is not None else []) if c.tag not in skip]

    before = properties(old_ppr)
    if [_canonical(c) for c in before] == [_canonical(c) for c in properties(new_ppr)]:
        return
    change = sides.revisions.mark("pPrChange")
    old = etree.SubElement(change, _PPR)
    old.extend(copy.deepcopy(c) for c in before)
    sides.from_old.append(old)
    ppr.append(change)


# --- a changed table ----------------------------------------------------------------


def _columns(table: etree._Element) -> int:
    return len(table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))


def _changed_table(old: etree._Element, new: etree._Element, sides: _Sides) -> list[etree._Element]:
    """The new table with its rows lined up against the old one's."""
    out = copy.deepcopy(new)
    for row in out.findall(_TR):
        out.remove(row)
    old_rows, new_rows = old.findall(_TR), new.findall(_TR)
    matcher = SequenceMatcher(None, [_key(r) for r in old_rows], [_key(r) for r in new_rows], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(copy.deepcopy(r) for r in new_rows[j1:j2])
            continue
        for a, b in _align_rows(old_rows[i1:i2], new_rows[j1:j2]):
            if a is None:
                out.append(_whole(b, "ins", sides))
            elif b is None:
                out.append(_whole(a, "del", sides))
            else:
                out.append(_changed_row(a, b, sides))
    return [out]


def _align_rows(
    old: list[etree._Element], new: list[etree._Element]
) -> list[tuple[etree._Element | None, etree._Element | None]]:
    """Rows of a changed stretch paired in order while their cells line up."""
    pairs: list[tuple[etree._Element | None, etree._Element | None]] = []
    for a, b in itertools.zip_longest(old, new):
        if a is not None and b is not None and len(a.findall(_TC)) != len(b.findall(_TC)):
            pairs += [(a, None), (None, b)]
        else:
            pairs.append((a, b))
    return _deletions_first(pairs)


def _changed_row(old: etree._Element, new: etree._Element, sides: _Sides) -> etree._Element:
    row = copy.deepcopy(new)
    for old_cell, cell in zip(old.findall(_TC), row.findall(_TC), strict=True):
        old_blocks = [c for c in old_cell if c.tag in (_P, _TBL)]
        blocks = [c for c in cell if c.tag in (_P, _TBL)]
        merged = _merge_blocks(old_blocks, blocks, sides)
        for block in blocks:
            cell.remove(block)
        cell.extend(merged)
    return row
