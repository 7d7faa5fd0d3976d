"""A template that never ends, or makes or writes too much, is stopped with a located finding.

Templates live in the workspace, so a cloned repository's template is untrusted: the
sandbox keeps it from Python, these bounds keep it from the machine's memory and time.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import copy_samples

HENGTONG = "2025-014-hengtong-logistics"
HEADER = "{#\ntitle: 执行计划\nrequires:\n  - tasks\n#}\n# {{ doc.title }}\n\n"

CASES = {
    "endless": "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "huge string": '{{ "x" * 300000000 }}',
    "huge format": '{{ "%0300000000d" % 1 }}',
    "huge filter": '{{ "%0300000000d" | format(1) }}',
    "huge method": '{{ "x".ljust(300000000) }}',
    "huge center": '{{ "x" | center(300000000) }}',
    "writes forever": "{% for a in range(100000) %}{% for b in range(100000) %}甲{% endfor %}{% endfor %}",
    "recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "huge power": "{{ 9 ** 99999999 }}",
}


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from docgen.core import templating

    monkeypatch.setattr(templating, "MAX_SECONDS", 3.0)
    return copy_samples(tmp_path)


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_template_is_stopped_at_its_line(ws: Path, run, case: str) -> None:  # type: ignore[no-untyped-def]
    template = ws / "templates/documents/execution-plan.md.j2"
    template.write_text(HEADER + "正文\n" + CASES[case] + "\n", "utf-8")
    started = time.monotonic()
    result = run("render", HENGTONG, "--doc", "execution-plan", "--root", str(ws))
    took = time.monotonic() - started
    said = result.out + result.err
    assert result.exit_code == 1 and "Traceback" not in said, said
    assert "templates/documents/execution-plan.md.j2:9:1: error template-error" in said, said
    assert took < 30, took
    assert not (ws / "build/documents" / HENGTONG / "execution-plan.docx").exists()


def test_amounts_and_ordinary_formatting_still_work(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    template = ws / "templates/documents/execution-plan.md.j2"
    body = '{{ "{:,}".format(150000000) }} {{ "%s 元" | format(150000000) }} {{ "%5d" % 42 }}'
    body += ' {{ "-" * 20 }} {{ (tasks | list)[:2] | length }}'
    template.write_text(HEADER + body + "\n", "utf-8")
    result = run("render", HENGTONG, "--doc", "execution-plan", "--root", str(ws))
    assert result.exit_code == 0, result.out + result.err
