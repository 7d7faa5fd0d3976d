"""Rule kinds as units (issue 28): each kind's schema, check and words in one class.

The schema was in the process module, the check in the checks package and the words in
the site's; a kind the site forgot (``not_signed``) was shown by its id.  Now each kind
is a `RuleKind` class, and the process file's schema is made from the same classes.
"""

from __future__ import annotations

import typing

from conftest import REPO
from docgen.core.i18n import catalogue
from docgen.domain.process import Process, load_process
from docgen.domain.rules import KINDS, Rule, RuleKind


def _rules(process: Process) -> list[RuleKind]:
    found: list[RuleKind] = []
    for stage in process.stages:
        found += [*stage.entry, *stage.gate]
    for transition in process.transitions.values():
        found += list(transition.gate)
    found += list(process.invariants)
    return found


def test_each_kind_checks_and_describes_itself() -> None:
    for kind in KINDS:
        assert kind.unmet is not RuleKind.unmet, f"{kind.__name__} has no check of its own"
        assert kind.describe is not RuleKind.describe, f"{kind.__name__} has no words of its own"
        assert kind.__doc__, kind.__name__
    # the process file's schema is the same list of classes
    assert set(typing.get_args(typing.get_args(Rule)[0])) == set(KINDS)


def test_every_rule_of_the_shipped_processes_is_said_in_words() -> None:
    for name, language in (("process.yml", "zh"), ("process.en.yml", "en")):
        process = load_process(REPO / "src/docgen/data" / name, name)
        rules = _rules(process)
        assert len({type(r) for r in rules}) >= 9, {type(r).__name__ for r in rules}
        t = catalogue(language)
        for rule in rules:
            said = rule.describe(process, t)
            kind = rule.kind  # type: ignore[attr-defined]
            assert said and kind not in said, (name, kind, said)


def test_a_kind_the_site_had_no_words_for_is_said() -> None:
    from docgen.domain.rules import NotSigned

    process = load_process(REPO / "src/docgen/data/process.yml", "process.yml")
    said = NotSigned(kind="not_signed", document="cooperation-agreement").describe(process, catalogue("zh"))
    assert said == "合作协议尚未签署。", said
