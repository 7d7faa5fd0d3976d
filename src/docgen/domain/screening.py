"""The qualification review of a call's applicants (初步资格审查): scores → ranking → shortlist.

The process file's ``screening`` names the criteria (企业规模、行业经验、财务状况 …), each
with a weight, a scale (scores 0 to ``scale``) and optionally a least score to pass it.
An applicant's total is the weighted mean of its scores, out of 100; it is on the
shortlist when every criterion is scored, each minimum is met and the total reaches the
process's ``pass_score``.  The ranking puts the shortlist first, best total first.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.core.i18n import Message, msg
from docgen.domain.model import Applicant
from docgen.domain.process import Screening


@dataclass(frozen=True)
class Ranked:
    """An applicant with its total, whether it passed, and why not."""

    rank: int
    applicant: Applicant
    total: float
    passed: bool
    shortfalls: tuple[Message, ...]

    @property
    def scores(self) -> dict[str, float]:
        """Its scores by criterion id."""
        return self.applicant.scores


def total(applicant: Applicant, screening: Screening) -> float:
    """The weighted total out of 100 (an unscored criterion counts 0)."""
    weights = sum(c.weight for c in screening.criteria)
    earned = sum(c.weight * applicant.scores.get(c.id, 0) / c.scale for c in screening.criteria)
    return round(earned / weights * 100, 1) if weights else 0.0


def shortfalls(applicant: Applicant, screening: Screening, score: float) -> list[Message]:
    """Why ``applicant`` is not on the shortlist (empty when it is)."""
    out = []
    for c in screening.criteria:
        if c.id not in applicant.scores:
            out.append(msg("%(criterion)s not scored", criterion=c.title))
        elif c.minimum is not None and applicant.scores[c.id] < c.minimum:
            out.append(
                msg(
                    "%(criterion)s %(score)s below %(minimum)s",
                    criterion=c.title,
                    score=f"{applicant.scores[c.id]:g}",
                    minimum=f"{c.minimum:g}",
                )
            )
    if score < screening.pass_score:
        out.append(
            msg(
                "total %(total)s below %(pass)s",
                total=f"{score:g}",
                **{"pass": f"{screening.pass_score:g}"},
            )
        )
    return out


def rank(applicants: list[Applicant], screening: Screening) -> list[Ranked]:
    """The applicants ranked: the shortlist first, then by total, best first."""
    scored = []
    for a in applicants:
        score = total(a, screening)
        reasons = shortfalls(a, screening, score)
        scored.append((not reasons, score, a, reasons))
    scored.sort(key=lambda s: (not s[0], -s[1], s[2].id))
    return [
        Ranked(i, a, score, passed, tuple(reasons))
        for i, (passed, score, a, reasons) in enumerate(scored, 1)
    ]
