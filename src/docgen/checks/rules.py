"""Check the process's rules (gates, invariants, policies) against one engagement.

Each rule kind checks itself (`docgen.domain.rules`); here its findings become
diagnostics, at the severity and with the code the caller gives.
"""

from __future__ import annotations

from collections.abc import Iterator

from docgen.core.diagnostics import Diagnostic, Location, Severity
from docgen.core.i18n import msg
from docgen.domain.rules import Context, Rule


def diagnose(
    rules: list[Rule],
    ctx: Context,
    severity: Severity,
    code: str,
    prefix: str = "",
    seen: set[tuple[Location, str]] | None = None,
) -> Iterator[Diagnostic]:
    """Each unmet reason of ``rules`` as a diagnostic (the rule's own code, else ``code``).

    A reason two rules share (an item both required and named by ``items_done``) is
    said once; pass the same ``seen`` set to several calls to say it once across them.
    """
    seen = set() if seen is None else seen
    for rule in rules:
        for miss in rule.unmet(ctx):
            if (miss.where, miss.message) in seen:
                continue
            seen.add((miss.where, miss.message))
            why = f"{rule.message}: " if rule.message else ""
            yield miss.where.diagnostic(
                severity,
                rule.code or code,
                msg("%(prefix)s%(why)s%(message)s", prefix=prefix, why=why, message=miss.message),
                (msg("owner %(owner)s", owner=miss.owner) if miss.owner else msg("")),
            )
