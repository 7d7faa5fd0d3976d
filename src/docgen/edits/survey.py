"""Satisfaction survey import (双方满意度调查): CSV answers → anonymised aggregates.

The questionnaire is the process file's ``survey``.  A CSV has one row per respondent, a
column per question (by id or by title) and optionally a group column (``group``, 分组,
组别, 类别).  Only aggregates are stored, in the engagement's ``survey.md``: per question
the mean, the count and the counts per score; per group the same, unless the group has
fewer than ``min_group`` respondents, when only its size class is kept.  Names, e-mails
and comments in the CSV are never stored.  GBK/GB18030 files are read as such.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from docgen.core.atomic import write_atomic
from docgen.core.diagnostics import Diagnostic, DocgenError, Location
from docgen.core.i18n import msg
from docgen.domain.model import GroupResult, QuestionResult, SurveyResult
from docgen.domain.process import Survey
from docgen.workspace.load import Portfolio

GROUP_COLUMNS = ("group", "分组", "组别", "类别", "respondent_group")


def read_csv(path: Path) -> tuple[list[list[str]], str]:
    """The rows of a CSV and the encoding it was read in (UTF-8, else GB18030)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes every byte string
        raise DocgenError(msg("%(name)s is neither UTF-8 nor GBK/GB18030 text", name=path.name))
    return list(csv.reader(io.StringIO(text, newline=""))), encoding


def _aggregate(scores: Sequence[int], with_distribution: bool) -> QuestionResult:
    counts = {s: scores.count(s) for s in sorted(set(scores))}
    mean = round(sum(scores) / len(scores), 2) if scores else 0.0
    return QuestionResult(
        mean=mean, n=len(scores), distribution=counts if with_distribution else {}
    )


def aggregate(path: Path, survey: Survey, today: date) -> tuple[SurveyResult, str]:
    """Read a results CSV and aggregate it; problems are a `DocgenError` naming file:line."""
    rows, encoding = read_csv(path)
    if not rows:
        raise DocgenError(msg("%(name)s is empty", name=path.name))
    header = [h.strip() for h in rows[0]]
    by_key = {q.id: q.id for q in survey.questions} | {q.title: q.id for q in survey.questions}
    columns = {i: by_key[h] for i, h in enumerate(header) if h in by_key}
    if not columns:
        expected = ", ".join(f"{q.id} ({q.title})" for q in survey.questions)
        raise DocgenError(
            msg(
                ("%(name)s:1: no question columns; expected some of: %(expected)s"),
                name=path.name,
                expected=expected,
            )
        )
    group_col = next((i for i, h in enumerate(header) if h.lower() in GROUP_COLUMNS), None)
    answers: dict[str | None, dict[str, list[int]]] = {}
    problems: list[Diagnostic] = []
    respondents: dict[str | None, int] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        group = row[group_col].strip() if group_col is not None and group_col < len(row) else None
        respondents[group] = respondents.get(group, 0) + 1
        for i, qid in columns.items():
            cell = row[i].strip() if i < len(row) else ""
            if not cell:
                continue
            try:
                score = int(cell)
            except ValueError:
                score = None
            if score is None or not survey.scale_min <= score <= survey.scale_max:
                problems.append(
                    Location(path.name, line_no, i + 1).diagnostic(
                        "error",
                        "invalid-value",
                        msg(
                            (
                                "'%(header)s' answer '%(cell)s' is not a score "
                                "%(scale_min)s–%(scale_max)s"
                            ),
                            header=header[i],
                            cell=cell,
                            scale_min=survey.scale_min,
                            scale_max=survey.scale_max,
                        ),
                    )
                )
                continue
            answers.setdefault(group, {}).setdefault(qid, []).append(score)
    if problems:
        raise DocgenError(
            msg(
                "%(name)s: %(count)s invalid answer(s); nothing imported",
                name=path.name,
                count=len(problems),
            ),
            problems,
        )
    total = sum(respondents.values())
    big_enough = total >= survey.min_group
    everyone: dict[str, list[int]] = {}
    for per_question in answers.values():
        for qid, scores in per_question.items():
            everyone.setdefault(qid, []).extend(scores)
    result = SurveyResult(
        date=today,
        source=path.name,
        respondents=total,
        questions={
            q.id: _aggregate(everyone[q.id], big_enough)
            for q in survey.questions
            if q.id in everyone
        },
    )
    if group_col is not None:
        for group in sorted(g for g in respondents if g):
            n = respondents[group]
            if n < survey.min_group:
                result.groups[group] = GroupResult(respondents=n, suppressed=True)
            else:
                result.groups[group] = GroupResult(
                    respondents=n,
                    questions={
                        qid: _aggregate(scores, True) for qid, scores in answers[group].items()
                    },
                )
    return result, encoding


def import_survey(portfolio: Portfolio, engagement_id: str, path: Path) -> tuple[Path, str]:
    """Aggregate ``path`` and append it to the engagement's survey.md (atomic write)."""
    survey = portfolio.process.survey
    if survey is None:
        raise DocgenError(msg("the process file defines no survey questionnaire"))
    e = portfolio.get(engagement_id)
    if "survey.md" in e.broken:
        raise DocgenError(
            msg(
                ("%(rel)s/survey.md does not load; run 'docgen validate %(id)s'"),
                rel=e.rel,
                id=e.id,
            )
        )
    result, encoding = aggregate(path, survey, portfolio.workspace.today())
    existing: list[dict[str, Any]] = (
        [s.model_dump(exclude_defaults=True) for s in e.survey.data.surveys] if e.survey else []
    )
    existing.append(result.model_dump(exclude_defaults=True))
    body = (
        e.survey.body
        if e.survey
        else f"\n{survey.title}：由 docgen survey import 写入的匿名汇总。\n"
    )
    front = yaml.safe_dump({"surveys": existing}, allow_unicode=True, sort_keys=False)
    target = e.folder / "survey.md"
    write_atomic(
        target,
        f"---\n# 由 docgen survey import 生成；只含匿名汇总\n{front}---\n{body}",
        root=portfolio.workspace.root,
    )
    return target, encoding
