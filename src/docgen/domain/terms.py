"""The terms of a cooperation: the first from ``terms``, then one per renewal.

Before any renewal the cooperation is in term 1, from ``terms.start`` (else the signing)
to ``terms.end``.  ``docgen renew`` records the term that ends in ``past_terms`` — with
the states of the items the process re-opens for each term (``reopens``) — and the new
one in ``term``.  A workspace renewed before terms were recorded (status ``renewed``, a
``renewal`` with dates, no ``term``) reads as term 2 after an implicit term 1.
"""

from __future__ import annotations

from docgen.domain.model import EngagementIndex, ItemState, PastTerm, Term


def current_term(index: EngagementIndex) -> Term:
    """The term the cooperation is in now."""
    if index.term is not None:
        return index.term
    renewal = index.renewal
    if index.status == "renewed" and renewal is not None and renewal.start:
        return Term(number=2, start=renewal.start, end=renewal.end)
    return Term(number=1, start=index.terms.start or index.dates.signed, end=index.terms.end)


def all_terms(index: EngagementIndex) -> list[Term]:
    """Every term, the past ones first, the current one last."""
    current = current_term(index)
    past: list[Term] = list(index.past_terms)
    if not past and current.number == 2 and index.term is None:  # renewed before records
        past = [Term(number=1, start=index.terms.start or index.dates.signed, end=index.terms.end)]
    return [*past, current]


def archived_states(index: EngagementIndex, item_id: str) -> list[ItemState]:
    """The item's states in the past terms that recorded it, oldest first."""
    return [past.items[item_id] for past in index.past_terms if item_id in past.items]


def archived_state(index: EngagementIndex, item_id: str) -> ItemState | None:
    """The item's state in the latest past term that recorded it (a re-opened item)."""
    for past in reversed(index.past_terms):
        if item_id in past.items:
            return past.items[item_id]
    return None


__all__ = ["PastTerm", "Term", "all_terms", "archived_state", "archived_states", "current_term"]
