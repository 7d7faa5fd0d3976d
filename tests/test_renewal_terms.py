"""Renewal terms: each renewal starts a new term, keeps the ended term's record, re-opens
the agreement and renewal items for the next one, and a renewed cooperation can be
renewed again and then terminated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import copy_samples

HAIXIN = "2023-009-haixin-semiconductor"


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def _sub(path: Path, pattern: str, new: str) -> None:
    text = path.read_text("utf-8")
    changed, n = re.subn(pattern, new, text, count=1, flags=re.M)
    assert n == 1, pattern
    path.write_text(changed, "utf-8")


def _prepare_renewal(e: Path, start: str, end: str, version: str, signed: str, redo_agreement: bool) -> None:
    """What the team does before renewing: the new term's dates, a renewal agreement of
    this term signed, the renewal items done (and the agreement items, once a renewal
    has re-opened them)."""
    _sub(e / "index.md", r"^  start: \S+\n  end: \S+\n  scope: SiC", f"  start: {start}\n  end: {end}\n  scope: SiC")
    record = e / "documents" / "renewal-agreement.md"
    _sub(record, r'^version: "[\d.]+"', f'version: "{version}"')
    _sub(record, r"^signed: \S+", f"signed: {signed}")
    _sub(record, r"^approvals:\n", f'approvals:\n  - {{by: 周建国, role: 集团总经理, date: {signed}, version: "{version}"}}\n')
    evaluation = e / "evaluation.md"
    for item in ("start", "reassess-terms", "sign-new"):
        _sub(evaluation, rf"^  renewal\.{item}: .*$", f"  renewal.{item}: {{done: {signed}, by: 陈思远}}")
    establishment = e / "establishment.md"
    for item in ("draft", "legal-review", "sign") if redo_agreement else ():
        _sub(establishment, rf"^  agreement\.{item}: .*$", f"  agreement.{item}: {{done: {signed}, by: 陈思远}}")


def test_renew_twice_then_terminate(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (HAIXIN,))
    e = root / "engagements" / HAIXIN
    assert _front(e / "index.md")["term"] == {"number": 2, "start": _d("2026-09-15"), "end": _d("2029-09-14")}

    # term 2 → 3: the renewal agreement signed in term 2, the new term's dates given
    monkeypatch.setenv("DOCGEN_TODAY", "2029-08-25")
    refused = run("renew", HAIXIN, "--root", str(root))
    assert refused.exit_code == 1
    assert "renewal.start (2026-09-15) is not after the current term's start (2026-09-15)" in refused.out
    _prepare_renewal(e, "2029-09-15", "2032-09-14", "3.0", "2029-08-20", redo_agreement=False)
    done = run("renew", HAIXIN, "--root", str(root))
    assert done.exit_code == 0, done.out + done.err
    index = _front(e / "index.md")
    assert index["status"] == "renewed"
    assert index["term"] == {"number": 3, "start": _d("2029-09-15"), "end": _d("2032-09-14")}
    ended = index["past_terms"][-1]
    assert (ended["number"], ended["start"], ended["end"], ended["renewed"]) == (
        2, _d("2026-09-15"), _d("2029-09-14"), _d("2029-08-25")
    )
    # the ended term keeps its record; the items are open again for the new term
    assert ended["items"]["renewal.sign-new"] == {"done": _d("2029-08-20"), "by": "陈思远"}
    assert ended["items"]["agreement.legal-review"]["done"] == _d("2023-09-12")  # term 1's
    assert _front(e / "establishment.md")["checklist"]["agreement.legal-review"]["done"] is None
    state = _front(e / "evaluation.md")["checklist"]["renewal.sign-new"]
    assert state["done"] is None and state["by"] is None
    # passed stages still count the items done in their term: the workspace validates
    assert run("validate", "--root", str(root)).exit_code == 0

    # term 3 → 4: refused until this term's renewal is done again
    monkeypatch.setenv("DOCGEN_TODAY", "2032-08-25")
    _sub(e / "index.md", r"^  start: 2029-09-15\n  end: 2032-09-14\n  scope: SiC", "  start: 2032-09-15\n  end: 2035-09-14\n  scope: SiC")
    again = run("renew", HAIXIN, "--root", str(root))
    assert again.exit_code == 1
    assert "'谈判达成一致后，签署新的合作协议' is not done" in again.out
    assert "was signed for an earlier term (2029-08-20)" in again.out
    _sub(e / "index.md", r"^  start: 2032-09-15\n  end: 2035-09-14\n  scope: SiC", "  start: 2029-09-15\n  end: 2032-09-14\n  scope: SiC")
    for item in ("start", "reassess-terms", "sign-new"):
        _sub(e / "evaluation.md", rf"^  renewal\.{item}: .*$", f"  renewal.{item}: {{by: 陈思远}}")
    _prepare_renewal(e, "2032-09-15", "2035-09-14", "4.0", "2032-08-20", redo_agreement=True)
    assert run("renew", HAIXIN, "--root", str(root)).exit_code == 0
    index = _front(e / "index.md")
    assert index["term"]["number"] == 4 and [t["number"] for t in index["past_terms"]] == [1, 2, 3]

    # a renewed cooperation can be terminated
    monkeypatch.setenv("DOCGEN_TODAY", "2033-03-01")
    evaluation = e / "evaluation.md"
    text = evaluation.read_text("utf-8")
    settled = "".join(
        f"  termination.{item}: {{done: 2033-02-20, by: 陈思远}}\n"
        for item in ("per-agreement", "resource-settlement", "debt-settlement", "no-disputes")
    )
    evaluation.write_text(text.replace("checklist:\n", "checklist:\n" + settled, 1), "utf-8")
    ended = run("terminate", HAIXIN, "--reason", "对方转型自研，协商提前终止", "--root", str(root))
    assert ended.exit_code == 0, ended.out + ended.err
    assert _front(e / "index.md")["status"] == "terminated"


def test_the_site_shows_the_terms(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (HAIXIN,))
    assert run("publish", "--root", str(root)).exit_code == 0
    page = (root / "build/site/engagements" / HAIXIN / "index.html").read_text("utf-8")
    assert "Terms" in page or "合作期次" in page
    assert "2023-09-15" in page and "2029-09-14" in page


def _d(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    return date.fromisoformat(text)
