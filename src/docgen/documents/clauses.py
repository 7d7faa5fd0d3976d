"""The articles of a contract: the clause library, the mode's list, the engagement's own.

A contract template whose header says ``clauses: true`` is made of clauses, one template
each, in ``templates/clauses/<id>.md.j2`` (``<id>.en.md.j2`` in English) or the
package's.  A clause template has the header every template has (``title``,
``requires``), and ``preamble: true`` for text before the first article (鉴于).

Which clauses, in which order: the process file's ``contract.clauses``, with the mode's
own ``clauses`` where it says ``mode``.  A clause marked ``?`` is optional: in the
contract when the engagement gives what it requires, left out otherwise.  A required
clause's requirements are the contract's: a missing one is reported at the engagement's
file:line, as any document field is.

An engagement's document record may replace a clause with its own wording
(``clauses: [{replaces: confidentiality, text: …}]``), or add an article
(``clauses: [{title: 特别约定, text: …}]``, placed before 其他).  Its text is text, never
a template; each paragraph of it becomes one numbered 款.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from docgen.core.diagnostics import Diagnostic
from docgen.core.i18n import msg
from docgen.documents.context import holds, missing_fields
from docgen.documents.templates import TemplateSpec
from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.model import DocumentRecord
from docgen.domain.process import Process
from docgen.workspace.config import Workspace

#: The article the engagement's own added articles go before, when the contract has it.
CLOSING = "miscellaneous"


@dataclass(frozen=True, slots=True)
class Article:
    """One part of the contract: a library clause, or the engagement's own wording."""

    id: str  # the clause id; "" for an article the engagement adds
    title: str
    article: bool  # a numbered article (第X条); False: text before the articles (鉴于)
    template: str | None = None  # clauses/<id>.md.j2; None: ``paragraphs`` are the text
    paragraphs: tuple[str, ...] = ()


@dataclass
class ArticlePlan:
    """A contract's articles and what it takes to make them.

    ``required``: the clause templates whose requirements the engagement must meet;
    ``problems``: what is wrong with the engagement's own clauses.
    """

    articles: list[Article] = field(default_factory=list)
    required: list[TemplateSpec] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


#: the article after which the parties beyond the two get theirs
PARTNER_OBLIGATIONS = "partner-obligations"


def clause_template(clause_id: str, language: str) -> str:
    """The template name of a clause: ``clauses/<id>.md.j2`` or ``clauses/<id>.en.md.j2``."""
    suffix = "" if language == "zh" else f".{language}"
    return f"clauses/{clause_id}{suffix}.md.j2"


def plan_articles(
    process: Process,
    e: Engagement,
    record: Sourced[DocumentRecord] | None,
    language: str,
    context: dict[str, Any],
    workspace: Workspace,
    spec_of: Callable[[str], TemplateSpec | Diagnostic],
) -> ArticlePlan:
    """The articles of ``e``'s contract in ``language``, as ``context`` makes them.

    ``spec_of`` reads a clause template's spec (cached by the caller), or says why not.
    """
    assert e.index is not None
    plan = ArticlePlan()
    own = list(_own_clauses(record))
    replacing = {c.replaces: (i, c) for i, c in own if c.replaces}
    clauses = process.contract_clauses(e.index.data.mode)
    known = {c.id for c in clauses}
    for i, clause in own:
        if clause.replaces and clause.replaces not in known:
            assert record is not None
            plan.problems.append(
                record.at("clauses", i, "replaces").diagnostic(
                    "error",
                    "clause-unknown",
                    msg(
                        "no clause '%(replaces)s' in this %(mode)s contract",
                        replaces=clause.replaces,
                        mode=e.index.data.mode,
                    ),
                    msg("its clauses: %(known)s", known=", ".join(sorted(known))),
                )
            )
        elif not clause.replaces and not clause.title:
            assert record is not None
            plan.problems.append(
                record.at("clauses", i).diagnostic(
                    "error", "clause-untitled", msg("an added article needs a title")
                )
            )
    added = [
        Article("", c.title, True, paragraphs=_paragraphs(c.text))
        for _, c in own
        if not c.replaces and c.title
    ]
    for clause in clauses:
        if clause.id == CLOSING:
            plan.articles += added
            added = []
        spec = spec_of(clause_template(clause.id, language))
        if isinstance(spec, Diagnostic):
            plan.problems.append(spec)
            continue
        if spec.when is not None and not holds(spec.when, context):
            continue  # not an article of this contract (投入与收益分配 in a 合资)
        title = spec.header.title or clause.id
        article = not spec.header.preamble
        if clause.id in replacing:
            _, mine = replacing[clause.id]
            words = _paragraphs(mine.text)
            plan.articles.append(Article(clause.id, mine.title or title, article, None, words))
            continue
        if clause.optional and missing_fields(spec, context, e, workspace):
            continue  # an optional clause the engagement gives nothing for
        if not clause.optional:
            plan.required.append(spec)
        plan.articles.append(Article(clause.id, title, article, spec.name))
        if clause.id == PARTNER_OBLIGATIONS:
            plan.articles += _others_obligations(context.get("others", []), language)
    plan.articles += added
    return plan


def _others_obligations(others: list[Any], language: str) -> list[Article]:
    """An article of rights and obligations for each party beyond the two (丙方 …)."""
    found = []
    for o in others:
        duties = o.obligations if language == "zh" else o.obligations_en
        if duties:
            title = (
                f"{o.label}的权利和义务"
                if language == "zh"
                else f"Rights and Obligations of {o.label_en}"
            )
            found.append(Article("", title, True, paragraphs=tuple(duties)))
    return found


def _own_clauses(record: Sourced[DocumentRecord] | None) -> Iterator[tuple[int, Any]]:
    if record is not None:
        yield from enumerate(record.data.clauses)


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("\n\n") if p.strip())
